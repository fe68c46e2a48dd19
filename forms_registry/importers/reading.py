"""One entry point for every template format: XLSX template, XLSForm or JSON definition."""

from __future__ import annotations

import io
import re
import zipfile

from forms_registry.errors import InvalidInput
from forms_registry.importers.json_definition import read_json_definition
from forms_registry.importers.model import ImportedReport
from forms_registry.importers.safety import check_spreadsheet_bytes
from forms_registry.importers.xlsform import read_xlsform
from forms_registry.importers.xlsx_template import read_xlsx_template

SURVEY_SHEET = re.compile(rb'<sheet\b[^>]*\bname="survey"', re.IGNORECASE)


def detect_format(data: bytes, filename: str) -> str:
    """ "json", "xlsform" (a workbook with a `survey` sheet) or "xlsx"."""
    if filename.lower().endswith(".json") or data.lstrip()[:1] in (b"{", b"["):
        return "json"
    check_spreadsheet_bytes(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        workbook_xml = archive.read("xl/workbook.xml")[:200_000]
    return "xlsform" if SURVEY_SHEET.search(workbook_xml) else "xlsx"


def read_template(data: bytes, filename: str = "") -> ImportedReport:
    if not data:
        raise InvalidInput("文件为空")
    kind = detect_format(data, filename)
    if kind == "json":
        return read_json_definition(data)
    if kind == "xlsform":
        return read_xlsform(data, filename or "form.xlsx")
    return read_xlsx_template(data, filename)
