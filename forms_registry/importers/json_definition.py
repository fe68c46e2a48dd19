"""Read a JSON report definition (the shape `reportonce reports import --json` prints, plus
frequency, level, owner, layout and per field type, required, choices, min, max) into an
ImportedReport.

Keys the command prints but that mean nothing on input (`code`, and per field `confidence`
and `candidates`) are accepted and ignored, so a printed definition can be edited and read
back; any other unknown key is refused so that a misspelt key is not silently lost.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from marshmallow import (
    RAISE,
    Schema,
    ValidationError,
    fields,
    pre_load,
    validate,
    validates_schema,
)

from forms_registry.errors import InvalidInput
from forms_registry.importers.label_parsing import parse_label
from forms_registry.importers.model import (
    FREQUENCIES,
    LEVELS,
    VALUE_TYPES,
    Choice,
    ImportedField,
    ImportedReport,
)
from forms_registry.periods import TO_DATE

ROLES = ("org_name", "org_code", "meta")
LAYOUTS = ("horizontal", "vertical")
_CHOICE_TYPES = ("choice", "multi_choice")
_NUMERIC_TYPES = ("integer", "decimal", "percent")

_BASE_MESSAGES = {
    "required": "必须填写。",
    "null": "不能为空。",
    "validator_failed": "取值不对。",
    "invalid": "类型不对。",
    "type": "类型不对。",
}


def _messages(**overrides: str) -> dict[str, str]:
    return {**_BASE_MESSAGES, **overrides}


def _text(*, required: bool = False) -> fields.String:
    return fields.String(
        required=required,
        allow_none=not required,
        validate=validate.Regexp(r"\s*\S", error="不能为空白。") if required else None,
        error_messages=_messages(invalid="应为字符串。"),
    )


def _one_of(allowed: tuple[str, ...], *, what: str) -> fields.String:
    return fields.String(
        allow_none=True,
        validate=validate.OneOf(
            allowed, error=f"不认识的{what}“{{input}}”，应为 {'、'.join(allowed)} 之一。"
        ),
        error_messages=_messages(invalid="应为字符串。"),
    )


def _limit() -> fields.Decimal:
    return fields.Decimal(
        allow_none=True,
        allow_nan=False,
        error_messages=_messages(invalid="应为数字。", special="应为有限的数字。"),
    )


class _ChoiceSchema(Schema):
    class Meta:
        unknown = RAISE

    error_messages = {"type": "选项应为字符串或含 value、label 的对象。", "unknown": "未知的键。"}

    value = fields.String(required=True, error_messages=_messages(invalid="应为字符串。"))
    label = _text()

    @pre_load
    def _accept_plain_text(self, data: Any, **_: Any) -> Any:
        if isinstance(data, str | int):
            return {"value": str(data), "label": str(data)}
        return data


class _FieldSchema(Schema):
    class Meta:
        unknown = RAISE

    error_messages = {"type": "每个字段应为对象（{…}）。", "unknown": "未知的键。"}

    label = _text(required=True)
    name = _text()
    section = _text()
    unit = _text()
    code = _text()
    element = _text()
    role = _one_of(ROLES, what="角色")
    derivation = _one_of((TO_DATE,), what="取值方式")
    type = _one_of(VALUE_TYPES, what="类型")
    required = fields.Boolean(
        load_default=False, error_messages=_messages(invalid="应为 true 或 false。")
    )
    choices = fields.List(
        fields.Nested(_ChoiceSchema),
        allow_none=True,
        error_messages=_messages(invalid="应为选项列表。"),
    )
    min = _limit()
    max = _limit()
    confidence = fields.Raw(allow_none=True)
    candidates = fields.Raw(allow_none=True)

    @validates_schema
    def _consistent(self, data: dict[str, Any], **_: Any) -> None:
        errors: dict[str, str] = {}
        if data.get("element") and data.get("role"):
            errors["role"] = "element 与 role 只能填一个（身份或填报信息列不对应指标）。"
        if data.get("derivation") and not data.get("element"):
            errors["derivation"] = "本年累计（to_date）须同时给出它由哪个指标累加（element）。"
        value_type = data.get("type")
        if value_type in _CHOICE_TYPES and not data.get("choices"):
            errors["choices"] = "单选、多选字段必须给出选项。"
        if data.get("choices") and value_type not in (*_CHOICE_TYPES, None):
            errors["choices"] = "只有单选（choice）或多选（multi_choice）字段才能有选项。"
        has_limits = data.get("min") is not None or data.get("max") is not None
        if has_limits and value_type not in (*_NUMERIC_TYPES, None):
            errors["min" if data.get("min") is not None else "max"] = "只有数字字段才能有上下限。"
        low, high = data.get("min"), data.get("max")
        if low is not None and high is not None and low > high:
            errors["max"] = "上限不能小于下限。"
        if errors:
            raise ValidationError(errors)


class _ReportSchema(Schema):
    class Meta:
        unknown = RAISE

    error_messages = {"type": "报表定义应为 JSON 对象（{…}）。", "unknown": "未知的键。"}

    title = _text(required=True)
    frequency = _one_of(FREQUENCIES, what="报送频率")
    level = _one_of(LEVELS, what="填报层级")
    owner = _text()
    layout = _one_of(LAYOUTS, what="布局")
    code = fields.Raw(allow_none=True)
    fields_ = fields.List(
        fields.Nested(_FieldSchema),
        data_key="fields",
        required=True,
        validate=validate.Length(min=1, error="至少要有一个字段。"),
        error_messages=_messages(invalid="应为字段列表。"),
    )


def read_json_definition(data: bytes) -> ImportedReport:
    """Parse and validate a JSON report definition; InvalidInput names each bad key."""
    document = _decode(data)
    try:
        loaded = _ReportSchema().load(document)
    except ValidationError as error:
        details = _flatten(error.messages)
        raise InvalidInput(
            "报表定义有误，未导入："
            + "；".join(f"{key} {text.rstrip('。')}" for key, text in details.items())
            + "。",
            details=details,
        ) from error
    return ImportedReport(
        title=loaded["title"].strip(),
        fields=[_to_field(item, order) for order, item in enumerate(loaded["fields_"])],
        source_format="json",
        layout=loaded.get("layout") or "horizontal",
        frequency=loaded.get("frequency"),
        level=loaded.get("level"),
        owner=loaded.get("owner"),
    )


def _decode(data: bytes) -> Any:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidInput(
            "报表定义文件不是 UTF-8 编码的文本，未导入。", details={"file": "应为 UTF-8 编码。"}
        ) from error
    try:
        return json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as error:
        where = f"第 {error.lineno} 行第 {error.colno} 列"
        raise InvalidInput(
            f"报表定义不是有效的 JSON，未导入：{where}附近有语法错误（{error.msg}）。",
            details={"file": f"{where}附近有语法错误。"},
        ) from error


def _to_field(item: dict[str, Any], order: int) -> ImportedField:
    label = item["label"]
    parts = parse_label(label)
    choices = item.get("choices")
    return ImportedField(
        label=label,
        name=item.get("name") or parts.name,
        order=order,
        section=item.get("section") or None,
        unit=item.get("unit") or parts.unit,
        is_sub_item=parts.is_sub_item,
        value_type=item.get("type"),
        required=item.get("required", False),
        choices=[Choice(value=c["value"], label=c.get("label") or c["value"]) for c in choices]
        if choices
        else None,
        minimum=item.get("min"),
        maximum=item.get("max"),
        code=item.get("code") or None,
        element=item.get("element") or None,
        role=item.get("role") or None,
        derivation=item.get("derivation") or None,
    )


def _flatten(messages: Any, prefix: str = "") -> dict[str, str]:
    """marshmallow's nested error dict -> {"fields[0].type": "message", ...}."""
    if isinstance(messages, list):
        texts = [m for m in messages if isinstance(m, str)]
        nested = [m for m in messages if not isinstance(m, str)]
        flat = {prefix or "file": " ".join(texts)} if texts else {}
        for entry in nested:
            flat.update(_flatten(entry, prefix))
        return flat
    if not isinstance(messages, dict):
        return {prefix or "file": str(messages)}
    flat: dict[str, str] = {}
    for key, value in messages.items():
        if key == "_schema":
            child = prefix
        elif isinstance(key, int):
            child = f"{prefix}[{key}]"
        else:
            child = f"{prefix}.{key}" if prefix else str(key)
        flat.update(_flatten(value, child))
    return flat
