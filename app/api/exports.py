"""GET /api/v1/reports/<code>/data?period=ID: a department's report back (数据回流) as JSON,
one row per org unit in the owner's columns and units (owners their own, reviewers any)."""

from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView
from flask_smorest import Blueprint

from admission.export_periods import export_period
from admission.export_writers import rows_as_json
from admission.exports import export_rows, plan_export
from app.api.schemas import ReportDataSchema
from app.database import get_session
from app.permissions import allow, signed_in_user
from forms_registry.reports.service import readable_report

blueprint = Blueprint("exports_api", __name__, url_prefix="/api/v1", description="数据回流")
BEARER = [{"bearer": []}]


class ReportDataQuerySchema(ma.Schema):
    # Checked in the view, after the scope check, so another department's report is a 404.
    period = ma.fields.String(
        load_default=None,
        metadata={"description": "报表自身的周期：2025-03（月）、2025Q1、2025H1 或 2025（年）"},
    )


@blueprint.route("/reports/<code>/data")
class ReportData(MethodView):
    @allow("reviewer", "owner")
    @blueprint.arguments(ReportDataQuerySchema, location="query")
    @blueprint.alt_response(200, schema=ReportDataSchema, success=True)
    @blueprint.doc(
        security=BEARER,
        description=(
            "报表在某一周期的回流数据：`{report, title, period, columns: [{label, section, unit}],"
            " rows: [{org_code, org_name, values}]}`，数值已换回报表自身的单位，小数为字符串。"
        ),
    )
    def get(self, query, code: str):
        session = get_session()
        report = readable_report(session, signed_in_user(), code)
        plan = plan_export(session, report, export_period(report, query["period"]))
        return rows_as_json(plan, export_rows(session, plan))
