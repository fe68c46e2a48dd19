"""JSON report definitions: the shape `reportonce reports import --json` prints, validated
with per-key Chinese messages."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from forms_registry.errors import InvalidInput
from forms_registry.importers.json_definition import read_json_definition
from forms_registry.importers.model import Choice


def encode(document: Any) -> bytes:
    return json.dumps(document, ensure_ascii=False).encode("utf-8")


def refusal(document: Any) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        read_json_definition(document if isinstance(document, bytes) else encode(document))
    return caught.value


def test_full_definition_is_read_with_derived_names_and_units() -> None:
    report = read_json_definition(
        encode(
            {
                "title": "村级社会救助季报",
                "frequency": "quarterly",
                "level": "village",
                "owner": "县民政局",
                "fields": [
                    {"label": "村（社区）名称", "role": "org_name", "element": None},
                    {
                        "label": "低保对象人数（人）",
                        "section": "最低生活保障",
                        "element": "DIBAO_PERSONS",
                        "type": "integer",
                        "required": True,
                        "min": 0,
                        "max": 5000,
                    },
                    {"label": "其中：女性（人）", "type": "integer"},
                    {"label": "救助金额", "unit": "万元", "type": "decimal", "min": 0.5},
                    {"label": "是否有养老服务站", "type": "choice", "choices": ["有", "无"]},
                    {
                        "label": "服务类型",
                        "type": "multi_choice",
                        "choices": [{"value": "meal", "label": "助餐"}, {"value": "bath"}],
                    },
                ],
            }
        )
    )

    assert (report.title, report.frequency, report.level, report.owner) == (
        "村级社会救助季报",
        "quarterly",
        "village",
        "县民政局",
    )
    assert report.source_format == "json"
    identity, persons, women, money, station, services = report.fields
    assert (identity.role, identity.element, identity.value_type) == ("org_name", None, None)
    assert (persons.name, persons.unit, persons.section) == ("低保对象人数", "人", "最低生活保障")
    assert (persons.element, persons.required) == ("DIBAO_PERSONS", True)
    assert (persons.minimum, persons.maximum) == (Decimal(0), Decimal(5000))
    assert (women.is_sub_item, women.name, women.unit, women.required) == (
        True,
        "女性",
        "人",
        False,
    )
    assert (money.unit, money.minimum) == ("万元", Decimal("0.5"))
    assert isinstance(money.minimum, Decimal)
    assert station.choices == [Choice("有", "有"), Choice("无", "无")]
    assert services.choices == [Choice("meal", "助餐"), Choice("bath", "bath")]
    assert [f.order for f in report.fields] == list(range(6))


def test_printed_output_keys_are_accepted_so_a_printed_definition_can_be_read_back() -> None:
    report = read_json_definition(
        encode(
            {
                "title": "表",
                "code": "R-0001",
                "fields": [
                    {
                        "label": "常住人口（人）",
                        "section": None,
                        "unit": "人",
                        "element": "POP_RES",
                        "role": None,
                        "confidence": 0.93,
                        "candidates": [{"element": "POP_RES", "score": 0.93}],
                    }
                ],
            }
        )
    )
    assert [(f.name, f.unit, f.element) for f in report.fields] == [("常住人口", "人", "POP_RES")]
    assert report.frequency is None


def test_invalid_json_names_line_and_column() -> None:
    error = refusal(b'{"title": "x",\n "fields": [}')
    assert error.message.startswith(
        "报表定义不是有效的 JSON，未导入：第 2 行第 13 列附近有语法错误"
    )
    assert error.details == {"file": "第 2 行第 13 列附近有语法错误。"}


def test_not_utf8_is_refused() -> None:
    error = refusal('{"title": "表"}'.encode("gbk"))
    assert error.message == "报表定义文件不是 UTF-8 编码的文本，未导入。"


def test_top_level_must_be_an_object() -> None:
    assert refusal([1, 2]).details == {"file": "报表定义应为 JSON 对象（{…}）。"}


def test_unknown_frequency_and_wrong_types_get_per_key_messages() -> None:
    error = refusal(
        {
            "title": " ",
            "frequency": "weekly",
            "level": 3,
            "fields": [
                {
                    "label": "人数",
                    "type": "number",
                    "required": "perhaps",
                    "min": "abc",
                    "colour": 1,
                },
                "人口",
                {"label": "类别", "type": "choice"},
                {"label": "村名", "type": "text", "min": 1, "element": "X", "role": "org_name"},
                {"label": "面积", "type": "decimal", "min": 5, "max": 1},
            ],
        }
    )
    assert error.details == {
        "title": "不能为空白。",
        "frequency": "不认识的报送频率“weekly”，应为 monthly、quarterly、half_yearly、yearly、one_off 之一。",
        "level": "应为字符串。",
        "fields[0].type": "不认识的类型“number”，应为 integer、decimal、percent、text、date、boolean、choice、multi_choice 之一。",
        "fields[0].required": "应为 true 或 false。",
        "fields[0].min": "应为数字。",
        "fields[0].colour": "未知的键。",
        "fields[1]": "每个字段应为对象（{…}）。",
        "fields[2].choices": "单选、多选字段必须给出选项。",
        "fields[3].role": "element 与 role 只能填一个（身份或填报信息列不对应指标）。",
        "fields[3].min": "只有数字字段才能有上下限。",
        "fields[4].max": "上限不能小于下限。",
    }
    assert error.message.startswith(
        "报表定义有误，未导入：title 不能为空白；frequency 不认识的报送频率"
    )


def test_missing_title_and_empty_fields() -> None:
    assert refusal({"fields": []}).details == {
        "title": "必须填写。",
        "fields": "至少要有一个字段。",
    }


def test_bad_choices_are_named_by_position() -> None:
    error = refusal(
        {
            "title": "t",
            "fields": [{"label": "a", "type": "choice", "choices": [{"label": "x"}, [1]]}],
        }
    )
    assert error.details == {
        "fields[0].choices[0].value": "必须填写。",
        "fields[0].choices[1]": "选项应为字符串或含 value、label 的对象。",
    }


def test_unknown_role_and_level() -> None:
    error = refusal(
        {"title": "t", "level": "province_x", "fields": [{"label": "a", "role": "filler"}]}
    )
    assert set(error.details) == {"level", "fields[0].role"}
    assert "org_name、org_code、meta" in error.details["fields[0].role"]
