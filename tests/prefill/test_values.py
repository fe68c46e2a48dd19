"""Answers as typed → one canonical text per value type (prefill/values.py): exact
decimals, limits, choices by value or label, booleans 是/否, dates, and the Chinese
messages shown next to a field."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal

import pytest

from forms_registry.importers.model import Choice
from prefill.values import (
    MAX_TEXT,
    InvalidValue,
    ValueRules,
    canonical,
    is_blank,
    to_decimal,
    to_json_value,
)

INTEGER = ValueRules("integer")
DECIMAL = ValueRules("decimal")
TERRAIN = (Choice("1", "平原"), Choice("2", "丘陵"), Choice("3", "山区"))
INDUSTRY = (
    Choice("1", "粮食种植"),
    Choice("2", "经济作物"),
    Choice("3", "蔬菜"),
    Choice("4", "水果"),
)
NOT_A_NUMBER = "须为数字"
NOT_IN_LIST = "请选择列表中的选项"


def rejected(raw: object, rules: ValueRules) -> str:
    with pytest.raises(InvalidValue) as caught:
        canonical(raw, rules)
    return str(caught.value)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12", "12"),
        (12, "12"),
        (" 7 ", "7"),
        ("0", "0"),
        ("-0", "0"),
        (Decimal("12.000"), "12"),
        ("1,234", "1234"),
        ("1，234", "1234"),
        ("1e3", "1000"),
        (3.0, "3"),
        ("１２", "12"),  # full-width digits, as Chinese input methods type them
    ],
)
def test_integers_are_stored_as_plain_whole_numbers(raw, expected):
    assert canonical(raw, INTEGER) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("12.5", "须为整数"),
        (Decimal("0.1"), "须为整数"),
        ("abc", NOT_A_NUMBER),
        ("12人", NOT_A_NUMBER),
        (True, NOT_A_NUMBER),
        (False, NOT_A_NUMBER),
        ("NaN", NOT_A_NUMBER),
        ("Infinity", NOT_A_NUMBER),
        ("-inf", NOT_A_NUMBER),
    ],
)
def test_wrong_integers_say_why(raw, message):
    assert rejected(raw, INTEGER) == message


@pytest.mark.parametrize("raw", ["1e5000", "9" * 40, "1e-5000", "0.1" + "0" * 40 + "1"])
def test_absurdly_long_numbers_are_refused_not_crashed_on_or_rounded(raw):
    """A huge integer cannot even be printed (Python's 4300-digit limit), and more than 28
    significant digits would be rounded by Decimal arithmetic: both are refused."""
    assert rejected(raw, INTEGER if "." not in raw else DECIMAL) == "数字位数过多"
    assert rejected(raw, DECIMAL) == "数字位数过多"


def test_integer_limits_are_inclusive_with_chinese_messages():
    rules = ValueRules("integer", minimum=Decimal("0"), maximum=Decimal("100"))
    assert canonical("0", rules) == "0"
    assert canonical("100", rules) == "100"
    assert rejected("-1", rules) == "不能小于 0"
    assert rejected("101", rules) == "不能大于 100"


def test_limits_are_printed_plainly():
    rules = ValueRules("decimal", minimum=Decimal("0.50"), maximum=Decimal("1E+3"))
    assert rejected("0.49", rules) == "不能小于 0.5"
    assert rejected("1000.01", rules) == "不能大于 1000"
    assert canonical("1000", rules) == "1000"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0.1", "0.1"),
        ("0.10", "0.1"),
        ("1.50", "1.5"),
        ("12.345678901234567891", "12.345678901234567891"),
        (Decimal("12.345678901234567891"), "12.345678901234567891"),
        ("12.345678901234567890", "12.34567890123456789"),
        ("1234567890123456.789012345678", "1234567890123456.789012345678"),  # 28 digits
        ("1E+2", "100"),
        ("1.2e-3", "0.0012"),
        ("-0.0", "0"),
        ("0E+5000", "0"),
        ("-3.25", "-3.25"),
        ("1,234.5", "1234.5"),
        (0.1, "0.1"),  # a float is read as written, never as 0.1000000000000000055…
        (7, "7"),
    ],
)
def test_decimals_keep_every_digit_and_drop_only_trailing_zeros(raw, expected):
    assert canonical(raw, DECIMAL) == expected


def test_decimal_sums_stay_exact():
    first, second = canonical("0.1", DECIMAL), canonical("0.2", DECIMAL)
    assert (first, second) == ("0.1", "0.2")
    total = to_decimal(first) + to_decimal(second)
    assert isinstance(total, Decimal)
    assert total == Decimal("0.3")
    assert canonical(total, DECIMAL) == "0.3"


def test_a_json_number_read_as_decimal_stays_exact():
    body = json.loads('{"value": 12.345678901234567891}', parse_float=Decimal)
    assert isinstance(body["value"], Decimal)
    assert canonical(body["value"], DECIMAL) == "12.345678901234567891"
    as_float = json.loads('{"value": 12.345678901234567891}')["value"]
    assert canonical(as_float, DECIMAL) == "12.345678901234567"  # why the API reads Decimals


def test_no_canonical_value_is_ever_a_float():
    for raw, rules in [
        ("0.3", DECIMAL),
        (0.3, DECIMAL),
        ("12", INTEGER),
        ("50.5", ValueRules("percent")),
    ]:
        text = canonical(raw, rules)
        assert isinstance(text, str)
        assert not isinstance(to_json_value(text, rules.value_type), float)


def test_percent_is_a_number_with_its_limits():
    rules = ValueRules("percent", minimum=Decimal("0"), maximum=Decimal("100"))
    assert canonical("12.50", rules) == "12.5"
    assert canonical("100", rules) == "100"
    assert rejected("100.5", rules) == "不能大于 100"
    assert rejected("-0.1", rules) == "不能小于 0"
    assert rejected("百分之十", rules) == NOT_A_NUMBER


def test_text_is_trimmed_and_limited():
    rules = ValueRules("text")
    assert canonical("  张三 ", rules) == "张三"
    assert canonical(12, rules) == "12"
    assert canonical("字" * MAX_TEXT, rules) == "字" * MAX_TEXT
    assert rejected("字" * (MAX_TEXT + 1), rules) == "不能超过 2000 个字"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2025-03-31", "2025-03-31"),
        (" 2025-03-31 ", "2025-03-31"),
        (date(2024, 2, 29), "2024-02-29"),
        (datetime(2025, 3, 31, 0, 0), "2025-03-31"),  # an Excel date cell
        ("20250331", "2025-03-31"),
    ],
)
def test_dates_are_iso(raw, expected):
    assert canonical(raw, ValueRules("date")) == expected


@pytest.mark.parametrize(
    "raw", ["2025-02-30", "2025/03/31", "明天", "2025-13-01", 20250331.5, "2025-W13-1", "2025-0331"]
)
def test_wrong_dates_say_how_to_write_one(raw):
    assert rejected(raw, ValueRules("date")) == "须为日期（如 2025-03-31）"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (True, "true"),
        (False, "false"),
        ("是", "true"),
        ("否", "false"),
        (" 是 ", "true"),
        ("true", "true"),
        ("FALSE", "false"),
        ("Yes", "true"),
        ("n", "false"),
        ("on", "true"),
        ("off", "false"),
        ("1", "true"),
        ("0", "false"),
        (1, "true"),
        (0, "false"),
    ],
)
def test_booleans(raw, expected):
    assert canonical(raw, ValueRules("boolean")) == expected


@pytest.mark.parametrize("raw", ["也许", "2", "对", 2])
def test_wrong_booleans_ask_for_yes_or_no(raw):
    assert rejected(raw, ValueRules("boolean")) == "请填写“是”或“否”"


@pytest.mark.parametrize(
    ("raw", "expected"), [("2", "2"), ("丘陵", "2"), (" 山区 ", "3"), (1, "1"), ("平原", "1")]
)
def test_a_choice_is_given_by_value_or_label_and_stored_as_its_value(raw, expected):
    assert canonical(raw, ValueRules("choice", choices=TERRAIN)) == expected


@pytest.mark.parametrize("raw", ["沙漠", "4", "平原,丘陵"])
def test_a_choice_outside_the_list_is_refused(raw):
    assert rejected(raw, ValueRules("choice", choices=TERRAIN)) == NOT_IN_LIST


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (["3", "1"], ["1", "3"]),
        (["蔬菜", "粮食种植"], ["1", "3"]),
        ("蔬菜，粮食种植", ["1", "3"]),
        ("4,2", ["2", "4"]),
        (["1", "粮食种植", "1"], ["1"]),
        ([4, "经济作物"], ["2", "4"]),
    ],
)
def test_multi_choice_is_stored_in_list_order_without_duplicates(raw, expected):
    text = canonical(raw, ValueRules("multi_choice", choices=INDUSTRY))
    assert text == json.dumps(expected)
    assert to_json_value(text, "multi_choice") == expected


def test_multi_choice_keeps_chinese_values_readable():
    rules = ValueRules("multi_choice", choices=(Choice("甲", "甲类"), Choice("乙", "乙类")))
    assert canonical(["乙类", "甲"], rules) == '["甲", "乙"]'


@pytest.mark.parametrize("raw", [["1", "茶叶"], "1,,2", ["5"]])
def test_multi_choice_outside_the_list_is_refused(raw):
    assert rejected(raw, ValueRules("multi_choice", choices=INDUSTRY)) == NOT_IN_LIST


@pytest.mark.parametrize(
    ("text", "value_type", "expected"),
    [
        (None, "integer", None),
        ("12", "integer", 12),
        ("-3", "integer", -3),
        ("0.1", "decimal", "0.1"),
        ("12.345678901234567890", "decimal", "12.345678901234567890"),
        ("99.5", "percent", "99.5"),
        ("true", "boolean", True),
        ("false", "boolean", False),
        ('["1", "3"]', "multi_choice", ["1", "3"]),
        ("2", "choice", "2"),
        ("2025-03-31", "date", "2025-03-31"),
        ("张三", "text", "张三"),
    ],
)
def test_json_values(text, value_type, expected):
    value = to_json_value(text, value_type)
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize("raw", [None, "", "   ", []])
def test_blank_answers(raw):
    assert is_blank(raw)


@pytest.mark.parametrize("raw", [0, "0", False, ["1"], Decimal("0")])
def test_zero_and_no_are_answers_not_blanks(raw):
    assert not is_blank(raw)
