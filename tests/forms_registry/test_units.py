from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from forms_registry.errors import InvalidInput
from forms_registry.units import (
    UNITS_FILE,
    IncompatibleUnits,
    are_compatible,
    conversion_factor,
    convert,
    families_taken,
    is_known_unit,
    normalize_unit,
    unit_family,
    unit_table,
)

D = Decimal


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("万元", "万元"),
        ("  万元 ", "万元"),
        ("（万人）", "万人"),
        ("(亩)", "亩"),
        ("【个】", "个"),
        ("单位：万元", "万元"),
        ("单位:吨", "吨"),
        ("㎡", "平方米"),
        ("m²", "平方米"),
        ("M2", "平方米"),
        ("平米", "平方米"),
        ("ha", "公顷"),
        ("㏊", "公顷"),
        ("hm²", "公顷"),
        ("km²", "平方公里"),
        ("平方千米", "平方公里"),
        ("％", "%"),
        ("百分比", "%"),
        ("千分率", "‰"),
        ("千克", "公斤"),
        ("KG", "公斤"),
        ("㎏", "公斤"),
        ("千米", "公里"),
        ("ｋｍ", "公里"),
        ("日", "天"),
        ("个月", "月"),
        ("周岁", "岁"),
        ("度", "千瓦时"),
        ("平 方 米", "平方米"),
        # what real forms count in: doses given, a service area done once a 亩
        ("剂次", "次"),
        ("（针次）", "次"),
        ("亩次", "亩"),
        ("万亩次", "万亩"),
    ],
)
def test_normalize_unit_gives_canonical_spelling(written: str, canonical: str) -> None:
    assert normalize_unit(written) == canonical


@pytest.mark.parametrize("blank", [None, "", "   ", "（）", "()"])
def test_blank_unit_is_none(blank: str | None) -> None:
    assert normalize_unit(blank) is None
    assert unit_family(blank) is None


def test_unknown_unit_is_kept_cleaned() -> None:
    assert normalize_unit("（袋）") == "袋"
    assert unit_family("袋") is None
    assert not is_known_unit("袋")


@pytest.mark.parametrize(
    ("unit", "family"),
    [
        ("人", "persons"),
        ("万人", "persons"),
        ("户", "households"),
        ("人次", "person_times"),
        ("处", "count"),
        ("所", "count"),
        ("公顷", "area"),
        ("亿元", "money"),
        ("斤", "weight"),
        ("公里", "length"),
        ("%", "percent"),
        ("小时", "duration"),
        ("年", "calendar_duration"),
        ("具", "count"),  # 灭火器（具）
        ("种", "kinds"),  # 报刊（种）: titles, not copies
    ],
)
def test_unit_family(unit: str, family: str) -> None:
    assert unit_family(unit) == family
    assert is_known_unit(unit)


@pytest.mark.parametrize(
    ("value", "source", "target", "expected"),
    [
        ("15", "亩", "公顷", "1"),
        ("1", "公顷", "亩", "15"),
        ("300", "亩", "公顷", "20"),
        ("1", "平方公里", "亩", "1500"),
        ("1", "平方公里", "公顷", "100"),
        ("10000", "平方米", "公顷", "1"),
        ("1", "平方米", "亩", "0.0015"),
        ("2.5", "万亩", "亩", "25000"),
        ("1", "万元", "元", "10000"),
        ("12345", "元", "万元", "1.2345"),
        ("3.21", "亿元", "万元", "32100"),
        ("1.5", "千元", "元", "1500"),
        ("1", "万人", "人", "10000"),
        ("2345", "人", "万人", "0.2345"),
        ("3", "千人", "人", "3000"),
        ("7", "万户", "户", "70000"),
        ("2", "万人次", "人次", "20000"),
        ("3", "个", "处", "3"),
        ("4", "所", "个", "4"),
        ("1", "吨", "斤", "2000"),
        ("1", "斤", "公斤", "0.5"),
        ("1", "公里", "米", "1000"),
        ("5", "‰", "%", "0.5"),
        ("2", "天", "小时", "48"),
        ("1", "年", "月", "12"),
        ("500", "斤/亩", "公斤/亩", "250"),
    ],
)
def test_convert_is_exact(value: str, source: str, target: str, expected: str) -> None:
    assert convert(D(value), source, target) == D(expected)


def test_convert_accepts_any_known_spelling() -> None:
    assert convert(D("1"), "㏊", "（亩）") == D("15")
    assert convert(D("100"), "％", "‰") == D("1000")


def test_conversion_factor() -> None:
    assert conversion_factor("万元", "元") == D("10000")
    assert conversion_factor("元", "万元") == D("0.0001")
    assert conversion_factor("公顷", "亩") == D("15")
    assert conversion_factor("个", "处") == D("1")
    assert conversion_factor("人", "万人") == D("0.0001")
    assert conversion_factor(None, None) == D("1")
    assert conversion_factor("", None) == D("1")


def test_non_terminating_factor_is_rounded_but_convert_divides_last() -> None:
    factor = conversion_factor("亩", "公顷")
    assert abs(factor - D("0.0666666666666666666666")) < D("1E-20")
    # 15 亩 times a rounded 1/15 would not give exactly 1 公顷; convert does.
    assert convert(D("15"), "亩", "公顷") == D("1")
    assert convert(D("45.6"), "亩", "公顷") == D("3.04")


def test_convert_uses_no_binary_floats() -> None:
    result = convert(D("0.1"), "万元", "元")
    assert result == D("1000")
    assert isinstance(result, Decimal)
    assert convert(D("0.3"), "元", "万元") == D("0.00003")
    with pytest.raises(TypeError):
        convert(0.1, "万元", "元")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("人", "户"),
        ("人", "人次"),
        ("户", "万人"),
        ("亩", "万元"),
        ("个", "人"),
        ("天", "月"),
        ("元", "元/人"),
        ("%", "人"),
    ],
)
def test_incompatible_families(a: str, b: str) -> None:
    assert not are_compatible(a, b)
    with pytest.raises(IncompatibleUnits) as caught:
        conversion_factor(a, b)
    assert "不可换算" in caught.value.message
    with pytest.raises(IncompatibleUnits):
        convert(D("1"), a, b)


def test_incompatible_units_is_invalid_input() -> None:
    with pytest.raises(InvalidInput):
        conversion_factor("人", "户")


def test_unknown_unit_is_incompatible() -> None:
    assert not are_compatible("袋", "个")
    assert not are_compatible("袋", "袋")
    with pytest.raises(IncompatibleUnits) as caught:
        conversion_factor("袋", "个")
    assert "无法识别" in caught.value.message
    assert "袋" in caught.value.message


def test_no_unit_only_compatible_with_no_unit() -> None:
    assert are_compatible(None, None)
    assert are_compatible(None, " ")
    assert not are_compatible(None, "人")
    assert not are_compatible("人", "")
    assert convert(D("7"), None, "") == D("7")
    with pytest.raises(IncompatibleUnits):
        convert(D("7"), None, "人")


@pytest.mark.parametrize(
    ("a", "b"),
    [("人", "万人"), ("名", "人"), ("亩", "平方米"), ("元", "亿元"), ("公斤", "斤"), ("个", "座")],
)
def test_compatible(a: str, b: str) -> None:
    assert are_compatible(a, b)
    assert are_compatible(b, a)


def test_an_enterprise_is_one_jia_or_one_hu() -> None:
    """家 and 户 count an enterprise one for one, whatever the scale of the 户 unit; 户 and
    other count words (个) stay apart, and only an element in 家 takes columns in 户."""
    assert conversion_factor("户", "家") == D("1")
    assert conversion_factor("万户", "家") == D("10000")
    assert convert(D("3"), "家", "万户") == D("0.0003")
    assert not are_compatible("户", "个")
    assert not are_compatible("人", "家")
    assert families_taken("家") == {"count", "households"}
    assert families_taken("户") == {"households"}
    assert families_taken("个") == {"count"}
    assert families_taken(None) == frozenset()


# 受灾人口 is counted in 人, and one for one in 人次 (自然灾害情况统计调查制度)
DISASTER_AFFECTED = {"人": ["人次"]}


def test_an_element_is_converted_through_the_units_it_is_also_counted_in() -> None:
    assert conversion_factor("万人次", "人", same_as=DISASTER_AFFECTED) == D("10000")
    assert conversion_factor("人次", "人", same_as=DISASTER_AFFECTED) == D("1")
    assert conversion_factor("人", "人", same_as=DISASTER_AFFECTED) == D("1")
    assert conversion_factor("万人", "人", same_as=DISASTER_AFFECTED) == D("10000")
    assert convert(D("12345"), "人", "万人次", same_as=DISASTER_AFFECTED) == D("1.2345")
    assert convert(D("7"), "人", "千人次", same_as=DISASTER_AFFECTED) == D("0.007")
    assert are_compatible("人", "人次", same_as=DISASTER_AFFECTED)
    # only the element's own unit is counted one for one: 人次 are not 万人
    assert not are_compatible("人次", "万人", same_as=DISASTER_AFFECTED)


def test_other_families_and_other_elements_stay_apart() -> None:
    with pytest.raises(IncompatibleUnits) as caught:
        conversion_factor("个", "人", same_as=DISASTER_AFFECTED)
    assert caught.value.message == "计量单位“个”与“人”不可换算（个数与人数）"
    assert caught.value.details == {"unit": "计量单位“个”与“人”不可换算（个数与人数）"}
    with pytest.raises(IncompatibleUnits):
        convert(D("1"), "人", "户次", same_as=DISASTER_AFFECTED)
    # without the element saying so, 人次 are not 人 (医疗救助人次 are no 人数)
    assert not are_compatible("人次", "人")
    with pytest.raises(IncompatibleUnits) as caught:
        conversion_factor("人次", "人")
    assert caught.value.message == "计量单位“人次”与“人”不可换算（人次与人数）"


def test_an_element_takes_the_columns_of_the_units_it_is_also_counted_in() -> None:
    assert families_taken("人", ["人次"]) == {"persons", "person_times"}
    assert families_taken("人") == {"persons"}
    assert families_taken("家", ["人次"]) == {"count", "households", "person_times"}
    assert families_taken(None, ["人次"]) == frozenset()


def test_every_unit_table_spelling_resolves_to_its_unit() -> None:
    raw = json.loads(UNITS_FILE.read_text(encoding="utf-8"))
    for family in raw["families"]:
        for entry in family["units"]:
            for spelling in (entry["unit"], *entry["synonyms"]):
                assert normalize_unit(spelling) == entry["unit"], spelling
                assert unit_family(spelling) == family["key"], spelling


def test_each_family_has_its_base_with_factor_one() -> None:
    table = unit_table()
    for family, base in table.family_bases.items():
        assert table.units[base].family == family
        assert table.units[base].factor == 1


_FAMILIES: dict[str, list[str]] = {}
for _unit in unit_table().units.values():
    _FAMILIES.setdefault(_unit.family, []).append(_unit.name)
_unit_pairs = st.sampled_from(sorted(_FAMILIES)).flatmap(
    lambda family: st.tuples(st.sampled_from(_FAMILIES[family]), st.sampled_from(_FAMILIES[family]))
)
_values = st.decimals(min_value=D("-1E12"), max_value=D("1E12"), places=4, allow_nan=False)


@given(value=_values, pair=_unit_pairs)
def test_round_trip_within_a_family(value: Decimal, pair: tuple[str, str]) -> None:
    a, b = pair
    assert are_compatible(a, b)
    back = convert(convert(value, a, b), b, a)
    # Exact whenever the intermediate value terminates (the named tests above check those);
    # a non-terminating ratio (1/168 for 小时 → 周) is rounded at 34 significant digits.
    assert abs(back - value) <= D("1E-20") * max(abs(value), D(1))
