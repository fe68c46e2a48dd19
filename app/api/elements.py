from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from app.api.schemas import ElementQuerySchema, ElementSchema, ElementUpdateSchema
from app.database import get_session
from app.permissions import allow
from forms_registry.elements.service import (
    ElementInput,
    create_element,
    get_element,
    list_elements,
    update_element,
)

blueprint = Blueprint("elements_api", __name__, url_prefix="/api/v1/elements", description="指标库")
BEARER = [{"bearer": []}]


def _input(data: dict) -> ElementInput:
    return ElementInput.from_mapping(data)


@blueprint.route("")
class Elements(MethodView):
    @allow("reviewer", "owner")
    @blueprint.arguments(ElementQuerySchema, location="query")
    @blueprint.response(200, ElementSchema(many=True))
    @blueprint.doc(security=BEARER)
    def get(self, query):
        return list_elements(get_session(), query=query["q"], category=query["category"])

    @allow("reviewer")
    @blueprint.arguments(ElementSchema)
    @blueprint.response(201, ElementSchema)
    @blueprint.doc(security=BEARER)
    def post(self, data):
        db = get_session()
        element = create_element(db, _input(data))
        db.commit()
        return element


@blueprint.route("/<code>")
class Element(MethodView):
    @allow("reviewer", "owner")
    @blueprint.response(200, ElementSchema)
    @blueprint.doc(security=BEARER)
    def get(self, code: str):
        return get_element(get_session(), code)

    @allow("reviewer")
    @blueprint.arguments(ElementUpdateSchema)
    @blueprint.response(200, ElementSchema)
    @blueprint.doc(security=BEARER)
    def put(self, data, code: str):
        db = get_session()
        element = update_element(
            db, code, _input({**data, "code": code}), expected_version=data["version"]
        )
        db.commit()
        return element
