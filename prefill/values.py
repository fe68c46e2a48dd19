"""Answers as typed (web form text, JSON values, Excel cells) → one canonical text form per
value type, and back. Numbers stay Decimal all the way: never binary floats."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from forms_registry.importers.model import Choice

TRUE_WORDS = {"true", "1", "是", "yes", "y", "on"}
FALSE_WORDS = {"false", "0", "否", "no", "n", "off"}
MAX_TEXT = 2000
# Decimal's default precision: a number with more significant digits would be rounded by
# normalize(), and a larger exponent makes a huge text (or an int too long to print).
MAX_DIGITS = 28
ISO_DATE = re.compile(r"[0-9]{4}-?[0-9]{2}-?[0-9]{2}")


class InvalidValue(ValueError):
    """The message is shown next to the field (Simplified Chinese)."""


@dataclass(frozen=True)
class ValueRules:
    value_type: str
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    choices: tuple[Choice, ...] | None = None


def is_blank(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip()) or raw == []


def canonical(raw: object, rules: ValueRules) -> str:
    """Check `raw` against the rules and give its canonical text; InvalidValue if wrong."""
    parse = {
        "integer": _integer,
        "decimal": _number,
        "percent": _number,
        "text": _text,
        "date": _date,
        "boolean": _boolean,
        "choice": _choice,
        "multi_choice": _multi_choice,
    }[rules.value_type]
    return parse(raw, rules)


def to_json_value(text: str | None, value_type: str) -> object:
    """The API's JSON value: integers and booleans as JSON, decimals as exact strings."""
    if text is None:
        return None
    if value_type == "integer":
        return int(text)
    if value_type == "boolean":
        return text == "true"
    if value_type == "multi_choice":
        return json.loads(text)
    return text


def to_decimal(text: str) -> Decimal:
    return Decimal(text)


def _decimal(raw: object) -> Decimal:
    if isinstance(raw, bool):
        raise InvalidValue("须为数字")
    if isinstance(raw, float):
        raw = repr(raw)  # JSON floats arrive exactly as written when parsed as Decimal upstream
    try:
        value = Decimal(str(raw).strip().replace(",", "").replace("，", ""))
    except InvalidOperation as exc:
        raise InvalidValue("须为数字") from exc
    if not value.is_finite():
        raise InvalidValue("须为数字")
    significant = "".join(map(str, value.as_tuple().digits)).strip("0")
    if value and (len(significant) > MAX_DIGITS or abs(value.adjusted()) > MAX_DIGITS):
        raise InvalidValue("数字位数过多")
    return value


def _limits(value: Decimal, rules: ValueRules) -> None:
    if rules.minimum is not None and value < rules.minimum:
        raise InvalidValue(f"不能小于 {_plain(rules.minimum)}")
    if rules.maximum is not None and value > rules.maximum:
        raise InvalidValue(f"不能大于 {_plain(rules.maximum)}")


def _plain(value: Decimal) -> str:
    if not value:
        return "0"  # not "-0" or "0E+3": one text per value
    return format(value.normalize(), "f")


def _integer(raw: object, rules: ValueRules) -> str:
    value = _decimal(raw)
    if value != value.to_integral_value():
        raise InvalidValue("须为整数")
    _limits(value, rules)
    return str(int(value))


def _number(raw: object, rules: ValueRules) -> str:
    value = _decimal(raw)
    _limits(value, rules)
    return _plain(value)


def _text(raw: object, _rules: ValueRules) -> str:
    text = str(raw).strip()
    if len(text) > MAX_TEXT:
        raise InvalidValue(f"不能超过 {MAX_TEXT} 个字")
    return text


def _date(raw: object, _rules: ValueRules) -> str:
    if isinstance(raw, date):
        return (raw.date() if isinstance(raw, datetime) else raw).isoformat()
    text = str(raw).strip()
    try:
        if not ISO_DATE.fullmatch(text):  # fromisoformat also takes 20250331.5 or 2025-W13-1
            raise ValueError(text)
        return date.fromisoformat(text).isoformat()
    except ValueError as exc:
        raise InvalidValue("须为日期（如 2025-03-31）") from exc


def _boolean(raw: object, _rules: ValueRules) -> str:
    if isinstance(raw, bool):
        return "true" if raw else "false"
    word = str(raw).strip().lower()
    if word in TRUE_WORDS:
        return "true"
    if word in FALSE_WORDS:
        return "false"
    raise InvalidValue("请填写“是”或“否”")


def _choice_values(rules: ValueRules) -> dict[str, str]:
    """Accepted spellings (value or label) → value."""
    accepted: dict[str, str] = {}
    for choice in rules.choices or ():
        accepted[choice.value] = choice.value
        accepted[choice.label] = choice.value
    return accepted


def _choice(raw: object, rules: ValueRules) -> str:
    value = _choice_values(rules).get(str(raw).strip())
    if value is None:
        raise InvalidValue("请选择列表中的选项")
    return value


def _multi_choice(raw: object, rules: ValueRules) -> str:
    items = (
        raw if isinstance(raw, list) else [part for part in str(raw).replace("，", ",").split(",")]
    )
    accepted = _choice_values(rules)
    chosen = set()
    for item in items:
        if str(item).strip() not in accepted:
            raise InvalidValue("请选择列表中的选项")
        chosen.add(accepted[str(item).strip()])
    ordered = [choice.value for choice in rules.choices or () if choice.value in chosen]
    return json.dumps(ordered, ensure_ascii=False)
