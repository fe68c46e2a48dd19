"""Unbound extension instances; create_app binds them."""

from __future__ import annotations

import marshmallow as ma
from flask_smorest import Api
from flask_wtf import CSRFProtect


class ConflictSchema(ma.Schema):
    element = ma.fields.String(metadata={"description": "字段 key"})
    yours = ma.fields.String(allow_none=True)
    theirs = ma.fields.String(allow_none=True)
    by = ma.fields.String(allow_none=True)
    at = ma.fields.String(metadata={"description": "ISO 8601 时间"})


class ApiErrorSchema(ma.Schema):
    """The JSON error bodies app/errors.py answers (documentation only)."""

    message = ma.fields.String(metadata={"description": "中文说明"})
    errors = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.String(),
        metadata={"description": "字段或位置 → 中文说明"},
    )
    conflicts = ma.fields.List(
        ma.fields.Nested(ConflictSchema), metadata={"description": "仅 409：被他人改过的字段"}
    )


class ReportOnceApi(Api):
    """flask-smorest without its app-wide error handlers: app/errors.py answers HTML pages
    in HTML and API calls in JSON, in the shape ApiErrorSchema documents."""

    ERROR_SCHEMA = ApiErrorSchema

    def _register_error_handlers(self) -> None:
        pass


csrf = CSRFProtect()
api = ReportOnceApi()
