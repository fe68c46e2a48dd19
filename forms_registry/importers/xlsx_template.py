"""Read a report template as county departments send it (XLSX) into an ImportedReport.

Layout heuristics, top to bottom: a title row and note rows (填报单位：…, 单位：万元),
then the header row(s) — one or two levels, the upper level merged over the columns it
groups — then an optional code row (甲 乙 1 2 …), then data or note rows. A statistical
form with one indicator per row (指标名称 | 代码 | 计量单位 | 数值) is read row-wise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePath

from forms_registry.errors import InvalidInput
from forms_registry.importers.label_parsing import (
    ParsedLabel,
    clean_inner_whitespace,
    is_unit_only,
    is_whereof_heading,
    is_yes_no,
    parse_label,
    split_unit,
    unit_from_note,
)
from forms_registry.importers.model import ImportedField, ImportedReport
from forms_registry.importers.safety import open_workbook
from forms_registry.importers.sheet_grid import Grid, read_sheet
from forms_registry.matching.roles import detect_role

MSG_NO_HEADER = "未找到表头行：模板中应有一行至少包含两个列标题，请检查模板后再上传"
MAX_HEADER_LEVELS = 3
MAX_SHEETS = 50

_NOTE_PREFIX = re.compile(
    r"^(?:注|说明|备注|填表说明|填报说明|附注|资料来源|数据来源)\s*[:：\d、.．（(]"
)
# "单位：万元", "填报单位（乡镇医保工作站）：": a short label, perhaps with a bracketed
# remark, then a colon; or any cell ending in a colon, waiting for its value.
_LABELLED_NOTE = re.compile(r"^[^:：（(]{1,10}(?:[（(][^)）]*[)）])?[:：]|[:：]\s*$")
# A period to be filled in: "2025年  月  日", "    年第  季度", "年上/下半年", "2025年度".
_DATE_PLACEHOLDER = re.compile(
    r"^[\s\d_＿]*年度?[\s\d_＿]*"
    r"(?:(?:第[\s\d_＿]*)?季度?|[上下/／（）()\s]*半年|月[\s\d_＿]*(?:日)?)?\s*$"
    r"|^[（(]\s*盖章\s*[)）]$"
)
_PREAMBLE = re.compile(
    r"^(?:(?:附件|附表)\s*[\d一二三四五六七八九十]*|表\s*[\d一二三四五六七八九十]+)(?:[-－]\d+)?\s*[:：]?$"
)
_SEAL = re.compile(r"盖章|签字|签章")
_CODE_CELL = re.compile(r"^(?:[甲乙丙丁戊己庚辛壬癸]|[A-Za-z]|\d{1,3})$")
_NUMBER = re.compile(r"^[-+]?\d+(?:\.\d+)?%?$")
_SECTION_HEADING = re.compile(r"^[一二三四五六七八九十]+[、.．]")
# A dash or slash in the unit or code cell of a statistical form marks "not applicable":
# caption rows ("一、户籍人口 | — | —") carry them instead of leaving the cells blank.
_NOT_APPLICABLE = re.compile(r"^[—–\-－─/／]+$")
_BRACKETED = re.compile(r"[（(【\[][^（）()【】\[\]]*[)）】\]]")
_OWNER_NOTE = re.compile(
    r"(?:制定机关|制表机关|制表单位|制发单位|发文单位|主管部门)\s*[:：]\s*(\S+)"
)

_VERTICAL_NAME_HEADERS = frozenset({"指标名称", "指标", "项目", "项目名称", "名称", "主要指标"})
_VERTICAL_UNIT_HEADERS = frozenset({"计量单位", "单位"})
_VERTICAL_CODE_HEADERS = frozenset({"代码", "编码", "代号", "行次", "指标代码"})

_FREQUENCY_WORDS = (
    # not a span a note defines something by: "外出半年以上的党员", "半年（含）以上"
    ("half_yearly", re.compile(r"半年(?![（(]?含?[)）]?(?:及|或)?以[上下内])")),
    ("quarterly", re.compile(r"季报|季度|季表|按季|每季")),
    ("monthly", re.compile(r"月报|月度|月表|按月|每月|月份")),
    ("yearly", re.compile(r"年报|年度|年表|全年|按年|每年|年终")),
)
_FILENAME_FREQUENCY_WORDS = (
    ("half_yearly", re.compile(r"half[\W_]?year|semi[\W_]?annual|biannual")),
    ("quarterly", re.compile(r"quarter")),
    ("monthly", re.compile(r"month")),
    ("yearly", re.compile(r"year|annual")),
)
# Identity columns naming the reporting unit, brackets removed: 村（社区）名称 → 村名称.
_ORG_COLUMN = re.compile(
    r"^(?:所属|所在)?(?P<org>行政村|自然村|村民委员会|居民委员会|村委会|居委会|村居|村|社区"
    r"|乡镇街道|乡镇|街道|乡|镇)(?:名称|名字|名)?$"
)
_VILLAGE_ORGS = frozenset(
    {"行政村", "自然村", "村民委员会", "居民委员会", "村委会", "居委会", "村居", "村", "社区"}
)
_TITLE_LEVELS = (
    ("village", re.compile(r"村级|村[（(]社区[)）]|村[（(]居[)）]|行政村|村委会|居委会|村居|各村")),
    ("township", re.compile(r"乡镇|乡[（(]镇[)）]|街道|乡级|镇级")),
    ("county", re.compile(r"县级|县[（(]市、?区[)）]")),
)
# Columns that hold text, so a table-wide "单位：万元" does not apply to them.
_TEXT_COLUMN = re.compile(
    r"(?:名称|名字|名|代码|编码|编号|序号|填报人|填表人|审核人|负责人|联系人|电话|手机|日期|时间"
    r"|备注|说明|地址)$"
)


def _counts_something(parsed: ParsedLabel) -> bool:
    """Whether a column without a unit of its own takes the table's (单位：家、处): not a
    text or yes/no column, nor one naming the reporting unit ("乡镇（街道）"), which a
    note's unit would otherwise turn into a count of townships."""
    return (
        not parsed.yes_no
        and not _TEXT_COLUMN.search(parsed.name)
        and detect_role(parsed.label, parsed.name) is None
    )


@dataclass
class _Header:
    """Where the table's header sits."""

    first_row: int
    last_row: int
    first_col: int
    last_col: int


def read_xlsx_template(data: bytes, filename: str = "") -> ImportedReport:
    workbook = open_workbook(data)
    try:
        sheets = [ws for ws in workbook.worksheets if ws.sheet_state == "visible"][:MAX_SHEETS]
        for worksheet in sheets:
            report = _read_grid_as_report(
                read_sheet(worksheet), fallback_title=PurePath(filename).stem or worksheet.title
            )
            if report is not None:
                _infer_report_facts(report, filename)
                return report
    finally:
        workbook.close()
    raise InvalidInput(MSG_NO_HEADER)


def _read_grid_as_report(grid: Grid, *, fallback_title: str) -> ImportedReport | None:
    title, notes, header_row = _find_title_notes_and_header(grid)
    if header_row is None:
        return None
    header = _header_extent(grid, header_row)
    codes_row = _code_row(grid, header)
    body_start = codes_row if codes_row is not None else header.last_row
    table_unit = next((u for u in map(unit_from_note, notes) if u), None)
    report = ImportedReport(title=title or fallback_title, fields=[], source_format="xlsx")
    vertical = _is_vertical_header(grid, header)
    if vertical:
        report.layout = "vertical"
        report.fields, below_notes = _vertical_fields(grid, header, body_start, table_unit)
    if not vertical or not report.fields:  # "项目 | 单位 | …" may also head a plain list
        report.layout = "horizontal"
        codes = (
            {col: grid.text(codes_row, col).strip() for col in _columns(header)}
            if codes_row
            else {}
        )
        report.fields = _horizontal_fields(grid, header, codes, table_unit)
        below_notes = _notes_below(grid, body_start)
    report.notes = notes + below_notes
    return report if report.fields else None


# ---------------------------------------------------------------- title, notes, header row


def _find_title_notes_and_header(grid: Grid) -> tuple[str | None, list[str], int | None]:
    title: str | None = None
    notes: list[str] = []
    for row in grid.rows:
        cells = [text.strip() for _, text in grid.row_cells(row)]
        note_cells = [text for text in cells if _looks_like_note(text)]
        others = [text for text in cells if not _looks_like_note(text)]
        if len(others) >= 2:
            return title, notes, row
        for text in others:
            if title is None and not _PREAMBLE.match(clean_inner_whitespace(text)):
                title = clean_inner_whitespace(text)
            else:
                notes.append(text)
        if note_cells:
            notes.append("  ".join(note_cells))
    return title, notes, None


def _looks_like_note(text: str) -> bool:
    stripped = text.strip()
    if parse_label(stripped).is_sub_item:
        return False
    return bool(
        _NOTE_PREFIX.match(stripped)
        or _LABELLED_NOTE.match(stripped)
        or _DATE_PLACEHOLDER.match(stripped)
        or _SEAL.search(stripped)
    )


def _is_header_text(text: str) -> bool:
    stripped = text.strip()
    return bool(stripped) and not _NUMBER.match(stripped) and not _looks_like_note(stripped)


def _header_extent(grid: Grid, first_row: int) -> _Header:
    cols = [col for col, _ in grid.row_cells(first_row)]
    last_col = max(cols)
    for col in cols:
        if span := grid.span_at(first_row, col):
            last_col = max(last_col, span.max_col)
    header = _Header(first_row, first_row, min(cols), last_col)
    _extend_by_merges(grid, header)
    if header.last_row == first_row:
        _extend_by_unmerged_sub_headers(grid, header)
    return header


def _extend_by_merges(grid: Grid, header: _Header) -> None:
    """Vertical merges and group cells (merged across columns, sub-headers below) add rows."""
    limit = header.first_row + MAX_HEADER_LEVELS - 1
    changed = True
    while changed:
        changed = False
        for row in range(header.first_row, header.last_row + 1):
            for col in _columns(header):
                span = grid.span_at(row, col)
                if span is None or not grid.values.get((row, col)):
                    continue
                bottom = min(span.max_row, limit)
                children_row = span.max_row + 1
                if (
                    span.width > 1
                    and children_row <= limit
                    and _has_header_text(grid, children_row, span.min_col, span.max_col)
                ):
                    bottom = children_row
                if bottom > header.last_row:
                    header.last_row = bottom
                    changed = True


def _extend_by_unmerged_sub_headers(grid: Grid, header: _Header) -> None:
    """Two header rows without merges: the upper one leaves gaps the lower one fills, or
    the lower one holds only the units of the columns above."""
    below = header.first_row + 1
    lower = [(col, text) for col, text in grid.row_cells(below) if col >= header.first_col]
    if not lower or not all(_is_header_text(text) for _, text in lower):
        return
    last_col = max(header.last_col, max(col for col, _ in lower))
    if all(is_unit_only(text) for _, text in lower):  # "户籍人口" over "（万人）"
        header.last_row = below
        return
    gaps = [col for col, _ in lower if not grid.text(header.first_row, col)]
    if gaps and all(_group_start(grid, header, col) is not None for col in gaps):
        header.last_row = below
        header.last_col = last_col


def _group_start(grid: Grid, header: _Header, col: int) -> int | None:
    """For an empty upper cell: the column of the upper cell to its left that groups it."""
    row = header.first_row
    left_cols = [left for left, _ in grid.row_cells(row) if header.first_col <= left < col]
    if not left_cols:
        return None
    left = left_cols[-1]
    return left if grid.text(row + 1, left) else None


def _has_header_text(grid: Grid, row: int, first_col: int, last_col: int) -> bool:
    return any(
        _is_header_text(text) for col, text in grid.row_cells(row) if first_col <= col <= last_col
    )


def _columns(header: _Header) -> range:
    return range(header.first_col, header.last_col + 1)


def _code_row(grid: Grid, header: _Header) -> int | None:
    """A row of column codes (甲 乙 丙 1 2 3 …) printed right under a statistical header."""
    row = header.last_row + 1
    cells = [text.strip() for col, text in grid.row_cells(row) if col in _columns(header)]
    if (
        len(cells) >= 2
        and len(set(cells)) == len(cells)
        and all(_CODE_CELL.match(c) for c in cells)
    ):
        return row
    return None


# ---------------------------------------------------------------- horizontal layout


def _horizontal_fields(
    grid: Grid, header: _Header, codes: dict[int, str], table_unit: str | None
) -> list[ImportedField]:
    fields: list[ImportedField] = []
    for col in _columns(header):
        levels = _column_levels(grid, header, col)
        if not levels:
            continue
        *uppers, leaf = levels
        label = leaf.strip()
        if uppers and is_unit_only(leaf) and _spans_one_column(grid, header, col, uppers[-1]):
            label = uppers.pop().strip() + label
        # A heading "其中" over several leaves makes each a part of the column before them.
        kept = [text for text in uppers if not is_whereof_heading(text)]
        under_whereof = len(kept) < len(uppers)
        uppers = kept
        parsed = parse_label(label)
        section = " / ".join(clean_inner_whitespace(text) for text in uppers) or None
        unit = parsed.unit
        if unit is None and uppers and not parsed.yes_no:
            unit = split_unit(clean_inner_whitespace(uppers[-1]))[1]
        if unit is None and table_unit and _counts_something(parsed):
            unit = table_unit
        fields.append(
            ImportedField(
                label=parsed.label,
                name=parsed.name,
                order=len(fields),
                section=section,
                unit=unit,
                is_sub_item=parsed.is_sub_item or under_whereof,
                value_type="boolean" if parsed.yes_no else None,
                code=codes.get(col) or None,
            )
        )
    return fields


def _column_levels(grid: Grid, header: _Header, col: int) -> list[str]:
    """The distinct header texts above one column, top to bottom."""
    seen: set[tuple[int, int]] = set()
    levels: list[str] = []
    for row in range(header.first_row, header.last_row + 1):
        anchor = grid.anchor_of(row, col)
        text = grid.values.get(anchor, "")
        if text.strip() and anchor not in seen:
            seen.add(anchor)
            levels.append(text)
    if (
        header.last_row > header.first_row
        and not grid.text(header.first_row, col)
        and (group_col := _group_start(grid, header, col)) is not None
        and grid.span_at(header.first_row, group_col) is None
    ):
        levels.insert(0, grid.text(header.first_row, group_col))
    return levels


def _spans_one_column(grid: Grid, header: _Header, col: int, upper: str) -> bool:
    for row in range(header.first_row, header.last_row + 1):
        anchor = grid.anchor_of(row, col)
        if grid.values.get(anchor) == upper:
            span = grid.span_at(*anchor)
            return span is None or span.width == 1
    return False


def _notes_below(grid: Grid, last_table_row: int) -> list[str]:
    notes = []
    for row in grid.rows:
        if row <= last_table_row:
            continue
        cells = [text.strip() for _, text in grid.row_cells(row)]
        if cells and all(_looks_like_note(text) for text in cells):
            notes.append("  ".join(cells))
    return notes


# ---------------------------------------------------------------- vertical layout


def _is_vertical_header(grid: Grid, header: _Header) -> bool:
    names = {_bare(grid.text(header.first_row, col)) for col in _columns(header)}
    return bool(names & _VERTICAL_NAME_HEADERS) and bool(names & _VERTICAL_UNIT_HEADERS)


def _bare(text: str) -> str:
    return _BRACKETED.sub("", clean_inner_whitespace(text))


def _vertical_fields(
    grid: Grid, header: _Header, body_start: int, table_unit: str | None
) -> tuple[list[ImportedField], list[str]]:
    role_of = {col: _bare(grid.text(header.first_row, col)) for col in _columns(header)}
    name_col = next(col for col, text in role_of.items() if text in _VERTICAL_NAME_HEADERS)
    unit_col = next(col for col, text in role_of.items() if text in _VERTICAL_UNIT_HEADERS)
    code_col = next((col for col, text in role_of.items() if text in _VERTICAL_CODE_HEADERS), None)
    fields: list[ImportedField] = []
    notes: list[str] = []
    section: str | None = None
    for row in grid.rows:
        if row <= body_start:
            continue
        cells = [text.strip() for _, text in grid.row_cells(row)]
        if all(_looks_like_note(text) for text in cells):
            notes.append("  ".join(cells))
            continue
        name_text = grid.text(row, name_col).strip()
        if not name_text:
            continue
        unit_text = _applicable(clean_inner_whitespace(grid.text(row, unit_col)))
        code_text = _applicable(grid.text(row, code_col).strip()) if code_col else ""
        if not unit_text and not code_text and _SECTION_HEADING.match(name_text):
            section = clean_inner_whitespace(name_text)
            continue
        parsed = parse_label(name_text)
        yes_no = parsed.yes_no or is_yes_no(unit_text)
        unit = None if yes_no else unit_text or parsed.unit
        if not unit and table_unit and not yes_no and _counts_something(parsed):
            unit = table_unit
        fields.append(
            ImportedField(
                label=parsed.label,
                name=parsed.name,
                order=len(fields),
                section=section,
                unit=unit or None,
                is_sub_item=parsed.is_sub_item,
                value_type="boolean" if yes_no else None,
                code=code_text or None,
            )
        )
    return fields, notes


def _applicable(text: str) -> str:
    return "" if _NOT_APPLICABLE.match(text) else text


# ---------------------------------------------------------------- frequency, level, owner


def _infer_report_facts(report: ImportedReport, filename: str) -> None:
    texts = [report.title, *report.notes]
    stem = PurePath(filename).stem
    report.frequency = _frequency_from(texts + [stem], stem.lower())
    from_columns = _level_from_columns(report.fields) if report.layout == "horizontal" else None
    report.level = from_columns or _level_from_title(report.title)
    for note in report.notes:
        if match := _OWNER_NOTE.search(note):
            report.owner = match.group(1)
            break


def _frequency_from(texts: list[str], ascii_stem: str) -> str | None:
    for text in texts:
        compact = clean_inner_whitespace(text)
        for frequency, pattern in _FREQUENCY_WORDS:
            if pattern.search(compact):
                return frequency
    for frequency, pattern in _FILENAME_FREQUENCY_WORDS:
        if pattern.search(ascii_stem):
            return frequency
    return None


def _level_from_columns(fields: list[ImportedField]) -> str | None:
    levels = set()
    for field in fields:
        if field.unit is not None:
            continue
        match = _ORG_COLUMN.match(_BRACKETED.sub("", field.name))
        if match:
            levels.add("village" if match.group("org") in _VILLAGE_ORGS else "township")
    for level in ("village", "township"):
        if level in levels:
            return level
    return None


def _level_from_title(title: str) -> str | None:
    for level, pattern in _TITLE_LEVELS:
        if pattern.search(title):
            return level
    return None
