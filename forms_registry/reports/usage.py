"""Which reports use a data element, and under which labels."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from forms_registry.elements.models import DataElement
from forms_registry.reports.models import Report, ReportField, ReportVersion


@dataclass(frozen=True)
class ElementUse:
    report_code: str
    report_title: str
    department: str
    version: int
    label: str
    unit: str | None


def reports_using(session: Session, element: DataElement) -> list[ElementUse]:
    rows = session.execute(
        select(Report, ReportVersion.number, ReportField.label, ReportField.unit)
        .join(ReportVersion, ReportVersion.report_id == Report.id)
        .join(ReportField, ReportField.version_id == ReportVersion.id)
        .where(ReportField.element_id == element.id)
        .order_by(Report.code, ReportVersion.number)
    )
    return [
        ElementUse(report.code, report.title, report.department.name, number, label, unit)
        for report, number, label, unit in rows
    ]
