"""WTForms for the data element dictionary."""

from __future__ import annotations

import re

from flask_wtf import FlaskForm
from wtforms import DecimalField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.web.choices import select_choices
from forms_registry.elements.models import KIND_NAMES, STABILITY_NAMES, VALUE_TYPE_NAMES

UNIT_SEPARATORS = re.compile(r"[、,，;；\s]+")


class ElementForm(FlaskForm):
    code = StringField("代码", validators=[DataRequired("请填写代码"), Length(max=64)])
    name = StringField("名称", validators=[DataRequired("请填写名称"), Length(max=200)])
    aliases = TextAreaField("别名（每行一个）", validators=[Optional(), Length(max=4000)])
    value_type = SelectField("数据类型", choices=select_choices(list(VALUE_TYPE_NAMES.items())))
    unit = StringField("计量单位", validators=[Optional(), Length(max=32)])
    also_counted_in = StringField(
        "也按以下单位一比一计（如 人次；多个用“、”分隔）",
        validators=[Optional(), Length(max=200)],
    )
    kind = SelectField("时点/时期", choices=select_choices(list(KIND_NAMES.items())))
    stability = SelectField("稳定性", choices=select_choices(list(STABILITY_NAMES.items())))
    choices = TextAreaField("选项（每行“值=标签”）", validators=[Optional(), Length(max=4000)])
    minimum = DecimalField("下限", validators=[Optional()], places=None)
    maximum = DecimalField("上限", validators=[Optional()], places=None)
    category = StringField("分类", validators=[Optional(), Length(max=64)])
    parent = StringField(
        "上级指标代码（“其中”项填所属总数）", validators=[Optional(), Length(max=64)]
    )
    description = TextAreaField("统计口径说明", validators=[Optional(), Length(max=4000)])
    version = HiddenField()

    def to_mapping(self) -> dict:
        return {
            "code": self.code.data,
            "name": self.name.data,
            "aliases": (self.aliases.data or "").splitlines(),
            "value_type": self.value_type.data,
            "unit": self.unit.data or None,
            "also_counted_in": UNIT_SEPARATORS.split(self.also_counted_in.data or ""),
            "kind": self.kind.data,
            "stability": self.stability.data,
            "choices": _parse_choices(self.choices.data or ""),
            "min": self.minimum.data,
            "max": self.maximum.data,
            "category": self.category.data,
            "parent": (self.parent.data or "").strip() or None,
            "description": self.description.data,
        }


def _parse_choices(text: str) -> list[dict[str, str]] | None:
    choices = []
    for line in text.splitlines():
        value, _, label = line.partition("=")
        if value.strip():
            choices.append({"value": value.strip(), "label": (label or value).strip()})
    return choices or None


def units_text(units: list[str] | None) -> str:
    return "、".join(units or [])


def choices_text(choices: list[dict[str, str]] | None) -> str:
    return "\n".join(f"{item['value']}={item['label']}" for item in choices or [])


class ElementDecisionForm(FlaskForm):
    pass
