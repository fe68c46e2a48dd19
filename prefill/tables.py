"""Rows of a CSV or XLSX file as text cells (shared data imports, Excel round trips)."""

from __future__ import annotations

import csv
import io

from forms_registry.errors import InvalidInput
from forms_registry.importers.safety import open_workbook

MAX_ROWS = 200_000


def read_rows(data: bytes, filename: str) -> list[list[str]]:
    if filename.lower().endswith(".csv"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InvalidInput("文件编码须为 UTF-8（Excel 请另存为“CSV UTF-8”）") from exc
        rows = [row for row in csv.reader(io.StringIO(text))]
    else:
        workbook = open_workbook(data)
        try:
            sheet = workbook.worksheets[0]
            rows = [
                ["" if cell is None else _text(cell) for cell in row]
                for row in sheet.iter_rows(values_only=True)
            ]
        finally:
            workbook.close()
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if len(rows) > MAX_ROWS:
        raise InvalidInput(f"文件超过 {MAX_ROWS} 行，请分批导入")
    return rows


def _text(cell: object) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if hasattr(cell, "isoformat"):
        return cell.isoformat()[:10]
    return str(cell)
