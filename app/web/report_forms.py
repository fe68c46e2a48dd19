"""WTForms for report templates, the web editor and mapping confirmation."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from app.web.choices import select_choices
from app.web.element_forms import ElementForm
from forms_registry.reports.models import FREQUENCY_NAMES

LEVEL_CHOICES = [("village", "村（社区）"), ("township", "乡镇（街道）"), ("county", "县")]
FREQUENCY_CHOICES = list(FREQUENCY_NAMES.items())


class TemplateUploadForm(FlaskForm):
    file = FileField(
        "报表模板（Excel .xlsx、XLSForm 或 JSON）",
        validators=[
            FileRequired("请选择文件"),
            FileAllowed(["xlsx", "json"], "只能上传 .xlsx 或 .json 文件"),
        ],
    )
    frequency = SelectField(
        "报送频次",
        choices=select_choices([("", "从模板识别")] + FREQUENCY_CHOICES),
        validators=[Optional()],
    )
    level = SelectField(
        "填报层级",
        choices=select_choices([("", "从模板识别")] + LEVEL_CHOICES),
        validators=[Optional()],
    )


class BlankReportForm(FlaskForm):
    title = StringField("报表名称", validators=[DataRequired("请填写报表名称"), Length(max=200)])
    frequency = SelectField("报送频次", choices=select_choices(FREQUENCY_CHOICES))
    level = SelectField("填报层级", choices=select_choices(LEVEL_CHOICES))


class FieldForm(FlaskForm):
    label = StringField(
        "字段名称（表头原文）", validators=[DataRequired("请填写字段名称"), Length(max=300)]
    )
    section = StringField("所属栏目", validators=[Optional(), Length(max=200)])
    unit = StringField("计量单位", validators=[Optional(), Length(max=32)])
    required = BooleanField("必填")
    edit = HiddenField()


class MappingForm(FlaskForm):
    """CSRF and the stale-edit counter; the per-field choices are named map-<id> / code-<id>."""

    edit = HiddenField()


class ProposalForm(ElementForm):
    edit = HiddenField()


class PlainForm(FlaskForm):
    edit = HiddenField()
