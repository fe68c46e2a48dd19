from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forms_registry.db import Base

LEVELS = ("province", "city", "county", "township", "village")
LEVEL_NAMES = {
    "province": "省",
    "city": "市",
    "county": "县",
    "township": "乡镇",
    "village": "村（社区）",
}


class OrgUnit(Base):
    """An administrative division, keyed by its 12-digit code."""

    __tablename__ = "org_unit"
    __table_args__ = (
        CheckConstraint("length(code) = 12", name="code_12_digits"),
        CheckConstraint(
            "level in ('province', 'city', 'county', 'township', 'village')", name="level"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    level: Mapped[str] = mapped_column(String(10))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"), index=True)

    parent: Mapped[OrgUnit | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[OrgUnit]] = relationship(back_populates="parent", order_by="OrgUnit.code")

    @property
    def level_name(self) -> str:
        return LEVEL_NAMES[self.level]

    def __repr__(self) -> str:
        return f"<OrgUnit {self.code} {self.name}>"
