from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from app.api.schemas import MeSchema
from app.permissions import ANY_ROLE, allow, signed_in_user

blueprint = Blueprint("me", __name__, url_prefix="/api/v1", description="当前用户")


@blueprint.route("/me")
class Me(MethodView):
    @allow(*ANY_ROLE)
    @blueprint.response(200, MeSchema)
    @blueprint.doc(security=[{"bearer": []}])
    def get(self):
        user = signed_in_user()
        return {
            "username": user.username,
            "role": user.role,
            "org_unit": user.org_unit.code if user.org_unit else None,
            "display_name": user.display_name,
            "department": user.department.name if user.department else None,
        }
