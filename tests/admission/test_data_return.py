"""数据回流 for an org unit (admission/data_return.py): its filled months newest first, each
admitted report in its own labels and units, each value's source and history; paged."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import select

from admission.collection import form_plan
from admission.data_return import MONTHS_PER_PAGE, org_data
from forms_registry.accounts.service import get_user
from forms_registry.orgs.models import OrgUnit
from forms_registry.periods import Period
from prefill.models import DataValue, FormState
from prefill.store import Actor, SaveRequest, save_answers
from tests.admitting import admit
from tests.run_day import RUN_DAY
from tests.web.test_collection_api import expected_reports

TODAY = RUN_DAY
MONTH = Period.containing(TODAY, "monthly").previous()
EARLIER = MONTH.previous()  # submitted in the demo
VILLAGE = "439901100201"
YUAN_REPORT = {
    "title": "村集体收入月报（测试）",
    "frequency": "monthly",
    "level": "village",
    "owner": "县民政局",
    "fields": [{"label": "村集体经济收入（元）", "element": "COLL_INCOME", "unit": "元"}],
}


def _org(session, code: str) -> OrgUnit:
    return session.scalar(select(OrgUnit).where(OrgUnit.code == code))


def test_the_submitted_month_shows_each_report_with_values_sources_and_history(db_session):
    village = _org(db_session, VILLAGE)
    page = org_data(db_session, village, TODAY)
    assert (page.page, page.pages) == (1, 1)
    [month] = page.months
    assert (month.month, month.status) == (EARLIER, "submitted")
    assert month.submitted_at is not None
    assert [item.report.code for item in month.reports] == expected_reports(EARLIER)
    stored = {
        (row.element_id, row.period): row
        for row in db_session.scalars(select(DataValue).where(DataValue.org_unit_id == village.id))
    }
    housing = next(item for item in month.reports if item.report.code == "R0002")
    assert housing.period == EARLIER
    rows = {row.cell.label: row for row in housing.rows}
    assert rows["村名"].cell.value == "东岭村" and rows["村名"].history == ()
    for label, source in (("户籍户数（户）", "shared"), ("农村危房户数（户）", "entered")):
        row = rows[label]
        field = next(f for f in housing.report.latest.fields if f.label == label)
        value = stored[(field.element_id, EARLIER.id)]
        assert row.cell.source == value.source == source
        assert row.cell.value == int(value.value)
        [change] = row.history
        assert (change.old, change.new, change.new_source) == (None, int(value.value), source)
        assert change.by == "东岭村 王会计"


def test_values_and_history_are_shown_in_the_reports_own_unit(db_session):
    code = admit(db_session, YUAN_REPORT)
    village = _org(db_session, VILLAGE)
    plan = form_plan(db_session, village, MONTH, TODAY)
    field = next(
        f for f in plan.schema.fields if f.element == "COLL_INCOME" and f.period == MONTH.id
    )
    filler = get_user(db_session, "filler")
    for value in ("1.5", "2.25"):  # 万元, the element's canonical unit
        state = db_session.scalar(
            select(FormState).where(
                FormState.org_unit_id == village.id, FormState.month == MONTH.id
            )
        )
        save_answers(
            db_session,
            org=village,
            schema=plan.schema,
            request=SaveRequest(
                str(uuid.uuid4()), state.version if state else 0, {field.key: value}
            ),
            actor=Actor(filler.id, filler.display_name),
            now=datetime.now(UTC),
            today=TODAY,
            due=plan.due,
        )
    page = org_data(db_session, village, TODAY)
    assert [month.month for month in page.months] == [MONTH, EARLIER]  # newest first
    assert page.months[0].status == "draft" and page.months[0].submitted_at is None
    income = next(item for item in page.months[0].reports if item.report.code == code)
    [row] = income.rows
    assert (row.cell.label, row.cell.unit, row.cell.value) == (
        "村集体经济收入（元）",
        "元",
        Decimal("22500"),
    )
    assert [(c.old, c.new) for c in row.history] == [
        (None, Decimal("15000")),
        (Decimal("15000"), Decimal("22500")),
    ]


def test_months_come_twelve_a_page_newest_first(db_session):
    village = _org(db_session, "439901100204")  # nothing filled in the demo
    assert org_data(db_session, village, TODAY).months == ()
    months = [MONTH.shifted(-back) for back in range(MONTHS_PER_PAGE + 1)]
    db_session.add_all(
        FormState(org_unit_id=village.id, month=month.id, version=1, status="draft")
        for month in months
    )
    db_session.add(FormState(org_unit_id=village.id, month=MONTH.next().id, version=0))
    db_session.flush()
    first = org_data(db_session, village, TODAY)
    assert (first.page, first.pages) == (1, 2)
    assert [m.month for m in first.months] == months[:MONTHS_PER_PAGE]
    second = org_data(db_session, village, TODAY, page=2)
    assert [m.month for m in second.months] == months[MONTHS_PER_PAGE:]
    assert org_data(db_session, village, TODAY, page=99).page == 2
    assert org_data(db_session, village, TODAY, page=-1).page == 1
