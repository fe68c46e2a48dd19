"""Prefill for every merged field: an answer already stored for this org unit and period →
filled; shared data → filled and locked (免填) unless the element allows correction; the
latest earlier value of a stable element → suggested, to be confirmed; otherwise empty."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from forms_registry.db import inline_in
from forms_registry.elements.models import DataElement
from forms_registry.merge import MergedField
from forms_registry.orgs.models import OrgUnit
from forms_registry.periods import Period
from prefill.models import DataValue, SharedBinding, SharedSource, SharedValue

STABLE = ("fixed", "yearly")


@dataclass(frozen=True)
class Prefilled:
    field: MergedField
    value: str | None  # canonical text
    source: str | None  # "entered" | "shared" | "carried" | None
    locked: bool
    stored: bool  # True when the value is in the answer store (not only suggested)
    source_name: str | None = None  # the shared source's name, when shared


def element_ids(session: Session, codes: Sequence[str]) -> dict[str, Row]:
    """Code → (id, code, stability) of each element: what resolving and storing need."""
    return {
        row.code: row
        for row in session.execute(
            select(DataElement.id, DataElement.code, DataElement.stability).where(
                inline_in(DataElement.code, set(codes))
            )
        )
    }


@lru_cache(maxsize=4096)
def _bounds(period_id: str) -> tuple[date, date]:
    period = Period.parse(period_id)
    return period.start, period.end


def prefill(
    session: Session,
    org: OrgUnit,
    fields: Sequence[MergedField],
    elements: Mapping[str, Row] | None = None,
) -> list[Prefilled]:
    elements = elements or element_ids(session, [field.element for field in fields])
    ids = list({elements[field.element].id for field in fields})  # `elements` may hold more
    # plain rows, not ORM objects: a form reads every earlier answer of its elements
    stored = {
        (row.element_id, row.period): row
        for row in session.execute(
            select(DataValue.element_id, DataValue.period, DataValue.value, DataValue.source).where(
                DataValue.org_unit_id == org.id, inline_in(DataValue.element_id, ids)
            )
        )
    }
    shared = {
        (row.element_id, row.period): row
        for row in session.execute(
            select(
                SharedValue.element_id,
                SharedValue.period,
                SharedValue.value,
                SharedSource.name.label("source_name"),
                SharedBinding.correctable,
            )
            .join(SharedSource, SharedSource.id == SharedValue.source_id)
            .outerjoin(SharedBinding, SharedBinding.element_id == SharedValue.element_id)
            .where(SharedValue.org_unit_id == org.id, inline_in(SharedValue.element_id, ids))
        )
    }
    # asked only of elements with a shared value, so their rows carry it
    correctable = {element_id: row.correctable for (element_id, _), row in shared.items()}
    history, shared_history = _by_element(stored), _by_element(shared)
    return [
        _resolve(
            field, elements[field.element], stored, shared, correctable, history, shared_history
        )
        for field in fields
    ]


def _by_element(values: dict) -> dict[int, list]:
    """Element id → [(period end, value)], so a field scans only its own element's rows."""
    grouped: dict[int, list] = defaultdict(list)
    for (element_id, period), value in values.items():
        grouped[element_id].append((_bounds(period)[1], value))
    return grouped


def _resolve(field, element, stored, shared, correctable, history, shared_history) -> Prefilled:
    key = (element.id, field.period)
    shared_value = shared.get(key) or _latest_stock(field, shared_history.get(element.id, ()))
    locked = shared_value is not None and not correctable.get(element.id, False)
    if key in stored:
        value = stored[key]
        return Prefilled(
            field,
            value.value,
            value.source,
            locked and value.source == "shared",
            True,
            shared_value.source_name if shared_value else None,
        )
    if shared_value is not None:
        return Prefilled(
            field, shared_value.value, "shared", locked, False, shared_value.source_name
        )
    carried = _carried(field, element, history.get(element.id, ()))
    if carried is not None:
        return Prefilled(field, carried.value, "carried", False, False)
    return Prefilled(field, None, None, False, False)


def _latest_stock(field: MergedField, rows) -> Row | None:
    """A stock's shared value may come for a longer period (a yearly census figure): take the
    latest one ending no later than the field's month."""
    if field.kind != "stock":
        return None
    month_end = _bounds(field.period)[1]
    candidates = [(end, value) for end, value in rows if end <= month_end]
    return max(candidates, key=lambda item: item[0])[1] if candidates else None


def _carried(field: MergedField, element, rows) -> Row | None:
    if element.stability not in STABLE:
        return None
    start = _bounds(field.period)[0]
    earlier = [(end, value) for end, value in rows if end < start]
    return max(earlier, key=lambda item: item[0])[1] if earlier else None
