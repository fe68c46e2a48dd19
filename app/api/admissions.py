from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from admission.queries import admission_by_code, valid_admissions
from app import clock
from app.api.schemas import AdmissionQuerySchema, AdmissionSchema, AdmissionStandingSchema
from app.database import get_session
from app.permissions import PUBLIC, allow

blueprint = Blueprint(
    "admissions_api", __name__, url_prefix="/api/v1/admissions", description="报表准入（公开）"
)


@blueprint.route("")
class Admissions(MethodView):
    @allow(PUBLIC)
    @blueprint.arguments(AdmissionQuerySchema, location="query")
    @blueprint.response(200, AdmissionSchema(many=True))
    def get(self, _query):
        """Admissions valid today, like the 表号 printed on a paper form."""
        return valid_admissions(get_session(), clock.today())


@blueprint.route("/<code>")
class AdmissionStanding(MethodView):
    @allow(PUBLIC)
    @blueprint.response(200, AdmissionStandingSchema)
    def get(self, code: str):
        admission = admission_by_code(get_session(), code)
        return {
            "code": admission.code,
            "display_code": admission.display_code,
            "report": admission.report.code,
            "title": admission.report.title,
            "owner": admission.report.department.name,
            "valid_from": admission.valid_from,
            "valid_to": admission.valid_to,
            "frequency": admission.report.frequency,
            "status": admission.standing_on(clock.today()),
        }
