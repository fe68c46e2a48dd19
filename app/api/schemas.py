from __future__ import annotations

import marshmallow as ma

# Limits are exact decimals and answered as strings ("0", "12.5"), never binary floats;
# requests may send them as strings or as JSON numbers.
EXACT_DECIMAL = {
    "type": "string",
    "pattern": r"^-?\d+(\.\d+)?$",
    "description": '精确小数，以字符串表示，如 "0"、"12.5"',
}
# The OpenAPI types of values computed by ma.fields.Function.
STRING = {"type": "string"}
NULLABLE_STRING = {"type": "string", "nullable": True}
INTEGER = {"type": "integer"}


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


class ChoiceSchema(ma.Schema):
    value = ma.fields.String(required=True)
    label = ma.fields.String(required=True)


class ElementSchema(ma.Schema):
    code = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    aliases = ma.fields.List(ma.fields.String(), load_default=list)
    value_type = ma.fields.String(required=True)
    unit = ma.fields.String(allow_none=True, load_default=None)
    also_counted_in = ma.fields.List(
        ma.fields.String(),
        load_default=list,
        metadata={
            "description": "也按以下单位一比一计：其他单位类别中与计量单位一比一的单位，"
            "如受灾人口（人）也按“人次”计"
        },
    )
    kind = ma.fields.String(required=True)
    stability = ma.fields.String(load_default="period")
    choices = ma.fields.List(ma.fields.Nested(ChoiceSchema), allow_none=True, load_default=None)
    minimum = ma.fields.Decimal(
        allow_none=True, load_default=None, as_string=True, metadata=EXACT_DECIMAL
    )
    maximum = ma.fields.Decimal(
        allow_none=True, load_default=None, as_string=True, metadata=EXACT_DECIMAL
    )
    description = ma.fields.String(load_default="")
    category = ma.fields.String(load_default="")
    parent = ma.fields.String(attribute="parent_code", allow_none=True, load_default=None)
    status = ma.fields.String(dump_only=True)
    version = ma.fields.Integer(dump_only=True)


class ElementUpdateSchema(ElementSchema):
    code = ma.fields.String(load_default=None)
    version = ma.fields.Integer(required=True, metadata={"description": "上次读取时的版本号"})


class ElementQuerySchema(ma.Schema):
    q = ma.fields.String(load_default=None)
    category = ma.fields.String(load_default=None)


class ReportFieldSchema(ma.Schema):
    label = ma.fields.String()
    section = ma.fields.String(allow_none=True)
    unit = ma.fields.String(allow_none=True)
    required = ma.fields.Boolean()
    element = ma.fields.Function(
        lambda field: field.element.code if field.element else None, metadata=NULLABLE_STRING
    )
    role = ma.fields.String(allow_none=True)
    derivation = ma.fields.String(
        allow_none=True,
        metadata={"description": "to_date：本年累计，由各期数值相加得出（不单独填报）"},
    )
    confidence = ma.fields.Float(allow_none=True)
    proposal_name = ma.fields.String(
        allow_none=True, metadata={"description": "新指标建议名称（指标库中没有匹配时）"}
    )


class ReportSchema(ma.Schema):
    code = ma.fields.String()
    title = ma.fields.String()
    owner = ma.fields.Function(lambda report: report.department.name, metadata=STRING)
    frequency = ma.fields.String()
    level = ma.fields.String()
    version = ma.fields.Function(lambda report: report.latest.number, metadata=INTEGER)
    status = ma.fields.Function(lambda report: report.latest.status, metadata=STRING)
    fields = ma.fields.List(
        ma.fields.Nested(ReportFieldSchema), attribute="latest.fields", dump_only=True
    )


class MergeQuerySchema(ma.Schema):
    level = ma.fields.String(required=True)
    period = ma.fields.String(required=True, metadata={"description": "参考月份，如 2025-12"})
    reports = ma.fields.String(load_default=None, metadata={"description": "报表编码，逗号分隔"})


class MergeUsageSchema(ma.Schema):
    report = ma.fields.String()
    label = ma.fields.String()
    unit = ma.fields.String(allow_none=True)
    factor = ma.fields.String(
        allow_none=True, metadata={"description": "报表单位 → 标准单位的倍数"}
    )
    section = ma.fields.String(allow_none=True)
    required = ma.fields.Boolean()


class MergedFieldSchema(ma.Schema):
    key = ma.fields.String()
    element = ma.fields.String()
    period = ma.fields.String()
    label = ma.fields.String()
    unit = ma.fields.String(allow_none=True)
    reports = ma.fields.List(ma.fields.String())
    section = ma.fields.String(allow_none=True)
    type = ma.fields.String()
    required = ma.fields.Boolean()
    min = ma.fields.String(allow_none=True)
    max = ma.fields.String(allow_none=True)
    choices = ma.fields.List(ma.fields.Nested(ChoiceSchema), allow_none=True)
    kind = ma.fields.String(metadata={"description": "stock | flow"})
    order = ma.fields.Integer()
    usages = ma.fields.List(ma.fields.Nested(MergeUsageSchema))


class MergeConflictSchema(ma.Schema):
    element = ma.fields.String()
    key = ma.fields.String()
    kind = ma.fields.String(metadata={"description": "unit | type | choices | limits"})
    reports = ma.fields.List(ma.fields.String())
    message = ma.fields.String()
    detail = ma.fields.Dict()


class MergedSchemaSchema(ma.Schema):
    """`reportonce merge --json` (documentation only: the view answers MergedSchema.to_json)."""

    month = ma.fields.String()
    reports = ma.fields.List(ma.fields.String())
    fields = ma.fields.List(ma.fields.Nested(MergedFieldSchema))
    conflicts = ma.fields.List(ma.fields.Nested(MergeConflictSchema))
    stats = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.Integer(),
        metadata={"description": "{report_fields: N, merged_fields: M}"},
    )
    hash = ma.fields.String()


class AdmissionQuerySchema(ma.Schema):
    status = ma.fields.String(
        load_default="approved",
        validate=ma.validate.OneOf(["approved"], error="仅支持 status=approved（今日有效的准入）"),
    )


class AdmissionSchema(ma.Schema):
    code = ma.fields.String()
    display_code = ma.fields.String()
    report = ma.fields.Function(lambda admission: admission.report.code, metadata=STRING)
    title = ma.fields.Function(lambda admission: admission.report.title, metadata=STRING)
    owner = ma.fields.Function(lambda admission: admission.report.department.name, metadata=STRING)
    valid_to = ma.fields.Date(format="%Y-%m-%d")


class AdmissionStandingSchema(ma.Schema):
    code = ma.fields.String()
    display_code = ma.fields.String()
    report = ma.fields.String()
    title = ma.fields.String()
    owner = ma.fields.String()
    frequency = ma.fields.String()
    valid_from = ma.fields.Date(format="%Y-%m-%d")
    valid_to = ma.fields.Date(format="%Y-%m-%d")
    status = ma.fields.String(metadata={"description": "valid | revoked | expired | not_yet_valid"})


class DueMonthSchema(ma.Schema):
    period = ma.fields.Function(lambda item: item.month.id, metadata=STRING)
    reports = ma.fields.List(ma.fields.String())
    due = ma.fields.Date(format="%Y-%m-%d")
    status = ma.fields.String(metadata={"description": "not_started | draft | submitted"})


class FormFieldSchema(MergedFieldSchema):
    """A merged field with this unit's answer and where it came from."""

    value = ma.fields.Raw(allow_none=True)
    source = ma.fields.String(
        allow_none=True, metadata={"description": "entered | shared | carried | null"}
    )
    locked = ma.fields.Boolean()
    labels = ma.fields.Dict(metadata={"description": "报表编码 → 该报表中的原表头"})


class FormSchema(ma.Schema):
    org_unit = ma.fields.String()
    period = ma.fields.String()
    version = ma.fields.Integer()
    status = ma.fields.String()
    due = ma.fields.Date(format="%Y-%m-%d", allow_none=True)
    reports = ma.fields.List(ma.fields.String())
    fields = ma.fields.List(ma.fields.Nested(FormFieldSchema))
    reduction = ma.fields.Dict()


class SaveValuesSchema(ma.Schema):
    submission_id = ma.fields.UUID(required=True)
    version = ma.fields.Integer(required=True, validate=ma.validate.Range(min=0))
    values = ma.fields.Dict(
        keys=ma.fields.String(), values=ma.fields.Raw(allow_none=True), required=True
    )
    submit = ma.fields.Boolean(load_default=False)


class SaveResultSchema(ma.Schema):
    version = ma.fields.Integer()
    status = ma.fields.String()
    changed = ma.fields.Integer()
    reduction = ma.fields.Dict()


class ExportColumnSchema(ma.Schema):
    label = ma.fields.String()
    section = ma.fields.String(allow_none=True)
    unit = ma.fields.String(allow_none=True)


class ExportRowSchema(ma.Schema):
    org_code = ma.fields.String()
    org_name = ma.fields.String()
    values = ma.fields.List(
        ma.fields.Raw(allow_none=True), metadata={"description": "与 columns 一一对应"}
    )


class ReportDataSchema(ma.Schema):
    """A report's data back (documentation only: the view answers rows_as_json)."""

    report = ma.fields.String()
    title = ma.fields.String()
    period = ma.fields.String()
    columns = ma.fields.List(ma.fields.Nested(ExportColumnSchema))
    rows = ma.fields.List(ma.fields.Nested(ExportRowSchema))
