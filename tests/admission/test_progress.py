"""Submission progress of a report for a period (admission/progress.py) on the demo world:
counts by township, each unit's status, and the units late against the due day."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from admission.collection import form_plan
from admission.export_periods import report_period
from admission.progress import report_progress, with_progress
from forms_registry.accounts.service import get_user
from forms_registry.errors import InvalidInput, NotFound
from forms_registry.orgs.models import OrgUnit
from forms_registry.periods import Period
from forms_registry.reports.service import get_report
from prefill.store import Actor, SaveRequest, save_answers
from tests.admitting import admit
from tests.run_day import RUN_DAY
from tests.web.test_collection_api import TYPES_REPORT

TODAY = RUN_DAY
MONTH = Period.containing(TODAY, "monthly").previous()  # due now in the demo
EARLIER = MONTH.previous()  # submitted by three villages of 东岭镇
TOWNSHIPS = {"439901100000": "东岭镇", "439901101000": "白沙乡", "439901102000": "南湖街道"}
VILLAGES = {
    "439901100000": [
        "439901100201",
        "439901100202",
        "439901100203",
        "439901100204",
        "439901100205",
    ],
    "439901101000": ["439901101201", "439901101202", "439901101203", "439901101204"],
    "439901102000": ["439901102001", "439901102002", "439901102201", "439901102202"],
}
SUBMITTED = {"439901100201", "439901100202", "439901100203"}
ALL_VILLAGES = [code for codes in VILLAGES.values() for code in codes]


def due_of(period: Period) -> date:
    following = period.last_month.next()
    return date(following.year, following.first_month, 28)  # the demo's due day


def by_township(progress) -> dict[str, tuple[int, int, int]]:
    return {
        group.township.code: (group.counts.submitted, group.counts.draft, group.counts.not_started)
        for group in progress.townships
    }


def org(session, code: str) -> OrgUnit:
    return session.scalar(select(OrgUnit).where(OrgUnit.code == code))


def test_the_month_before_last_counts_three_submitted_villages(db_session):
    report = get_report(db_session, "R0007")
    progress = report_progress(db_session, report, EARLIER, TODAY)
    assert progress.month == EARLIER
    assert progress.due == due_of(EARLIER)
    assert by_township(progress) == {
        "439901100000": (3, 0, 2),
        "439901101000": (0, 0, 4),
        "439901102000": (0, 0, 4),
    }
    assert [group.township.name for group in progress.townships] == list(TOWNSHIPS.values())
    assert (progress.counts.submitted, progress.counts.total) == (3, 13)
    units = {unit.org.code: unit for group in progress.townships for unit in group.units}
    assert [unit.org.code for group in progress.townships for unit in group.units] == ALL_VILLAGES
    assert {code for code, unit in units.items() if unit.status == "submitted"} == SUBMITTED
    assert all(units[code].submitted_at is not None for code in SUBMITTED)
    # its due day has passed: every village that has not submitted is late
    assert [unit.org.code for unit in progress.late] == [
        code for code in ALL_VILLAGES if code not in SUBMITTED
    ]


def test_late_means_not_submitted_after_the_due_day(db_session):
    report = get_report(db_session, "R0007")
    due = due_of(MONTH)
    on_the_day = report_progress(db_session, report, MONTH, due)
    assert on_the_day.counts.not_started == 13
    assert on_the_day.late == ()
    day_after = report_progress(db_session, report, MONTH, due + timedelta(days=1))
    assert [unit.org.code for unit in day_after.late] == ALL_VILLAGES


def test_a_saved_draft_counts_as_draft_and_is_still_late(db_session):
    village = org(db_session, "439901100204")
    plan = form_plan(db_session, village, MONTH, TODAY)
    typed = next(f for f in plan.schema.fields if f.element == "DANGER_HOUSE")
    township = get_user(db_session, "township")
    save_answers(
        db_session,
        org=village,
        schema=plan.schema,
        request=SaveRequest(str(uuid.uuid4()), 0, {typed.key: 3}),
        actor=Actor(township.id, township.display_name),
        now=datetime.now(UTC),
        today=TODAY,
        due=plan.due,
    )
    report = get_report(db_session, "R0007")
    progress = report_progress(db_session, report, MONTH, due_of(MONTH) + timedelta(days=1))
    assert by_township(progress)["439901100000"] == (0, 1, 4)
    late = {unit.org.code: unit.status for unit in progress.late}
    assert late["439901100204"] == "draft"


def test_a_quarterly_report_reads_the_form_of_the_quarters_last_month(db_session):
    report = get_report(db_session, "R0008")
    quarter = Period.containing(EARLIER.start, "quarterly")
    progress = report_progress(db_session, report, quarter, TODAY)
    assert progress.month == quarter.last_month
    closes_quarter = quarter.last_month == EARLIER
    assert progress.counts.submitted == (3 if closes_quarter else 0)


def test_only_units_within_the_admissions_scope_are_counted(db_session):
    code = admit(db_session, TYPES_REPORT, scope="439901100000")  # 东岭镇 only
    progress = report_progress(db_session, get_report(db_session, code), MONTH, TODAY)
    assert by_township(progress) == {"439901100000": (0, 0, 5)}


def test_a_report_without_admission_has_no_progress(db_session):
    with pytest.raises(NotFound, match="尚未获得准入"):
        report_progress(db_session, get_report(db_session, "R0005"), MONTH, TODAY)


def test_the_default_period_is_the_latest_ended_one_in_the_reports_own_form(db_session):
    monthly, quarterly = get_report(db_session, "R0007"), get_report(db_session, "R0008")
    assert report_period(monthly, None, TODAY) == MONTH
    assert report_period(monthly, EARLIER.id, TODAY) == EARLIER
    assert report_period(quarterly, "", TODAY) == Period.containing(TODAY, "quarterly").previous()
    with pytest.raises(InvalidInput, match="是月报"):
        report_period(monthly, "2025Q1", TODAY)
    with pytest.raises(InvalidInput):
        report_period(monthly, "2025-13", TODAY)


def test_only_admitted_reports_have_progress_to_follow(db_session):
    reports = [get_report(db_session, code) for code in ("R0005", "R0006", "R0007", "R0008")]
    assert [report.code for report in with_progress(db_session, reports)] == ["R0007", "R0008"]


def test_a_month_before_the_admission_has_no_progress(db_session):
    """As with forms: nobody was asked to fill a report for a month before it was admitted."""
    report = get_report(db_session, "R0007")  # monthly, admitted 70 days ago in the demo
    long_before = MONTH.shifted(-12)
    with pytest.raises(NotFound) as refused:
        report_progress(db_session, report, long_before, TODAY)
    assert refused.value.message.endswith(f"{long_before.id} 无需填报")
