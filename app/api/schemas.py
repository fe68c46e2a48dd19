from __future__ import annotations

import marshmallow as ma


class MeSchema(ma.Schema):
    username = ma.fields.String(required=True)
    role = ma.fields.String(required=True)
    org_unit = ma.fields.String(allow_none=True)
    display_name = ma.fields.String()
    department = ma.fields.String(allow_none=True)


class OrgRefSchema(ma.Schema):
    code = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    level = ma.fields.String(required=True)


class OrgSchema(OrgRefSchema):
    parent = ma.fields.Nested(OrgRefSchema, allow_none=True)
    children = ma.fields.List(ma.fields.Nested(OrgRefSchema))
