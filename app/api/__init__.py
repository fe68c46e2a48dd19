from __future__ import annotations

from flask import Flask

from app.api import admissions, collection, elements, exports, me, orgs, reports
from app.extensions import api, csrf

API_BLUEPRINTS = (
    me.blueprint,
    orgs.blueprint,
    elements.blueprint,
    reports.blueprint,
    admissions.blueprint,
    collection.blueprint,
    exports.blueprint,
)


def register_api(app: Flask) -> None:
    api.spec.components.security_scheme(
        "bearer", {"type": "http", "scheme": "bearer", "description": "reportonce users token"}
    )
    for blueprint in API_BLUEPRINTS:
        csrf.exempt(blueprint)  # app/permissions.py checks CSRF for cookie-authenticated calls
        api.register_blueprint(blueprint)
