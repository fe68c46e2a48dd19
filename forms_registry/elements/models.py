from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forms_registry.db import Base, DecimalText, UTCDateTime, utcnow
from forms_registry.importers.model import VALUE_TYPE_NAMES

KIND_NAMES = {"stock": "时点指标", "flow": "时期指标"}
STABILITY_NAMES = {"fixed": "基本不变", "yearly": "每年变化", "period": "每期变化"}
STATUS_NAMES = {"active": "在用", "proposed": "待审核", "retired": "已停用"}


class DataElement(Base):
    """A concept plus a value domain (ISO/IEC 11179 style): what a field really asks."""

    __tablename__ = "data_element"
    __table_args__ = (
        CheckConstraint("kind in ('stock', 'flow')", name="kind"),
        CheckConstraint("stability in ('fixed', 'yearly', 'period')", name="stability"),
        CheckConstraint("status in ('active', 'proposed', 'retired')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    value_type: Mapped[str] = mapped_column(String(16))
    unit: Mapped[str | None] = mapped_column(String(32))
    # units of other families it is also counted in, one for one with `unit` (受灾人口 in 人
    # is also counted in 人次; see units `conversion_factor`)
    also_counted_in: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    kind: Mapped[str] = mapped_column(String(8))
    stability: Mapped[str] = mapped_column(String(8))
    choices: Mapped[list[dict[str, str]] | None] = mapped_column(JSON)
    minimum: Mapped[Decimal | None] = mapped_column(DecimalText)
    maximum: Mapped[Decimal | None] = mapped_column(DecimalText)
    description: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(64), default="")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("data_element.id"))
    status: Mapped[str] = mapped_column(String(10), default="active")
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    parent: Mapped[DataElement | None] = relationship(remote_side=[id])

    __mapper_args__ = {"version_id_col": version}

    @property
    def parent_code(self) -> str | None:
        return self.parent.code if self.parent else None

    @property
    def same_as(self) -> dict[str | None, list[str]]:
        """Its unit's one-for-one units, as units `conversion_factor` takes them."""
        return {self.unit: list(self.also_counted_in or ())}

    @property
    def value_type_name(self) -> str:
        return VALUE_TYPE_NAMES[self.value_type]

    @property
    def kind_name(self) -> str:
        return KIND_NAMES[self.kind]

    @property
    def stability_name(self) -> str:
        return STABILITY_NAMES[self.stability]
