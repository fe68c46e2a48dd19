"""Values every template can use."""

from __future__ import annotations

from flask import Flask

from app.auth.identity import current_user
from forms_registry.matching.matcher import CHECK_BELOW


def register_template_globals(app: Flask) -> None:
    app.jinja_env.globals["CHECK_BELOW"] = CHECK_BELOW

    @app.context_processor
    def inject_user() -> dict:
        return {"current_user": current_user()}
