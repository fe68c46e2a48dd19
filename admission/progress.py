"""Who has submitted a report for a period (SPEC.md: each department "sees who has
submitted"): counts by township, each unit's status, and the units late against the due day.

A unit's status is that of its merged form for the period's last month, the one form it
fills the report in."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from admission.exports import org_units, plan_export
from admission.models import Admission
from forms_registry.errors import NotFound
from forms_registry.orgs.models import OrgUnit
from forms_registry.periods import Period, due_date
from forms_registry.reports.models import Report, ReportVersion
from prefill.models import FormState

STATUSES = ("submitted", "draft", "not_started")
STATUS_NAMES = {"submitted": "已提交", "draft": "草稿", "not_started": "未开始"}


@dataclass(frozen=True)
class UnitProgress:
    org: OrgUnit
    status: str  # one of STATUSES
    submitted_at: datetime | None
    late: bool


@dataclass(frozen=True)
class Counts:
    submitted: int = 0
    draft: int = 0
    not_started: int = 0

    @property
    def total(self) -> int:
        return self.submitted + self.draft + self.not_started

    @classmethod
    def of(cls, units: Iterable[UnitProgress]) -> Counts:
        statuses = [unit.status for unit in units]
        return cls(*(statuses.count(status) for status in STATUSES))


@dataclass(frozen=True)
class TownshipProgress:
    township: OrgUnit
    units: tuple[UnitProgress, ...]

    @property
    def counts(self) -> Counts:
        return Counts.of(self.units)


@dataclass(frozen=True)
class ReportProgress:
    report: Report
    period: Period
    month: Period  # the reference month whose form holds the period
    due: date
    townships: tuple[TownshipProgress, ...]

    @property
    def counts(self) -> Counts:
        return Counts.of(unit for township in self.townships for unit in township.units)

    @property
    def late(self) -> tuple[UnitProgress, ...]:
        return tuple(unit for township in self.townships for unit in township.units if unit.late)


def report_progress(
    session: Session, report: Report, period: Period, today: date
) -> ReportProgress:
    plan = plan_export(session, report, period)
    admission = session.scalar(
        select(Admission)
        .where(Admission.report_version_id == plan.version.id, Admission.code.is_not(None))
        .order_by(Admission.decided_at.desc())
    )
    if admission is None or plan.scope is None:
        raise NotFound(f"《{report.title}》尚未获得准入，没有填报进度")
    if admission.valid_from > plan.month.end:  # as forms: no form before the admission
        raise NotFound(f"《{report.title}》于 {admission.valid_from} 起准入，{period.id} 无需填报")
    due = due_date(period, admission.due_day)
    grouped: dict[int, list[UnitProgress]] = {}
    townships: dict[int, OrgUnit] = {}
    for batch in org_units(session, plan):
        states = {
            state.org_unit_id: state
            for state in session.scalars(
                select(FormState).where(
                    FormState.org_unit_id.in_([org.id for org in batch]),
                    FormState.month == plan.month.id,
                )
            )
        }
        parents = _townships(session, batch)
        for org in batch:
            township = parents.get(org.parent_id) if org.level == "village" else org
            township = township or org
            townships[township.id] = township
            grouped.setdefault(township.id, []).append(_unit(org, states.get(org.id), due, today))
    return ReportProgress(
        report=report,
        period=period,
        month=plan.month,
        due=due,
        townships=tuple(
            TownshipProgress(townships[key], tuple(units))
            for key, units in sorted(grouped.items(), key=lambda item: townships[item[0]].code)
        ),
    )


def _townships(session: Session, villages: list[OrgUnit]) -> dict[int, OrgUnit]:
    ids = {org.parent_id for org in villages if org.level == "village" and org.parent_id}
    if not ids:
        return {}
    return {org.id: org for org in session.scalars(select(OrgUnit).where(OrgUnit.id.in_(ids)))}


def _unit(org: OrgUnit, state: FormState | None, due: date, today: date) -> UnitProgress:
    status = "not_started" if state is None or state.version == 0 else state.status
    submitted = status == "submitted"
    return UnitProgress(
        org=org,
        status=status,
        submitted_at=state.submitted_at if submitted and state is not None else None,
        late=not submitted and today > due,
    )


def with_progress(session: Session, reports: list[Report]) -> list[Report]:
    """The reports that have been admitted, so have fillers and a progress to follow."""
    admitted = set(
        session.scalars(
            select(ReportVersion.report_id)
            .join(Admission, Admission.report_version_id == ReportVersion.id)
            .where(Admission.code.is_not(None))
        )
    )
    return [report for report in reports if report.id in admitted]
