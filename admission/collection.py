"""The merged form of an org unit and reference month: which admitted reports it holds,
its schema, its due date, and which months are due or overdue (SPEC.md *Periods*)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from admission.due import applies_to
from admission.models import Admission
from admission.queries import valid_admissions
from forms_registry.merge import MergedSchema, merge_reports
from forms_registry.orgs.models import OrgUnit
from forms_registry.periods import Period, due_date
from forms_registry.reports.merging import report_spec
from prefill.forms import find_form


@dataclass(frozen=True)
class FormPlan:
    org: OrgUnit
    month: Period
    schema: MergedSchema
    admissions: tuple[Admission, ...]  # the admitted reports due in this month's form
    due: date | None

    @property
    def report_codes(self) -> tuple[str, ...]:
        return self.schema.reports


def _applicable(session: Session, org: OrgUnit, today: date) -> list[Admission]:
    return [
        admission for admission in valid_admissions(session, today) if applies_to(admission, org)
    ]


def form_plan(session: Session, org: OrgUnit, month: Period, today: date) -> FormPlan:
    admissions = _applicable(session, org, today)
    schema = merge_reports([report_spec(admission.version) for admission in admissions], month)
    due_here = tuple(a for a in admissions if a.report.code in schema.reports)
    due = due_date(month, min(a.due_day for a in due_here)) if due_here else None
    return FormPlan(org=org, month=month, schema=schema, admissions=due_here, due=due)


@dataclass(frozen=True)
class DueMonth:
    month: Period
    reports: tuple[str, ...]
    due: date
    status: str  # "not_started" | "draft" | "submitted"


def due_months(session: Session, org: OrgUnit, today: date) -> list[DueMonth]:
    """Reference months whose periods have ended and whose form is not submitted, or is
    submitted but still editable (until its due day)."""
    admissions = _applicable(session, org, today)
    if not admissions:
        return []
    first = Period.containing(min(a.valid_from for a in admissions), "monthly")
    last = Period.containing(today, "monthly").previous()
    result = []
    month = first
    while month <= last:
        plan = form_plan(session, org, month, today)
        if plan.report_codes and plan.due is not None:
            state = find_form(session, org, month.id)
            status = "not_started" if state is None or state.version == 0 else state.status
            if status != "submitted" or today <= plan.due:
                result.append(DueMonth(month, plan.report_codes, plan.due, status))
        month = month.next()
    return result
