from __future__ import annotations

from flask import Flask

from app.web import (
    admissions,
    auth,
    elements,
    excel,
    exports,
    fill,
    main,
    orgs,
    outputs,
    public,
    report_views,
    reports,
    shared,
)


def register_web(app: Flask) -> None:
    app.register_blueprint(main.blueprint)
    app.register_blueprint(auth.blueprint)
    app.register_blueprint(orgs.blueprint)
    app.register_blueprint(elements.blueprint)
    app.register_blueprint(reports.blueprint)
    app.register_blueprint(admissions.blueprint)
    app.register_blueprint(public.blueprint)
    app.register_blueprint(fill.blueprint)
    app.register_blueprint(report_views.blueprint)
    app.register_blueprint(shared.blueprint)
    app.register_blueprint(excel.blueprint)
    app.register_blueprint(exports.blueprint)
    app.register_blueprint(outputs.blueprint)
