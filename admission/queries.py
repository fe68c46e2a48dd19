"""Which admissions stand today, and for which reports."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from admission.models import Admission
from forms_registry.errors import NotFound


def valid_admissions(session: Session, today: date) -> list[Admission]:
    """Approved, not revoked, inside their validity window today."""
    return list(
        session.scalars(
            select(Admission)
            .where(
                Admission.status == "approved",
                Admission.valid_from <= today,
                Admission.valid_to >= today,
            )
            .order_by(Admission.year, Admission.sequence)
        )
    )


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
