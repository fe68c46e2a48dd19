"""The export writers alone (no Flask, no database): headers, exact numbers and defused
formulas in CSV, XLSX (read back with openpyxl) and JSON."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook

from admission.export_writers import (
    csv_chunks,
    exact_in_excel,
    neutralise,
    rows_as_json,
    section_runs,
    write_csv,
    write_xlsx,
)
from admission.exports import ExportColumn, ExportPlan
from forms_registry.periods import Period

INJECTIONS = ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "\0=1"]
DEFUSED = ["'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\t=1", "'\r=1", "'=1"]


def column(label: str, section: str | None = None, kind: str = "element", field=None):
    return ExportColumn(label, section, None, kind, field)


def plan_of(*columns: ExportColumn) -> ExportPlan:
    return ExportPlan(
        report=SimpleNamespace(code="R9001", title="测试报表"),
        version=None,
        period=Period.parse("2025Q1"),
        month=Period.parse("2025-03"),
        columns=list(columns),
        scope=None,
    )


FLAT = plan_of(
    column("行政区划代码", kind="org_code"),
    column("村名", kind="org_name"),
    column("备注", kind="meta"),
)
SECTIONED = plan_of(
    column("行政区划代码", kind="org_code"),
    column("村名", kind="org_name"),
    column("60岁及以上（人）", "老年人口"),
    column("80岁及以上（人）", "老年人口"),
    column("低保户数（户）", "农村低保"),
    column("养老服务站数（个）"),
)


def csv_rows(plan: ExportPlan, rows: list[list]) -> list[list[str]]:
    stream = io.StringIO(newline="")
    assert write_csv(plan, rows, stream) == len(rows)
    text = stream.getvalue()
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline="")))


def xlsx_sheet(plan: ExportPlan, rows: list[list]):
    stream = io.BytesIO()
    assert write_xlsx(plan, rows, stream) == len(rows)
    stream.seek(0)
    return load_workbook(stream).active


def values(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


# ---------------------------------------------------------------- formula injection


@pytest.mark.parametrize(("text", "defused"), list(zip(INJECTIONS, DEFUSED, strict=True)))
def test_text_a_spreadsheet_would_run_gets_an_apostrophe(text, defused):
    assert neutralise(text) == defused


@pytest.mark.parametrize("text", ["东岭村", "1=1", "a-b", "", "'=already quoted"])
def test_ordinary_text_is_left_alone(text):
    assert neutralise(text) == text


def test_nul_characters_are_removed_anywhere():
    assert neutralise("东\0岭村") == "东岭村"


def test_every_csv_text_cell_is_defused_but_numbers_stay_numbers():
    plan = plan_of(column("=标签", kind="org_code"), column("村名", kind="org_name"))
    rows = [[text, text] for text in INJECTIONS] + [[Decimal("-1.5"), -3]]

    header, *body = csv_rows(plan, rows)

    assert header == ["'=标签", "村名"]
    assert body[: len(INJECTIONS)] == [[defused, defused] for defused in DEFUSED]
    assert body[-1] == ["-1.5", "-3"]


def test_every_xlsx_text_cell_is_a_defused_string_never_a_formula():
    plan = plan_of(column("=标签", kind="org_code"), column("村名", kind="org_name"))
    rows = [[text, text] for text in INJECTIONS] + [["#N/A", "控制\x01字符"]]

    sheet = xlsx_sheet(plan, rows)

    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type == "s" for cell in cells)
    read = [[defused.replace("\r", "\n")] * 2 for defused in DEFUSED]  # XML reads CR as LF
    assert values(sheet) == [["'=标签", "村名"], *read, ["#N/A", "控制字符"]]


# ---------------------------------------------------------------- exact numbers


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (Decimal("0.1"), "0.1"),
        (Decimal("1E+4"), "10000"),
        (Decimal("123456789012345678.9"), "123456789012345678.9"),
        (Decimal("100.0666666666666666666666666666667"), "100.0666666666666666666666666666667"),
        (Decimal("-0.000001"), "-0.000001"),
        (12345678901234567890, "12345678901234567890"),
    ],
)
def test_csv_writes_decimals_exactly_without_exponents(number, text):
    assert csv_rows(FLAT, [["1", "村", number]])[1][2] == text


@pytest.mark.parametrize(
    ("number", "exact"),
    [
        (Decimal("0.1"), True),
        (Decimal("1234567890.12345"), True),  # 15 significant digits
        (Decimal("-2.5"), True),
        (Decimal("1E+4"), True),
        (Decimal("1234567890.123456"), False),  # 16: Excel would round it
        (Decimal("0.1000000000000000055511151231257827"), False),
        (Decimal("100.0666666666666666666666666666667"), False),
        (Decimal("NaN"), False),
    ],
)
def test_which_decimals_a_spreadsheet_holds_exactly(number, exact):
    assert exact_in_excel(number) is exact


def test_xlsx_writes_exact_numbers_as_numbers_and_the_rest_as_exact_text():
    row = [
        "1",
        "村",
        Decimal("0.1"),
        Decimal("1234567890.12345"),
        Decimal("0.1000000000000000055511151231257827"),
        42,
        10**15,
    ]
    plan = plan_of(*FLAT.columns, *(column(f"数{index}") for index in range(4)))

    written = values(xlsx_sheet(plan, [row]))[1]

    assert written[2:4] == [0.1, 1234567890.12345]
    assert written[4] == "0.1000000000000000055511151231257827"
    assert written[5] == 42 and isinstance(written[5], int)
    assert written[6] == "1000000000000000"


def test_booleans_choices_and_lists_read_as_words():
    choices = [{"value": "1", "label": "种植业"}, {"value": "2", "label": "养殖业"}]
    choice = SimpleNamespace(
        value_type=None, choices=None, element=SimpleNamespace(value_type="choice", choices=choices)
    )
    multi = SimpleNamespace(value_type="multi_choice", choices=choices, element=choice.element)
    plan = plan_of(
        *FLAT.columns,
        column("一肩挑"),
        column("主导产业", field=choice),
        column("产业", field=multi),
    )
    row = ["1", "村", None, True, "2", ["1", "2"]]

    assert csv_rows(plan, [row])[1][2:] == ["", "是", "养殖业", "种植业、养殖业"]
    assert values(xlsx_sheet(plan, [row]))[1][2:] == [None, "是", "养殖业", "种植业、养殖业"]


# ---------------------------------------------------------------- headers


def test_csv_has_one_header_row_without_sections():
    assert csv_rows(FLAT, [])[0] == ["行政区划代码", "村名", "备注"]
    assert len(csv_rows(FLAT, [])) == 1


def test_csv_has_sections_above_labels_repeated_per_column():
    sections, labels = csv_rows(SECTIONED, [])

    assert sections == ["", "", "老年人口", "老年人口", "农村低保", ""]
    assert labels == [c.label for c in SECTIONED.columns]


def test_xlsx_merges_each_section_over_its_columns():
    sheet = xlsx_sheet(SECTIONED, [["439901100201", "东岭村", 1, 2, 3, 4]])

    assert [str(cells) for cells in sheet.merged_cells.ranges] == ["C1:D1"]
    assert values(sheet) == [
        [None, None, "老年人口", None, "农村低保", None],
        [c.label for c in SECTIONED.columns],
        ["439901100201", "东岭村", 1, 2, 3, 4],
    ]
    assert sheet.freeze_panes == "A3"
    assert sheet["C1"].font.bold


def test_xlsx_without_sections_has_one_header_row():
    sheet = xlsx_sheet(FLAT, [["1", "村", None]])

    assert values(sheet) == [["行政区划代码", "村名", "备注"], ["1", "村", None]]
    assert not sheet.merged_cells.ranges
    assert sheet.freeze_panes == "A2"
    assert sheet.title == "R9001 2025Q1"


def test_only_adjacent_columns_of_a_section_are_merged():
    plan = plan_of(column("a", "甲"), column("b", "甲"), column("c", "乙"), column("d", "甲"))
    assert section_runs(plan) == [(0, 1)]


# ---------------------------------------------------------------- streaming and JSON


def test_csv_streams_in_chunks_that_add_up_to_the_file():
    rows = [[f"{n:012d}", f"村{n}", None] for n in range(1000)]
    stream = io.StringIO(newline="")
    write_csv(FLAT, rows, stream)

    chunks = list(csv_chunks(FLAT, iter(rows)))

    assert len(chunks) > 3
    assert "".join(chunks) == stream.getvalue()


def test_rows_as_json_keeps_decimals_exact_as_strings():
    rows = [["439901100201", "=东岭村", 12, Decimal("1E+4"), Decimal("0.25"), None]]

    body = rows_as_json(SECTIONED, rows)

    assert body["report"] == "R9001"
    assert body["title"] == "测试报表"
    assert body["period"] == "2025Q1"
    assert body["columns"][2] == {"label": "60岁及以上（人）", "section": "老年人口", "unit": None}
    assert body["rows"] == [
        {
            "org_code": "439901100201",
            "org_name": "=东岭村",
            "values": ["439901100201", "=东岭村", 12, "10000", "0.25", None],
        }
    ]
