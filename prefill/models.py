from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

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
