"""JSON numbers with a fraction are read as Decimal, so answers are never binary floats."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import flask
from flask.json.provider import DefaultJSONProvider
from webargs.core import missing
from webargs.flaskparser import FlaskParser, is_json_request


class ExactJSONProvider(DefaultJSONProvider):
    ensure_ascii = False

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        kwargs.setdefault("parse_float", Decimal)
        return json.loads(s, **kwargs)


class ExactArgumentsParser(FlaskParser):
    """webargs reads request bodies with the standard json module (binary floats): read
    them with the app's provider instead, so a JSON number in an answer stays exact."""

    def _raw_load_json(self, req: flask.Request) -> Any:
        if not is_json_request(req):
            return missing
        return flask.current_app.json.loads(req.get_data(cache=True))
