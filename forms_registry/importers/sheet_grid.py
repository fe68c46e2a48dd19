"""A worksheet read into a sparse grid of non-empty texts plus its merged ranges.

The sheet XML is streamed (through defusedxml) instead of trusting its declared
dimension: a template may declare millions of cells and hold six. Reading stops with a
clear error as soon as the real content, the cells present or the merges exceed limits.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING
from xml.etree.ElementTree import Element

from defusedxml.ElementTree import iterparse
from openpyxl.utils.cell import coordinate_to_tuple, range_boundaries

from forms_registry.errors import InvalidInput
from forms_registry.importers.safety import translate_parse_error

if TYPE_CHECKING:
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

MAX_CONTENT_ROWS = 2_000
MAX_CONTENT_COLUMNS = 500
MAX_PRESENT_CELLS = 1_000_000  # <c> elements, styled empty ones included
MAX_MERGES = 2_000


def msg_sheet_too_large(sheet: str) -> str:
    return (
        f"工作表“{sheet}”内容过多：最多支持 {MAX_CONTENT_ROWS} 行、{MAX_CONTENT_COLUMNS} 列"
        "有内容的单元格，请删除多余内容后再上传"
    )


@dataclass(frozen=True)
class Span:
    """A merged range, 1-based and inclusive."""

    min_row: int
    min_col: int
    max_row: int
    max_col: int

    @property
    def width(self) -> int:
        return self.max_col - self.min_col + 1


class Grid:
    def __init__(self, values: dict[tuple[int, int], str], spans: list[Span]) -> None:
        self.values = values
        self.rows: list[int] = sorted({row for row, _ in values})
        self._anchored = {(span.min_row, span.min_col): span for span in spans}
        self._cells_by_row: dict[int, list[tuple[int, str]]] = defaultdict(list)
        for (row, col), text in sorted(values.items()):
            self._cells_by_row[row].append((col, text))
        # Index each merge under the rows a reader may ask about: the content rows it
        # covers (a merge may claim a million rows) and its own first rows, since a lower
        # header row can be empty apart from cells merged down into it.
        self._spans_by_row: dict[int, list[Span]] = defaultdict(list)
        for span in spans:
            start = bisect.bisect_left(self.rows, span.min_row)
            end = bisect.bisect_right(self.rows, span.max_row)
            covered = set(self.rows[start:end])
            covered.update(range(span.min_row, min(span.max_row, span.min_row + 3) + 1))
            for row in covered:
                self._spans_by_row[row].append(span)

    def row_cells(self, row: int) -> list[tuple[int, str]]:
        """Non-empty cells of a row, left to right."""
        return self._cells_by_row.get(row, [])

    def span_at(self, row: int, col: int) -> Span | None:
        """The merge whose top-left cell is (row, col), if any."""
        return self._anchored.get((row, col))

    def anchor_of(self, row: int, col: int) -> tuple[int, int]:
        if (row, col) in self.values:
            return row, col
        for span in self._spans_by_row.get(row, ()):
            if span.min_row <= row <= span.max_row and span.min_col <= col <= span.max_col:
                return span.min_row, span.min_col
        return row, col

    def text(self, row: int, col: int) -> str:
        """The text shown at (row, col): a merged cell shows its top-left cell's text."""
        return self.values.get(self.anchor_of(row, col), "")

    def next_row(self, row: int) -> int | None:
        index = bisect.bisect_right(self.rows, row)
        return self.rows[index] if index < len(self.rows) else None


def read_sheet(worksheet: ReadOnlyWorksheet) -> Grid:
    """Stream a sheet of a workbook from `open_workbook` into a Grid (openpyxl's read-only
    sheet exposes no merged ranges, and its rows would trust the declared dimension)."""
    try:
        with worksheet._get_source() as source:
            return read_grid(worksheet.title, source, worksheet._shared_strings)
    except Exception as exc:
        raise translate_parse_error(exc) from exc


def read_grid(sheet_title: str, source: IO[bytes], shared_strings: Sequence[object]) -> Grid:
    """Stream one worksheet part (a binary file object) into a Grid."""
    values: dict[tuple[int, int], str] = {}
    spans: list[Span] = []
    content_rows: set[int] = set()
    content_cols: set[int] = set()
    present = 0
    row_index = col_index = 0
    too_large = InvalidInput(msg_sheet_too_large(sheet_title))
    for event, element in iterparse(source, events=("start", "end")):
        tag = element.tag.rsplit("}", 1)[-1]
        if event == "start":
            if tag == "row":
                row_attr = element.get("r")
                row_index = int(row_attr) if row_attr else row_index + 1
                col_index = 0
            continue
        if tag == "c":
            present += 1
            if present > MAX_PRESENT_CELLS:
                raise too_large
            coordinate = element.get("r")
            if coordinate:
                row_index, col_index = coordinate_to_tuple(coordinate)
            else:
                col_index += 1
            text = _cell_text(element, shared_strings)
            element.clear()
            if not text.strip():
                continue
            values[(row_index, col_index)] = text
            content_rows.add(row_index)
            content_cols.add(col_index)
            if len(content_rows) > MAX_CONTENT_ROWS or len(content_cols) > MAX_CONTENT_COLUMNS:
                raise too_large
        elif tag == "row":
            element.clear()
        elif tag == "mergeCell":
            ref = element.get("ref")
            element.clear()
            if ref and ":" in ref:
                if len(spans) >= MAX_MERGES:
                    raise too_large
                min_col, min_row, max_col, max_row = range_boundaries(ref)
                spans.append(Span(min_row, min_col, max_row, max_col))
    return Grid(values, spans)


def _cell_text(cell: Element, shared_strings: Sequence[object]) -> str:
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        return "".join(_inline_runs(cell))
    raw = None
    for child in cell:
        if child.tag.rsplit("}", 1)[-1] == "v":
            raw = child.text
            break
    if raw is None:
        return ""
    if kind == "s":
        index = int(raw)
        if not 0 <= index < len(shared_strings):
            return ""
        value = shared_strings[index]
        return value if isinstance(value, str) else str(value)
    return raw


def _inline_runs(cell: Element) -> Iterator[str]:
    for inline in cell:
        if inline.tag.rsplit("}", 1)[-1] != "is":
            continue
        for part in inline:
            name = part.tag.rsplit("}", 1)[-1]
            if name == "t":
                yield part.text or ""
            elif name == "r":  # rich text run; phonetic guides (rPh) are skipped
                for run_part in part:
                    if run_part.tag.rsplit("}", 1)[-1] == "t":
                        yield run_part.text or ""
