"""Rows of a CSV or XLSX file as text cells (shared data imports, Excel round trips)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from forms_registry.errors import InvalidInput
from forms_registry.importers.safety import open_workbook, translate_parse_error

MAX_ROWS = 200_000
MAX_COLUMNS = 1_000
MSG_TOO_MANY_ROWS = f"文件超过 {MAX_ROWS} 行，请分批导入"
MSG_TOO_MANY_COLUMNS = f"文件超过 {MAX_COLUMNS} 列，请删除多余的列后再导入"


def read_rows(data: bytes, filename: str) -> list[list[str]]:
    """The non-empty rows; refused as soon as they are more than MAX_ROWS or wider than
    MAX_COLUMNS, so a hostile file is never taken in whole."""
    if filename.lower().endswith(".csv"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InvalidInput("文件编码须为 UTF-8（Excel 请另存为“CSV UTF-8”）") from exc
        return _kept(csv.reader(io.StringIO(text)))
    workbook = open_workbook(data)
    try:
        sheet = workbook.worksheets[0]
        # The declared dimension is not trusted: openpyxl would pad every row to it (a
        # sheet may claim A1:XFD1048576 and hold two cells).
        sheet.reset_dimensions()
        return _kept(_texts(values) for values in sheet.iter_rows(values_only=True))
    except InvalidInput:
        raise
    except Exception as exc:  # the sheet is parsed lazily, while the rows are read
        raise translate_parse_error(exc) from exc
    finally:
        workbook.close()


def _texts(values: Sequence[object]) -> list[str]:
    if len(values) > MAX_COLUMNS:
        raise InvalidInput(MSG_TOO_MANY_COLUMNS)
    if values.count(None) == len(values):  # empty or only formatted: skipped at C speed
        return []
    return ["" if cell is None else _text(cell) for cell in values]


def _kept(rows: Iterable[list[str]]) -> list[list[str]]:
    kept: list[list[str]] = []
    for row in rows:
        if len(row) > MAX_COLUMNS:
            raise InvalidInput(MSG_TOO_MANY_COLUMNS)
        if any(cell.strip() for cell in row):
            kept.append(row)
            if len(kept) > MAX_ROWS:
                raise InvalidInput(MSG_TOO_MANY_ROWS)
    return kept


def _text(cell: object) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if hasattr(cell, "isoformat"):
        return cell.isoformat()[:10]
    return str(cell)
