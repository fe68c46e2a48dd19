"""Departments download their own report back (数据回流) as CSV or XLSX: GET
/reports/<code>/export?period=ID&format=csv|xlsx. Owners their own reports, reviewers any."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from tempfile import SpooledTemporaryFile
from urllib.parse import quote

from flask import Blueprint, Response, request, stream_with_context
from werkzeug.wsgi import wrap_file

from admission.export_periods import export_period, period_label, recent_periods
from admission.export_writers import csv_chunks, write_xlsx
from admission.exports import ExportPlan, export_rows, plan_export
from app import clock
from app.database import get_session
from app.permissions import allow, signed_in_user
from forms_registry.errors import InvalidInput
from forms_registry.reports.models import Report
from forms_registry.reports.service import readable_report

blueprint = Blueprint("exports", __name__, url_prefix="/reports")

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SPOOL_IN_MEMORY = 8 * 1024 * 1024  # larger workbooks go to a temporary file
FORMAT_MESSAGE = "导出格式应为 csv 或 xlsx"


def export_format(text: str | None) -> str:
    chosen = (text or "xlsx").strip().lower()
    if chosen not in ("csv", "xlsx"):
        raise InvalidInput(FORMAT_MESSAGE, details={"format": FORMAT_MESSAGE})
    return chosen


def attachment(filename: str, fallback: str) -> str:
    """Content-Disposition with an ASCII fallback and the UTF-8 name (RFC 5987/6266)."""
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _names(plan: ExportPlan, extension: str) -> tuple[str, str]:
    code, period = plan.report.code, plan.period.id
    title = "".join(char for char in plan.report.title if char not in '\\/:*?"<>|\r\n\t')
    return f"{title}_{code}_{period}.{extension}", f"{code}_{period}.{extension}"


def _encoded(chunks: Iterable[str]) -> Iterator[bytes]:
    for chunk in chunks:
        yield chunk.encode("utf-8")


def _download(body, mimetype: str, plan: ExportPlan, extension: str) -> Response:
    response = Response(body, mimetype=mimetype, direct_passthrough=True)
    response.headers["Content-Disposition"] = attachment(*_names(plan, extension))
    response.headers["Cache-Control"] = "private, no-store"
    return response


@blueprint.get("/<code>/export")
@allow("reviewer", "owner")
def download(code: str):
    session = get_session()
    report = readable_report(session, signed_in_user(), code)
    period = export_period(report, request.args.get("period"))
    chosen = export_format(request.args.get("format"))
    plan = plan_export(session, report, period)
    if chosen == "csv":
        body = stream_with_context(_encoded(csv_chunks(plan, export_rows(session, plan))))
        return _download(body, CSV_TYPE, plan, "csv")
    spool = SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115 (closed by wrap_file)
    write_xlsx(plan, export_rows(session, plan), spool)
    size = spool.tell()
    spool.seek(0)
    response = _download(wrap_file(request.environ, spool), XLSX_TYPE, plan, "xlsx")
    response.content_length = size
    return response


def export_periods(report: Report) -> list[tuple[str, str]]:
    """(id, label) of the report's recent ended periods, newest first, for the form."""
    return [(p.id, period_label(p)) for p in recent_periods(report, clock.today())]


@blueprint.app_context_processor
def export_helpers() -> dict:
    return {"export_periods": export_periods}
