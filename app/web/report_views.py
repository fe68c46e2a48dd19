"""Each department's own report for one org unit and month, read from the one collection."""

from __future__ import annotations

from flask import Blueprint, render_template

from app.database import get_session
from app.permissions import allow, readable_org, signed_in_user
from forms_registry.errors import NotFound
from forms_registry.periods import Period
from forms_registry.reports.service import current_definition, get_report
from prefill.report_view import report_cells
from prefill.value_history import SOURCE_NAMES

blueprint = Blueprint("report_views", __name__)


@blueprint.get("/orgs/<org_code>/forms/<month>/reports/<report_code>")
@allow("filler", "reviewer", "owner")
def show(org_code: str, month: str, report_code: str):
    user = signed_in_user()
    org = readable_org(org_code)
    report = get_report(get_session(), report_code)
    if user.role == "owner" and report.department_id != user.department_id:
        raise NotFound(f"未找到报表：{report_code}")
    reference = Period.parse_month(month)
    period = (
        reference
        if report.frequency == "one_off"
        else Period.ending_in(reference, report.frequency)
    )
    if period is None:
        raise NotFound(f"《{report.title}》在 {reference.id} 没有需要填报的期次")
    cells = report_cells(get_session(), current_definition(report), org, period, reference)
    return render_template(
        "fill/report_view.html",
        report=report,
        org=org,
        period=period,
        month=reference,
        cells=cells,
        source_names=SOURCE_NAMES,
    )
