from __future__ import annotations

from flask import jsonify, request
from flask.views import MethodView
from flask_smorest import Blueprint

from admission.collection import due_months
from app import clock
from app.api.schemas import DueMonthSchema, FormSchema, SaveResultSchema, SaveValuesSchema
from app.collection import form_json, load_form, plan_memo, save_form
from app.database import get_session
from app.json_provider import ExactArgumentsParser
from app.permissions import allow, fillable_org, readable_org, signed_in_user
from prefill.store import SaveRequest

blueprint = Blueprint("collection_api", __name__, url_prefix="/api/v1/orgs", description="一表填报")
blueprint.ARGUMENTS_PARSER = ExactArgumentsParser()  # answers' JSON numbers stay Decimal
BEARER = [{"bearer": []}]


@blueprint.before_request
def check_scope_first() -> None:
    """Outside one's scope is 404 whatever the body says (checked before the body is parsed)."""
    org_code = (request.view_args or {}).get("org_code")
    if org_code is not None:
        (fillable_org if request.method == "PUT" else readable_org)(org_code)


@blueprint.route("/<org_code>/due")
class Due(MethodView):
    @allow("filler", "reviewer")
    @blueprint.response(200, DueMonthSchema(many=True))
    @blueprint.doc(security=BEARER)
    def get(self, org_code: str):
        return due_months(get_session(), readable_org(org_code), clock.today(), plan_memo())


@blueprint.route("/<org_code>/periods/<month>/form")
class Form(MethodView):
    @allow("filler", "reviewer")
    @blueprint.response(200, FormSchema)
    @blueprint.doc(security=BEARER)
    def get(self, org_code: str, month: str):
        # sent as built: a merged form has hundreds of fields, and dumping them through the
        # schema again took a quarter of the request
        return jsonify(form_json(load_form(readable_org(org_code), month)))


@blueprint.route("/<org_code>/periods/<month>/values")
class Values(MethodView):
    @allow("filler")
    @blueprint.arguments(SaveValuesSchema)
    @blueprint.response(200, SaveResultSchema)
    @blueprint.doc(security=BEARER)
    def put(self, body, org_code: str, month: str):
        request = SaveRequest(
            submission_id=str(body["submission_id"]),
            version=body["version"],
            values=body["values"],
            submit=body["submit"],
        )
        return save_form(fillable_org(org_code), month, request, signed_in_user())
