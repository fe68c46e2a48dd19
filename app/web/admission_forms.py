"""WTForms for admission applications and decisions."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional


class ApplicationForm(FlaskForm):
    justification = TextAreaField(
        "必要性说明", validators=[DataRequired("请填写必要性说明"), Length(max=4000)]
    )
    legal_basis = TextAreaField(
        "法律或政策依据", validators=[DataRequired("请填写法律或政策依据"), Length(max=2000)]
    )
    scope_org_code = SelectField("填报范围", validators=[DataRequired("请选择填报范围")])
    due_day = IntegerField(
        "每期报送截止日（次月第几日）",
        default=10,
        validators=[DataRequired("请填写截止日"), NumberRange(1, 28, "须在 1 至 28 之间")],
    )
    valid_from = DateField("有效期自", validators=[DataRequired("请选择起始日期")])
    valid_to = DateField("有效期至", validators=[DataRequired("请选择截止日期")])
    data_users = TextAreaField(
        "数据使用范围（哪些单位可使用这些数据）", validators=[Optional(), Length(max=2000)]
    )


class DecisionForm(FlaskForm):
    comment = TextAreaField(
        "审核意见（驳回或退回时必填）", validators=[Optional(), Length(max=4000)]
    )


class RevokeForm(FlaskForm):
    reason = TextAreaField("撤销理由", validators=[Optional(), Length(max=4000)])
