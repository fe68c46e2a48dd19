"""The burden dashboard's figures (admission/burden.py) on the demo world: per township and
year, admitted reports in force, and over submitted forms the fields asked, unique after
merging, typed, prefilled, and the hours saved."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from admission.burden import BurdenFigures, burden_dashboard, burden_years
from admission.collection import form_plan
from admission.findings import BurdenSettings
from forms_registry.errors import InvalidInput
from forms_registry.orgs.models import OrgUnit
from forms_registry.periods import Period
from prefill.models import FormState, Submission
from tests.run_day import RUN_DAY

TODAY = RUN_DAY
EARLIER = Period.containing(TODAY, "monthly").shifted(-2)  # submitted by three villages
SUBMITTED = ("439901100201", "439901100202", "439901100203")
DONGLING, BAISHA, NANHU = "439901100000", "439901101000", "439901102000"
VALID = {"R0001", "R0002", "R0007", "R0008", "R0009", "R0010", "R0011"}


def _rows(dashboard) -> dict[str, BurdenFigures]:
    return {row.township.code: row.figures for row in dashboard.townships}


def _submitted_reductions(session) -> list[dict]:
    """What each demo submission answered as its 减填率 (prefill/store.py)."""
    ids = [session.scalar(select(OrgUnit.id).where(OrgUnit.code == code)) for code in SUBMITTED]
    states = session.scalars(
        select(FormState.id).where(FormState.org_unit_id.in_(ids), FormState.month == EARLIER.id)
    ).all()
    return [
        submission.response["reduction"]
        for submission in session.scalars(select(Submission).where(Submission.form_id.in_(states)))
    ]


def test_the_submitted_forms_of_dongling_add_up_to_their_submissions(db_session):
    dashboard = burden_dashboard(db_session, EARLIER.year, TODAY, BurdenSettings())
    assert dashboard.year == EARLIER.year
    assert [row.township.name for row in dashboard.townships] == ["东岭镇", "白沙乡", "南湖街道"]
    reductions = _submitted_reductions(db_session)
    assert len(reductions) == 3
    village = db_session.scalar(select(OrgUnit).where(OrgUnit.code == SUBMITTED[0]))
    stats = form_plan(db_session, village, EARLIER, TODAY).schema.stats
    dongling = _rows(dashboard)[DONGLING]
    assert dongling.forms == 3
    assert dongling.asked == 3 * stats["report_fields"]
    assert dongling.unique == 3 * stats["merged_fields"]
    assert dongling.asked == sum(r["report_fields"] for r in reductions)
    assert dongling.unique == sum(r["merged_fields"] for r in reductions)
    assert dongling.typed == sum(r["typed_fields"] for r in reductions)
    assert dongling.prefilled == sum(r["prefilled_fields"] for r in reductions)
    assert dongling.prefilled > 0 and dongling.typed > 0
    not_typed = dongling.asked - dongling.typed
    assert dongling.hours_saved == (Decimal(not_typed) * 2 / 60).quantize(Decimal("0.1"))
    assert dongling.saved_percent == (Decimal(100) * not_typed / dongling.asked).quantize(
        Decimal("0.1")
    )
    assert dongling.prefilled_percent == (
        Decimal(100) * dongling.prefilled / dongling.unique
    ).quantize(Decimal("0.1"))
    for code in (BAISHA, NANHU):
        empty = _rows(dashboard)[code]
        assert (empty.forms, empty.asked, empty.unique, empty.typed, empty.prefilled) == (0,) * 5
        assert empty.hours_saved == Decimal("0.0") and empty.saved_percent is None
    total = dashboard.total
    assert (total.forms, total.asked, total.typed) == (3, dongling.asked, dongling.typed)


def test_reports_in_force_during_the_year_apply_to_every_township(db_session):
    dashboard = burden_dashboard(db_session, TODAY.year, TODAY, BurdenSettings())
    new_year = date(TODAY.year, 1, 1)
    expected = set(VALID)
    if TODAY - timedelta(days=55) >= new_year:
        expected.add("R0003")  # expired 55 days ago
    if TODAY - timedelta(days=20) >= new_year:
        expected.add("R0004")  # revoked 20 days ago
    assert {code: row.reports for code, row in _rows(dashboard).items()} == dict.fromkeys(
        (DONGLING, BAISHA, NANHU), len(expected)
    )
    assert dashboard.total.reports == len(expected)
    future = burden_dashboard(db_session, TODAY.year + 1, TODAY, BurdenSettings())
    assert future.total.reports == 0 and future.total.forms == 0


def test_minutes_per_field_come_from_the_settings(db_session):
    three = burden_dashboard(db_session, EARLIER.year, TODAY, BurdenSettings(Decimal("3")))
    figures = _rows(three)[DONGLING]
    assert figures.hours_saved == (Decimal(figures.not_typed) * 3 / 60).quantize(Decimal("0.1"))


def test_the_default_year_is_the_newest_holding_submitted_forms(db_session):
    assert burden_years(db_session) == [EARLIER.year]
    dashboard = burden_dashboard(db_session, None, TODAY, BurdenSettings())
    assert dashboard.year == EARLIER.year
    assert dashboard.years == (EARLIER.year,)
    other = burden_dashboard(db_session, 2001, TODAY, BurdenSettings())
    assert other.years == (2001, EARLIER.year)
    with pytest.raises(InvalidInput):
        burden_dashboard(db_session, 0, TODAY, BurdenSettings())
