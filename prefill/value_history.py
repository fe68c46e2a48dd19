"""The change history of an org unit's data values (数据回流 shows where each value came
from and who changed it), read in one query for many values."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from prefill.models import DataValue, ValueChange
from prefill.report_view import SUMMED

SOURCE_NAMES = {
    "entered": "填报",
    "shared": "共享数据",
    "carried": "沿用上期",
    SUMMED: "各期相加",  # a to-date total in a report back, never stored
}

ValueKey = tuple[int, str]  # (data element id, period id)


@dataclass(frozen=True)
class HistoryEntry:
    old_value: str | None  # canonical text; None when the value was first stored
    new_value: str
    old_source: str | None
    new_source: str
    changed_by: str | None  # the person's display name
    changed_at: datetime


def value_histories(
    session: Session, org_unit_id: int, keys: Collection[ValueKey]
) -> dict[ValueKey, list[HistoryEntry]]:
    """Every change of the wanted values of one org unit, oldest first per value."""
    if not keys:
        return {}
    wanted = set(keys)
    rows = session.scalars(
        select(ValueChange)
        .join(DataValue, ValueChange.data_value_id == DataValue.id)
        .where(
            DataValue.org_unit_id == org_unit_id,
            DataValue.element_id.in_({element_id for element_id, _ in wanted}),
            DataValue.period.in_({period for _, period in wanted}),
        )
        .options(joinedload(ValueChange.data_value), joinedload(ValueChange.changed_by))
        .order_by(ValueChange.changed_at, ValueChange.id)
    )
    histories: dict[ValueKey, list[HistoryEntry]] = {}
    for change in rows:
        key = (change.data_value.element_id, change.data_value.period)
        if key not in wanted:
            continue
        histories.setdefault(key, []).append(
            HistoryEntry(
                old_value=change.old_value,
                new_value=change.new_value,
                old_source=change.old_source,
                new_source=change.new_source,
                changed_by=change.changed_by.display_name if change.changed_by else None,
                changed_at=change.changed_at,
            )
        )
    return histories
