"""Property: whatever a filler saves through the merged form comes back, in every admitted
report's export, as that report asks for it: the same answer, converted exactly into
the report's own unit (forms_registry.units.convert)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from admission.collection import form_plan
from admission.export_writers import rows_as_json
from admission.exports import export_rows, plan_export
from forms_registry.accounts.service import get_user
from forms_registry.merge import MergedField
from forms_registry.orgs.models import OrgUnit
from forms_registry.periods import Period
from forms_registry.reports.service import get_report
from forms_registry.units import convert
from prefill.report_view import NUMERIC, value_period
from prefill.resolution import prefill
from prefill.store import Actor, SaveRequest, save_answers
from prefill.values import ValueRules, canonical, to_json_value
from tests.admitting import admit, backdate_admissions
from tests.run_day import RUN_DAY

COUNTY = "439901000000"
VILLAGE = "439901101201"  # another township's village: nothing stored there by the demo
MONTH = Period.month(RUN_DAY.year - 1, 12)  # closes every period length: all reports due
NOW = datetime.combine(MONTH.end + timedelta(days=3), time(9), tzinfo=UTC)
UNITS_REPORT = {  # the owner's units differ from the elements' canonical ones
    "title": "村级规模情况季报（单位换算测试）",
    "frequency": "quarterly",
    "level": "village",
    "owner": "县民政局",
    "fields": [
        {"label": "村名", "role": "org_name"},
        {"label": "常住人口（万人）", "element": "POP_RES", "unit": "万人"},
        {"label": "耕地面积（公顷）", "element": "FARMLAND", "unit": "公顷"},
        {"label": "村集体经济收入（元）", "element": "COLL_INCOME", "unit": "元"},
        {"label": "村党组织书记姓名", "element": "VC_SECRETARY_NAME"},
    ],
}
LIMIT = Decimal(10**9)


@pytest.fixture
def form(db_session):
    admit(db_session, UNITS_REPORT)
    backdate_admissions(db_session)
    org = db_session.scalar(select(OrgUnit).where(OrgUnit.code == VILLAGE))
    plan = form_plan(db_session, org, MONTH, RUN_DAY)
    locked = {
        item.field.key for item in prefill(db_session, org, plan.schema.fields) if item.locked
    }
    open_fields = [field for field in plan.schema.fields if field.key not in locked]
    assert len(plan.report_codes) >= 5 and UNITS_REPORT["title"] in {
        a.report.title for a in plan.admissions
    }
    return org, plan, open_fields


def _bounds(field: MergedField) -> tuple[Decimal, Decimal]:
    low = field.minimum if field.minimum is not None else -LIMIT
    high = field.maximum if field.maximum is not None else LIMIT
    return max(low, -LIMIT), min(high, LIMIT)


def answers_for(field: MergedField) -> st.SearchStrategy:
    """Valid raw answers for a merged field, as a filler or a client would send them."""
    low, high = _bounds(field)
    values = [choice.value for choice in field.choices or ()]
    match field.value_type:
        case "integer":
            return st.integers(int(low.to_integral_value(rounding="ROUND_CEILING")), int(high))
        case "decimal" | "percent":
            return st.decimals(
                min_value=low, max_value=high, places=4, allow_nan=False, allow_infinity=False
            )
        case "boolean":
            return st.booleans()
        case "date":
            return st.dates(date(2000, 1, 1), date(2035, 12, 31)).map(date.isoformat)
        case "choice":
            return st.sampled_from(values)
        case "multi_choice":
            return st.lists(st.sampled_from(values), min_size=1, unique=True)
        case _:
            text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")))
            return (st.sampled_from(["=1+1", "@SUM(A1)", "-1", "东岭村"]) | text).filter(
                lambda value: value.strip()
            )


def _rules(field: MergedField) -> ValueRules:
    return ValueRules(field.value_type, field.minimum, field.maximum, field.choices)


def _expected(text: str | None, report_field) -> object:
    if text is None:
        return None
    element = report_field.element
    if element.value_type not in NUMERIC:
        return to_json_value(text, element.value_type)
    return convert(Decimal(text), element.unit, report_field.unit or element.unit)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_saved_answers_come_back_in_every_reports_own_units(db_session, form, data):
    org, plan, open_fields = form
    answered = {
        field.key: data.draw(answers_for(field), label=field.key)
        for field in open_fields
        if data.draw(st.booleans(), label=f"answer {field.key}")
    }
    texts = {
        (f.element, f.period): canonical(answered[f.key], _rules(f))
        for f in open_fields
        if f.key in answered
    }
    user = get_user(db_session, "township")
    savepoint = db_session.begin_nested()
    try:
        save_answers(
            db_session,
            org=org,
            schema=plan.schema,
            request=SaveRequest(str(uuid.uuid4()), 0, answered),
            actor=Actor(user.id, user.display_name),
            now=NOW,
            today=RUN_DAY,
            due=None,
        )
        for code in plan.report_codes:
            report = get_report(db_session, code)
            period = Period.ending_in(MONTH, report.frequency) or MONTH
            export = plan_export(db_session, report, period)
            row = next(row for row in export_rows(db_session, export) if row[0] == VILLAGE)
            as_json = rows_as_json(export, [row])["rows"][0]["values"]
            for index, column in enumerate(export.columns):
                if column.kind != "element":
                    continue
                key = (column.field.element.code, value_period(column.field, period, MONTH))
                if key[0] not in {f.element for f in open_fields}:
                    continue  # locked shared values are not typed
                want = _expected(texts.get(key), column.field)
                assert row[index] == want, (code, column.label)
                if isinstance(want, Decimal):
                    assert Decimal(as_json[index]) == want
    finally:
        savepoint.rollback()
