"""From stored report versions to the pure merge engine's input, and back out as a schema."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from forms_registry.elements.models import DataElement
from forms_registry.errors import NotFound
from forms_registry.importers.model import Choice
from forms_registry.merge import (
    ElementSpec,
    MergedSchema,
    ReportFieldSpec,
    ReportSpec,
    merge_reports,
)
from forms_registry.periods import PERIOD_LENGTH_WORDS, Period
from forms_registry.reports.models import Report, ReportField, ReportVersion
from forms_registry.reports.service import unit_factor
from forms_registry.units import IncompatibleUnits

# What the form asks through a to-date column with no column of the period's own beside it:
# the period's own figure ("本月临时救助金额"), never the total a filler would otherwise type.
TO_DATE_ASKS = "{period}{name}（本年累计由各期相加）"


def _choices(raw: list[dict[str, str]] | None) -> tuple[Choice, ...] | None:
    return tuple(Choice(str(item["value"]), str(item["label"])) for item in raw) if raw else None


def element_spec(element: DataElement) -> ElementSpec:
    return ElementSpec(
        code=element.code,
        name=element.name,
        value_type=element.value_type,
        unit=element.unit,
        kind=element.kind,
        stability=element.stability,
        choices=_choices(element.choices),
        minimum=element.minimum,
        maximum=element.maximum,
    )


def _field_spec(field: ReportField, element: ElementSpec, frequency: str) -> ReportFieldSpec:
    try:
        factor = unit_factor(field)
    except IncompatibleUnits:
        factor = None
    label = field.label
    if field.derivation is not None:
        label = TO_DATE_ASKS.format(period=PERIOD_LENGTH_WORDS[frequency], name=element.name)
    return ReportFieldSpec(
        label=label,
        section=field.section,
        unit=field.unit or element.unit,
        factor=factor,
        required=field.required,
        order=field.position,
        element=element,
        value_type=field.value_type,
        choices=_choices(field.choices),
        minimum=field.minimum,
        maximum=field.maximum,
    )


def asked_fields(version: ReportVersion) -> list[ReportField]:
    """The fields a report asks: those mapped to an element (identity and filler columns are
    not questions). A to-date total (本年累计) is worked out from the period's own figures:
    the report asks those through its own column of them or, lacking one, through the
    to-date column itself."""
    own = {field.element_id for field in version.fields if field.derivation is None}
    return [
        field
        for field in version.fields
        if field.element is not None and not (field.derivation and field.element_id in own)
    ]


def report_spec(version: ReportVersion) -> ReportSpec:
    specs: dict[int, ElementSpec] = {}
    fields = []
    for field in asked_fields(version):
        element = specs.setdefault(field.element.id, element_spec(field.element))
        fields.append(_field_spec(field, element, version.report.frequency))
    report = version.report
    return ReportSpec(
        code=report.code,
        title=report.title,
        owner=report.department.name,
        frequency=report.frequency,
        fields=tuple(fields),
        reference_date=report.reference_date,
    )


def mergeable_versions(
    session: Session, *, level: str, report_codes: Sequence[str] | None = None
) -> list[ReportVersion]:
    """The newest version of each report at `level` (or of the named reports)."""
    statement = select(Report).order_by(Report.code)
    if report_codes:
        statement = statement.where(Report.code.in_(report_codes))
    else:
        statement = statement.where(Report.level == level)
    reports = list(session.scalars(statement))
    missing = set(report_codes or ()) - {report.code for report in reports}
    if missing:
        raise NotFound("未找到报表：" + "、".join(sorted(missing)))
    return [report.latest for report in reports if report.versions]


def merge_versions(versions: Sequence[ReportVersion], month: Period) -> MergedSchema:
    return merge_reports([report_spec(version) for version in versions], month)
