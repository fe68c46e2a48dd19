"""Writing a save's new answers and their first history rows in bulk.

On PostgreSQL one statement does both: the answers go in as a few arrays (`unnest`) and a
data-modifying CTE hands their ids to the history INSERT. A multi-row VALUES list of a
full form has some 2,000 placeholders, which psycopg parses again on every execution (it
caches only short statements), and the history rows would cross the wire once more."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import Insert, Integer, String, Text, bindparam, func, insert, literal, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from forms_registry.db import UTCDateTime
from prefill.models import DataValue, ValueChange

WRITTEN_TYPES = {
    "changed_by_id": Integer(),
    "changed_at": UTCDateTime(),
    "form_version": Integer(),
    "submission_id": String(),
}


@dataclass(frozen=True)
class NewAnswer:
    element_id: int
    period: str
    value: str
    source: str


def insert_new_answers(
    session: Session,
    org_unit_id: int,
    answers: Sequence[NewAnswer],
    written: Mapping[str, object],
) -> None:
    """Insert `answers` (none stored yet for this org unit) with `written` (who, when, which
    form version and submission) and one history row each, in the order given."""
    if not answers:
        return
    if session.get_bind().dialect.name == "postgresql":
        session.execute(_postgresql_statement(org_unit_id, answers, written))
        return
    ids = session.scalars(
        insert(DataValue).returning(DataValue.id, sort_by_parameter_order=True),
        [
            {
                "org_unit_id": org_unit_id,
                "element_id": answer.element_id,
                "period": answer.period,
                "value": answer.value,
                "source": answer.source,
            }
            | dict(written)
            for answer in answers
        ],
    ).all()
    session.execute(
        insert(ValueChange),
        [
            {"data_value_id": id_, "old_value": None, "old_source": None}
            | {"new_value": answer.value, "new_source": answer.source}
            | dict(written)
            for answer, id_ in zip(answers, ids, strict=True)
        ],
    )


def _postgresql_statement(
    org_unit_id: int, answers: Sequence[NewAnswer], written: Mapping[str, object]
) -> Insert:
    rows = (
        func.unnest(
            bindparam("element_ids", [a.element_id for a in answers], type_=ARRAY(Integer)),
            bindparam("periods", [a.period for a in answers], type_=ARRAY(String)),
            bindparam("answer_values", [a.value for a in answers], type_=ARRAY(Text)),
            bindparam("sources", [a.source for a in answers], type_=ARRAY(String)),
        )
        .table_valued("element_id", "period", "value", "source", with_ordinality="position")
        .render_derived()
    )
    constants = [literal(written[name], type_) for name, type_ in WRITTEN_TYPES.items()]
    # ids follow the ORDER BY, so history rows ordered by them keep the answers' order
    new = (
        insert(DataValue)
        .from_select(
            ["org_unit_id", "element_id", "period", "value", "source", *WRITTEN_TYPES],
            select(
                literal(org_unit_id, Integer()),
                rows.c.element_id,
                rows.c.period,
                rows.c.value,
                rows.c.source,
                *constants,
            ).order_by(rows.c.position),
        )
        .returning(DataValue.id, DataValue.value, DataValue.source)
        .cte("new_value")
    )
    return (
        insert(ValueChange)
        .from_select(
            ["data_value_id", "new_value", "new_source", *WRITTEN_TYPES],
            select(new.c.id, new.c.value, new.c.source, *constants).order_by(new.c.id),
        )
        .add_cte(new)
    )
