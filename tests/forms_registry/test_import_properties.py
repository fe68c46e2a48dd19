"""Properties of the XLSX template importer on generated templates.

A template is built as departments lay them out: an optional title row (merged across the
table or not), an optional note row (填报单位, a table-wide 单位：万元), then a one- or
two-level header whose upper level is merged over the columns it groups (single columns
merged down through both rows), labels from a pool of Chinese names with or without a
unit in full-width or ASCII parentheses, sometimes a line break or a 其中： marker, then
an optional code row and data rows. The importer must give back exactly the generated
columns, in order, with their sections, units, codes and title; and anything else it is
given ends in a report or in InvalidInput, never in another exception."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.utils import get_column_letter

from forms_registry.errors import InvalidInput
from forms_registry.importers.reading import read_template
from forms_registry.importers.xlsx_template import MSG_NO_HEADER
from tests.forms_registry.xlsx_builders import workbook_bytes

SETTINGS = settings(max_examples=80, deadline=None, derandomize=True, database=None)

PREFIXES = (
    "户籍", "常住", "外出务工", "低保", "特困供养", "残疾", "脱贫", "监测", "耕地", "林地",
    "集体经济", "危房改造", "自来水", "卫生室", "留守儿童", "养老保险", "医疗保险", "网格",
)  # fmt: skip
SUFFIXES = ("人口", "户数", "人数", "面积", "收入", "数量", "金额", "覆盖率", "事件数")
UNITS = ("人", "户", "万元", "元", "亩", "公顷", "公里", "%", "个", "元/人", "平方米", "人次")
PARENTHESES = (("（", "）"), ("(", ")"))
SECTIONS = ("基本情况", "社会保障", "农业生产", "基础设施", "集体经济", "人口情况")
TITLES = ("村级基本情况统计表", "乡镇社会保障情况表", "农村集体经济收支情况统计表")
FILENAME = "模板.xlsx"


@dataclass(frozen=True)
class Column:
    text: str  # the header cell as written
    unit: str | None  # the unit the text itself states
    sub_item: bool


@dataclass(frozen=True)
class Group:
    section: str | None  # None: one column with no upper level
    columns: tuple[Column, ...]


@dataclass(frozen=True)
class Template:
    title: str | None
    title_merged: bool
    note: tuple[str, ...]  # the note row's cells (left, and right when two)
    table_unit: str | None  # what the note row states for the whole table
    groups: tuple[Group, ...]
    code_row: bool
    data_rows: int

    @property
    def columns(self) -> list[tuple[str | None, Column]]:
        return [(group.section, column) for group in self.groups for column in group.columns]

    @property
    def two_levels(self) -> bool:
        return any(group.section is not None for group in self.groups)


@st.composite
def columns(draw: st.DrawFn) -> Column:
    name = draw(st.sampled_from(PREFIXES)) + draw(st.sampled_from(SUFFIXES))
    if draw(st.booleans()):  # a line break somewhere inside the name, as wrapped headers have
        cut = draw(st.integers(1, len(name) - 1))
        name = name[:cut] + "\n" + name[cut:]
    sub_item = draw(st.integers(0, 5)) == 0
    text = ("其中：" if sub_item else "") + name
    unit = draw(st.none() | st.sampled_from(UNITS))
    if unit is not None:
        opener, closer = draw(st.sampled_from(PARENTHESES))
        text += f"{opener}{unit}{closer}"
    return Column(text, unit, sub_item)


@st.composite
def groups(draw: st.DrawFn, two_levels: bool) -> Group:
    if two_levels and draw(st.booleans()):
        section = draw(st.sampled_from(SECTIONS))
        return Group(section, tuple(draw(st.lists(columns(), min_size=2, max_size=4))))
    return Group(None, (draw(columns()),))


@st.composite
def templates(draw: st.DrawFn, min_groups: int = 2) -> Template:
    two_levels = draw(st.booleans())
    drawn = draw(st.lists(groups(two_levels), min_size=min_groups, max_size=6))
    table_unit = draw(st.none() | st.sampled_from(UNITS))
    note: tuple[str, ...] = ()
    if table_unit is not None:
        note = draw(
            st.sampled_from([(f"单位：{table_unit}",), ("填报单位：", f"单位：{table_unit}")])
        )
    elif draw(st.booleans()):
        note = ("填报单位：（盖章）",)
    return Template(
        title=draw(st.none() | st.sampled_from(TITLES)),
        title_merged=draw(st.booleans()),
        note=note,
        table_unit=table_unit,
        groups=tuple(drawn),
        code_row=draw(st.booleans()),
        data_rows=draw(st.integers(0, 3)),
    )


def build(template: Template) -> bytes:
    width = len(template.columns)
    last = get_column_letter(width)
    rows: list[list[object]] = []
    merges: list[str] = []
    if template.title is not None:
        rows.append([template.title])
        if template.title_merged and width > 1:
            merges.append(f"A1:{last}1")
    if template.note:
        row: list[object] = [None] * width
        row[0] = template.note[0]
        if len(template.note) > 1:
            row[-1] = template.note[1]
        rows.append(row)
    top = len(rows) + 1
    upper: list[object] = []
    lower: list[object] = []
    for group in template.groups:
        start = len(upper) + 1
        if group.section is None:
            upper.append(group.columns[0].text)
            lower.append(None)
            if template.two_levels:
                merges.append(
                    f"{get_column_letter(start)}{top}:{get_column_letter(start)}{top + 1}"
                )
            continue
        upper.extend([group.section] + [None] * (len(group.columns) - 1))
        lower.extend(column.text for column in group.columns)
        end = get_column_letter(start + len(group.columns) - 1)
        merges.append(f"{get_column_letter(start)}{top}:{end}{top}")
    rows.append(upper)
    if template.two_levels:
        rows.append(lower)
    if template.code_row:
        rows.append(list(range(1, width + 1)))
    for number in range(template.data_rows):
        rows.append([1000 + 37 * number + column for column in range(width)])
    return workbook_bytes(rows, merges)


@SETTINGS
@given(templates())
def test_generated_template_gives_back_exactly_its_columns(template: Template) -> None:
    report = read_template(build(template), FILENAME)
    assert report.source_format == "xlsx"
    assert report.layout == "horizontal"
    assert report.title == (template.title or "模板")
    expected = [
        (
            column.text,
            section,
            column.unit or template.table_unit,
            column.sub_item,
            str(order + 1) if template.code_row else None,
        )
        for order, (section, column) in enumerate(template.columns)
    ]
    got = [(f.label, f.section, f.unit, f.is_sub_item, f.code) for f in report.fields]
    assert got == expected
    assert [f.order for f in report.fields] == list(range(len(expected)))
    for field in report.fields:
        assert "\n" not in field.name and "其中" not in field.name
        assert field.unit is None or field.unit not in field.name[-len(field.unit) :]


@SETTINGS
@given(templates(min_groups=1).filter(lambda t: len(t.columns) == 1))
def test_a_single_column_is_no_header(template: Template) -> None:
    try:
        read_template(build(template), FILENAME)
    except InvalidInput as error:
        assert error.message == MSG_NO_HEADER
    else:
        raise AssertionError("a one-column sheet was read as a template")


CELL_TEXTS = st.one_of(
    columns().map(lambda column: column.text),
    st.sampled_from(SECTIONS + TITLES),
    st.sampled_from(
        [
            "（万人）",
            "单位：万元",
            "注：本表按月填报",
            "填报人：",
            "其中：",
            "甲",
            "乙",
            "1",
            "2",
            "指标名称",
            "计量单位",
            "代码",
            "项目",
            "一、基本情况",
            "  年  月  日",
            "#",
            "=SUM(A1)",
        ]
    ),  # fmt: skip
    st.integers(-5, 10**6),
    st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=6),
)


@st.composite
def grids(draw: st.DrawFn) -> tuple[list[list[object]], list[str]]:
    height, width = draw(st.integers(1, 8)), draw(st.integers(1, 7))
    rows = [[draw(st.none() | CELL_TEXTS) for _ in range(width)] for _ in range(height)]
    merges = []
    for _ in range(draw(st.integers(0, 4))):
        top, left = draw(st.integers(1, height)), draw(st.integers(1, width))
        bottom, right = draw(st.integers(top, height)), draw(st.integers(left, width))
        if (top, left) != (bottom, right):
            merges.append(f"{get_column_letter(left)}{top}:{get_column_letter(right)}{bottom}")
    return rows, merges


@SETTINGS
@given(grids())
def test_any_grid_is_a_report_or_a_clear_refusal(grid) -> None:
    rows, merges = grid
    data = workbook_bytes(rows, merges)
    try:
        report = read_template(data, FILENAME)
    except InvalidInput as error:
        assert error.message and not error.message.isascii()
        return
    assert report.fields
    assert [f.order for f in report.fields] == list(range(len(report.fields)))
    assert all(f.label.strip() == f.label and f.label for f in report.fields)
