from __future__ import annotations

from flask import Flask

from app.web import auth, elements, main, orgs, reports


def register_web(app: Flask) -> None:
    app.register_blueprint(main.blueprint)
    app.register_blueprint(auth.blueprint)
    app.register_blueprint(orgs.blueprint)
    app.register_blueprint(elements.blueprint)
    app.register_blueprint(reports.blueprint)
