"""How many org units of a level lie within a unit (respondents of a report)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from forms_registry.orgs.models import LEVELS, OrgUnit

# Administrative division codes are hierarchical: a unit's descendants share its prefix.
PREFIX_LENGTH = {"province": 2, "city": 4, "county": 6, "township": 9, "village": 12}


def count_within(session: Session, org: OrgUnit, level: str) -> int:
    if LEVELS.index(level) < LEVELS.index(org.level):
        return 0
    prefix = org.code[: PREFIX_LENGTH[org.level]]
    return (
        session.scalar(
            select(func.count(OrgUnit.id)).where(
                OrgUnit.code.like(f"{prefix}%"), OrgUnit.level == level
            )
        )
        or 0
    )
