"""Build small workbooks and zips in memory for importer and file-safety tests."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

Rows = Sequence[Sequence[object]]


def workbook_bytes(
    rows: Rows,
    merges: Iterable[str] = (),
    *,
    extra_sheets: Sequence[tuple[str, Rows, bool]] = (),
    first_sheet_hidden: bool = False,
) -> bytes:
    """An .xlsx whose first sheet holds `rows` (None = empty cell) and `merges` ("A1:F1").

    `extra_sheets` are (title, rows, hidden) added after it."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Sheet1"
    _fill(sheet, rows, merges)
    if first_sheet_hidden:
        sheet.sheet_state = "hidden"
    for title, extra_rows, hidden in extra_sheets:
        extra = workbook.create_sheet(title)
        _fill(extra, extra_rows, ())
        if hidden:
            extra.sheet_state = "hidden"
    if first_sheet_hidden:
        workbook.active = 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _fill(sheet: Worksheet, rows: Rows, merges: Iterable[str]) -> None:
    for row_index, row in enumerate(rows, start=1):
        for col_index, value in enumerate(row, start=1):
            if value is not None:
                sheet.cell(row=row_index, column=col_index, value=value)
    for ref in merges:
        sheet.merge_cells(ref)


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def with_parts(xlsx: bytes, replaced: dict[str, bytes]) -> bytes:
    """A copy of `xlsx` where the named parts are replaced or added."""
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    entries = {name: source.read(name) for name in source.namelist() if name not in replaced}
    entries.update(replaced)
    return zip_bytes(entries)


def read_part(xlsx: bytes, name: str) -> bytes:
    return zipfile.ZipFile(io.BytesIO(xlsx)).read(name)


def simple_xlsx() -> bytes:
    """A valid minimal template: a title row over a one-level header."""
    return workbook_bytes([["示例情况表"], ["村名", "户籍人口（人）"]], ["A1:B1"])


def build_xlsform(
    survey: Rows,
    choices: Rows | None = None,
    settings: Rows | None = None,
) -> bytes:
    """An XLSForm: the `survey` sheet first, then `choices` and `settings` when given."""
    book = Workbook()
    sheet = book.active
    sheet.title = "survey"
    for row in survey:
        sheet.append(list(row))
    for title, rows in (("choices", choices), ("settings", settings)):
        if rows:
            extra = book.create_sheet(title)
            for row in rows:
                extra.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
