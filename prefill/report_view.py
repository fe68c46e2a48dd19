"""A department's own report filled from the one collection (数据回流): its labels, its
order and its units, each value read from the answer store and converted back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from forms_registry.orgs.models import OrgUnit
from forms_registry.periods import TO_DATE, Period, adds_up
from forms_registry.reports.models import ReportField, ReportVersion
from forms_registry.units import IncompatibleUnits, converter
from prefill.models import DataValue
from prefill.values import to_json_value

NUMERIC = ("integer", "decimal", "percent")
SUMMED = "summed"  # the source of a to-date total: the period's own figures added up


@dataclass(frozen=True)
class ReportCell:
    label: str
    section: str | None
    unit: str | None
    value: object  # in the owner's unit; None when not answered
    source: str | None
    role: str | None


def value_period(field: ReportField, report_period: Period, month: Period) -> str:
    """Stocks are stored under the reference month, flows under the report's own period."""
    return month.id if field.element.kind == "stock" else report_period.id


def value_periods(field: ReportField, report_period: Period, month: Period) -> tuple[str, ...]:
    """The stored periods a field reads: its own (`value_period`), or for a total from the
    year's start (本年累计) every period of the report's length up to its own."""
    if field.derivation == TO_DATE:
        return tuple(period.id for period in report_period.year_to_date())
    return (value_period(field, report_period, month),)


def worked_out(field: ReportField, texts: list[str | None]) -> str | None:
    """The stored value a field reads from those of its `value_periods`: the one, or their
    sum for a to-date total, known only when every period's figure is."""
    if field.derivation != TO_DATE:
        return texts[0]
    element = field.element
    if any(text is None for text in texts) or not adds_up(element.kind, element.value_type):
        return None
    return str(sum((Decimal(text) for text in texts if text is not None), Decimal(0)))


def in_owner_unit(text: str, field: ReportField) -> object:
    return owner_reader(field)(text)


def owner_reader(field: ReportField) -> Callable[[str], object]:
    """Stored canonical text → the value in the owner's unit, with the units looked up once."""
    element = field.element
    value_type = field.value_type or element.value_type
    if element.value_type not in NUMERIC:
        return lambda text: to_json_value(text, element.value_type)
    try:
        to_owner = converter(
            element.unit,
            field.unit or element.unit,
            same_as=element.same_as,
        )
    except IncompatibleUnits:
        to_owner = _unchanged

    def read(text: str) -> object:
        value = to_owner(Decimal(text))
        return (
            int(value) if value_type == "integer" and value == value.to_integral_value() else value
        )

    return read


def _unchanged(value: Decimal) -> Decimal:
    return value


def report_cells(
    session: Session, version: ReportVersion, org: OrgUnit, report_period: Period, month: Period
) -> list[ReportCell]:
    mapped = [field for field in version.fields if field.element is not None]
    wanted = {
        (field.element_id, period)
        for field in mapped
        for period in value_periods(field, report_period, month)
    }
    stored = {
        (row.element_id, row.period): row
        for row in session.scalars(
            select(DataValue).where(
                DataValue.org_unit_id == org.id,
                DataValue.element_id.in_({element_id for element_id, _ in wanted}),
            )
        )
        if (row.element_id, row.period) in wanted
    }
    cells = []
    for field in version.fields:
        if field.element is None:
            value = {"org_name": org.name, "org_code": org.code}.get(field.role or "")
            cells.append(
                ReportCell(field.label, field.section, field.unit, value, None, field.role)
            )
            continue
        rows = [
            stored.get((field.element_id, period))
            for period in value_periods(field, report_period, month)
        ]
        text = worked_out(field, [row.value if row else None for row in rows])
        if field.derivation is None:
            source = rows[0].source if rows[0] else None
        else:
            source = SUMMED if text is not None else None
        cells.append(
            ReportCell(
                field.label,
                field.section,
                field.unit or field.element.unit,
                in_owner_unit(text, field) if text is not None else None,
                source,
                None,
            )
        )
    return cells
