"""The merged form as a WTForms class, built from the merged schema and its prefill."""

from __future__ import annotations

from collections.abc import Sequence

from flask_wtf import FlaskForm
from wtforms import Field, HiddenField, RadioField, SelectField, SelectMultipleField, StringField
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app.web.choices import select_choices
from prefill.resolution import Prefilled
from prefill.store import rules_for_field
from prefill.values import InvalidValue, canonical, is_blank, to_json_value

INPUT_MODES = {"integer": "numeric", "decimal": "decimal", "percent": "decimal"}


def field_name(key: str) -> str:
    """HTML/WTForms-safe name for a merged field key (ELEMENT@PERIOD has an @)."""
    return "f_" + key.replace("@", "__")


class MergedFormBase(FlaskForm):
    version = HiddenField()
    submission_id = HiddenField()

    prefilled: Sequence[Prefilled] = ()

    def answer_fields(self) -> list[tuple[Prefilled, Field]]:
        return [(item, self[field_name(item.field.key)]) for item in self.prefilled]

    def values(self) -> dict[str, object]:
        """What the filler typed or confirmed, by merged field key (locked fields left out)."""
        values: dict[str, object] = {}
        for item, field in self.answer_fields():
            if item.locked or is_blank(field.data):
                continue
            values[item.field.key] = field.data
        return values


def _validator(item: Prefilled):
    def check(_form, field) -> None:
        if item.locked or is_blank(field.data):
            return
        try:
            canonical(field.data, rules_for_field(item.field))
        except InvalidValue as error:
            raise ValidationError(str(error)) from error

    return check


def _display(item: Prefilled) -> object:
    if item.value is None:
        return None
    value = to_json_value(item.value, item.field.value_type)
    if item.field.value_type == "boolean":
        return "true" if value else "false"
    return value


def _make_field(item: Prefilled) -> Field:
    merged = item.field
    label = merged.label + ("（必填）" if merged.required else "")
    render = {"disabled": True} if item.locked else {}
    validators = [_validator(item)]
    default = _display(item)
    if merged.value_type == "boolean":
        return RadioField(
            label,
            choices=select_choices([("true", "是"), ("false", "否")]),
            default=default,
            validators=validators,
            render_kw=render,
            validate_choice=False,
        )
    if merged.value_type == "choice":
        options = [("", "请选择")] + [(c.value, c.label) for c in merged.choices or ()]
        return SelectField(
            label,
            choices=select_choices(options),
            default=default,
            validators=validators,
            render_kw=render,
            validate_choice=False,
        )
    if merged.value_type == "multi_choice":
        return SelectMultipleField(
            label,
            choices=select_choices((c.value, c.label) for c in merged.choices or ()),
            default=default,
            validators=validators,
            render_kw=render,
            widget=ListWidget(prefix_label=False),
            option_widget=CheckboxInput(),
            validate_choice=False,
        )
    if merged.value_type == "date":
        render = render | {"type": "date"}
    if merged.value_type in INPUT_MODES:
        render = render | {"inputmode": INPUT_MODES[merged.value_type], "autocomplete": "off"}
    return StringField(label, default=default, validators=validators, render_kw=render)


def merged_form_class(prefilled: Sequence[Prefilled]) -> type[MergedFormBase]:
    attributes: dict[str, object] = {"prefilled": tuple(prefilled)}
    for item in prefilled:
        attributes[field_name(item.field.key)] = _make_field(item)
    return type("MergedForm", (MergedFormBase,), attributes)
