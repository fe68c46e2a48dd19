"""A department's report back (数据回流): one row per org unit in scope, in the owner's own
columns, order, sections and units, filled from the one collection. Rows are produced in
batches, so 30,000 org units take constant memory."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from admission.models import Admission
from forms_registry.accounts.models import User
from forms_registry.orgs.counting import PREFIX_LENGTH
from forms_registry.orgs.models import OrgUnit
from forms_registry.periods import Period
from forms_registry.reports.models import Report, ReportField, ReportVersion
from forms_registry.reports.service import current_definition
from prefill.models import DataValue, FormState
from prefill.report_view import in_owner_unit, value_period

BATCH = 500
ORG_CODE_LABEL, ORG_NAME_LABEL = "行政区划代码", "单位名称"


@dataclass(frozen=True)
class ExportColumn:
    label: str
    section: str | None
    unit: str | None
    kind: (
        str  # "org_code" | "org_name" | "element" | "submitter" | "phone" | "submitted_at" | "meta"
    )
    field: ReportField | None = None


def meta_kind(label: str) -> str:
    """What a filler column asks, from its header: who, their phone, or when."""
    if "电话" in label or "手机" in label:
        return "phone"
    if "日期" in label or "时间" in label:
        return "submitted_at"
    if label.endswith("人"):
        return "submitter"
    return "meta"


def export_columns(version: ReportVersion) -> list[ExportColumn]:
    """The template's own columns in its order; code and name columns are added in front
    when the template has none (a row must say which unit it is)."""
    columns: list[ExportColumn] = []
    for field in version.fields:
        if field.element is not None:
            kind = "element"
        elif field.role in ("org_code", "org_name"):
            kind = field.role
        else:
            kind = meta_kind(field.label)
        unit = (field.unit or field.element.unit) if field.element is not None else None
        columns.append(ExportColumn(field.label, field.section, unit, kind, field))
    kinds = {column.kind for column in columns}
    front = (
        [ExportColumn(ORG_CODE_LABEL, None, None, "org_code")] if "org_code" not in kinds else []
    )
    if "org_name" not in kinds:
        front.append(ExportColumn(ORG_NAME_LABEL, None, None, "org_name"))
    return front + columns


@dataclass(frozen=True)
class ExportPlan:
    report: Report
    version: ReportVersion
    period: Period
    month: Period
    columns: list[ExportColumn]
    scope: OrgUnit | None

    @property
    def has_sections(self) -> bool:
        return any(column.section for column in self.columns)


def plan_export(session: Session, report: Report, period: Period) -> ExportPlan:
    admission = session.scalar(
        select(Admission)
        .where(Admission.code.is_not(None), Admission.version.has(report_id=report.id))
        .order_by(Admission.decided_at.desc())
    )
    version = admission.version if admission is not None else current_definition(report)
    return ExportPlan(
        report=report,
        version=version,
        period=period,
        month=period.last_month,
        columns=export_columns(version),
        scope=admission.scope_org if admission is not None else None,
    )


def org_units(session: Session, plan: ExportPlan) -> Iterator[list[OrgUnit]]:
    """Org units of the report's level within its admitted scope, in code order, in batches."""
    statement = select(OrgUnit).where(OrgUnit.level == plan.report.level).order_by(OrgUnit.code)
    if plan.scope is not None:
        prefix = plan.scope.code[: PREFIX_LENGTH[plan.scope.level]]
        statement = statement.where(OrgUnit.code.like(f"{prefix}%"))
    last = ""
    while True:
        batch = list(session.scalars(statement.where(OrgUnit.code > last).limit(BATCH)))
        if not batch:
            return
        yield batch
        last = batch[-1].code  # keyset paging; the session's identity map holds rows weakly


def export_rows(session: Session, plan: ExportPlan) -> Iterator[list[object]]:
    """One list of cell values per org unit, in the columns' order."""
    fields = [c.field for c in plan.columns if c.kind == "element"]
    periods = {(f.element_id, value_period(f, plan.period, plan.month)) for f in fields}
    element_ids = {element_id for element_id, _ in periods}
    period_ids = {period for _, period in periods}
    for batch in org_units(session, plan):
        ids = [org.id for org in batch]
        values = {
            (row.org_unit_id, row.element_id, row.period): row.value
            for row in session.scalars(
                select(DataValue).where(
                    DataValue.org_unit_id.in_(ids),
                    DataValue.element_id.in_(element_ids),
                    DataValue.period.in_(period_ids),
                )
            )
        }
        forms = {
            state.org_unit_id: state
            for state in session.scalars(
                select(FormState).where(
                    FormState.org_unit_id.in_(ids), FormState.month == plan.month.id
                )
            )
        }
        submitters = {
            user.id: user
            for user in session.scalars(
                select(User).where(
                    User.id.in_({s.submitted_by_id for s in forms.values() if s.submitted_by_id})
                )
            )
        }
        for org in batch:
            yield [
                _cell(column, org, values, forms.get(org.id), submitters, plan)
                for column in plan.columns
            ]


def _cell(
    column: ExportColumn, org: OrgUnit, values, form: FormState | None, submitters, plan
) -> object:
    if column.kind == "org_code":
        return org.code
    if column.kind == "org_name":
        return org.name
    if column.kind == "element":
        field = column.field
        text = values.get((org.id, field.element_id, value_period(field, plan.period, plan.month)))
        return None if text is None else in_owner_unit(text, field)
    submitted = form is not None and form.status == "submitted"
    user = submitters.get(form.submitted_by_id) if submitted else None
    if column.kind == "submitter":
        return user.display_name if user else None
    if column.kind == "phone":
        return user.phone if user else None
    if column.kind == "submitted_at":
        return _day(form.submitted_at) if submitted and form.submitted_at else None
    return None


def _day(moment: datetime) -> str:
    return moment.date().isoformat()
