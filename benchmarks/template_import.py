"""Importing a wide XLSX template: 200 columns under a two-level merged header.

Timed: `read_xlsx_template` alone, and followed by `match_report` against the starter
catalog. Baseline: openpyxl opening the same bytes read-only and reading every cell value,
the least any reader of the template must do.
"""

from __future__ import annotations

import random
from io import BytesIO
from itertools import groupby

import openpyxl
from openpyxl.utils import get_column_letter

from benchmarks import Result
from benchmarks._timing import time_alternately
from forms_registry.importers.model import ImportedReport
from forms_registry.importers.xlsx_template import read_xlsx_template
from forms_registry.matching.catalog import CatalogElement, load_starter_catalog
from forms_registry.matching.matcher import match_report

COLUMNS = 200  # the org-name column and 199 indicator columns
DATA_ROWS = 5
MAX_GROUP_WIDTH = 8
SEED = 20251231
REPEATS = 7
FILENAME = "benchmark_template.xlsx"

_TITLE_ROW, _NOTE_ROW, _UPPER_ROW, _LOWER_ROW = 1, 2, 3, 4


def _column_label(element: CatalogElement) -> str:
    return f"{element.name}（{element.unit}）" if element.unit else element.name


def _header_groups(
    elements: list[CatalogElement],
) -> list[tuple[str, list[CatalogElement]]]:
    """Consecutive elements of one category under one upper header, at most
    MAX_GROUP_WIDTH wide."""
    groups = []
    for category, members in groupby(elements, key=lambda e: e.category or "其他指标"):
        run = list(members)
        for start in range(0, len(run), MAX_GROUP_WIDTH):
            groups.append((category, run[start : start + MAX_GROUP_WIDTH]))
    return groups


def build_template(columns: int = COLUMNS, data_rows: int = DATA_ROWS, seed: int = SEED) -> bytes:
    """Title row, note row, a two-level header (categories merged over their columns,
    lone columns merged down both rows), then `data_rows` villages of numbers."""
    catalog = load_starter_catalog()
    elements = [catalog[i % len(catalog)] for i in range(max(1, columns - 1))]
    last = get_column_letter(len(elements) + 1)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "基本情况"
    sheet["A1"] = "全县村级基本情况统计表（年报）"
    sheet.merge_cells(f"A{_TITLE_ROW}:{last}{_TITLE_ROW}")
    sheet["A2"] = "填报单位（盖章）：                    填报日期：    年  月  日"
    sheet.merge_cells(f"A{_NOTE_ROW}:{last}{_NOTE_ROW}")
    sheet.cell(_UPPER_ROW, 1, "村（社区）名称")
    sheet.merge_cells(start_row=_UPPER_ROW, start_column=1, end_row=_LOWER_ROW, end_column=1)

    col = 2
    for category, members in _header_groups(elements):
        if len(members) == 1:
            sheet.cell(_UPPER_ROW, col, _column_label(members[0]))
            sheet.merge_cells(
                start_row=_UPPER_ROW, start_column=col, end_row=_LOWER_ROW, end_column=col
            )
        else:
            sheet.cell(_UPPER_ROW, col, category)
            sheet.merge_cells(
                start_row=_UPPER_ROW,
                start_column=col,
                end_row=_UPPER_ROW,
                end_column=col + len(members) - 1,
            )
            for offset, element in enumerate(members):
                sheet.cell(_LOWER_ROW, col + offset, _column_label(element))
        col += len(members)

    rng = random.Random(seed)
    for number in range(1, data_rows + 1):
        row = _LOWER_ROW + number
        sheet.cell(row, 1, f"示例村{number}")
        for col in range(2, len(elements) + 2):
            sheet.cell(row, col, rng.randrange(0, 5_000))
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def read_every_cell(data: bytes) -> int:
    """The baseline: open read-only (cached values, as the importer does) and touch
    every cell value. Returns how many cells held a value."""
    workbook = openpyxl.load_workbook(BytesIO(data), read_only=True, data_only=True)
    try:
        return sum(
            value is not None
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
        )
    finally:
        workbook.close()


def import_and_match(data: bytes, catalog: list[CatalogElement]) -> ImportedReport:
    report = read_xlsx_template(data, FILENAME)
    match_report(report, catalog)
    return report


def run(scale: float = 1.0, repeats: int = REPEATS) -> list[Result]:
    columns = max(4, round(COLUMNS * scale))
    data = build_template(columns)
    catalog = load_starter_catalog()
    fields = len(read_xlsx_template(data, FILENAME).fields)
    medians = time_alternately(
        [
            lambda: read_xlsx_template(data, FILENAME),
            lambda: import_and_match(data, catalog),
            lambda: read_every_cell(data),
        ],
        repeats=repeats,
    )
    parse_time, parse_match_time, baseline_time = medians
    baseline = "openpyxl read-only, all cells"
    return [
        Result(
            name=f"xlsx import, {columns} columns ({fields} fields)",
            figure=parse_time,
            unit="import",
            baseline_name=baseline,
            baseline_figure=baseline_time,
            explanation=(
                "parsing the template costs this many plain openpyxl reads of every cell "
                "(the rest is header/merge analysis and label parsing)"
            ),
        ),
        Result(
            name=f"xlsx import + match ({len(catalog)} elements)",
            figure=parse_match_time,
            unit="import",
            baseline_name=baseline,
            baseline_figure=baseline_time,
            explanation=(
                "parsing and suggesting an element for every field costs this many plain "
                "openpyxl reads of every cell"
            ),
        ),
    ]
