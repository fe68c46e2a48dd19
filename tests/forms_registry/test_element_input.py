"""An element's units of other families counted one for one (also_counted_in), as a
reviewer writes them: each known, of another family, as large as the unit, once."""

from __future__ import annotations

import pytest

from forms_registry.elements.service import ElementInput
from forms_registry.errors import InvalidInput

AFFECTED = {
    "code": "DISASTER_AFFECTED_TEST",
    "name": "受灾人口",
    "value_type": "integer",
    "unit": "人",
    "kind": "flow",
}


def test_units_are_read_in_their_canonical_spelling_and_accepted() -> None:
    data = ElementInput.from_mapping({**AFFECTED, "also_counted_in": ["（人次）", " ", "户次"]})
    assert data.also_counted_in == ["人次", "户次"]
    data.validate()


def test_no_units_by_default() -> None:
    data = ElementInput.from_mapping(AFFECTED)
    assert data.also_counted_in == []
    data.validate()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"also_counted_in": ["斤斤"]}, "无法识别的计量单位“斤斤”"),
        ({"also_counted_in": ["万人"]}, "“万人”与计量单位“人”同类，本可换算，无须列出"),
        ({"also_counted_in": ["人次", "(人次)"]}, "单位“人次”重复"),
        ({"also_counted_in": ["万人次"]}, "“万人次”与计量单位“人”不能一比一计"),
        (
            {"value_type": "text", "unit": None, "also_counted_in": ["人次"]},
            "没有计量单位的指标不能另按其他单位计",
        ),
    ],
)
def test_a_bad_unit_is_refused_with_the_reason(changes: dict, message: str) -> None:
    data = ElementInput.from_mapping({**AFFECTED, **changes})
    with pytest.raises(InvalidInput) as refused:
        data.validate()
    assert refused.value.message == "指标信息有误"
    assert refused.value.details == {"also_counted_in": message}


def test_an_unknown_unit_of_the_element_is_reported_once() -> None:
    data = ElementInput.from_mapping({**AFFECTED, "unit": "斤斤", "also_counted_in": ["人次"]})
    assert data.also_counted_in == ["人次"]
    with pytest.raises(InvalidInput) as refused:
        data.validate()
    assert refused.value.details == {"unit": "无法识别的计量单位“斤斤”"}
