"""数据回流 for an org unit: month by month (newest first), each admitted report of its merged
form in the report's own labels and units, with the source and the change history of every
value."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from admission.collection import form_plan
from admission.models import Admission
from forms_registry.orgs.models import OrgUnit
from forms_registry.periods import Period
from forms_registry.reports.models import Report, ReportField
from prefill.models import FormState
from prefill.report_view import ReportCell, in_owner_unit, report_cells, value_period
from prefill.value_history import HistoryEntry, ValueKey, value_histories

MONTHS_PER_PAGE = 12


@dataclass(frozen=True)
class CellChange:
    old: object  # in the report's own unit; None when the value was first stored
    new: object
    old_source: str | None
    new_source: str
    by: str | None
    at: datetime


@dataclass(frozen=True)
class ValueRow:
    cell: ReportCell
    history: tuple[CellChange, ...]


@dataclass(frozen=True)
class ReportData:
    report: Report
    period: Period
    rows: tuple[ValueRow, ...]


@dataclass(frozen=True)
class MonthData:
    month: Period
    status: str  # "draft" | "submitted"
    submitted_at: datetime | None
    reports: tuple[ReportData, ...]


@dataclass(frozen=True)
class DataPage:
    org: OrgUnit
    months: tuple[MonthData, ...]
    page: int
    pages: int


def org_data(session: Session, org: OrgUnit, today: date, *, page: int = 1) -> DataPage:
    """The org unit's filled months, MONTHS_PER_PAGE a page, newest first. A month's
    reports are those its form held on the day it was last saved."""
    written = (FormState.org_unit_id == org.id, FormState.version > 0)
    total = session.scalar(select(func.count(FormState.id)).where(*written)) or 0
    pages = max(1, -(-total // MONTHS_PER_PAGE))
    page = min(max(page, 1), pages)
    states = list(
        session.scalars(
            select(FormState)
            .where(*written)
            .order_by(FormState.month.desc())
            .offset((page - 1) * MONTHS_PER_PAGE)
            .limit(MONTHS_PER_PAGE)
        )
    )
    layouts = [_layout(session, org, state, today) for state in states]
    keys = {
        key
        for _, reports in layouts
        for _, _, fields in reports
        for _, key in fields
        if key is not None
    }
    histories = value_histories(session, org.id, keys)
    months = tuple(
        MonthData(
            month=Period.parse_month(state.month),
            status=state.status,
            submitted_at=state.submitted_at if state.status == "submitted" else None,
            reports=tuple(
                _report_data(session, org, admission, period, month, fields, histories)
                for admission, period, fields in reports
            ),
        )
        for state, (month, reports) in zip(states, layouts, strict=True)
    )
    return DataPage(org=org, months=months, page=page, pages=pages)


FieldKeys = list[tuple[ReportField, ValueKey | None]]


def _layout(
    session: Session, org: OrgUnit, state: FormState, today: date
) -> tuple[Period, list[tuple[Admission, Period, FieldKeys]]]:
    month = Period.parse_month(state.month)
    as_of = min(state.updated_at.date(), today)
    plan = form_plan(session, org, month, as_of)
    reports = []
    for admission in sorted(plan.admissions, key=lambda a: a.report.code):
        report = admission.report
        if report.frequency == "one_off":
            period = month
        else:
            period = Period.ending_in(month, report.frequency) or month
        fields: FieldKeys = [
            (
                field,
                (field.element_id, value_period(field, period, month))
                if field.element is not None and field.derivation is None
                else None,  # a to-date total has no history of its own
            )
            for field in admission.version.fields
        ]
        reports.append((admission, period, fields))
    return month, reports


def _report_data(session, org, admission, period, month, fields, histories) -> ReportData:
    cells = report_cells(session, admission.version, org, period, month)
    rows = tuple(
        ValueRow(
            cell=cell,
            history=tuple(_in_owner_units(entry, field) for entry in histories.get(key, ()))
            if key is not None
            else (),
        )
        for cell, (field, key) in zip(cells, fields, strict=True)
    )
    return ReportData(report=admission.report, period=period, rows=rows)


def _in_owner_units(entry: HistoryEntry, field: ReportField) -> CellChange:
    return CellChange(
        old=None if entry.old_value is None else in_owner_unit(entry.old_value, field),
        new=in_owner_unit(entry.new_value, field),
        old_source=entry.old_source,
        new_source=entry.new_source,
        by=entry.changed_by,
        at=entry.changed_at,
    )
