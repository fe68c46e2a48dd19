"""Collection on a real database: saving 300-field submissions and prefilling a 300-field
form, on SQLite (a temporary file) and on PostgreSQL (a throw-away server started here).

Saving: every submission writes all 300 values of a fresh form (a new village) through
`save_answers` and commits. Baseline: one executemany INSERT of as many `data_value` rows
and a commit, the least work any store of those values must do.

Prefill: a village holding a year of earlier months, half of this month typed and shared
values (some for the month, some for the year). Baseline: reading that village's
`data_value` and `shared_value` rows directly, the rows any prefill must read.

The whole database is built before timing (not timed). Both servers run without fsync
(SQLite WAL with synchronous=NORMAL; PostgreSQL as tests/pg_server.py starts it), so
commits measure the software, not the disk.
"""

from __future__ import annotations

import itertools
import random
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Engine, insert, select
from sqlalchemy.orm import Session

from app.database import Database, bind, make_engine, writer
from app.migrations import upgrade_to_head
from benchmarks import Result
from benchmarks._timing import time_alternately
from forms_registry.accounts.service import NewUser, create_user
from forms_registry.elements.models import DataElement
from forms_registry.elements.service import ElementInput, create_element
from forms_registry.merge import (
    ElementSpec,
    MergedSchema,
    ReportFieldSpec,
    ReportSpec,
    merge_reports,
)
from forms_registry.orgs.models import OrgUnit
from forms_registry.orgs.service import OrgRow, add_org
from forms_registry.periods import Period
from prefill.models import DataValue, SharedValue
from prefill.resolution import prefill
from prefill.shared_import import SharedRecord, store_shared_values
from prefill.sources import bind_element, get_or_create_source
from prefill.store import Actor, SaveRequest, save_answers

BACKENDS = ("sqlite", "postgresql")
FIELDS = 300
REPORTS = 6
OVERLAP = 10  # fields each report shares with the others' elements
SAVE_VILLAGES = 250  # fresh forms for the save workload (more months if they run out)
SAVE_MONTHS = 12
BASELINE_VILLAGES = 10
PREFILL_VILLAGES = 3
HISTORY_MONTHS = 11  # earlier months stored for every prefill village
SHARED_EVERY = 5  # every 5th element comes from a shared source
STABLE_EVERY = 3  # every 3rd element is yearly-stable (its earlier value is suggested)
FIRST_MONTH = Period.month(2025, 12)
SEED = 20251231
REPEATS = 7
NOW = datetime(2025, 12, 10, 9, 0, tzinfo=UTC)
TODAY = date(2025, 12, 10)
PG_DATABASE = "reportonce_bench"


@dataclass(frozen=True)
class World:
    """What the setup phase left in one database, for the timed workloads."""

    db: Database
    actor: Actor
    schemas: tuple[MergedSchema, ...]  # the same reports merged for consecutive months
    save_orgs: tuple[OrgUnit, ...]  # detached; only their ids are used
    baseline_org_ids: tuple[int, ...]
    prefill_orgs: tuple[OrgUnit, ...]
    answers: dict[str, object]  # one value for every merged field, by key
    element_ids: tuple[int, ...]

    @property
    def fields(self) -> int:
        return len(self.schemas[0].fields)


def _element_input(number: int) -> ElementInput:
    integer = number % 4 != 0
    return ElementInput(
        code=f"BENCH_E{number:03d}",
        name=f"基准指标{number}",
        value_type="integer" if integer else "decimal",
        kind="stock",
        stability="yearly" if number % STABLE_EVERY == 0 else "period",
        unit="人" if integer else "万元",
        minimum=Decimal(0),
    )


def _element_spec(data: ElementInput) -> ElementSpec:
    return ElementSpec(
        code=data.code,
        name=data.name,
        value_type=data.value_type,
        unit=data.unit,
        kind=data.kind,
        stability=data.stability,
        minimum=data.minimum,
    )


def build_reports(elements: Sequence[ElementSpec], rng: random.Random) -> list[ReportSpec]:
    """Monthly reports splitting the elements between them, each also asking OVERLAP
    elements of the others, so merging folds shared fields into one."""
    reports = []
    size = -(-len(elements) // REPORTS)
    for number in range(REPORTS):
        own = list(elements[number * size : (number + 1) * size])
        others = [e for e in elements if e not in own]
        chosen = own + rng.sample(others, min(OVERLAP, len(others)))
        reports.append(
            ReportSpec(
                code=f"BENCH_R{number + 1}",
                title=f"基准报表{number + 1}",
                owner=f"部门{number + 1}",
                frequency="monthly",
                fields=tuple(
                    ReportFieldSpec(
                        label=f"{e.name}（{e.unit}）",
                        section=f"第{number + 1}部分",
                        unit=e.unit,
                        factor=Decimal(1),
                        required=order % 2 == 0,
                        order=order,
                        element=e,
                    )
                    for order, e in enumerate(chosen)
                ),
            )
        )
    return reports


def _village_rows(count: int) -> list[OrgRow]:
    rows = [
        OrgRow("330000000000", "基准省", "province", None),
        OrgRow("330100000000", "基准市", "city", "330000000000"),
        OrgRow("330102000000", "基准县", "county", "330100000000"),
    ]
    townships: set[str] = set()
    for index in range(count):
        township = f"330102{index // 999 + 1:03d}000"
        if township not in townships:
            townships.add(township)
            rows.append(OrgRow(township, f"基准镇{len(townships)}", "township", "330102000000"))
        code = f"{township[:9]}{index % 999 + 1:03d}"
        rows.append(OrgRow(code, f"基准村{index + 1}", "village", township))
    return rows


def _answer(field_type: str, rng: random.Random) -> object:
    if field_type == "integer":
        return rng.randrange(0, 10_000)
    return f"{rng.randrange(0, 10_000)}.{rng.randrange(0, 100):02d}"


def _value_row(org_id: int, period: str, element_id: int, value: str, user_id: int) -> dict:
    return {
        "org_unit_id": org_id,
        "period": period,
        "element_id": element_id,
        "value": value,
        "source": "entered",
        "changed_by_id": user_id,
        "changed_at": NOW,
        "form_version": 1,
        "submission_id": None,
    }


def build_world(url: str, scale: float) -> World:
    """Migrate the empty database at `url` and fill it (committed) for the workloads."""
    upgrade_to_head(url)
    rng = random.Random(SEED)
    field_count = max(10, round(FIELDS * scale))
    save_count = max(4, round(SAVE_VILLAGES * scale))
    db = bind(make_engine(url))
    with db.writers() as session:
        inputs = [_element_input(number) for number in range(1, field_count + 1)]
        elements = [create_element(session, data) for data in inputs]
        user = create_user(
            session, NewUser(username="bench", password="benchmark-password", role="reviewer")
        )
        villages = [
            org
            for org in (
                add_org(session, row)
                for row in _village_rows(save_count + BASELINE_VILLAGES + PREFILL_VILLAGES)
            )
            if org.level == "village"
        ]
        reports = build_reports([_element_spec(data) for data in inputs], rng)
        schemas = tuple(
            merge_reports(reports, FIRST_MONTH.shifted(step)) for step in range(SAVE_MONTHS)
        )
        actor = Actor(user.id, user.display_name)
        answers = {field.key: _answer(field.value_type, rng) for field in schemas[0].fields}
        prefill_orgs = villages[save_count + BASELINE_VILLAGES :]
        _fill_prefill_villages(session, prefill_orgs, elements, schemas[0], actor, rng)
        session.commit()
        world = World(
            db=db,
            actor=actor,
            schemas=schemas,
            save_orgs=tuple(villages[:save_count]),
            baseline_org_ids=tuple(
                org.id for org in villages[save_count : save_count + BASELINE_VILLAGES]
            ),
            prefill_orgs=tuple(prefill_orgs),
            answers=answers,
            element_ids=tuple(element.id for element in elements),
        )
    return world


def _fill_prefill_villages(
    session: Session,
    orgs: Sequence[OrgUnit],
    elements: Sequence[DataElement],
    schema: MergedSchema,
    actor: Actor,
    rng: random.Random,
) -> None:
    """A year of history, shared values and a half-typed current month for each village."""
    source = get_or_create_source(session, "BENCH_SRC", "基准共享数据源")
    shared = [e for number, e in enumerate(elements, start=1) if number % SHARED_EVERY == 0]
    for element in shared:
        bind_element(session, source, element.code, source_field=element.code.lower())
    shared_codes = {element.code for element in shared}
    year = str(FIRST_MONTH.start.year)
    records = []
    for org in orgs:
        for index, element in enumerate(shared):
            period = FIRST_MONTH.id if index % 2 == 0 else year  # a month's or a year's figure
            records.append(SharedRecord(org.code, period, element.code, str(rng.randrange(100))))
    store_shared_values(session, source, records, now=NOW)
    history = [
        _value_row(
            org.id,
            FIRST_MONTH.shifted(-step).id,
            element.id,
            str(rng.randrange(100)),
            actor.user_id,
        )
        for org in orgs
        for step in range(1, HISTORY_MONTHS + 1)
        for element in elements
    ]
    session.execute(insert(DataValue.__table__), history)
    typed = {
        field.key: _answer(field.value_type, rng)
        for order, field in enumerate(schema.fields)
        if order % 2 == 0 and field.element not in shared_codes
    }
    for org in orgs:
        request = SaveRequest(f"bench-prefill-{org.id}", 0, typed)
        save_answers(
            session,
            org=org,
            schema=schema,
            request=request,
            actor=actor,
            now=NOW,
            today=TODAY,
            due=None,
        )


def _fresh_forms(
    orgs: Sequence[OrgUnit], schemas: Sequence[MergedSchema]
) -> Iterator[tuple[OrgUnit, MergedSchema]]:
    """Every village for the first month, then every village for the next month, ..."""
    for schema in schemas:
        for org in orgs:
            yield org, schema
    raise RuntimeError("no fresh forms left for the save benchmark: raise SAVE_VILLAGES")


def save_workload(world: World) -> Callable[[], object]:
    forms = _fresh_forms(world.save_orgs, world.schemas)
    numbers = itertools.count(1)

    def save() -> dict:
        org, schema = next(forms)
        request = SaveRequest(f"bench-save-{next(numbers)}", 0, world.answers)
        with world.db.writers() as session:
            response = save_answers(
                session,
                org=org,
                schema=schema,
                request=request,
                actor=world.actor,
                now=NOW,
                today=TODAY,
                due=None,
            )
            session.commit()
        return response

    return save


def bulk_insert_workload(world: World) -> Callable[[], object]:
    """As many rows as one submission has values, for a (village, month) never used."""
    engine: Engine = writer(world.db.engine)
    keys = (
        (org_id, FIRST_MONTH.shifted(-step).id)
        for step in itertools.count()
        for org_id in world.baseline_org_ids
    )
    values = [str(value) for value in world.answers.values()]
    user_id = world.actor.user_id

    def bulk_insert() -> None:
        org_id, period = next(keys)
        rows = [
            _value_row(org_id, period, element_id, value, user_id)
            for element_id, value in zip(world.element_ids, values, strict=True)
        ]
        with engine.connect() as connection:
            connection.execute(insert(DataValue.__table__), rows)
            connection.commit()

    return bulk_insert


def prefill_workload(world: World) -> Callable[[], object]:
    orgs = itertools.cycle(world.prefill_orgs)
    fields = world.schemas[0].fields

    def load() -> list:
        with world.db.readers() as session:
            return prefill(session, next(orgs), fields)

    return load


def read_rows_workload(world: World) -> Callable[[], object]:
    org_ids = itertools.cycle([org.id for org in world.prefill_orgs])
    data_value, shared_value = DataValue.__table__, SharedValue.__table__

    def read() -> tuple[list, list]:
        org_id = next(org_ids)
        with world.db.engine.connect() as connection:
            stored = connection.execute(
                select(data_value).where(data_value.c.org_unit_id == org_id)
            ).all()
            shared = connection.execute(
                select(shared_value).where(shared_value.c.org_unit_id == org_id)
            ).all()
        return stored, shared

    return read


def measure(url: str, backend: str, scale: float, repeats: int) -> list[Result]:
    world = build_world(url, scale)
    try:
        save_time, insert_time = time_alternately(
            [save_workload(world), bulk_insert_workload(world)], repeats=repeats
        )
        prefill_time, read_time = time_alternately(
            [prefill_workload(world), read_rows_workload(world)], repeats=repeats
        )
    finally:
        world.db.engine.dispose()
    fields = world.fields
    return [
        Result(
            name=f"{backend}: save_answers, {fields}-field submissions",
            figure=save_time / fields,
            unit="value",
            baseline_name=f"bulk INSERT of {fields} data_value rows",
            baseline_figure=insert_time / fields,
            explanation=(
                "a value saved through save_answers costs this many raw bulk-inserted rows"
                " (the rest is the form lock, prefill, checks, history rows, idempotency)"
            ),
        ),
        Result(
            name=f"{backend}: prefill a {fields}-field form",
            figure=prefill_time,
            unit="form",
            baseline_name="SELECT the village's value rows",
            baseline_figure=read_time,
            explanation=(
                "one prefill costs this many direct reads of the village's "
                "data_value and shared_value rows (the rest is elements, bindings and "
                "resolving shared, stored and carried values)"
            ),
        ),
    ]


def _postgresql_available() -> bool:
    from tests.pg_server import _pg_bin

    try:
        _pg_bin()
    except RuntimeError:
        return False
    return True


def run(
    scale: float = 1.0, repeats: int = REPEATS, backends: Sequence[str] | None = None
) -> list[Result]:
    """Both backends by default (PostgreSQL skipped, with a note, without its binaries)."""
    if backends is None:
        backends = BACKENDS if _postgresql_available() else ("sqlite",)
        if "postgresql" not in backends:
            print("(collection: PostgreSQL server not found, skipped)", file=sys.stderr)
    unknown = set(backends) - set(BACKENDS)
    if unknown:
        raise ValueError(f"unknown backend(s): {', '.join(sorted(unknown))}")
    results: list[Result] = []
    if "sqlite" in backends:
        with tempfile.TemporaryDirectory(prefix="reportonce-bench-") as directory:
            url = f"sqlite:///{Path(directory) / 'bench.db'}"
            results += measure(url, "sqlite", scale, repeats)
    if "postgresql" in backends:
        from tests.pg_server import PostgresServer

        server = PostgresServer().start()
        try:
            results += measure(server.create_database(PG_DATABASE), "postgresql", scale, repeats)
        finally:
            server.stop()
    return results
