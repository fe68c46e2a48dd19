"""Department exports (数据回流) on SQLite: 30,000 villages × a 50-field report (sections
for a two-level header, owner units that differ from the canonical ones — 元 for 万元,
公顷 for 亩 — and text answers, some starting with "=").

- Reading: `export_rows` (ORM batches of 500, unit conversion, filler columns) for one
  township of 999 villages vs one Core SELECT of the same `data_value` rows.
- CSV: `write_csv` vs `csv.writer.writerows`, on the same 30,000 rows (the township's
  exported rows repeated).
- XLSX: `write_xlsx` vs openpyxl write-only `append`, same rows. openpyxl without lxml
  needs about a second per 1,000 rows of 52 cells, so each side is timed once.

Peak memory is tracemalloc's peak over one call, the rows already in memory, so it is the
workload's own working memory (it must not grow with the rows): CSV over all rows,
XLSX over the first 1,000 (tracemalloc slows openpyxl threefold), `export_rows` over
the township's batches, each row dropped as a streaming download drops it. The database
is built before any timing by bulk SQL (not timed).
"""

from __future__ import annotations

import csv
import gc
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import bindparam, insert, select, text
from sqlalchemy.orm import Session

from admission.export_writers import header_rows, write_csv, write_xlsx
from admission.exports import ExportPlan, export_rows, plan_export
from app.database import Database, bind, make_engine
from app.migrations import upgrade_to_head
from benchmarks import Result
from benchmarks._timing import time_alternately
from forms_registry.accounts.service import get_or_create_department
from forms_registry.db import UTCDateTime
from forms_registry.elements.service import ElementInput, create_element
from forms_registry.orgs.models import OrgUnit
from forms_registry.periods import Period
from forms_registry.reports.models import Report, ReportField, ReportVersion
from prefill.models import DataValue

ROWS = 30_000
FIELDS = 50
SECTION_SIZE = 10  # fields per section: a two-level header
TEXT_EVERY = 10  # every 10th field is text
COUNTY_PREFIX = "330102"
VILLAGES_PER_TOWNSHIP = 999
XLSX_MEMORY_ROWS = 1_000
PERIOD = Period.month(2025, 11)
NOW = datetime(2025, 12, 5, 9, 0, tzinfo=UTC)
REPEATS = 3
# (value type, canonical unit, the owner's unit): the export converts each value back.
NUMBER_KINDS = (
    ("integer", "人", "人"),
    ("decimal", "万元", "元"),
    ("decimal", "亩", "公顷"),
    ("integer", "户", "户"),
)


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
        f"BENCH_X{number:02d}",
        f"数值项{number}",
        value_type,
        "stock",
        unit=unit,
        minimum=Decimal(0),
    )
    return data, owner_unit


def _report(session: Session, field_count: int) -> Report:
    report = Report(
        code="BENCH_EXPORT",
        title="基准回流报表",
        department=get_or_create_department(session, "基准部门"),
        frequency="monthly",
        level="village",
    )
    version = ReportVersion(report=report, number=1, status="draft", source_format="json")
    fields = [ReportField(position=0, label="村名", name="村名", role="org_name", candidates=[])]
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
    version.fields = fields
    session.add(report)
    session.flush()
    return report


VALUES_SQL = """
INSERT INTO data_value (org_unit_id, period, element_id, value, source, changed_at, form_version)
SELECT o.id, :period, e.id,
       CASE e.value_type
         WHEN 'integer' THEN CAST((o.id * 7919 + e.id * 104729) % 100000 AS TEXT)
         WHEN 'decimal' THEN printf('%d.%d', (o.id * 7919 + e.id * 104729) % 100000,
                                    (o.id + e.id) % 9 + 1)
         ELSE CASE (o.id + e.id) % 5 WHEN 0 THEN '东岭村' WHEN 1 THEN '王会计'
              WHEN 2 THEN '=HYPERLINK("http://example.com")' WHEN 3 THEN '无' ELSE '+86 138' END
       END,
       'entered', :changed_at, 1
FROM org_unit AS o CROSS JOIN data_element AS e
WHERE o.level = 'village' AND e.code LIKE 'BENCH_X%'
"""


def _village_rows(count: int) -> list[dict]:
    """Villages grouped 999 to a township code prefix, so a plan can be scoped to one."""
    per = VILLAGES_PER_TOWNSHIP
    return [
        {
            "code": f"{COUNTY_PREFIX}{n // per + 1:03d}{n % per + 1:03d}",
            "name": f"基准村{n + 1}",
            "level": "village",
            "parent_id": None,
        }
        for n in range(count)
    ]


def build_world(directory: Path, scale: float) -> World:
    url = f"sqlite:///{directory / 'bench.db'}"
    upgrade_to_head(url)
    db = bind(make_engine(url))
    rows = max(50, round(ROWS * scale))
    with db.writers() as session:
        report = _report(session, FIELDS)
        session.execute(insert(OrgUnit.__table__), _village_rows(rows))
        session.execute(
            text(VALUES_SQL).bindparams(
                bindparam("period", PERIOD.id),
                bindparam("changed_at", NOW, type_=UTCDateTime()),
            )
        )
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


def _township_plan(plan: ExportPlan) -> ExportPlan:
    """The same export limited to the first township's villages (by code prefix)."""
    township = OrgUnit(code=f"{COUNTY_PREFIX}001000", name="基准镇", level="township")
    return replace(plan, scope=township)


def _read_ours(world: World, plan: ExportPlan) -> Callable[[], list[list]]:
    def run() -> list[list]:
        with world.db.readers() as session:
            report = session.get(Report, world.report_id)
            scoped = _township_plan(plan_export(session, report, plan.period))
            return list(export_rows(session, scoped))

    return run


def _consume_rows(world: World, plan: ExportPlan) -> Callable[[], int]:
    """export_rows as a streaming response uses it: each row dropped once written."""

    def run() -> int:
        with world.db.readers() as session:
            report = session.get(Report, world.report_id)
            scoped = _township_plan(plan_export(session, report, plan.period))
            return sum(1 for _ in export_rows(session, scoped))

    return run


def _read_plain(world: World, plan: ExportPlan) -> Callable[[], int]:
    values, orgs = DataValue.__table__, OrgUnit.__table__
    statement = (
        select(orgs.c.code, values.c.element_id, values.c.value)
        .join(orgs, orgs.c.id == values.c.org_unit_id)
        .where(values.c.period == plan.period.id, orgs.c.code.like(f"{COUNTY_PREFIX}001%"))
    )

    def run() -> int:
        with world.db.engine.connect() as connection:
            return sum(1 for _ in connection.execute(statement))

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


def _plan(world: World) -> ExportPlan:
    with world.db.readers() as session:
        plan = plan_export(session, session.get(Report, world.report_id), PERIOD)
        for column in plan.columns:  # load what the writers read before the session goes
            if column.field is not None and column.field.element is not None:
                _ = column.field.element.choices
        return plan


def _reading(world: World, plan: ExportPlan, repeats: int) -> tuple[Result, list[list]]:
    ours, plain = _read_ours(world, plan), _read_plain(world, plan)
    ours_time, plain_time = time_alternately([ours, plain], repeats=repeats)
    rows = ours()
    peak = _peak_bytes(_consume_rows(world, plan))
    n = len(rows)
    result = Result(
        name=f"export_rows, {n:,} villages x {len(plan.columns)} columns (peak {_mb(peak)})",
        figure=ours_time / n,
        unit="row",
        baseline_name="Core SELECT of their data_value rows",
        baseline_figure=plain_time / n,
        explanation=(
            "a row from export_rows costs this many raw reads of its values (the rest is "
            "ORM objects in batches of 500, unit conversion per cell, filler columns)"
        ),
    )
    return result, rows


def _writing(world: World, plan: ExportPlan, sample: list[list], repeats: int) -> list[Result]:
    n = world.rows
    rows = [sample[index % len(sample)] for index in range(n)]
    shape = f"{n:,} rows x {len(plan.columns)} columns"
    csv_target, xlsx_target = world.directory / "out.csv", world.directory / "out.xlsx"
    csv_ours, csv_plain = _csv_ours(plan, rows, csv_target), _csv_plain(plan, rows, csv_target)
    csv_time, csv_plain_time = time_alternately([csv_ours, csv_plain], repeats=repeats)
    csv_peak, csv_plain_peak = _peak_bytes(csv_ours), _peak_bytes(csv_plain)
    xlsx_time = _once(_xlsx_ours(plan, rows, xlsx_target))
    xlsx_plain_time = _once(_xlsx_plain(plan, rows, xlsx_target))
    few = rows[: max(100, round(XLSX_MEMORY_ROWS * n / ROWS))]
    xlsx_peak = _peak_bytes(_xlsx_ours(plan, few, xlsx_target))
    xlsx_plain_peak = _peak_bytes(_xlsx_plain(plan, few, xlsx_target))
    memory_rows = f"{len(few):,} rows"
    return [
        Result(
            name=f"write_csv, {shape} (peak {_mb(csv_peak)})",
            figure=csv_time / n,
            unit="row",
            baseline_name=f"csv.writer.writerows (peak {_mb(csv_plain_peak)})",
            baseline_figure=csv_plain_time / n,
            explanation=(
                "a CSV row costs this many plain csv rows (the rest is formula defusing, "
                "exact decimal text, choice labels, chunks for streaming)"
            ),
        ),
        Result(
            name=f"write_xlsx, {shape}, once (peak {_mb(xlsx_peak)} at {memory_rows})",
            figure=xlsx_time / n,
            unit="row",
            baseline_name=f"openpyxl write-only (peak {_mb(xlsx_plain_peak)})",
            baseline_figure=xlsx_plain_time / n,
            explanation=(
                "an XLSX row costs this many plain write-only rows (the rest is defusing, "
                "the exactness check of each decimal, header styles, merged sections)"
            ),
        ),
    ]


def run(scale: float = 1.0, repeats: int = REPEATS) -> list[Result]:
    with tempfile.TemporaryDirectory(prefix="reportonce-bench-export-") as directory:
        world = build_world(Path(directory), scale)
        try:
            plan = _plan(world)
            reading, sample = _reading(world, plan, repeats)
            return [reading, *_writing(world, plan, sample, repeats)]
        finally:
            world.db.engine.dispose()
