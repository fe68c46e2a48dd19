"""The security matrix beyond test_route_matrix.py's statuses: every unsafe route refuses a
request without a CSRF token, a refused request changes nothing in the database, and the
routes taking a month answer exactly for a month nobody is asked to fill (in the future,
long before any admission, malformed).

Routes come from app.url_map and who may use them from the EXPECTED tables in
tests/web/routes/, so a new route is covered here as soon as it is in the route matrix."""

from __future__ import annotations

import hashlib
import uuid

import pytest
from flask import url_for

from forms_registry.db import Base
from forms_registry.periods import Period
from tests.helpers import csrf_token, login
from tests.run_day import RUN_DAY
from tests.web.routes import ACTORS, DUE_MONTH, LOGIN, OWN_ORG, ROLES
from tests.web.test_route_matrix import EXPECTED, UNSCOPED
from tests.web.test_route_matrix import arguments_for as scope_arguments

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
CSRF_MESSAGE = "表单已过期或缺少安全令牌（CSRF），请刷新页面后重试"
ANSWER = ("DANGER_HOUSE", 2)  # an unlocked field of the demo village's monthly form
PAGE_FORM = {  # what the registry and admission forms ask for
    "code": "SEC_MATRIX",
    "name": "安全矩阵测试指标",
    "title": "安全矩阵测试报表",
    "label": "安全矩阵测试字段",
    "value_type": "integer",
    "kind": "stock",
    "frequency": "monthly",
    "level": "village",
    "justification": "测试",
    "legal_basis": "测试",
    "comment": "测试",
    "reason": "测试",
    "edit": "0",
    "version": "1",
}
ELEMENT_JSON = {key: PAGE_FORM[key] for key in ("code", "name", "value_type", "kind", "version")}


# --- helpers --------------------------------------------------------------------------


def fingerprint(db_session) -> dict[str, tuple[int, str]]:
    """Row count and a digest of all rows of every table, read on the test's connection
    (where the app's requests commit). No table is left out: nothing writes on every
    request (login sessions change only on login and logout, login attempts only on a
    failed login), and these tests sign in before taking the first fingerprint. Plain SQL
    skips the column types' conversions, which would make it three times slower."""
    connection = db_session.connection()
    quote = connection.dialect.identifier_preparer.quote
    result = {}
    for table in Base.metadata.sorted_tables:
        order = ", ".join(quote(column.name) for column in table.primary_key.columns)
        query = f"SELECT * FROM {quote(table.name)} ORDER BY {order}"
        rows = connection.exec_driver_sql(query).all()
        result[table.name] = (len(rows), hashlib.blake2b(repr(rows).encode()).hexdigest())
    return result


def changed_tables(before: dict, after: dict) -> list[str]:
    return [name for name in before if before[name] != after[name]]


def refused(actor: str, status: int) -> bool:
    """Whether the matrix's status denies the caller (anonymous pages go to the login)."""
    return status in (401, 403, 404) or (actor == "anonymous" and status == LOGIN)


def signed_in(app, actor: str):
    client = app.test_client()
    if actor != "anonymous":
        assert login(client, actor).status_code == 302
    return client


def url(app, endpoint: str, **arguments) -> str:
    with app.test_request_context():
        return url_for(endpoint, **arguments)


def all_routes(app):
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


def body_for(endpoint: str) -> dict:
    """A plausible body; for the two ways of saving answers a valid one, so the check under
    test is all that stands between the request and a write."""
    key, value = ANSWER
    if endpoint == "collection_api.Values":
        submission = str(uuid.uuid4())
        return {"submission_id": submission, "version": 0, "values": {key: value}, "submit": False}
    if endpoint == "fill.form":
        return {"submission_id": str(uuid.uuid4()), "version": "0", f"f_{key}": str(value)}
    return ELEMENT_JSON if endpoint.split(".")[0].endswith("_api") else PAGE_FORM


def send(client, method: str, path: str, endpoint: str, token: str | None):
    """As a browser sends it: pages a form with its csrf_token field, API calls JSON with the
    X-CSRFToken header; token=None sends neither."""
    if method == "GET":
        return client.get(path)
    headers = {"X-CSRFToken": token} if token else {}
    if path.startswith("/api/"):
        return client.open(path, method=method, json=body_for(endpoint), headers=headers)
    data = body_for(endpoint) | ({"csrf_token": token} if token else {})
    return client.open(path, method=method, data=data, headers=headers)


# --- CSRF on every unsafe route -------------------------------------------------------


def unsafe_routes(app):
    return [(rule, method) for rule, method in all_routes(app) if method in UNSAFE_METHODS]


def users_of(endpoint: str, method: str) -> list[str]:
    """The actors the matrix lets use a route in their own scope."""
    return [
        actor
        for actor, (own, _other) in EXPECTED[(endpoint, method)].items()
        if not refused(actor, own)
    ]


def test_every_unsafe_route_is_tried_without_a_token(app):
    untried = [
        f"{method} {rule.endpoint}"
        for rule, method in unsafe_routes(app)
        if (rule.endpoint, method) not in EXPECTED or not users_of(rule.endpoint, method)
    ]
    assert unsafe_routes(app) and not untried, f"add to the route matrix: {untried}"


@pytest.mark.parametrize("actor", ACTORS)
def test_unsafe_routes_refuse_a_request_without_csrf_token(app, db_session, actor):
    client = signed_in(app, actor)
    before = fingerprint(db_session)
    failures, tried = [], 0
    for rule, method in unsafe_routes(app):
        if actor not in users_of(rule.endpoint, method):
            continue
        own, _other = scope_arguments(rule, db_session)
        path = url(app, rule.endpoint, **own)
        response = send(client, method, path, rule.endpoint, token=None)
        tried += 1
        if path.startswith("/api/"):
            body_ok = response.get_json() == {
                "errors": {"_": CSRF_MESSAGE},
                "message": CSRF_MESSAGE,
            }
        else:
            body_ok = CSRF_MESSAGE in response.get_data(as_text=True)
        if response.status_code != 400 or not body_ok:
            failures.append(f"{method} {path}: {response.status_code} {response.data[:200]!r}")
        if changed := changed_tables(before, fingerprint(db_session)):
            failures.append(f"{method} {path} without a token changed {changed}")
    assert tried and not failures, "\n".join(failures)


@pytest.mark.parametrize(
    "endpoint, method", [("fill.form", "POST"), ("collection_api.Values", "PUT")]
)
def test_the_answers_sent_without_a_token_would_be_saved_with_one(
    app, db_session, endpoint, method
):
    """The answer bodies are valid, and the fingerprint sees what they store."""
    client = signed_in(app, "filler")
    token = csrf_token(client, "/login")
    before = fingerprint(db_session)
    path = url(app, endpoint, org_code=OWN_ORG, month=DUE_MONTH)
    response = send(client, method, path, endpoint, token=token)
    assert response.status_code in (200, 302), response.data[:300]
    assert {"data_value", "value_change"} <= set(changed_tables(before, fingerprint(db_session)))


# --- a refused request changes nothing ------------------------------------------------


@pytest.mark.parametrize("actor", ACTORS)
def test_a_refused_request_changes_nothing(app, db_session, actor):
    """Checked after each unsafe request, and once after all (a GET should never write;
    a fingerprint after each would double the run)."""
    client = signed_in(app, actor)
    token = csrf_token(client, "/login")
    before = fingerprint(db_session)
    failures, tried = [], 0
    for rule, method in all_routes(app):
        scoped = bool(set(rule.arguments) - UNSCOPED)
        cases = zip(
            scope_arguments(rule, db_session), EXPECTED[(rule.endpoint, method)][actor], strict=True
        )
        for arguments, want in list(cases)[: 2 if scoped else 1]:
            if not refused(actor, want):
                continue
            path = url(app, rule.endpoint, **arguments)
            response = send(client, method, path, rule.endpoint, token=token)
            tried += 1
            location = response.headers.get("Location", "")
            if response.status_code != want or (
                want == LOGIN and not location.startswith("/login")
            ):
                failures.append(f"{method} {path}: {response.status_code}, expected {want}")
            if method == "GET":
                continue
            if changed := changed_tables(before, fingerprint(db_session)):
                failures.append(f"{method} {path} ({want}) changed {changed}")
    if changed := changed_tables(before, fingerprint(db_session)):
        failures.append(f"a refused GET changed {changed}")
    assert tried and not failures, "\n".join(failures)


# --- a month nobody is asked to fill --------------------------------------------------

THIS_MONTH = Period.containing(RUN_DAY, "monthly")
OTHER_MONTHS = {
    "future": THIS_MONTH.next().id,
    "never_due": THIS_MONTH.shifted(-120).id,  # ten years before any demo admission
    "malformed": "2026-13",
}


def month_statuses(status: int, report_view: int) -> dict[tuple[str, str], dict[str, int]]:
    """What each route taking an org and a month answers the demo village's fillers (and
    the reviewer reading a form) for such a month; other roles are refused as always."""
    fillers = dict(anonymous=LOGIN, reviewer=403, owner=403, filler=status, township=status)
    return {
        ("fill.form", "GET"): fillers,
        ("fill.form", "POST"): fillers,
        ("excel.download", "GET"): fillers,
        ("excel.upload", "POST"): fillers,
        # read-only: the report's labels with no values
        ("report_views.show", "GET"): {"anonymous": LOGIN} | dict.fromkeys(ROLES, report_view),
        ("collection_api.Form", "GET"): fillers | {"anonymous": 401, "reviewer": status},
        ("collection_api.Values", "PUT"): fillers | {"anonymous": 401},
    }


OTHER_MONTH_EXPECTED = {
    "future": month_statuses(404, report_view=200),
    "never_due": month_statuses(404, report_view=200),
    "malformed": month_statuses(422, report_view=422),
}


def month_arguments(rule, month: str) -> dict:
    arguments = {"org_code": OWN_ORG, "month": month, "report_code": "R0007"}  # monthly report
    return {name: arguments[name] for name in rule.arguments}


def ask_for_other_months(app, db_session, actor: str) -> list[str]:
    client = signed_in(app, actor)
    token = csrf_token(client, "/login")
    before = fingerprint(db_session)
    failures = []
    for rule, method in all_routes(app):
        if "month" not in rule.arguments:
            continue
        for case, month in OTHER_MONTHS.items():
            want = OTHER_MONTH_EXPECTED[case][(rule.endpoint, method)][actor]
            path = url(app, rule.endpoint, **month_arguments(rule, month))
            got = send(client, method, path, rule.endpoint, token=token).status_code
            if got != want:
                failures.append(f"{case}: {method} {path} as {actor}: {got}, expected {want}")
            if changed := changed_tables(before, fingerprint(db_session)):
                failures.append(f"{case}: {method} {path} as {actor} changed {changed}")
                before = fingerprint(db_session)
    return failures


def test_every_route_taking_a_month_is_in_the_table(app):
    taking = {
        (rule.endpoint, method) for rule, method in all_routes(app) if "month" in rule.arguments
    }
    assert all(set(table) == taking for table in OTHER_MONTH_EXPECTED.values())


@pytest.mark.parametrize("actor", ACTORS)
def test_a_month_nobody_is_asked_to_fill_is_answered_exactly(app, db_session, actor):
    failures = ask_for_other_months(app, db_session, actor)
    assert not failures, "\n".join(failures)
