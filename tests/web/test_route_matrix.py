"""Walks every registered route for every demo role and asserts the exact status.

A route missing from the tables in tests/web/routes/ fails the test: whoever adds a route
decides who may use it. Each route is tried with arguments from the caller's own scope and
from outside it: for org routes the demo filler's village and a village of another township;
for report routes a report of the demo owner's department (县民政局) and one of another."""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest
from flask import url_for

from tests.helpers import csrf_token, login
from tests.web import routes
from tests.web.routes import ACTORS, OTHER_ORG
from tests.web.routes.core import arguments as core_arguments

AREAS = [
    importlib.import_module(f"{routes.__name__}.{module.name}")
    for module in pkgutil.iter_modules(routes.__path__)
]
EXPECTED = {key: value for area in AREAS for key, value in area.EXPECTED.items()}
ARGUMENTS = {
    name: resolve for area in AREAS for name, resolve in getattr(area, "ARGUMENTS", {}).items()
}
UNSCOPED = {"filename", "report_code", "job_id", "month"}


def arguments_for(rule, db_session) -> tuple[dict, dict]:
    blueprint = rule.endpoint.split(".")[0]
    own, other = ARGUMENTS.get(blueprint, core_arguments)(rule, db_session)
    pick = lambda args: {name: args[name] for name in rule.arguments}  # noqa: E731
    return pick(own), pick(other)


def _routes(app):
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


def test_every_route_is_in_the_matrix(app):
    missing = {(rule.endpoint, method) for rule, method in _routes(app)} - set(EXPECTED)
    assert not missing, f"add these routes to EXPECTED with their statuses: {sorted(missing)}"


@pytest.mark.parametrize("actor", ACTORS)
def test_every_route_answers_each_role_exactly(app, db_session, actor):
    def signed_in():
        client = app.test_client()
        if actor != "anonymous":
            assert login(client, actor).status_code == 302
        return client, csrf_token(client, "/login")

    failures = []
    client, token = signed_in()
    for rule, method in _routes(app):
        expected = EXPECTED[(rule.endpoint, method)][actor]
        scoped = bool(set(rule.arguments) - UNSCOPED)
        for args, want in zip(arguments_for(rule, db_session), expected, strict=True):
            with app.test_request_context():
                url = url_for(rule.endpoint, **args)
            options = {}
            if method != "GET":
                options = {"data": {"csrf_token": token}, "headers": {"X-CSRFToken": token}}
            got = client.open(url, method=method, **options).status_code
            if got != want:
                failures.append(f"{method} {url} as {actor}: {got}, expected {want}")
            if rule.endpoint == "auth.logout":
                client, token = signed_in()
            if not scoped:
                break
    assert not failures, "\n".join(failures)


def test_out_of_scope_page_does_not_reveal_existence(client):
    login(client, "filler")
    client.get("/")  # consume the welcome message
    existing = client.get(f"/orgs/{OTHER_ORG}")
    missing = client.get("/orgs/999999999999")
    assert existing.status_code == missing.status_code == 404
    assert _without_csrf_token(existing) == _without_csrf_token(missing)


def _without_csrf_token(response) -> str:
    """The page minus its CSRF token, which is timestamped and so differs between seconds."""
    return re.sub(r'name="csrf_token" value="[^"]*"', "", response.get_data(as_text=True))
