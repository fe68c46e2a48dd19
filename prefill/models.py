from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forms_registry.accounts.models import User
from forms_registry.db import Base, UTCDateTime, utcnow
from forms_registry.elements.models import DataElement


class SharedSource(Base):
    """A shared government data source (省大数据总枢纽 and the systems behind it)."""

    __tablename__ = "shared_source"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    bindings: Mapped[list[SharedBinding]] = relationship(back_populates="source")


class SharedBinding(Base):
    """A data element that a shared source provides (so townships need not type it)."""

    __tablename__ = "shared_binding"
    __table_args__ = (UniqueConstraint("element_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("shared_source.id"), index=True)
    element_id: Mapped[int] = mapped_column(ForeignKey("data_element.id"))
    source_field: Mapped[str] = mapped_column(String(100))  # the column/field name at the source
    correctable: Mapped[bool] = mapped_column(Boolean, default=False)  # may a filler correct it?

    source: Mapped[SharedSource] = relationship(back_populates="bindings")
    element: Mapped[DataElement] = relationship()


class SharedValue(Base):
    """A value as a shared source reported it, kept with the source and when it came."""

    __tablename__ = "shared_value"
    __table_args__ = (UniqueConstraint("org_unit_id", "period", "element_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("shared_source.id"), index=True)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    period: Mapped[str] = mapped_column(String(8))
    element_id: Mapped[int] = mapped_column(ForeignKey("data_element.id"))
    value: Mapped[str] = mapped_column(Text)  # canonical text form (prefill/values.py)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    source: Mapped[SharedSource] = relationship()
    element: Mapped[DataElement] = relationship()


class FormState(Base):
    """One merged form: an org unit and a reference month, its version and status."""

    __tablename__ = "form_state"
    __table_args__ = (UniqueConstraint("org_unit_id", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    month: Mapped[str] = mapped_column(String(7))
    version: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(10), default="draft")  # draft | submitted
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    submitted_by: Mapped[User | None] = relationship()


class DataValue(Base):
    """One answer per (org unit, period, data element), in the element's canonical unit."""

    __tablename__ = "data_value"
    __table_args__ = (
        UniqueConstraint("org_unit_id", "period", "element_id"),
        CheckConstraint("source in ('entered', 'shared', 'carried')", name="source"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    period: Mapped[str] = mapped_column(String(8))
    element_id: Mapped[int] = mapped_column(ForeignKey("data_element.id"), index=True)
    value: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(8))
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    form_version: Mapped[int] = mapped_column(Integer, default=0)  # the form version that wrote it
    submission_id: Mapped[str | None] = mapped_column(String(64))

    element: Mapped[DataElement] = relationship()
    changed_by: Mapped[User | None] = relationship()


class ValueChange(Base):
    """The full history: one row for every change of a data value."""

    __tablename__ = "value_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    data_value_id: Mapped[int] = mapped_column(ForeignKey("data_value.id"), index=True)
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str] = mapped_column(Text)
    old_source: Mapped[str | None] = mapped_column(String(8))
    new_source: Mapped[str] = mapped_column(String(8))
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submission_id: Mapped[str | None] = mapped_column(String(64))
    form_version: Mapped[int] = mapped_column(Integer)

    data_value: Mapped[DataValue] = relationship()
    changed_by: Mapped[User | None] = relationship()


class Submission(Base):
    """An idempotency record: the first answer to a submission id, and what it was for."""

    __tablename__ = "submission"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    form_id: Mapped[int] = mapped_column(ForeignKey("form_state.id"), index=True)
    body_hash: Mapped[str] = mapped_column(String(64))
    response: Mapped[dict] = mapped_column(JSON)
    status_code: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RefreshJob(Base):
    """One run of fetching a source's values from the shared data hub, so a page in another
    process can show its progress and outcome."""

    __tablename__ = "refresh_job"
    __table_args__ = (CheckConstraint("status in ('running', 'done', 'failed')", name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("shared_source.id"), index=True)
    period: Mapped[str] = mapped_column(String(8))
    total: Mapped[int] = mapped_column(Integer)  # org units to fetch
    done: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(8), default="running")
    message: Mapped[str] = mapped_column(Text, default="")  # the summary or the error (Chinese)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    source: Mapped[SharedSource] = relationship()
    created_by: Mapped[User | None] = relationship()
