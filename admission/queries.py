"""Which admissions stand today, and for which reports."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from admission.models import Admission
from forms_registry.errors import NotFound
from forms_registry.reports.models import Report, ReportField, ReportVersion

# what merging reads of a version, and findings of every admission: a few queries, not
# one per field
VERSION_DEFINITION = (
    joinedload(ReportVersion.report).joinedload(Report.department),
    selectinload(ReportVersion.fields).joinedload(ReportField.element),
)
WITH_DEFINITIONS = (
    joinedload(Admission.scope_org),
    joinedload(Admission.version).options(*VERSION_DEFINITION),
)


def _valid_on(today: date) -> tuple:
    return (
        Admission.status == "approved",
        Admission.valid_from <= today,
        Admission.valid_to >= today,
    )


def valid_admissions(
    session: Session, today: date, *, with_definitions: bool = False
) -> list[Admission]:
    """Approved, not revoked, inside their validity window today (with every version's
    fields and elements loaded up front when the caller reads them all)."""
    statement = (
        select(Admission).where(*_valid_on(today)).order_by(Admission.year, Admission.sequence)
    )
    if with_definitions:
        statement = statement.options(*WITH_DEFINITIONS)
    return list(session.scalars(statement))


def valid_admission_rows(
    session: Session,
    today: date,
    *,
    level: str | None = None,
    scope_ids: Collection[int] | None = None,
) -> list:
    """`valid_admissions` as plain rows, with what choosing a unit's reports needs (only
    those for `level` and scoped to one of `scope_ids`, when given)."""
    statement = (
        select(
            Admission.id,
            Admission.report_version_id,
            Admission.target_level,
            Admission.scope_org_id,
            Admission.due_day,
            Admission.valid_from,
            Report.code.label("report_code"),
        )
        .join(ReportVersion, ReportVersion.id == Admission.report_version_id)
        .join(Report, Report.id == ReportVersion.report_id)
        .where(*_valid_on(today))
        .order_by(Admission.year, Admission.sequence)
    )
    if level is not None:
        statement = statement.where(Admission.target_level == level)
    if scope_ids is not None:
        statement = statement.where(Admission.scope_org_id.in_(sorted(scope_ids)))
    return list(session.execute(statement))


def get_admission(session: Session, admission_id: int) -> Admission:
    admission = session.get(Admission, admission_id)
    if admission is None:
        raise NotFound("未找到该准入申请")
    return admission


def admission_by_code(session: Session, code: str) -> Admission:
    admission = session.scalar(select(Admission).where(Admission.code == code))
    if admission is None:
        raise NotFound("未找到该准入编号")
    return admission
