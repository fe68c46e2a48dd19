"""Unbound extension instances; create_app binds them."""

from __future__ import annotations

from flask_smorest import Api
from flask_wtf import CSRFProtect


class ReportOnceApi(Api):
    """flask-smorest without its app-wide error handlers: app/errors.py answers HTML pages
    in HTML and API calls in JSON."""

    def _register_error_handlers(self) -> None:
        pass


csrf = CSRFProtect()
api = ReportOnceApi()
