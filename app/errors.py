"""Domain errors and HTTP errors answered in Chinese: JSON under /api/, pages elsewhere.
A user never sees a stack trace."""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.permissions import is_api_request
from forms_registry.accounts.service import InvalidCredentials, TooManyAttempts
from forms_registry.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound

log = logging.getLogger(__name__)

STATUS_BY_ERROR: list[tuple[type[DomainError], int]] = [
    (NotFound, 404),
    (Forbidden, 403),
    (Conflict, 409),
    (TooManyAttempts, 429),
    (InvalidCredentials, 401),
    (InvalidInput, 422),
]
HTTP_MESSAGES = {
    400: "请求无效",
    401: "请先登录",
    403: "您无权访问此页面",
    404: "未找到该页面或数据",
    405: "不支持该请求方式",
    409: "数据已被他人修改，请刷新后重试",
    413: "上传的文件过大（上限 10 MB）",
    415: "不支持的内容类型",
    422: "提交的数据有误",
    429: "请求过于频繁，请稍后再试",
    500: "系统出现错误，请稍后再试。如问题持续，请联系管理员。",
}
CSRF_MESSAGE = "表单已过期或缺少安全令牌（CSRF），请刷新页面后重试"


def status_for(error: DomainError) -> int:
    for error_type, status in STATUS_BY_ERROR:
        if isinstance(error, error_type):
            return status
    return 400


def respond(status: int, message: str, details: dict | None = None):
    if is_api_request() or request.accept_mimetypes.best == "application/json":
        body = {"errors": details or {"_": message}}
        if not details:
            body["message"] = message
        return jsonify(body), status
    try:
        page = render_template("error.html", status=status, message=message, details=details or {})
    except Exception:  # e.g. an untrusted Host leaves no URL adapter for the layout's links
        return Response(message, status=status, mimetype="text/plain")
    return page, status


def handle_domain_error(error: DomainError):
    conflicts = getattr(error, "conflicts", None)
    if conflicts is not None and (
        is_api_request() or request.accept_mimetypes.best == "application/json"
    ):
        return jsonify({"conflicts": conflicts, "message": error.message}), 409
    return respond(status_for(error), error.message, error.details)


def handle_csrf_error(_error: CSRFError):
    return respond(400, CSRF_MESSAGE)


def handle_http_error(error: HTTPException):
    status = error.code or 500
    details = _webargs_messages(error) if status == 422 else None
    return respond(status, HTTP_MESSAGES.get(status, error.description or "请求无效"), details)


def handle_unexpected(error: Exception):
    log.exception("unhandled error", exc_info=error)
    return respond(500, HTTP_MESSAGES[500])


# marshmallow's built-in (English) messages, as the API's users read them.
VALIDATION_MESSAGES = {
    "Missing data for required field.": "必须填写",
    "Field may not be null.": "不能为空",
    "Unknown field.": "未知的字段",
    "Invalid input type.": "数据格式不对",
    "Invalid type.": "类型不对",
    "Invalid value.": "取值不对",
    "Not a valid string.": "应为字符串",
    "Not a valid integer.": "应为整数",
    "Not a valid number.": "应为数字",
    "Not a valid boolean.": "应为 true 或 false",
    "Not a valid list.": "应为列表",
    "Not a valid mapping type.": "应为对象",
    "Not a valid date.": "应为日期（YYYY-MM-DD）",
    "Not a valid UUID.": "应为 UUID",
    "Special numeric values (nan or infinity) are not permitted.": "应为有限的数字",
}
UNTRANSLATED_MESSAGE = "取值不对"


def _webargs_messages(error: HTTPException) -> dict[str, str] | None:
    """flask-smorest/webargs put per-field messages in `error.data['messages']`."""
    messages = getattr(error, "data", {}).get("messages") if hasattr(error, "data") else None
    if not messages:
        return None
    flat: dict[str, str] = {}
    for location_messages in messages.values():
        _flatten_messages(location_messages, "", flat)
    return flat


def _flatten_messages(value: object, key: str, flat: dict[str, str]) -> None:
    """{"choices": {0: {"value": [...]}}} -> {"choices.0.value": "..."}, in Chinese."""
    if isinstance(value, dict):
        for inner_key, inner in value.items():
            _flatten_messages(inner, f"{key}.{inner_key}" if key else str(inner_key), flat)
        return
    texts = value if isinstance(value, list) else [value]
    flat[key or "_"] = "；".join(_in_chinese(str(text)) for text in texts)


def _in_chinese(message: str) -> str:
    if message in VALIDATION_MESSAGES:
        return VALIDATION_MESSAGES[message]
    return UNTRANSLATED_MESSAGE if message.isascii() else message


def register_errorhandlers(app: Flask) -> None:
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected)
