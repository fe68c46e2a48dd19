"""The one permission layer: every endpoint declares who may call it (`@allow`), and a
before-request hook enforces it for pages and API alike. An endpoint that declares
nothing is refused, so a new route cannot be open by accident."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import current_app, g, jsonify, redirect, request, url_for
from flask_wtf.csrf import CSRFError, validate_csrf
from wtforms import ValidationError

from app.auth.identity import authenticated_by_token, current_user
from app.database import SAFE_METHODS, get_session
from forms_registry.accounts.models import ROLES, User
from forms_registry.accounts.scope import can_fill_for, require_readable_org
from forms_registry.errors import Forbidden, NotFound
from forms_registry.orgs.models import OrgUnit
from forms_registry.orgs.service import get_org

PUBLIC = "public"
ANY_ROLE = frozenset(ROLES)
POLICY_ATTRIBUTE = "allowed"
READABLE_ORGS = "readable_orgs"  # g: code → org unit the caller may read
F = TypeVar("F", bound=Callable)


def allow(*who: str) -> Callable[[F], F]:
    """`@allow("public")`, `@allow("reviewer")`, `@allow(*ANY_ROLE)` …"""
    unknown = set(who) - ANY_ROLE - {PUBLIC}
    if unknown or not who:
        raise ValueError(f"unknown audience {unknown}")

    def mark(view: F) -> F:
        setattr(view, POLICY_ATTRIBUTE, frozenset(who))
        return view

    return mark


def policy_for(endpoint: str | None, method: str) -> frozenset[str] | None:
    if endpoint is None:
        return None
    if endpoint == "static" or endpoint.startswith("api-docs."):
        return frozenset({PUBLIC})
    view = current_app.view_functions.get(endpoint)
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        handler = getattr(view_class, method.lower(), None)
        if handler is None and method == "HEAD":
            handler = getattr(view_class, "get", None)
        return getattr(handler, POLICY_ATTRIBUTE, None)
    return getattr(view, POLICY_ATTRIBUTE, None)


def is_api_request() -> bool:
    return request.path.startswith("/api/")


def enforce_policy():
    if request.endpoint is None:
        return None  # 404/405: the error handlers answer
    policy = policy_for(request.endpoint, request.method)
    if policy is None:
        raise Forbidden("此页面未声明访问权限")
    if PUBLIC in policy:
        return None
    user = current_user()
    if user is None:
        if is_api_request():
            return jsonify({"errors": {"auth": "请先登录或提供有效的访问令牌"}}), 401
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    if is_api_request() and not authenticated_by_token() and request.method not in SAFE_METHODS:
        _require_csrf_header()
    if user.role not in policy:
        raise Forbidden("您的角色无权访问此功能")
    return None


def _require_csrf_header() -> None:
    """API calls made with the browser's cookie need the CSRF token like any form."""
    try:
        validate_csrf(request.headers.get("X-CSRFToken", ""))
    except ValidationError as exc:
        raise CSRFError(str(exc)) from exc


def signed_in_user() -> User:
    user = current_user()
    if user is None:  # enforce_policy has already redirected anonymous callers
        raise NotFound("未登录")
    return user


def readable_org(code: str) -> OrgUnit:
    """The org unit, or 404 when it does not exist or lies outside the caller's scope
    (checked once a request: the scope hook and the view both ask)."""
    checked = g.setdefault(READABLE_ORGS, {})
    if code not in checked:
        org = get_org(get_session(), code)
        require_readable_org(signed_in_user(), org)
        checked[code] = org
    return checked[code]


def fillable_org(code: str) -> OrgUnit:
    org = readable_org(code)
    if not can_fill_for(signed_in_user(), org):
        raise NotFound("未找到该行政区划")
    return org
