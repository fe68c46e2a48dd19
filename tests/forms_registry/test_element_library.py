"""Consistency checks of the starter data element dictionary (data/elements.json)."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pytest

import forms_registry
from forms_registry.importers.model import VALUE_TYPES
from forms_registry.units import normalize_unit, unit_family, unit_table

ELEMENTS_FILE = Path(forms_registry.__file__).parent / "data" / "elements.json"
KEYS = {
    "code",
    "name",
    "aliases",
    "value_type",
    "unit",
    "kind",
    "stability",
    "choices",
    "min",
    "max",
    "description",
    "category",
    "parent",
}
OPTIONAL_KEYS = {"also_counted_in"}
CODE = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$")
PERIOD_WORDS = ("本月", "当月", "本季", "当季", "本年", "当年", "本期", "年度", "上月", "上年")
UNIT_IN_LABEL = re.compile(r"[（(].*[)）]\s*$")
NUMERIC_TYPES = {"integer", "decimal", "percent"}
CHOICE_TYPES = {"choice", "multi_choice"}


def _load() -> list[dict[str, Any]]:
    raw = json.loads(ELEMENTS_FILE.read_text(encoding="utf-8"))
    assert set(raw) == {"elements"}
    return raw["elements"]


ELEMENTS = _load()
BY_CODE = {element["code"]: element for element in ELEMENTS}


def _check_each(check: Callable[[dict[str, Any]], None], elements: list[dict[str, Any]]) -> None:
    """Run `check` on every element and report all failures at once, by code."""
    failures = []
    for element in elements:
        try:
            check(element)
        except AssertionError as error:
            failures.append(f"{element['code']}: {error}")
    assert failures == []


def test_library_is_large_enough() -> None:
    assert len(ELEMENTS) >= 150


def test_codes_are_unique_upper_snake_ascii() -> None:
    codes = Counter(element["code"] for element in ELEMENTS)
    assert [code for code, n in codes.items() if n > 1] == []
    for code in codes:
        assert code.isascii() and CODE.match(code), code


def test_names_are_unique() -> None:
    names = Counter(element["name"] for element in ELEMENTS)
    assert [name for name, n in names.items() if n > 1] == []


def _check_element_shape(element: dict[str, Any]) -> None:
    assert KEYS <= set(element) <= KEYS | OPTIONAL_KEYS
    assert element["value_type"] in VALUE_TYPES
    assert element["kind"] in ("stock", "flow")
    assert element["stability"] in ("fixed", "yearly", "period")
    assert isinstance(element["name"], str) and element["name"].strip() == element["name"]
    assert element["name"]
    assert not UNIT_IN_LABEL.search(element["name"]), "the name carries no unit"
    assert isinstance(element["description"], str) and element["description"].strip()
    assert isinstance(element["category"], str) and element["category"].strip()


def test_element_shape() -> None:
    _check_each(_check_element_shape, ELEMENTS)


def _check_unit_is_known_and_canonical(element: dict[str, Any]) -> None:
    unit = element["unit"]
    if element["value_type"] in NUMERIC_TYPES:
        assert unit is not None, "a number needs a unit"
    else:
        assert unit is None, "only numbers carry a unit"
    if unit is None:
        return
    assert unit_family(unit) is not None, f"unknown unit {unit!r}"
    assert normalize_unit(unit) == unit, "use the canonical spelling"
    if element["value_type"] == "percent":
        assert unit_family(unit) == "percent"


def test_unit_is_known_and_canonical() -> None:
    _check_each(_check_unit_is_known_and_canonical, ELEMENTS)


def _check_also_counted_in(element: dict[str, Any]) -> None:
    """Units of other families, each counting the element one for one with its unit."""
    others = element["also_counted_in"]
    assert isinstance(others, list) and others, "a non-empty list when given"
    assert len(set(others)) == len(others), "repeated unit"
    units = unit_table().units
    for other in others:
        assert other in units, f"unknown or not canonical unit {other!r}"
        assert units[other].family != unit_family(element["unit"]), f"{other!r}: same family"
        assert units[other].factor == units[element["unit"]].factor, f"{other!r}: not 1 for 1"


def test_also_counted_in_units_count_one_for_one_in_another_family() -> None:
    """自然灾害情况统计调查制度 counts the disaster figures in 人次, many departments in 人."""
    for code in ("DISASTER_AFFECTED", "EVACUATED", "EMERGENCY_LIVING_AID_POP"):
        assert (BY_CODE[code]["unit"], BY_CODE[code].get("also_counted_in")) == ("人", ["人次"])
    _check_each(_check_also_counted_in, [e for e in ELEMENTS if "also_counted_in" in e])


def _decimal(text: Any) -> Decimal:
    assert isinstance(text, str), "limits are strings"
    try:
        return Decimal(text)
    except InvalidOperation:
        pytest.fail(f"limit {text!r} is not a number")


def _check_limits(element: dict[str, Any]) -> None:
    low, high = element["min"], element["max"]
    if element["value_type"] not in NUMERIC_TYPES:
        assert low is None and high is None
        return
    if low is not None and high is not None:
        assert _decimal(low) <= _decimal(high)
    elif low is not None:
        _decimal(low)
    elif high is not None:
        _decimal(high)


def test_limits() -> None:
    _check_each(_check_limits, ELEMENTS)


def _check_choices(element: dict[str, Any]) -> None:
    choices = element["choices"]
    if element["value_type"] not in CHOICE_TYPES:
        assert choices is None
        return
    assert choices, "a choice element lists its choices"
    for choice in choices:
        assert set(choice) == {"value", "label"}
        assert isinstance(choice["value"], str) and choice["value"]
        assert isinstance(choice["label"], str) and choice["label"]
    assert len({c["value"] for c in choices}) == len(choices)
    assert len({c["label"] for c in choices}) == len(choices)


def test_choices() -> None:
    _check_each(_check_choices, ELEMENTS)


def _check_flow_names_carry_no_period(element: dict[str, Any]) -> None:
    for label in (element["name"], *element["aliases"]):
        assert not label.startswith(PERIOD_WORDS), label


def test_flow_names_carry_no_period() -> None:
    _check_each(_check_flow_names_carry_no_period, [e for e in ELEMENTS if e["kind"] == "flow"])


def _check_parent_is_a_compatible_total(element: dict[str, Any]) -> None:
    parent = BY_CODE.get(element["parent"])
    assert parent is not None, f"unknown parent {element['parent']!r}"
    assert parent["code"] != element["code"]
    assert parent["kind"] == element["kind"]
    assert unit_family(parent["unit"]) == unit_family(element["unit"])


def test_parent_is_a_compatible_total() -> None:
    _check_each(_check_parent_is_a_compatible_total, [e for e in ELEMENTS if e["parent"]])


def test_parents_form_no_cycle() -> None:
    for element in ELEMENTS:
        seen = {element["code"]}
        parent = element["parent"]
        while parent is not None:
            assert parent not in seen, f"cycle through {parent}"
            seen.add(parent)
            parent = BY_CODE[parent]["parent"]


def _check_aliases_are_clean(element: dict[str, Any]) -> None:
    aliases = element["aliases"]
    assert isinstance(aliases, list)
    assert len(set(aliases)) == len(aliases), "repeated alias"
    for alias in aliases:
        assert isinstance(alias, str) and alias and alias.strip() == alias
        assert alias != element["name"]
        assert not UNIT_IN_LABEL.search(alias), f"alias {alias!r} carries a unit"


def test_aliases_are_clean() -> None:
    _check_each(_check_aliases_are_clean, ELEMENTS)


def test_no_alias_is_shared_or_another_elements_name() -> None:
    owner: dict[str, str] = {}
    names = {element["name"]: element["code"] for element in ELEMENTS}
    problems = []
    for element in ELEMENTS:
        for alias in element["aliases"]:
            if alias in names and names[alias] != element["code"]:
                problems.append(f"{alias}: alias of {element['code']}, name of {names[alias]}")
            if alias in owner and owner[alias] != element["code"]:
                problems.append(f"{alias}: alias of {owner[alias]} and {element['code']}")
            owner[alias] = element["code"]
    assert problems == []


def test_covers_the_core_grassroots_concepts() -> None:
    for code in (
        "POP_REG",
        "POP_RES",
        "HH_REG",
        "POP_60",
        "DIBAO_HH",
        "DIBAO_P",
        "TEMP_RELIEF",
        "FARMLAND",
        "COLL_INCOME",
        "PARTY",
        "PARTY_FEMALE",
        "GRIDMEN",
        "CLINIC",
        "KINDERGARTEN",
        "DANGER_HOUSE",
        "HOUSE_FIXED",
        "PENSION_INS",
        "MED_INS",
        "VETERANS",
        "LEFTBEHIND_CHILD",
        "ADMIN_VILLAGES",
        "GDP",
    ):
        assert code in BY_CODE, code
    assert BY_CODE["PARTY_FEMALE"]["parent"] == "PARTY"
    assert BY_CODE["POP_REG"]["kind"] == "stock"
    assert BY_CODE["TEMP_RELIEF"]["kind"] == "flow"
    assert BY_CODE["HOUSE_FIXED"]["kind"] == "flow"
    assert BY_CODE["GDP"]["kind"] == "flow"
