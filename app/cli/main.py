"""The `reportonce` console script: a Flask CLI group over the app factory."""

from __future__ import annotations

from flask.cli import FlaskGroup


def _create_app():
    from app import create_app  # imported late so `reportonce --help` stays cheap

    return create_app()


main = FlaskGroup(create_app=_create_app, help="ReportOnce 只报一次 command line.")
