"""Department exports (数据回流): 30,000 villages × a 50-field report (two-level header,
owner units that differ from the canonical ones, some text answers) on SQLite.

- CSV: `write_csv` on the export's rows vs `csv.writer.writerows` of the same rows.
- XLSX: `write_xlsx` vs openpyxl write-only `append` of the same rows. openpyxl without
  lxml takes about 1 s per 1,000 rows of 52 cells here, so each side is timed once
  (not a median) to keep the module near two minutes.
- Reading: `export_rows` (ORM batches, unit conversion, filler columns) vs one Core
  SELECT of the same `data_value` rows, the least any export must read.

Peak memory is tracemalloc's peak over one call of each writer, the rows already in
memory (so it is the writer's own working memory, which must not grow with the rows),
and over one `export_rows` pass; the rows are then released. The database is built
before any timing with Core bulk inserts (not timed).
"""

from __future__ import annotations

import csv
import gc
import random
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from admission.export_writers import header_rows, write_csv, write_xlsx
from admission.exports import ExportPlan, export_rows, plan_export
from app.database import Database, bind, make_engine
from app.migrations import upgrade_to_head
from benchmarks import Result
from benchmarks._timing import time_alternately
from forms_registry.accounts.service import get_or_create_department
from forms_registry.elements.service import ElementInput, create_element
from forms_registry.orgs.models import OrgUnit
from forms_registry.periods import Period
from forms_registry.reports.models import Report, ReportField, ReportVersion
from prefill.models import DataValue

ROWS = 30_000
FIELDS = 50
SECTION_SIZE = 10  # fields per section: a two-level header
TEXT_EVERY = 10  # every 10th field is text (some answers start with "=")
INSERT_CHUNK = 20_000
PERIOD = Period.month(2025, 11)
NOW = datetime(2025, 12, 5, 9, 0, tzinfo=UTC)
SEED = 20251205
REPEATS = 3
# (value type, canonical unit, the owner's unit): the export converts each value back.
NUMBER_KINDS = (
    ("integer", "人", "人"),
    ("decimal", "万元", "元"),
    ("decimal", "亩", "公顷"),
    ("integer", "户", "户"),
)
TEXTS = ("东岭村", "王会计", "=HYPERLINK(\"http://example.com\")", "无", "+86 138")


@dataclass(frozen=True)
class World:
    db: Database
    directory: Path
    report_id: int
    rows: int


def _element(number: int) -> tuple[ElementInput, str | None]:
    if number % TEXT_EVERY == 0:
        data = ElementInput(f"BENCH_X{number:02d}", f"文字项{number}", "text", "stock")
        return data, None
    value_type, unit, owner_unit = NUMBER_KINDS[number % len(NUMBER_KINDS)]
    data = ElementInput(
        f"BENCH_X{number:02d}", f"数值项{number}", value_type, "stock", unit=unit, minimum=Decimal(0)
    )
    return data, owner_unit


def _answer(value_type: str, rng: random.Random) -> str:
    if value_type == "integer":
        return str(rng.randrange(0, 100_000))
    if value_type == "decimal":
        return f"{rng.randrange(0, 100_000)}.{rng.randrange(0, 100):02d}".rstrip("0").rstrip(".")
    return rng.choice(TEXTS)


def _report(session: Session, field_count: int) -> tuple[Report, list[tuple[int, str]]]:
    report = Report(
        code="BENCH_EXPORT",
        title="基准回流报表",
        department=get_or_create_department(session, "基准部门"),
        frequency="monthly",
        level="village",
    )
    version = ReportVersion(report=report, number=1, status="draft", source_format="json")
    fields = [ReportField(position=0, label="村名", name="村名", role="org_name", candidates=[])]
    elements = []
    for number in range(1, field_count + 1):
        data, owner_unit = _element(number)
        element = create_element(session, data)
        label = f"{data.name}（{owner_unit}）" if owner_unit else data.name
        section = f"第{(number - 1) // SECTION_SIZE + 1}部分"
        fields.append(
            ReportField(
                position=number,
                label=label,
                name=label,
                section=section,
                unit=owner_unit,
                element=element,
                candidates=[],
            )
        )
        elements.append((element.id, data.value_type))
    version.fields = fields
    session.add(report)
    session.flush()
    return report, elements


def build_world(directory: Path, scale: float) -> World:
    url = f"sqlite:///{directory / 'bench.db'}"
    upgrade_to_head(url)
    db = bind(make_engine(url))
    rng = random.Random(SEED)
    rows = max(50, round(ROWS * scale))
    with db.writers() as session:
        report, elements = _report(session, FIELDS)
        session.execute(
            insert(OrgUnit.__table__),
            [
                {"code": f"33{n:010d}", "name": f"基准村{n}", "level": "village", "parent_id": None}
                for n in range(1, rows + 1)
            ],
        )
        org_ids = list(session.scalars(select(OrgUnit.id).where(OrgUnit.level == "village")))
        chunk: list[dict] = []
        for org_id in org_ids:
            for element_id, value_type in elements:
                chunk.append(
                    {
                        "org_unit_id": org_id,
                        "period": PERIOD.id,
                        "element_id": element_id,
                        "value": _answer(value_type, rng),
                        "source": "entered",
                        "changed_by_id": None,
                        "changed_at": NOW,
                        "form_version": 1,
                        "submission_id": None,
                    }
                )
            if len(chunk) >= INSERT_CHUNK:
                session.execute(insert(DataValue.__table__), chunk)
                chunk = []
        if chunk:
            session.execute(insert(DataValue.__table__), chunk)
        session.commit()
        return World(db=db, directory=directory, report_id=report.id, rows=rows)


# ------------------------------------------------------------------ workloads


def _csv_ours(plan: ExportPlan, rows: list[list], target: Path) -> Callable[[], int]:
    def run() -> int:
        with target.open("w", encoding="utf-8", newline="") as stream:
            return write_csv(plan, rows, stream)

    return run


def _csv_plain(plan: ExportPlan, rows: list[list], target: Path) -> Callable[[], None]:
    def run() -> None:
        with target.open("w", encoding="utf-8", newline="") as stream:
            writer = csv.writer(stream)
            writer.writerows(header_rows(plan))
            writer.writerows(rows)

    return run


def _xlsx_ours(plan: ExportPlan, rows: list[list], target: Path) -> Callable[[], int]:
    return lambda: write_xlsx(plan, rows, str(target))


def _xlsx_plain(plan: ExportPlan, rows: list[list], target: Path) -> Callable[[], None]:
    def run() -> None:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        for header in header_rows(plan):
            sheet.append(header)
        for row in rows:
            sheet.append(row)
        workbook.save(str(target))

    return run


def _read_ours(world: World, period: Period) -> Callable[[], list[list]]:
    def run() -> list[list]:
        with world.db.readers() as session:
            report = session.get(Report, world.report_id)
            return list(export_rows(session, plan_export(session, report, period)))

    return run


def _read_plain(world: World, period: Period) -> Callable[[], int]:
    table = DataValue.__table__

    def run() -> int:
        with world.db.engine.connect() as connection:
            result = connection.execute(
                select(table.c.org_unit_id, table.c.element_id, table.c.value).where(
                    table.c.period == period.id
                )
            )
            return sum(1 for _ in result)

    return run


def _once(workload: Callable[[], object]) -> float:
    gc.collect()
    start = time.perf_counter()
    workload()
    return time.perf_counter() - start


def _peak_bytes(workload: Callable[[], object]) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        workload()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _mb(size: int) -> str:
    return f"{size / 1_000_000:,.1f} MB"


def measure(world: World, repeats: int) -> list[Result]:
    with world.db.readers() as session:
        plan = plan_export(session, session.get(Report, world.report_id), PERIOD)
        for column in plan.columns:  # load what the writers read, then let the session go
            if column.field is not None and column.field.element is not None:
                _ = column.field.element.choices
    read_ours, read_plain = _read_ours(world, PERIOD), _read_plain(world, PERIOD)
    read_time, select_time = time_alternately([read_ours, read_plain], repeats=repeats)
    read_peak = _peak_bytes(read_ours)
    rows = read_ours()
    cells = len(plan.columns)
    csv_target, xlsx_target = world.directory / "out.csv", world.directory / "out.xlsx"
    csv_ours, csv_plain = _csv_ours(plan, rows, csv_target), _csv_plain(plan, rows, csv_target)
    csv_time, csv_plain_time = time_alternately([csv_ours, csv_plain], repeats=repeats)
    csv_peak, csv_plain_peak = _peak_bytes(csv_ours), _peak_bytes(csv_plain)
    xlsx_ours, xlsx_plain = _xlsx_ours(plan, rows, xlsx_target), _xlsx_plain(plan, rows, xlsx_target)
    xlsx_time, xlsx_plain_time = _once(xlsx_ours), _once(xlsx_plain)
    xlsx_peak = xlsx_plain_peak = 0
    if world.rows <= 5_000:  # tracemalloc triples openpyxl's time: small runs only
        xlsx_peak, xlsx_plain_peak = _peak_bytes(xlsx_ours), _peak_bytes(xlsx_plain)
    n = world.rows
    shape = f"{n:,} rows x {cells} columns"
    return [
        Result(
            name=f"export_rows, {shape} (peak {_mb(read_peak)})",
            figure=read_time / n,
            unit="row",
            baseline_name="Core SELECT of the data_value rows",
            baseline_figure=select_time / n,
            explanation=(
                "a row read by export_rows costs this many raw reads of its values (the rest "
                f"is ORM batches of 500, unit conversion, filler columns); peak {_mb(read_peak)}"
            ),
        ),
        Result(
            name=f"write_csv, {shape} (peak {_mb(csv_peak)})",
            figure=csv_time / n,
            unit="row",
            baseline_name=f"csv.writer.writerows (peak {_mb(csv_plain_peak)})",
            baseline_figure=csv_plain_time / n,
            explanation=(
                "a CSV row costs this many plain csv rows (the rest is formula defusing, "
                "exact decimal text, choice labels, chunking for streaming)"
            ),
        ),
        Result(
            name=f"write_xlsx, {shape}"
            + (f" (peak {_mb(xlsx_peak)})" if xlsx_peak else " (timed once)"),
            figure=xlsx_time / n,
            unit="row",
            baseline_name="openpyxl write-only append"
            + (f" (peak {_mb(xlsx_plain_peak)})" if xlsx_plain_peak else " (timed once)"),
            baseline_figure=xlsx_plain_time / n,
            explanation=(
                "an XLSX row costs this many plain write-only rows (the rest is defusing, "
                "the exactness check per decimal, header styles and merged sections)"
            ),
        ),
    ]


def run(scale: float = 1.0, repeats: int = REPEATS) -> list[Result]:
    with tempfile.TemporaryDirectory(prefix="reportonce-bench-export-") as directory:
        world = build_world(Path(directory), scale)
        try:
            return measure(world, repeats)
        finally:
            world.db.engine.dispose()
