"""A department's report back (数据回流): one row per org unit in scope, in the owner's own
columns, order, sections and units, filled from the one collection. Rows are produced in
batches, so 30,000 org units take constant memory."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, false, or_, select
from sqlalchemy.orm import Session

from admission.models import Admission
from forms_registry.accounts.models import User
from forms_registry.orgs.counting import PREFIX_LENGTH
from forms_registry.orgs.models import OrgUnit
from forms_registry.periods import Period
from forms_registry.reports.models import Report, ReportField, ReportVersion
from forms_registry.reports.service import current_definition
from prefill.models import DataValue, FormState
from prefill.report_view import owner_reader, value_periods, worked_out

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
    cells = [_column_reader(column, plan) for column in plan.columns]
    # The elements read under each set of periods (the month, the report's period, January
    # to it for a to-date total): a to-date column reads eleven more months of its own
    # element only, not of every element the report asks.
    wanted: dict[tuple[str, ...], set[int]] = {}
    for column in plan.columns:
        if column.kind == "element":
            periods = value_periods(column.field, plan.period, plan.month)
            wanted.setdefault(periods, set()).add(column.field.element_id)
    read = or_(
        false(),  # no element columns: nothing to read
        *(
            and_(DataValue.element_id.in_(element_ids), DataValue.period.in_(periods))
            for periods, element_ids in wanted.items()
        ),
    )
    for batch in org_units(session, plan):
        ids = [org.id for org in batch]
        values = {
            (org_id, element_id, period): text
            for org_id, element_id, period, text in session.execute(
                select(
                    DataValue.org_unit_id, DataValue.element_id, DataValue.period, DataValue.value
                ).where(DataValue.org_unit_id.in_(ids), read)
            )
        }
        submissions = _submissions(session, ids, plan.month.id)
        for org in batch:
            yield [cell(org, values, submissions.get(org.id)) for cell in cells]


@dataclass(frozen=True)
class Submitted:
    by: str | None
    phone: str | None
    day: str | None


def _submissions(session: Session, org_ids: list[int], month: str) -> dict[int, Submitted]:
    rows = session.execute(
        select(FormState.org_unit_id, User.display_name, User.phone, FormState.submitted_at)
        .outerjoin(User, User.id == FormState.submitted_by_id)
        .where(
            FormState.org_unit_id.in_(org_ids),
            FormState.month == month,
            FormState.status == "submitted",
        )
    )
    return {
        org_id: Submitted(name, phone, _day(at) if at else None) for org_id, name, phone, at in rows
    }


def _column_reader(column: ExportColumn, plan: ExportPlan):
    """A function (org, values, submission) → this column's cell, with look-ups done once."""
    if column.kind == "org_code":
        return lambda org, values, submitted: org.code
    if column.kind == "org_name":
        return lambda org, values, submitted: org.name
    if column.kind == "element":
        field = column.field
        element_id, periods, read = (
            field.element_id,
            value_periods(field, plan.period, plan.month),
            owner_reader(field),
        )

        def element_cell(org, values, submitted):
            text = worked_out(field, [values.get((org.id, element_id, p)) for p in periods])
            return None if text is None else read(text)

        return element_cell
    attribute = {"submitter": "by", "phone": "phone", "submitted_at": "day"}.get(column.kind)
    if attribute is None:
        return lambda org, values, submitted: None
    return lambda org, values, submitted: getattr(submitted, attribute) if submitted else None


def _day(moment: datetime) -> str:
    return moment.date().isoformat()
