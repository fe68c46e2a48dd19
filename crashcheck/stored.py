"""What the database holds for the run's cells and forms: before the run (the baseline)
and after it, read straight from the tables."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine, func, select

from app.database import make_engine
from crashcheck.clients import Cell, Layout
from crashcheck.world import World
from forms_registry.elements.models import DataElement
from forms_registry.orgs.models import OrgUnit
from prefill.models import DataValue, FormState, Submission, ValueChange


def _cells(world: World, layout: Layout, *columns):
    """(org code, element code, period, *columns) of the value rows of the run's cells."""
    elements = sorted({element for element, _ in layout.fields.values()})
    return (
        select(OrgUnit.code, DataElement.code, DataValue.period, *columns)
        .select_from(DataValue)
        .join(OrgUnit, OrgUnit.id == DataValue.org_unit_id)
        .join(DataElement, DataElement.id == DataValue.element_id)
        .where(OrgUnit.code.in_(world.orgs), DataElement.code.in_(elements))
    )


def _cell_of(layout: Layout) -> Callable[[str, str, str], Cell | None]:
    keys = {cell: key for key, cell in layout.fields.items()}

    def cell(org: str, element: str, period: str) -> Cell | None:
        key = keys.get((element, period))
        return Cell(org, key) if key is not None else None

    return cell


def _forms(world: World):
    return (
        select(OrgUnit.code, FormState.id, FormState.version)
        .join(OrgUnit, OrgUnit.id == FormState.org_unit_id)
        .where(OrgUnit.code.in_(world.orgs), FormState.month == world.month)
    )


@dataclass(frozen=True)
class Baseline:
    """What the run's forms held before it started (normally nothing)."""

    values: dict[Cell, str]
    submissions: frozenset[str]
    last_change: int  # the newest history row's id


def snapshot(url: str, world: World, layout: Layout) -> Baseline:
    cell_of = _cell_of(layout)
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            values = {
                cell_of(org, element, period): value
                for org, element, period, value in connection.execute(
                    _cells(world, layout, DataValue.value)
                )
            }
            form_ids = [form_id for _, form_id, _ in connection.execute(_forms(world))]
            submissions = connection.scalars(
                select(Submission.id).where(Submission.form_id.in_(form_ids))
            ).all()
            last_change = connection.scalar(select(func.max(ValueChange.id))) or 0
    finally:
        engine.dispose()
    values.pop(None, None)
    return Baseline(values, frozenset(submissions), last_change)


@dataclass(frozen=True)
class Stored:
    """What the database holds for the run's forms afterwards."""

    versions: dict[str, int]  # org → form version
    answers: dict[str, dict]  # submission id → the answer its submission row keeps
    cells: dict[Cell, tuple[str, str | None, int]]  # value, submission id, form version
    history: dict[Cell, list[tuple[int, str | None, str, str | None]]]
    # per cell, the run's history rows: (form version, old value, new value, submission id)


def read_stored(engine: Engine, world: World, layout: Layout, baseline: Baseline) -> Stored:
    cell_of = _cell_of(layout)
    with engine.connect() as connection:
        forms = connection.execute(_forms(world)).all()
        answers = {
            submission_id: answer
            for submission_id, answer in connection.execute(
                select(Submission.id, Submission.response).where(
                    Submission.form_id.in_([form_id for _, form_id, _ in forms]),
                    Submission.id.not_in(sorted(baseline.submissions)),
                )
            )
        }
        rows = connection.execute(
            _cells(
                world,
                layout,
                DataValue.id,
                DataValue.value,
                DataValue.submission_id,
                DataValue.form_version,
            )
        ).all()
        cell_by_id = {row[3]: cell_of(*row[:3]) for row in rows}
        history = defaultdict(list)
        for value_id, *change in connection.execute(
            select(
                ValueChange.data_value_id,
                ValueChange.form_version,
                ValueChange.old_value,
                ValueChange.new_value,
                ValueChange.submission_id,
            ).where(
                ValueChange.data_value_id.in_(list(cell_by_id)),
                ValueChange.id > baseline.last_change,
            )
        ):
            history[cell_by_id[value_id]].append(tuple(change))
    cells = {cell_by_id[row[3]]: tuple(row[4:]) for row in rows}
    for mapping in (cells, history):
        mapping.pop(None, None)
    for changes in history.values():
        changes.sort()
    return Stored(
        versions={org: version for org, _, version in forms},
        answers=answers,
        cells=cells,
        history=dict(history),
    )
