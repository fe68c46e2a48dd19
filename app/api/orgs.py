from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from app.api.schemas import OrgSchema
from app.permissions import ANY_ROLE, allow, readable_org

blueprint = Blueprint("orgs_api", __name__, url_prefix="/api/v1/orgs", description="行政区划")


@blueprint.route("/<code>")
class Org(MethodView):
    @allow(*ANY_ROLE)
    @blueprint.response(200, OrgSchema)
    @blueprint.doc(security=[{"bearer": []}])
    def get(self, code: str):
        return readable_org(code)
