"""XLSForm importer: every public pyxform sample is imported or refused with a clear message,
and forms built here cover the mapping rules and pyxform's own refusals."""

from __future__ import annotations

from decimal import Decimal

import pytest

from forms_registry.errors import InvalidInput
from forms_registry.importers.model import Choice, ImportedReport
from forms_registry.importers.xlsform import read_xlsform
from tests.forms_registry.xlsx_builders import build_xlsform
from tests.samples_path import SAMPLES

XLSFORMS = SAMPLES / "xlsform"


def read_sample(name: str) -> ImportedReport:
    path = XLSFORMS / name
    return read_xlsform(path.read_bytes(), path.name)


def summary(report: ImportedReport) -> list[tuple[str, str | None, str | None]]:
    return [(f.label, f.value_type, f.section) for f in report.fields]


# --- the public pyxform samples -------------------------------------------------------


def test_case_insensitivity_is_refused_for_external_and_osm_questions() -> None:
    with pytest.raises(InvalidInput) as caught:
        read_sample("case_insensitivity.xlsx")
    assert caught.value.message == (
        "XLSForm 中有 ReportOnce 暂不支持的题目，未导入："
        "第 3 行“q2”（select_one_external c1）：暂不支持选项来自外部文件的选择题；"
        "第 4 行“q3”（osm c1）：暂不支持地图要素（OSM）题。"
        "请改为整数、小数、文本、日期、单选或多选题后再导入。"
    )
    assert set(caught.value.details) == {"q2", "q3"}


def test_extra_columns_reads_the_one_question_and_ignores_empty_columns() -> None:
    report = read_sample("extra_columns.xlsx")
    assert report.title == "extra_columns"
    assert report.source_format == "xlsform"
    assert summary(report) == [("A", "text", None)]


def test_field_list_yes_no_question_becomes_boolean_inside_unlabelled_group() -> None:
    report = read_sample("field-list.xlsx")
    assert summary(report) == [("table list question", "boolean", None)]
    assert report.fields[0].choices is None


def test_group_label_becomes_section() -> None:
    report = read_sample("group.xlsx")
    assert summary(report) == [
        ("What's your family name?", "text", None),
        ("What's your father's phone number?", "text", "Father"),
        ("How old is your father?", "integer", "Father"),
    ]
    assert [f.order for f in report.fields] == [0, 1, 2]


def test_specify_other_keeps_the_other_choice_and_its_text_question() -> None:
    report = read_sample("specify_other.xlsx")
    assert summary(report) == [
        ("What sex are you?", "choice", None),
        ("Specify other.", "text", None),
    ]
    assert report.fields[0].choices == [
        Choice("male", "Male"),
        Choice("female", "Female"),
        Choice("other", "Other"),
    ]


def test_text_and_integer() -> None:
    report = read_sample("text_and_integer.xlsx")
    assert report.title == "text_and_integer"
    assert summary(report) == [
        ("What is your name?", "text", None),
        ("How many years old are you?", "integer", None),
    ]
    assert not any(f.required for f in report.fields)


def test_yes_or_no_question_becomes_boolean() -> None:
    report = read_sample("yes_or_no_question.xlsx")
    assert summary(report) == [("have you had a good day today?", "boolean", None)]


# --- mapping rules ---------------------------------------------------------------------

HEADER = ["type", "name", "label::English (en)", "label::中文 (zh)", "required", "constraint"]


def test_chinese_labels_units_required_limits_and_nested_sections() -> None:
    data = build_xlsform(
        [
            HEADER + ["parameters"],
            ["start", "start"],
            ["integer", "pop", "Population", "户籍人口（人）", "yes", ". >= 0"],
            ["begin group", "farm", "Farming", "农业生产"],
            ["decimal", "land", "Land", "耕地面积（亩）", "TRUE", ". >= 0 and . <= 120"],
            ["integer", "f", "Female", "其中：女性（人）", None, "0 <= . and . < 100"],
            ["begin_group", "inner", "Inner", "明细"],
            ["range", "score", "Score", "满意度", None, None, "start=0 end=5 step=0.5"],
            ["end group"],
            ["end group"],
            ["select_multiple crops", "crops", "Crops", "主要作物"],
            ["acknowledge", "ok", "OK", "确认无误"],
        ],
        choices=[
            ["list_name", "name", "label::English (en)", "label::中文 (zh)"],
            ["crops", "rice", "Rice", "水稻"],
            ["crops", "wheat", "Wheat", "小麦"],
        ],
        settings=[["form_title", "default_language"], ["村级农业生产情况", "English (en)"]],
    )
    report = read_xlsform(data, "ignored.xlsx")

    assert report.title == "村级农业生产情况"
    by_label = {f.label: f for f in report.fields}
    assert list(by_label) == [
        "户籍人口（人）",
        "耕地面积（亩）",
        "其中：女性（人）",
        "满意度",
        "主要作物",
        "确认无误",
    ]
    population = by_label["户籍人口（人）"]
    assert (population.name, population.unit, population.value_type) == (
        "户籍人口",
        "人",
        "integer",
    )
    assert (population.required, population.minimum, population.maximum) == (True, Decimal(0), None)
    land = by_label["耕地面积（亩）"]
    assert (land.section, land.required) == ("农业生产", True)
    assert (land.minimum, land.maximum) == (Decimal(0), Decimal(120))
    female = by_label["其中：女性（人）"]
    assert (female.is_sub_item, female.name, female.maximum) == (True, "女性", Decimal(99))
    score = by_label["满意度"]
    assert (score.value_type, score.section) == ("decimal", "农业生产 / 明细")
    assert (score.minimum, score.maximum) == (Decimal(0), Decimal(5))
    crops = by_label["主要作物"]
    assert crops.value_type == "multi_choice"
    assert crops.choices == [Choice("rice", "水稻"), Choice("wheat", "小麦")]
    assert by_label["确认无误"].value_type == "boolean"
    assert report.notes == ["以下题目不需填报人填写，导入时已略过：第 2 行“start”（start）。"]


def test_default_language_label_when_there_is_no_chinese_column() -> None:
    data = build_xlsform(
        [
            ["type", "name", "label::French (fr)", "label::English (en)"],
            ["integer", "n", "Nombre", "Number"],
        ],
        settings=[["default_language"], ["English (en)"]],
    )
    report = read_xlsform(data, "村情调查.xlsx")
    assert report.title == "村情调查"
    assert [f.label for f in report.fields] == ["Number"]


def test_notes_become_report_notes_and_complex_constraints_are_reported() -> None:
    data = build_xlsform(
        [
            ["type", "name", "label", "constraint", "calculation"],
            ["note", "intro", "请按年末数填写"],
            ["decimal", "area", "面积（亩）", ". > 0"],
            ["calculate", "twice", None, None, "${area} * 2"],
            ["datetime", "when", "调查时间"],
        ]
    )
    report = read_xlsform(data)
    assert [(f.label, f.value_type, f.minimum) for f in report.fields] == [
        ("面积（亩）", "decimal", None),
        ("调查时间", "date", None),
    ]
    assert report.notes == [
        "请按年末数填写",
        "第 3 行“area”（decimal）的约束条件“. > 0”不是简单的上下限，导入时未转换。",
        "第 5 行“when”（datetime）是日期时间题，按日期导入，不保留时刻。",
        "以下题目不需填报人填写，导入时已略过：第 4 行“twice”（calculate）。",
    ]


# --- refusals --------------------------------------------------------------------------


def test_repeat_and_unstorable_answers_are_refused_naming_row_and_type() -> None:
    data = build_xlsform(
        [
            ["type", "name", "label"],
            ["text", "village", "村名"],
            ["begin repeat", "member", "家庭成员"],
            ["text", "member_name", "姓名"],
            ["end repeat"],
            ["geopoint", "location", "位置"],
            ["image", "photo", "照片"],
        ]
    )
    with pytest.raises(InvalidInput) as caught:
        read_xlsform(data)
    assert caught.value.details == {
        "member": "第 3 行“member”（begin repeat）：暂不支持重复组（repeat）",
        "location": "第 6 行“location”（geopoint）：暂不支持地理位置题",
        "photo": "第 7 行“photo”（image）：暂不支持照片、音视频或文件上传题",
    }
    assert "暂不支持重复组（repeat）" in caught.value.message


def test_select_one_with_missing_choice_list_passes_on_pyxform_explanation() -> None:
    data = build_xlsform(
        [["type", "name", "label"], ["select_one sizes", "size", "规模"]],
        choices=[["list_name", "name", "label"], ["yes_no", "yes", "是"]],
    )
    with pytest.raises(InvalidInput) as caught:
        read_xlsform(data)
    assert caught.value.message == (
        "XLSForm 第 2 行有错误，未导入（pyxform 的说明：List name not in choices sheet: sizes）"
    )
    assert caught.value.details == {"xlsform": "[row : 2] List name not in choices sheet: sizes"}


def test_missing_type_column_passes_on_pyxform_explanation() -> None:
    data = build_xlsform([["name", "label"], ["age", "年龄"]])
    with pytest.raises(InvalidInput) as caught:
        read_xlsform(data)
    assert caught.value.message.startswith("XLSForm 有错误，未导入（pyxform 的说明：")
    assert "required column headers were not found: 'type'" in caught.value.message


def test_form_without_answerable_questions_is_refused() -> None:
    data = build_xlsform([["type", "name", "label"], ["note", "hello", "欢迎"]])
    with pytest.raises(InvalidInput, match="没有需要填报的题目"):
        read_xlsform(data)


def test_bytes_that_are_not_a_workbook_are_refused_before_pyxform() -> None:
    with pytest.raises(InvalidInput, match=r"\.xlsx"):
        read_xlsform(b"type,name,label\ntext,a,A\n", "form.csv")
