from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forms_registry.accounts.models import Department
from forms_registry.db import Base, DecimalText, UTCDateTime, utcnow
from forms_registry.elements.models import DataElement

FREQUENCY_NAMES = {
    "monthly": "月报",
    "quarterly": "季报",
    "half_yearly": "半年报",
    "yearly": "年报",
    "one_off": "一次性",
}
ROLE_NAMES = {"org_name": "单位名称", "org_code": "区划代码", "meta": "填报信息"}
VERSION_STATUS_NAMES = {"draft": "草稿", "frozen": "已冻结"}


class Report(Base):
    """A department's report; its content lives in versions."""

    __tablename__ = "report"
    __table_args__ = (
        CheckConstraint(
            "frequency in ('monthly', 'quarterly', 'half_yearly', 'yearly', 'one_off')",
            name="frequency",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    frequency: Mapped[str] = mapped_column(String(12))
    level: Mapped[str] = mapped_column(String(10))
    reference_date: Mapped[date | None] = mapped_column(Date)  # one-off reports only
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    department: Mapped[Department] = relationship()
    versions: Mapped[list[ReportVersion]] = relationship(
        back_populates="report", order_by="ReportVersion.number"
    )

    @property
    def frequency_name(self) -> str:
        return FREQUENCY_NAMES[self.frequency]

    @property
    def latest(self) -> ReportVersion:
        return self.versions[-1]


class ReportVersion(Base):
    """What a report asks; frozen for good once sent for admission."""

    __tablename__ = "report_version"
    __table_args__ = (
        UniqueConstraint("report_id", "number"),
        CheckConstraint("status in ('draft', 'frozen')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(8), default="draft")
    source_format: Mapped[str] = mapped_column(String(16))  # xlsx | xlsform | json | web
    source_filename: Mapped[str | None] = mapped_column(String(255))
    layout: Mapped[str] = mapped_column(String(12), default="horizontal")
    notes: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    frozen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    mappings_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    edit_count: Mapped[int] = mapped_column(Integer, default=1)  # stale-edit check (service.py)

    report: Mapped[Report] = relationship(back_populates="versions")
    fields: Mapped[list[ReportField]] = relationship(
        back_populates="version", order_by="ReportField.position", cascade="all, delete-orphan"
    )

    @property
    def is_frozen(self) -> bool:
        return self.status == "frozen"


class ReportField(Base):
    """One column (or row, in a vertical form) as its owner wrote it, and what it means."""

    __tablename__ = "report_field"
    __table_args__ = (
        UniqueConstraint("version_id", "position"),
        CheckConstraint("element_id is null or role is null", name="element_or_role"),
        CheckConstraint("role is null or role in ('org_name', 'org_code', 'meta')", name="role"),
        CheckConstraint(
            "derivation is null or (derivation = 'to_date' and element_id is not null)",
            name="derivation",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("report_version.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(300))
    name: Mapped[str] = mapped_column(String(300))
    section: Mapped[str | None] = mapped_column(String(200))
    unit: Mapped[str | None] = mapped_column(String(32))
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    value_type: Mapped[str | None] = mapped_column(String(16))
    choices: Mapped[list[dict[str, str]] | None] = mapped_column(JSON)
    minimum: Mapped[Decimal | None] = mapped_column(DecimalText)
    maximum: Mapped[Decimal | None] = mapped_column(DecimalText)
    row_code: Mapped[str | None] = mapped_column(String(32))
    is_sub_item: Mapped[bool] = mapped_column(Boolean, default=False)
    element_id: Mapped[int | None] = mapped_column(ForeignKey("data_element.id"), index=True)
    role: Mapped[str | None] = mapped_column(String(10))
    confidence: Mapped[float | None] = mapped_column(Float)
    candidates: Mapped[list[dict]] = mapped_column(JSON, default=list)
    # For a column nothing in the dictionary fits: the name offered for a new element,
    # the shortest reading of the column the matcher gives back to it (matching.proposals).
    proposal_name: Mapped[str | None] = mapped_column(String(200))
    # "to_date" for the element's total from the year's start to the report's period (本年
    # 累计): worked out from the period's own figures, never asked (periods.TO_DATE)
    derivation: Mapped[str | None] = mapped_column(String(16))

    version: Mapped[ReportVersion] = relationship(back_populates="fields")
    element: Mapped[DataElement | None] = relationship()

    @property
    def is_mapped(self) -> bool:
        return self.element_id is not None or self.role is not None
