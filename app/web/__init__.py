from __future__ import annotations

from flask import Flask

from app.web import auth, main, orgs


def register_web(app: Flask) -> None:
    app.register_blueprint(main.blueprint)
    app.register_blueprint(auth.blueprint)
    app.register_blueprint(orgs.blueprint)
