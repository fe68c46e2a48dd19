"""Schemathesis against /api/v1/openapi.json, in-process over WSGI: no 5xx, and every
response matches what the document declares (status code, content type, body schema).

Each call is made as a demo user the operation admits (found through the app's own
`@allow` policy), so the cases reach the real handlers rather than stopping at 401/403.
Most generated cases also get real path and query values from the demo world (org units,
months, elements, reports, admissions) and, for the write operations, plausible bodies;
each operation must have answered at least one call with a 2xx, so the run cannot pass by
bouncing everything off a 404 or 422."""

from __future__ import annotations

import uuid
from collections import defaultdict

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import select

from admission.collection import form_plan
from admission.models import Admission
from app.permissions import PUBLIC, policy_for
from forms_registry.elements.models import DataElement
from forms_registry.importers.model import LEVELS
from forms_registry.orgs.models import OrgUnit
from forms_registry.periods import Period
from forms_registry.reports.models import Report
from tests.conftest import make_test_app
from tests.run_day import RUN_DAY

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
MAX_EXAMPLES = 30  # per operation, for the fuzzing phase (examples and coverage add their own)
# Who calls an operation: the first of these the operation's @allow admits.
CALLERS = (("township", "filler"), ("reviewer", "reviewer"), ("owner", "owner"))
COUNTY, TOWNSHIP, VILLAGE, OTHER_VILLAGE = (
    "439901000000",
    "439901100000",
    "439901100201",  # in TOWNSHIP
    "439901101201",  # in another township: outside the township filler's scope
)
THIS_MONTH = Period.containing(RUN_DAY, "monthly")
LAST_MONTH = THIS_MONTH.previous()

# The OpenAPI document does not depend on the database: read it once, from an app of its
# own, so that pytest makes one test per operation; each test then calls the `app`
# fixture (bound to the test's rolled-back transaction) through `call_and_validate(app=…)`.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", make_test_app("sqlite://"))

REAL: dict[str, dict[str, list]] = {}  # path prefix → parameter name → demo values
STATUSES: dict[str, list[int]] = defaultdict(list)  # operation label → statuses answered


@pytest.fixture(autouse=True)
def real_values(db_session):
    """Fill REAL from the demo world this test sees; afterwards, require one 2xx."""
    elements = list(db_session.scalars(select(DataElement.code).order_by(DataElement.id)))
    reports = list(db_session.scalars(select(Report.code).order_by(Report.code)))
    admissions = db_session.scalars(
        select(Admission.code).where(Admission.code.is_not(None)).order_by(Admission.code)
    )
    village = db_session.scalar(select(OrgUnit).where(OrgUnit.code == VILLAGE))
    plan = form_plan(db_session, village, LAST_MONTH, RUN_DAY)
    quarter = f"{LAST_MONTH.year}Q{(LAST_MONTH.first_month - 1) // 3 + 1}"
    # Repeated values are drawn more often: most saves go where the township filler may write.
    orgs = [VILLAGE, VILLAGE, TOWNSHIP, COUNTY, OTHER_VILLAGE]
    months = [LAST_MONTH.id, LAST_MONTH.id, LAST_MONTH.previous().id, THIS_MONTH.id]
    REAL.clear()
    REAL.update(
        {
            "/api/v1/orgs/": {"code": orgs, "org_code": orgs, "month": months},
            "/api/v1/elements": {
                "code": elements[:10],
                "q": ["人口", "户", "救助"],
                "category": ["人口与户籍", ""],
            },
            "/api/v1/reports": {
                "code": reports,
                "period": [LAST_MONTH.id, quarter, str(LAST_MONTH.year - 1)],
            },
            "/api/v1/merge": {
                "level": list(LEVELS),
                "period": [LAST_MONTH.id, THIS_MONTH.id, f"{LAST_MONTH.year - 1}-12"],
                "reports": [",".join(reports[:3]), reports[0], ""],
            },
            "/api/v1/admissions": {"code": list(admissions)},
            "values": {"keys": [field.key for field in plan.schema.fields]},
        }
    )
    STATUSES.clear()
    yield
    for label, statuses in STATUSES.items():
        assert any(200 <= status < 300 for status in statuses), (label, sorted(set(statuses)))


def _pool(operation) -> dict[str, list]:
    return next(
        (values for prefix, values in REAL.items() if operation.path.startswith(prefix)), {}
    )


def _mostly_real(values: dict | None, names: set[str], pool: dict[str, list]):
    """`values` as generated (one case in four), or with each of the operation's parameter
    `names` that has demo values drawn from them (optional ones included)."""
    generated = dict(values or {})
    chosen = {name for name in names | set(generated) if name in pool}
    if not chosen:
        return st.just(values)
    real = st.fixed_dictionaries(
        {
            **{name: st.just(value) for name, value in generated.items()},
            **{name: st.sampled_from(pool[name]) for name in chosen},
        }
    )
    return st.integers(0, 3).flatmap(lambda n: real if n else st.just(values))


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    names = {parameter.name for parameter in context.operation.path_parameters}
    return _mostly_real(path_parameters, names, _pool(context.operation))


@schema.hook
def flatmap_query(context, query):
    names = {parameter.name for parameter in context.operation.query}
    return _mostly_real(query, names, _pool(context.operation))


ANSWERS = st.one_of(
    st.integers(-10, 10**6),
    st.decimals(places=2, allow_nan=False, allow_infinity=False).map(str),
    st.booleans(),
    st.text(max_size=5),
    st.none(),
)
ELEMENT = st.fixed_dictionaries(
    {
        "code": st.from_regex(r"\AFUZZ_[A-Z0-9_]{1,8}\Z"),
        "name": st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x4E80), min_size=1),
        "kind": st.sampled_from(["stock", "flow"]),
        "stability": st.sampled_from(["fixed", "yearly", "period"]),
        "parent": st.none(),
    }
).flatmap(
    lambda element: st.sampled_from(
        [
            {"value_type": "integer", "unit": "人", "minimum": "0", "maximum": None},
            {"value_type": "decimal", "unit": "万元", "minimum": "-1.5", "maximum": "1E+3"},
            {"value_type": "percent", "unit": "%", "minimum": "0", "maximum": "100"},
            {"value_type": "text", "unit": None, "minimum": None, "maximum": None},
            {"value_type": "choice", "unit": None, "choices": [{"value": "1", "label": "是"}]},
        ]
    ).map(lambda domain: {**element, **domain})
)


@schema.hook
def flatmap_body(context, body):
    """Saves name real fields of the demo village's form; element writes look like
    elements. Generated bodies stay one case in four."""
    if not isinstance(body, dict):
        return st.just(body)
    if "/periods/" in context.operation.path:
        real = st.dictionaries(st.sampled_from(REAL["values"]["keys"]), ANSWERS, max_size=4)
        plausible = real.map(lambda values: {**body, "values": values, "version": 0})
    elif context.operation.path.startswith("/api/v1/elements"):
        version = {"version": 1} if context.operation.method.upper() == "PUT" else {}
        plausible = ELEMENT.map(lambda element: {**body, **element, **version})
    else:
        return st.just(body)
    return st.integers(0, 3).flatmap(lambda n: plausible if n else st.just(body))


# Explicit examples from values known without the database (the demo village, a monthly
# demo report, a starter element), so that every operation whose 2xx depends on a lucky
# draw of path, query and body together has one call that succeeds.
BIRTHS = {"name": "出生人口", "value_type": "integer", "kind": "flow", "unit": "人"}
EXAMPLES = {
    "GET /api/v1/elements/{code}": {"path_parameters": {"code": "BIRTHS"}},
    "PUT /api/v1/elements/{code}": {
        "path_parameters": {"code": "BIRTHS"},
        "body": {**BIRTHS, "version": 1},
        "media_type": "application/json",
    },
    "POST /api/v1/elements": {
        "body": {**BIRTHS, "code": "FUZZ_EXAMPLE"},
        "media_type": "application/json",
    },
    "GET /api/v1/reports/{code}": {"path_parameters": {"code": "R0002"}},
    "GET /api/v1/reports/{code}/data": {
        "path_parameters": {"code": "R0002"},  # a monthly village report of the demo
        "query": {"period": LAST_MONTH.id},
    },
    "GET /api/v1/orgs/{code}": {"path_parameters": {"code": VILLAGE}},
    "GET /api/v1/orgs/{org_code}/due": {"path_parameters": {"org_code": VILLAGE}},
    "GET /api/v1/orgs/{org_code}/periods/{month}/form": {
        "path_parameters": {"org_code": VILLAGE, "month": LAST_MONTH.id}
    },
    "PUT /api/v1/orgs/{org_code}/periods/{month}/values": {
        "path_parameters": {"org_code": VILLAGE, "month": LAST_MONTH.id},
        "body": {"submission_id": str(uuid.UUID(int=1)), "version": 0, "values": {}},
        "media_type": "application/json",
    },
    "GET /api/v1/merge": {"query": {"level": "village", "period": LAST_MONTH.id}},
}


@schema.hook
def before_add_examples(context, examples):
    if (known := EXAMPLES.get(context.operation.label)) is not None:
        examples.append(context.operation.Case(**known))


@schema.hook
def after_call(_context, case, response):
    STATUSES[case.operation.label].append(response.status_code)


@pytest.fixture
def caller_headers(app, bearer):
    """Bearer headers of a demo user allowed to call `case`'s operation (none if public)."""
    adapter = app.url_map.bind("localhost")

    def headers(case) -> dict[str, str]:
        method = case.operation.method.upper()  # not case.method: cases also try others
        path = case.operation.path.replace("{", "").replace("}", "")
        endpoint, _ = adapter.match(path, method=method)
        with app.test_request_context(path, method=method):
            policy = policy_for(endpoint, method)
        assert policy, f"{method} {case.operation.path} declares no @allow"
        if PUBLIC in policy:
            return {}
        return bearer(next(user for user, role in CALLERS if role in policy))

    return headers


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_as_documented(case, app, caller_headers):
    case.call_and_validate(app=app, headers=caller_headers(case), checks=CHECKS)
