from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from app.api.schemas import MergedSchemaSchema, MergeQuerySchema, ReportSchema
from app.database import get_session
from app.permissions import allow, signed_in_user
from forms_registry.periods import Period
from forms_registry.reports.merging import merge_versions, mergeable_versions
from forms_registry.reports.service import readable_report, visible_reports

blueprint = Blueprint("reports_api", __name__, url_prefix="/api/v1", description="报表与合并")
BEARER = [{"bearer": []}]


@blueprint.route("/reports")
class Reports(MethodView):
    @allow("reviewer", "owner")
    @blueprint.response(200, ReportSchema(many=True))
    @blueprint.doc(security=BEARER)
    def get(self):
        return visible_reports(get_session(), signed_in_user())


@blueprint.route("/reports/<code>")
class ReportDetail(MethodView):
    @allow("reviewer", "owner")
    @blueprint.response(200, ReportSchema)
    @blueprint.doc(security=BEARER)
    def get(self, code: str):
        return readable_report(get_session(), signed_in_user(), code)


@blueprint.route("/merge")
class Merge(MethodView):
    @allow("reviewer")
    @blueprint.arguments(MergeQuerySchema, location="query")
    @blueprint.alt_response(200, schema=MergedSchemaSchema, success=True)
    @blueprint.doc(
        security=BEARER, description="合并后的一表结构（与 `reportonce merge --json` 相同）"
    )
    def get(self, query):
        codes = [c.strip() for c in (query["reports"] or "").split(",") if c.strip()] or None
        versions = mergeable_versions(get_session(), level=query["level"], report_codes=codes)
        return merge_versions(versions, Period.parse_month(query["period"])).to_json()
