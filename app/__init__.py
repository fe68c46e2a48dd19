"""The Flask shell of ReportOnce: create_app builds it in steps."""

from __future__ import annotations

from flask import Flask

from admission.plan_memo import PlanMemo
from app import database
from app.api import register_api
from app.cli.commands import register_commands
from app.collection import MEMO_KEY
from app.config import Config, config_from_environment
from app.errors import register_errorhandlers
from app.extensions import api, csrf
from app.json_provider import ExactJSONProvider
from app.permissions import enforce_policy
from app.security import register_security_headers
from app.templating import register_template_globals
from app.web import register_web


def create_app(config: Config | None = None) -> Flask:
    app = Flask(__name__)
    app.json_provider_class = ExactJSONProvider
    app.json = ExactJSONProvider(app)
    app.config.from_object(config or config_from_environment())
    register_db(app)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_request_hooks(app)
    register_cli(app)
    return app


def register_db(app: Flask) -> None:
    database.register_db(app)


def register_extensions(app: Flask) -> None:
    csrf.init_app(app)
    api.init_app(app)
    app.extensions[MEMO_KEY] = PlanMemo()


def register_blueprints(app: Flask) -> None:
    register_web(app)
    register_api(app)


def register_request_hooks(app: Flask) -> None:
    app.before_request(enforce_policy)
    register_security_headers(app)
    register_template_globals(app)


def register_cli(app: Flask) -> None:
    register_commands(app)
