"""Walks every registered route for every demo role and asserts the exact status.

A route missing from EXPECTED fails the test: whoever adds a route decides who may use it.
`own` is the village of the demo filler (under the demo township filler); `other` is a
village of another township."""

from __future__ import annotations

import pytest

from tests.helpers import csrf_token, login

OWN = "439901100201"
OTHER = "439901101201"
ACTORS = ("anonymous", "reviewer", "owner", "filler", "township")
LOGIN = 302  # anonymous page visitors are sent to the login page
ALL = dict.fromkeys(ACTORS[1:], 200)


def statuses(anonymous: int, **by_actor: int | tuple[int, int]) -> dict[str, tuple[int, int]]:
    """Status per actor for (own org, other org); one int when the org makes no difference."""
    table = {"anonymous": (anonymous, anonymous)}
    for actor in ACTORS[1:]:
        value = by_actor[actor]
        table[actor] = value if isinstance(value, tuple) else (value, value)
    return table


EXPECTED: dict[tuple[str, str], dict[str, tuple[int, int]]] = {
    ("static", "GET"): statuses(200, **ALL),
    ("api-docs.openapi_json", "GET"): statuses(200, **ALL),
    ("main.index", "GET"): statuses(LOGIN, **ALL),
    ("main.healthz", "GET"): statuses(200, **ALL),
    ("main.me", "GET"): statuses(LOGIN, **ALL),
    ("auth.login", "GET"): statuses(200, **ALL),
    ("auth.login", "POST"): statuses(422, **dict.fromkeys(ACTORS[1:], 422)),
    ("auth.logout", "POST"): statuses(LOGIN, **dict.fromkeys(ACTORS[1:], 302)),
    ("orgs.tree", "GET"): statuses(LOGIN, reviewer=200, owner=200, filler=302, township=302),
    ("orgs.detail", "GET"): statuses(
        LOGIN, reviewer=200, owner=200, filler=(200, 404), township=(200, 404)
    ),
    ("orgs.import_csv", "GET"): statuses(LOGIN, reviewer=200, owner=403, filler=403, township=403),
    ("orgs.import_csv", "POST"): statuses(LOGIN, reviewer=422, owner=403, filler=403, township=403),
    ("me.Me", "GET"): statuses(401, **ALL),
    ("orgs_api.Org", "GET"): statuses(
        401, reviewer=200, owner=200, filler=(200, 404), township=(200, 404)
    ),
}
SAMPLE_ARGS = {"filename": "app.css"}


def _routes(app):
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


def _url(app, rule, org_code: str) -> str:
    args = {name: SAMPLE_ARGS.get(name, org_code) for name in rule.arguments}
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **args)


def test_every_route_is_in_the_matrix(app):
    missing = {(rule.endpoint, method) for rule, method in _routes(app)} - set(EXPECTED)
    assert not missing, f"add these routes to EXPECTED with their statuses: {sorted(missing)}"


@pytest.mark.parametrize("actor", ACTORS)
def test_every_route_answers_each_role_exactly(app, actor):
    failures = []
    for rule, method in _routes(app):
        expected = EXPECTED[(rule.endpoint, method)][actor]
        for org_code, want in zip((OWN, OTHER), expected, strict=True):
            client = app.test_client()
            if actor != "anonymous":
                assert login(client, actor).status_code == 302
            data = {"csrf_token": csrf_token(client, "/login")} if method != "GET" else None
            url = _url(app, rule, org_code)
            got = client.open(url, method=method, data=data).status_code
            if got != want:
                failures.append(f"{method} {url} as {actor}: {got}, expected {want}")
            if "code" not in rule.arguments:
                break
    assert not failures, "\n".join(failures)


def test_out_of_scope_page_does_not_reveal_existence(client):
    login(client, "filler")
    client.get("/")  # consume the welcome message
    existing = client.get(f"/orgs/{OTHER}")
    missing = client.get("/orgs/999999999999")
    assert existing.status_code == missing.status_code == 404
    assert existing.get_data(as_text=True) == missing.get_data(as_text=True)
