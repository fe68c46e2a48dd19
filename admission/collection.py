"""The merged form of an org unit and reference month: which admitted reports it holds,
its schema, its due date, and which months are due or overdue (SPEC.md *Periods*)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, partial

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from admission.due import applies_to
from admission.models import Admission
from admission.plan_memo import PlanMemo
from admission.queries import VERSION_DEFINITION, valid_admission_rows
from forms_registry.accounts.scope import ancestor_ids
from forms_registry.elements.models import DataElement
from forms_registry.merge import MergedSchema, ReportSpec, merge_reports
from forms_registry.orgs.models import OrgUnit
from forms_registry.periods import Period, due_date
from forms_registry.reports.merging import report_spec
from forms_registry.reports.models import ReportField, ReportVersion
from prefill.forms import find_form


@dataclass(frozen=True)
class FormPlan:
    org: OrgUnit
    month: Period
    schema: MergedSchema
    due: date | None
    elements: Mapping[str, Row]  # code → (id, code, stability, version) of the elements used
    load_admissions: Callable[[], tuple[Admission, ...]] = field(repr=False, compare=False)

    @cached_property
    def admissions(self) -> tuple[Admission, ...]:
        """The admitted reports due in this month's form, read when first asked for (reading
        and saving a form need only the schema)."""
        return self.load_admissions()

    @property
    def report_codes(self) -> tuple[str, ...]:
        return self.schema.reports


def _applicable(session: Session, org: OrgUnit, today: date, month: Period | None = None):
    """Valid admissions at the org's level within whose scope it lies (and, for a month,
    admitted by the month's end: no form for months before a report existed)."""
    above = ancestor_ids(org)
    return [
        row
        for row in valid_admission_rows(session, today, level=org.level, scope_ids=above)
        if applies_to(row, org, above) and (month is None or row.valid_from <= month.end)
    ]


def _spec(session: Session, version_id: int) -> ReportSpec:
    version = session.scalar(
        select(ReportVersion).where(ReportVersion.id == version_id).options(*VERSION_DEFINITION)
    )
    return report_spec(version)


def _schema(
    session: Session, rows: list, month: Period, memo: PlanMemo
) -> tuple[MergedSchema, dict[str, Row]]:
    """The merged schema of these admissions' versions for `month`, from the memo when
    neither the versions (frozen) nor any element they use (each edit bumps its version)
    changed since it was merged; and code → (id, code, stability, version) of each element
    they use, which prefill and saving need."""
    versions = sorted(row.report_version_id for row in rows)
    uses = {v: memo.get(("elements", v), lambda v=v: _element_ids(session, v)) for v in versions}
    elements = (
        session.execute(
            select(
                DataElement.id, DataElement.code, DataElement.stability, DataElement.version
            ).where(
                DataElement.id.in_(
                    select(ReportField.element_id).where(ReportField.version_id.in_(versions))
                )
            )
        ).all()
        if versions
        else []
    )
    revision = {element.id: element.version for element in elements}
    keys = tuple((v, tuple(revision[e] for e in uses[v])) for v in versions)
    schema = memo.get(
        ("schema", month.id, keys),
        lambda: merge_reports(
            [memo.get(("spec", key), lambda v=key[0]: _spec(session, v)) for key in keys], month
        ),
    )
    return schema, {element.code: element for element in elements}


def _element_ids(session: Session, version_id: int) -> tuple[int, ...]:
    return tuple(
        session.scalars(
            select(ReportField.element_id)
            .where(ReportField.version_id == version_id, ReportField.element_id.is_not(None))
            .order_by(ReportField.position)
        )
    )


def form_plan(
    session: Session, org: OrgUnit, month: Period, today: date, memo: PlanMemo | None = None
) -> FormPlan:
    rows = _applicable(session, org, today, month)
    schema, elements = _schema(session, rows, month, memo or PlanMemo())
    due_here = [row for row in rows if row.report_code in schema.reports]
    due = due_date(month, min(row.due_day for row in due_here)) if due_here else None
    return FormPlan(
        org=org,
        month=month,
        schema=schema,
        due=due,
        elements=elements,
        load_admissions=partial(_admissions, session, tuple(row.id for row in due_here)),
    )


def _admissions(session: Session, ids: tuple[int, ...]) -> tuple[Admission, ...]:
    return tuple(
        session.scalars(
            select(Admission)
            .where(Admission.id.in_(ids))
            .order_by(Admission.year, Admission.sequence)
        )
    )


@dataclass(frozen=True)
class DueMonth:
    month: Period
    reports: tuple[str, ...]
    due: date
    status: str  # "not_started" | "draft" | "submitted"


def due_months(
    session: Session, org: OrgUnit, today: date, memo: PlanMemo | None = None
) -> list[DueMonth]:
    """Reference months whose periods have ended and whose form is not submitted, or is
    submitted but still editable (until its due day)."""
    rows = _applicable(session, org, today)
    if not rows:
        return []
    memo = memo or PlanMemo()
    first = Period.containing(min(row.valid_from for row in rows), "monthly")
    last = Period.containing(today, "monthly").previous()
    result = []
    month = first
    while month <= last:
        plan = form_plan(session, org, month, today, memo)
        if plan.report_codes and plan.due is not None:
            state = find_form(session, org, month.id)
            status = "not_started" if state is None or state.version == 0 else state.status
            if status != "submitted" or today <= plan.due:
                result.append(DueMonth(month, plan.report_codes, plan.due, status))
        month = month.next()
    return result
