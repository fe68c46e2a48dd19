"""A department's report back (数据回流) as a file: CSV (UTF-8 with BOM, so Excel opens the
Chinese text), XLSX (openpyxl write-only, so memory stays constant) or JSON for the API.

The header is the owner's own: one row of labels, or two rows (sections above labels) when
the template had sections. Spreadsheet text is defused against formula injection; numbers
stay numbers, exactly (a number a spreadsheet cannot hold exactly is written as text)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from typing import IO, BinaryIO, TextIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange

from admission.exports import ExportColumn, ExportPlan

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")
EXCEL_DIGITS = 15  # Excel keeps 15 significant digits of a number
TRUE_TEXT, FALSE_TEXT = "是", "否"
LIST_SEPARATOR = "、"
CSV_ROWS_PER_CHUNK = 256
HEADER_FONT = Font(bold=True)
HEADER_ALIGNMENT = Alignment(horizontal="center", vertical="center", wrap_text=True)

Row = list[object]
Formatter = Callable[[object], object]


# ------------------------------------------------------------------ cell text


def neutralise(text: str) -> str:
    """Text a spreadsheet would run as a formula gets a leading apostrophe; NULs go."""
    if text.startswith(FORMULA_STARTS):
        return "'" + text.replace("\0", "")
    return text.replace("\0", "") if "\0" in text else text


def plain_decimal(value: Decimal) -> str:
    """A Decimal as positional text, never exponent notation (1E+4 → 10000)."""
    return format(value, "f")


def _choice_labels(column: ExportColumn) -> dict[str, str]:
    field = column.field
    if field is None or field.element is None:
        return {}
    value_type = field.value_type or field.element.value_type
    if value_type not in ("choice", "multi_choice"):
        return {}
    choices = field.choices or field.element.choices or []
    return {str(choice["value"]): str(choice["label"]) for choice in choices}


def _text_of(value: object, labels: dict[str, str]) -> str:
    """Text of a non-number value: 是/否, choice labels, multi-choice joined with 、."""
    if isinstance(value, bool):
        return TRUE_TEXT if value else FALSE_TEXT
    if isinstance(value, list):
        return LIST_SEPARATOR.join(labels.get(str(item), str(item)) for item in value)
    text = str(value)
    return labels.get(text, text)


# ------------------------------------------------------------------ header


def header_rows(plan: ExportPlan) -> list[list[str]]:
    """[sections, labels] when the template had sections, else [labels]; neutralised."""
    labels = [neutralise(column.label) for column in plan.columns]
    if not plan.has_sections:
        return [labels]
    return [[neutralise(column.section or "") for column in plan.columns], labels]


def section_runs(plan: ExportPlan) -> list[tuple[int, int]]:
    """(first, last) 0-based column indexes of each run of two or more adjacent columns
    under the same section: the cells the XLSX header merges."""
    runs, start = [], 0
    columns = plan.columns
    for index in range(1, len(columns) + 1):
        if index == len(columns) or columns[index].section != columns[start].section:
            if columns[start].section and index - 1 > start:
                runs.append((start, index - 1))
            start = index
    return runs


# ------------------------------------------------------------------ CSV


def _csv_formatter(column: ExportColumn) -> Formatter:
    labels = _choice_labels(column)

    def cell(value: object) -> object:
        if value is None:
            return ""
        if isinstance(value, Decimal):
            return plain_decimal(value)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        return neutralise(_text_of(value, labels))

    return cell


def csv_chunks(plan: ExportPlan, rows: Iterable[Row]) -> Iterator[str]:
    """The CSV text in pieces (BOM and header first), for streaming responses."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write(BOM)
    writer.writerows(header_rows(plan))
    formatters = [_csv_formatter(column) for column in plan.columns]
    pending = 0
    for row in rows:
        writer.writerow([fmt(value) for fmt, value in zip(formatters, row, strict=True)])
        pending += 1
        if pending == CSV_ROWS_PER_CHUNK:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    yield buffer.getvalue()


class _Counted:
    """Iterates `rows` and counts them."""

    def __init__(self, rows: Iterable[Row]) -> None:
        self.rows, self.count = rows, 0

    def __iter__(self) -> Iterator[Row]:
        for row in self.rows:
            self.count += 1
            yield row


def write_csv(plan: ExportPlan, rows: Iterable[Row], stream: TextIO) -> int:
    """Write the CSV to a text stream (open it with newline=""); the number of data rows."""
    counted = _Counted(rows)
    for chunk in csv_chunks(plan, counted):
        stream.write(chunk)
    return counted.count


# ------------------------------------------------------------------ XLSX


def exact_in_excel(value: Decimal) -> bool:
    """Whether a spreadsheet number holds `value` exactly: at most 15 significant digits
    and a binary float that reads back as the same decimal."""
    if not value.is_finite():
        return False
    if len(value.normalize().as_tuple().digits) > EXCEL_DIGITS:
        return False
    number = float(value)
    # openpyxl writes numbers with "%.16g"; both forms must give the decimal back.
    return Decimal(repr(number)) == value and Decimal(f"{number:.16g}") == value


def _xlsx_formatter(column: ExportColumn, sheet) -> Formatter:
    labels = _choice_labels(column)

    def text_cell(text: str) -> object:
        text = ILLEGAL_CHARACTERS_RE.sub("", neutralise(text))
        if text in ERROR_CODES:  # "#N/A" typed as an answer stays text, not an error cell
            cell = WriteOnlyCell(sheet, value=text)
            cell.data_type = "s"
            return cell
        return text

    def cell(value: object) -> object:
        if value is None:
            return None
        if isinstance(value, Decimal):
            return value if exact_in_excel(value) else plain_decimal(value)
        if isinstance(value, int) and not isinstance(value, bool):
            return value if abs(value) < 10**EXCEL_DIGITS else str(value)
        return text_cell(_text_of(value, labels))

    return cell


def _column_width(column: ExportColumn) -> float:
    wide = sum(2 if ord(char) > 0x2E7F else 1 for char in column.label)  # CJK is two wide
    return float(min(40, max(8, wide + 2)))


def _sheet_title(plan: ExportPlan) -> str:
    return f"{plan.report.code} {plan.period.id}"[:31]


def write_xlsx(plan: ExportPlan, rows: Iterable[Row], target: str | BinaryIO | IO[bytes]) -> int:
    """Write the workbook to a path or binary stream; the number of data rows."""
    workbook = Workbook(write_only=True)
    workbook.properties.title = plan.report.title
    workbook.properties.creator = "ReportOnce 只报一次"
    sheet = workbook.create_sheet(_sheet_title(plan))
    for index, column in enumerate(plan.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = _column_width(column)
    headers = header_rows(plan)
    sheet.freeze_panes = f"A{len(headers) + 1}"
    runs = section_runs(plan)
    covered = {index for first, last in runs for index in range(first + 1, last + 1)}
    for number, header in enumerate(headers):
        merged = number == 0 and len(headers) == 2
        sheet.append(
            [
                _header_cell(sheet, "" if merged and index in covered else text)
                for index, text in enumerate(header)
            ]
        )
    for first, last in runs:  # write-only sheets still write `merged_cells` at the end
        sheet.merged_cells.add(CellRange(min_col=first + 1, min_row=1, max_col=last + 1, max_row=1))
    formatters = [_xlsx_formatter(column, sheet) for column in plan.columns]
    count = 0
    for row in rows:
        sheet.append([fmt(value) for fmt, value in zip(formatters, row, strict=True)])
        count += 1
    workbook.save(target)
    return count


def _header_cell(sheet, text: str) -> WriteOnlyCell:
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    cell = WriteOnlyCell(sheet, value=text or None)
    if text:
        cell.data_type = "s"  # a label is never a formula or an error code
    cell.font, cell.alignment = HEADER_FONT, HEADER_ALIGNMENT
    return cell


# ------------------------------------------------------------------ JSON


def _json_value(value: object) -> object:
    return plain_decimal(value) if isinstance(value, Decimal) else value


def rows_as_json(plan: ExportPlan, rows: Iterable[Row]) -> dict:
    """The export for the API: values as the owner's units give them, Decimals as exact
    strings, text as typed (defusing formulas is a spreadsheet matter)."""
    kinds = [column.kind for column in plan.columns]
    code_at, name_at = kinds.index("org_code"), kinds.index("org_name")
    return {
        "report": plan.report.code,
        "title": plan.report.title,
        "period": plan.period.id,
        "columns": [
            {"label": column.label, "section": column.section, "unit": column.unit}
            for column in plan.columns
        ],
        "rows": [
            {
                "org_code": row[code_at],
                "org_name": row[name_at],
                "values": [_json_value(value) for value in row],
            }
            for row in rows
        ],
    }
