"""What the one collection gives back: each report's submission progress for its owner,
an org unit's own data (数据回流) for its fillers, and the burden dashboard for reviewers."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from markupsafe import Markup

from admission.burden import burden_dashboard
from admission.data_return import org_data
from admission.export_periods import recent_periods, report_period
from admission.progress import (
    STATUS_NAMES,
    report_progress,
    with_progress,
)
from app import clock
from app.admission_settings import burden_settings
from app.charts import Series, grouped_bar_chart
from app.database import get_session
from app.permissions import allow, readable_org, signed_in_user
from forms_registry.reports.service import readable_report, visible_reports
from prefill.value_history import SOURCE_NAMES

blueprint = Blueprint("outputs", __name__)
RECENT_PERIODS = 6


@blueprint.get("/progress")
@allow("reviewer", "owner")
def progress_index():
    session = get_session()
    reports = with_progress(session, visible_reports(session, signed_in_user()))
    return render_template("outputs/progress_index.html", reports=reports)


@blueprint.get("/reports/<code>/progress")
@allow("reviewer", "owner")
def progress(code: str):
    session = get_session()
    report = readable_report(session, signed_in_user(), code)
    today = clock.today()
    period = report_period(report, request.args.get("period"), today)
    result = report_progress(session, report, period, today)
    recent = recent_periods(report, today, RECENT_PERIODS) if report.frequency != "one_off" else []
    return render_template(
        "outputs/progress.html",
        progress=result,
        recent=recent,
        today=today,
        status_names=STATUS_NAMES,
    )


@blueprint.get("/orgs/<org_code>/data")
@allow("reviewer", "filler")
def org_values(org_code: str):
    org = readable_org(org_code)
    page = request.args.get("page", 1, type=int)
    data = org_data(get_session(), org, clock.today(), page=page)
    return render_template("outputs/org_data.html", data=data, source_names=SOURCE_NAMES)


@blueprint.get("/dashboard")
@allow("reviewer")
def dashboard():
    year = request.args.get("year", type=int)
    result = burden_dashboard(get_session(), year, clock.today(), burden_settings())
    chart = grouped_bar_chart(
        [row.township.name for row in result.townships],
        [
            Series("报表字段合计", [row.figures.asked for row in result.townships]),
            Series("合并后字段", [row.figures.unique for row in result.townships]),
            Series("手工填写", [row.figures.typed for row in result.townships]),
        ],
        title=f"{result.year}年各乡镇填报字段：合计、合并后与手工填写",
    )
    # charts.py escapes every text it draws, so the SVG is safe to embed as markup
    return render_template("outputs/dashboard.html", result=result, chart=Markup(chart))
