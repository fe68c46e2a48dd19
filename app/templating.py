"""Values every template can use."""

from __future__ import annotations

from flask import Flask

from app.auth.identity import current_user


def register_template_globals(app: Flask) -> None:
    @app.context_processor
    def inject_user() -> dict:
        return {"current_user": current_user()}
