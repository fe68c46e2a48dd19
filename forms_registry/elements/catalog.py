"""The dictionary as the matcher sees it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from forms_registry.elements.models import DataElement
from forms_registry.matching.catalog import CatalogElement


def catalog_from_db(session: Session) -> list[CatalogElement]:
    """The elements in use and those proposed and awaiting review: a second department
    asking what another has just proposed is matched to that proposal (shown 新指标待审核),
    not offered a duplicate of it."""
    parent = aliased(DataElement)
    rows = session.execute(
        select(DataElement, parent.code)
        .outerjoin(parent, DataElement.parent_id == parent.id)
        .where(DataElement.status.in_(("active", "proposed")))
        .order_by(DataElement.code)
    )
    return [
        CatalogElement(
            code=element.code,
            name=element.name,
            aliases=tuple(element.aliases or ()),
            unit=element.unit,
            value_type=element.value_type,
            kind=element.kind,
            parent=parent_code,
            category=element.category,
            also_counted_in=tuple(element.also_counted_in or ()),
            proposed=element.status == "proposed",
        )
        for element, parent_code in rows
    ]
