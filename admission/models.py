from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forms_registry.accounts.models import User
from forms_registry.db import Base, UTCDateTime, utcnow
from forms_registry.orgs.models import OrgUnit
from forms_registry.reports.models import ReportVersion

STATUSES = ("submitted", "approved", "rejected", "returned", "revoked")
STATUS_NAMES = {
    "submitted": "待审核",
    "approved": "已准入",
    "rejected": "未通过",
    "returned": "退回修改",
    "revoked": "已撤销",
}


class Admission(Base):
    """An application for admission of one frozen report version, and, once approved, the
    admission itself (code, validity window, revocation)."""

    __tablename__ = "admission"
    __table_args__ = (
        CheckConstraint(
            "status in ('submitted', 'approved', 'rejected', 'returned', 'revoked')", name="status"
        ),
        CheckConstraint("due_day between 1 and 28", name="due_day"),
        CheckConstraint("valid_from <= valid_to", name="validity"),
        UniqueConstraint("year", "sequence"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    report_version_id: Mapped[int] = mapped_column(ForeignKey("report_version.id"), index=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    status: Mapped[str] = mapped_column(String(10), default="submitted")
    justification: Mapped[str] = mapped_column(Text)
    legal_basis: Mapped[str] = mapped_column(Text)
    target_level: Mapped[str] = mapped_column(String(10))
    scope_org_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    respondents: Mapped[int] = mapped_column(Integer)
    due_day: Mapped[int] = mapped_column(Integer)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date] = mapped_column(Date)
    data_users: Mapped[str] = mapped_column(Text, default="")
    findings: Mapped[dict] = mapped_column(JSON, default=dict)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    year: Mapped[int | None] = mapped_column(Integer)
    sequence: Mapped[int | None] = mapped_column(Integer)
    code: Mapped[str | None] = mapped_column(String(32), unique=True)
    display_code: Mapped[str | None] = mapped_column(String(64))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoke_reason: Mapped[str | None] = mapped_column(Text)

    version: Mapped[ReportVersion] = relationship()
    applicant: Mapped[User] = relationship(foreign_keys=[applicant_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    scope_org: Mapped[OrgUnit] = relationship()
    events: Mapped[list[AdmissionEvent]] = relationship(
        back_populates="admission", order_by="AdmissionEvent.id", cascade="all, delete-orphan"
    )

    @property
    def status_name(self) -> str:
        return STATUS_NAMES[self.status]

    @property
    def report(self):
        return self.version.report

    def standing_on(self, day: date) -> str:
        """What the public verification page says: valid, revoked, expired, or not admitted."""
        if self.status == "revoked":
            return "revoked"
        if self.status != "approved":
            return "not_admitted"
        if day > self.valid_to:
            return "expired"
        if day < self.valid_from:
            return "not_yet_valid"
        return "valid"


class AdmissionEvent(Base):
    """The audit trail: who did what to an application, when, and why."""

    __tablename__ = "admission_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    admission_id: Mapped[int] = mapped_column(ForeignKey("admission.id"), index=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    action: Mapped[str] = mapped_column(String(16))
    from_status: Mapped[str | None] = mapped_column(String(10))
    to_status: Mapped[str] = mapped_column(String(10))
    comment: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    admission: Mapped[Admission] = relationship(back_populates="events")
    actor: Mapped[User] = relationship()
