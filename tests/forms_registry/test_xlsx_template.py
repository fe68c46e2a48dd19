"""The XLSX template importer on the real sample templates and on built layouts."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Sequence
from typing import Any

import pytest

from forms_registry.errors import InvalidInput
from forms_registry.importers.label_parsing import parse_label, unit_from_note
from forms_registry.importers.model import FREQUENCIES, LEVELS, ImportedReport
from forms_registry.importers.xlsx_template import read_xlsx_template
from tests.forms_registry.xlsx_builders import Rows, read_part, with_parts, workbook_bytes
from tests.samples_path import SAMPLES

REPORTS = SAMPLES / "reports"
TRUTH: dict[str, dict] = json.loads((REPORTS / "truth.json").read_text(encoding="utf-8"))
IDENTITY_CONCEPTS = {"ORG_NAME", "ORG_CODE", "META"}
TRAILING_UNIT = re.compile(r"（([^（）]+)）$")
# The only sample with a two-level header: expected upper level per column.
EXPECTED_SECTIONS = {
    "p5_minzheng_quarterly.xlsx": [None, "老年人口", "老年人口", "农村低保", "农村低保", None],
}
NO_HEADER = "未找到表头行：模板中应有一行至少包含两个列标题，请检查模板后再上传"


def read_sample(name: str) -> ImportedReport:
    return read_xlsx_template((REPORTS / name).read_bytes(), name)


def read_built(
    rows: Rows, merges: Sequence[str] = (), filename: str = "模板.xlsx", **kwargs: Any
) -> ImportedReport:
    return read_xlsx_template(workbook_bytes(rows, merges, **kwargs), filename)


# ---------------------------------------------------------------- the sample templates


def test_every_sample_report_is_in_truth() -> None:
    on_disk = {path.name for path in REPORTS.glob("*.xlsx")}
    assert on_disk == set(TRUTH)


@pytest.mark.parametrize("name", sorted(TRUTH))
def test_sample_labels_units_and_facts_match_truth(name: str) -> None:
    truth = TRUTH[name]
    report = read_sample(name)

    assert report.source_format == "xlsx"
    assert report.title == truth["title"]
    assert report.layout == truth.get("layout", "horizontal")
    assert [field.label for field in report.fields] == [c["label"] for c in truth["columns"]]
    assert [field.order for field in report.fields] == list(range(len(truth["columns"])))
    assert report.frequency == truth["frequency"]
    assert report.level == truth["level"]
    assert all(field.element is None and field.role is None for field in report.fields)

    for field, column in zip(report.fields, truth["columns"], strict=True):
        if "unit" in column:  # vertical form: the unit is a column of its own
            expected_unit = column["unit"]
        elif column["concept"] in IDENTITY_CONCEPTS:
            expected_unit = None
        else:
            expected_unit = TRAILING_UNIT.search(column["label"]).group(1)
        assert field.unit == expected_unit, field.label
        assert field.is_sub_item == column["label"].startswith("其中")
        assert field.name
        assert "（" not in field.name or field.unit is None
        assert not field.name.startswith("其中")


@pytest.mark.parametrize("name", sorted(TRUTH))
def test_sample_sections_follow_two_level_headers(name: str) -> None:
    report = read_sample(name)
    expected = EXPECTED_SECTIONS.get(name, [None] * len(report.fields))
    assert [field.section for field in report.fields] == expected


def test_sample_names_drop_unit_and_sub_item_marker() -> None:
    fields = {field.label: field for field in read_sample("p8_nongye_quarterly.xlsx").fields}
    assert fields["户籍人口（人）"].name == "户籍人口"
    sub_item = fields["其中：经营性收入（万元）"]
    assert (sub_item.name, sub_item.unit, sub_item.is_sub_item) == ("经营性收入", "万元", True)


def test_vertical_sample_keeps_codes_and_note() -> None:
    report = read_sample("p12_tongji_township_vertical_yearly.xlsx")
    assert [field.code for field in report.fields] == [f"{n:02d}" for n in range(1, 8)]
    assert report.notes and report.notes[0].startswith("填报单位：")


def test_sample_note_rows_are_kept() -> None:
    assert read_sample("p2_zhujian_monthly.xlsx").notes == ["填报单位：              年    月"]


def test_frequency_is_not_guessed_when_neither_title_notes_nor_filename_say() -> None:
    report = read_xlsx_template((REPORTS / "p1_jiaoyu_yearly.xlsx").read_bytes())
    assert report.frequency is None
    assert report.level == "village"


def test_extra_columns_declaring_millions_of_cells_opens_quickly() -> None:
    data = (SAMPLES / "xlsform" / "extra_columns.xlsx").read_bytes()
    assert b'ref="A1:ISI513"' in read_part(data, "xl/worksheets/sheet1.xml")
    started = time.perf_counter()
    report = read_xlsx_template(data, "extra_columns.xlsx")
    assert time.perf_counter() - started < 2
    assert [field.label for field in report.fields] == ["type", "name", "label"]


# ---------------------------------------------------------------- built layouts


def test_title_notes_and_table_wide_unit() -> None:
    report = read_built(
        [
            ["附件2"],
            ["2024年 村集体经济 收入情况表"],
            ["填报单位：", None, "单位：万元"],
            ["村名", "经营收入", "其中：租赁收入", "联系电话"],
            ["注：本表由村委会填写。"],
        ],
        ["A2:D2"],
    )
    assert report.title == "2024年村集体经济收入情况表"
    assert report.notes == ["附件2", "填报单位：  单位：万元", "注：本表由村委会填写。"]
    assert [field.unit for field in report.fields] == [None, "万元", "万元", None]
    assert report.fields[2].is_sub_item
    assert report.frequency is None


def test_a_table_wide_unit_never_makes_the_unit_column_a_count() -> None:
    """The unit column ("乡镇（街道）") names the row; a note's "单位：家、处" is for the counts."""
    report = read_built(
        [
            ["隐患排查整治情况月报"],
            ["单位：家、处"],
            ["乡镇（街道）", "村（社区）", "检查单位", "排查隐患"],
        ],
        ["A1:D1"],
    )
    assert [field.unit for field in report.fields] == [None, None, "家", "家"]
    assert report.level == "village"


def test_merged_two_level_header_with_vertical_merges() -> None:
    report = read_built(
        [
            ["情况表"],
            ["单位名称", "人口（人）", None, "面积", None],
            [None, "户籍", "常住", "耕地（亩）", "林地（亩）"],
        ],
        ["A1:E1", "A2:A3", "B2:C2", "D2:E2"],
    )
    assert [(f.label, f.section, f.unit) for f in report.fields] == [
        ("单位名称", None, None),
        ("户籍", "人口（人）", "人"),  # a unit on the group applies to its columns
        ("常住", "人口（人）", "人"),
        ("耕地（亩）", "面积", "亩"),
        ("林地（亩）", "面积", "亩"),
    ]


def test_one_level_columns_beside_groups_without_vertical_merge() -> None:
    report = read_built(
        [["村名", "低保", None, "备注"], [None, "户数（户）", "人数（人）", None]],
        ["B1:C1"],
    )
    assert [(f.label, f.section) for f in report.fields] == [
        ("村名", None),
        ("户数（户）", "低保"),
        ("人数（人）", "低保"),
        ("备注", None),
    ]


def test_unmerged_two_level_header() -> None:
    report = read_built(
        [["村名", "老年人口", None, "备注"], [None, "60岁以上（人）", "80岁以上（人）", None]]
    )
    assert [(f.label, f.section) for f in report.fields] == [
        ("村名", None),
        ("60岁以上（人）", "老年人口"),
        ("80岁以上（人）", "老年人口"),
        ("备注", None),
    ]


def test_three_level_header_joins_upper_levels() -> None:
    report = read_built(
        [
            ["村名", "人口", None, None],
            [None, "户籍", None, "常住（人）"],
            [None, "男（人）", "女（人）", None],
        ],
        ["A1:A3", "B1:D1", "C2:C2", "B2:C2", "D2:D3"],
    )
    assert [(f.label, f.section) for f in report.fields] == [
        ("村名", None),
        ("男（人）", "人口 / 户籍"),
        ("女（人）", "人口 / 户籍"),
        ("常住（人）", "人口"),
    ]


def test_unit_written_in_the_row_below_a_single_column_header() -> None:
    report = read_built([["村名", "户籍人口", "耕地面积"], [None, "（万人）", "（亩）"]])
    assert [(f.label, f.name, f.unit, f.section) for f in report.fields] == [
        ("村名", "村名", None, None),
        ("户籍人口（万人）", "户籍人口", "万人", None),
        ("耕地面积（亩）", "耕地面积", "亩", None),
    ]


def test_header_with_line_breaks_and_code_row() -> None:
    report = read_built(
        [
            ["统计表"],
            ["村  名", "户籍\n人口（人）", "其中\n女性（人）"],
            ["甲", "1", "2"],
            ["张村", 100, 50],
        ],
        ["A1:C1"],
    )
    assert [f.label for f in report.fields] == ["村  名", "户籍\n人口（人）", "其中\n女性（人）"]
    assert [f.name for f in report.fields] == ["村名", "户籍人口", "女性"]
    assert [f.code for f in report.fields] == ["甲", "1", "2"]
    assert report.fields[2].is_sub_item


def test_a_column_listing_yes_and_no_holds_yes_no_answers() -> None:
    """ "（是/否）" or "（是=1，否=0）" lists the answers: the column is 是/否, its name is
    what is asked, and a note's unit for the counts is not its unit."""
    report = read_built(
        [
            ["农村物流情况季报"],
            ["单位：个"],
            ["村名", "快递直达村（是/否）", "通客运班车（是=1，否=0）", "村邮站"],
        ],
        ["A1:D1"],
    )
    assert [(f.name, f.unit, f.value_type) for f in report.fields] == [
        ("村名", None, None),
        ("快递直达村", None, "boolean"),
        ("通客运班车", None, "boolean"),
        ("村邮站", "个", None),
    ]


def test_a_row_whose_unit_lists_yes_and_no_holds_yes_no_answers() -> None:
    report = read_built(
        [
            ["村基本情况年报"],
            ["指标名称", "计量单位", "代码", "数量"],
            ["是否通客车", "是/否", "01"],
            ["自然村", "个", "02"],
        ],
        ["A1:D1"],
    )
    assert [(f.name, f.unit, f.value_type) for f in report.fields] == [
        ("是否通客车", None, "boolean"),
        ("自然村", "个", None),
    ]


def test_vertical_form_with_sections_sub_items_and_code_row() -> None:
    report = read_built(
        [
            ["乡镇社会经济基本情况（半年报）"],
            ["指 标 名 称", "计量单位", "代码", "本期", "上年同期"],
            ["甲", "乙", "丙", "1", "2"],
            ["一、人口"],
            ["户籍人口", "人", "01"],
            ["  其中：女性", "人", "02"],
            ["二、经济"],
            ["财政收入（万元）", None, "03"],
            ["单位负责人：", None, "填表人："],
            ["注：本期指1-6月。"],
        ],
        ["A1:E1"],
    )
    assert report.layout == "vertical"
    assert report.frequency == "half_yearly"
    assert report.level == "township"
    assert [(f.label, f.name, f.unit, f.code, f.section, f.is_sub_item) for f in report.fields] == [
        ("户籍人口", "户籍人口", "人", "01", "一、人口", False),
        ("其中：女性", "女性", "人", "02", "一、人口", True),
        ("财政收入（万元）", "财政收入", "万元", "03", "二、经济", False),
    ]
    assert report.notes == ["单位负责人：  填表人：", "注：本期指1-6月。"]


def test_vertical_caption_rows_marked_not_applicable_are_sections() -> None:
    """A caption row with a dash in its unit and code cells ("一、户籍人口 | — | —") heads
    a section, as a blank one does; it is no field."""
    report = read_built(
        [
            ["村级人口统计年报"],
            ["指标名称", "代码", "计量单位", "数量"],
            ["甲", "乙", "丙", "1"],
            ["一、户籍人口", "—", "—"],
            ["年末户籍人口", "101", "人"],
            ["女性人口", "102", "人"],
            ["二、常住人口", "-", "／"],
            ["年末常住人口", "201", "人"],
        ],
        ["A1:D1"],
    )
    assert [(f.label, f.code, f.unit, f.section) for f in report.fields] == [
        ("年末户籍人口", "101", "人", "一、户籍人口"),
        ("女性人口", "102", "人", "一、户籍人口"),
        ("年末常住人口", "201", "人", "二、常住人口"),
    ]


@pytest.mark.parametrize(
    ("title", "note", "filename", "frequency"),
    [
        ("住房情况月报", None, "x.xlsx", "monthly"),
        ("住房情况表", "2024年第一季度", "x.xlsx", "quarterly"),
        ("住房情况半年报", None, "x.xlsx", "half_yearly"),
        ("2024年度住房情况表", None, "x.xlsx", "yearly"),
        ("住房情况表", None, "housing_monthly.xlsx", "monthly"),
        ("住房情况表", None, "住房情况季报.xlsx", "quarterly"),
        ("住房情况表", None, "housing_half_yearly.xlsx", "half_yearly"),
        ("住房情况表", None, "x.xlsx", None),
        # a span a note defines something by is no period: "外出半年以上的党员"
        ("党员队伍情况表", "注：流动党员指外出半年以上的党员。", "party_yearly.xlsx", "yearly"),
        ("党员队伍情况表", "注：外出半年（含）以上的党员。", "party_yearly.xlsx", "yearly"),
    ],
)
def test_frequency_inference(
    title: str, note: str | None, filename: str, frequency: str | None
) -> None:
    rows = [[title], *([[note]] if note else []), ["村名", "危房户数（户）"]]
    report = read_built(rows, filename=filename)
    assert report.frequency == frequency
    assert frequency is None or frequency in FREQUENCIES


@pytest.mark.parametrize(
    ("title", "identity", "level"),
    [
        ("基本情况表", "村（居）名称", "village"),
        ("基本情况表", "社区名称", "village"),
        ("基本情况表", "乡镇（街道）", "township"),
        ("基本情况表", "所属乡镇", "township"),
        ("各乡镇基本情况表", "单位", "township"),
        ("村级基本情况表", "单位", "village"),
        ("农村基本情况表", "单位", None),
    ],
)
def test_level_inference(title: str, identity: str, level: str | None) -> None:
    report = read_built([[title], [identity, "村集体收入（万元）", "村卫生室（个）"]])
    assert report.level == level
    assert level is None or level in LEVELS


def test_village_column_wins_over_township_column() -> None:
    report = read_built([["情况表"], ["所属乡镇", "村名", "人口（人）"]])
    assert report.level == "village"


def test_owner_from_a_stated_issuing_body() -> None:
    report = read_built(
        [["统计表"], ["制定机关：县统计局", None, "表号：A101"], ["村名", "人口（人）"]]
    )
    assert report.owner == "县统计局"


def test_item_unit_header_without_indicator_rows_is_a_plain_list() -> None:
    report = read_built([["采购清单"], ["项目名称", "单位", "数量", "金额（元）"]])
    assert report.layout == "horizontal"
    assert [field.label for field in report.fields] == ["项目名称", "单位", "数量", "金额（元）"]


def test_seal_and_attachment_rows_are_notes_not_titles() -> None:
    report = read_built(
        [["附件"], ["填报单位（盖章）"], ["低保情况表"], ["村名", "低保户数（户）"]]
    )
    assert report.title == "低保情况表"
    assert report.notes == ["附件", "填报单位（盖章）"]


def test_title_falls_back_to_the_file_name() -> None:
    report = read_built([["村名", "人口（人）"]], filename="人口统计.xlsx")
    assert report.title == "人口统计"


def test_sheet_without_a_header_is_skipped_for_the_next_visible_one() -> None:
    report = read_built(
        [["填表说明"], ["1. 本表由村委会填写。"]],
        extra_sheets=[
            ("隐藏", [["乙", "丙"]], True),
            ("报表", [["表"], ["村名", "人口（人）"]], False),
        ],
    )
    assert [field.label for field in report.fields] == ["村名", "人口（人）"]


def test_hidden_sheets_are_ignored() -> None:
    report = read_built(
        [["隐藏列1", "隐藏列2"]],
        first_sheet_hidden=True,
        extra_sheets=[("报表", [["村名", "人口（人）"]], False)],
    )
    assert [field.label for field in report.fields] == ["村名", "人口（人）"]


# ---------------------------------------------------------------- refusals


def assert_import_refused(data: bytes, message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        read_xlsx_template(data, "模板.xlsx")
    assert caught.value.message == message


def test_title_only_workbook_has_no_header_row() -> None:
    assert_import_refused(workbook_bytes([["农村基本情况季报"]], ["A1:F1"]), NO_HEADER)


def test_empty_workbook_has_no_header_row() -> None:
    assert_import_refused(workbook_bytes([]), NO_HEADER)


def test_note_rows_only_have_no_header_row() -> None:
    assert_import_refused(workbook_bytes([["情况表"], ["填报单位：", "单位：人"]]), NO_HEADER)


TOO_LARGE = "工作表“Sheet1”内容过多：最多支持 2000 行、500 列有内容的单元格，请删除多余内容后再上传"


def test_too_many_content_rows_is_refused() -> None:
    rows = [["村名", "人口（人）"]] + [[f"村{n}", n] for n in range(2001)]
    assert_import_refused(workbook_bytes(rows), TOO_LARGE)


def test_too_many_content_columns_is_refused() -> None:
    assert_import_refused(workbook_bytes([[f"指标{n}" for n in range(501)]]), TOO_LARGE)


def test_declared_dimension_is_not_trusted() -> None:
    data = workbook_bytes([["村名", "人口（人）"]])
    sheet = read_part(data, "xl/worksheets/sheet1.xml")
    lying = re.sub(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:XFD1048576"', sheet)
    assert lying != sheet
    started = time.perf_counter()
    report = read_xlsx_template(with_parts(data, {"xl/worksheets/sheet1.xml": lying}))
    assert time.perf_counter() - started < 1
    assert [field.label for field in report.fields] == ["村名", "人口（人）"]


# ---------------------------------------------------------------- label parsing


@pytest.mark.parametrize(
    ("text", "name", "unit", "is_sub_item"),
    [
        ("户籍人口（万人）", "户籍人口", "万人", False),
        ("户籍人口(万人)", "户籍人口", "万人", False),
        (" 户籍\n人口 （万人）\n", "户籍人口", "万人", False),
        ("其中：女党员（人）", "女党员", "人", True),
        ("其中:经营性收入（万元）", "经营性收入", "万元", True),
        ("其中 女党员", "女党员", None, True),
        ("#女党员（人）", "女党员", "人", True),
        ("人均可支配收入（元/人）", "人均可支配收入", "元/人", False),
        ("覆盖率（%）", "覆盖率", "%", False),
        ("耕地面积（单位：公顷）", "耕地面积", "公顷", False),
        ("村（社区）", "村（社区）", None, False),
        ("村（社区）名称", "村（社区）名称", None, False),
        ("务工人数（含省外）", "务工人数（含省外）", None, False),
        ("其中", "其中", None, False),
        # any unit the unit table knows, in any spelling it knows
        ("阵地面积（㎡）", "阵地面积", "㎡", False),
        ("开展活动（场次）", "开展活动", "场次", False),
        ("行政区划代码（12位）", "行政区划代码（12位）", None, False),
        # the answers of a yes/no column are no part of its name
        ("快递直达村（是/否）", "快递直达村", None, False),
        ("其中：通客运班车(是=1，否=0)", "通客运班车", None, True),
        ("有无垃圾收集点（有/无）", "有无垃圾收集点", None, False),
        ("是否脱贫村（填是或否）", "是否脱贫村", None, False),
    ],
)
def test_parse_label(text: str, name: str, unit: str | None, is_sub_item: bool) -> None:
    parsed = parse_label(text)
    assert parsed.label == text.strip()
    assert (parsed.name, parsed.unit, parsed.is_sub_item) == (name, unit, is_sub_item)
    assert parsed.yes_no == ("是" in text and "否" in text or "有/无" in text)


@pytest.mark.parametrize(
    ("note", "unit"),
    [
        ("单位：万元", "万元"),
        ("填报单位：（盖章）    单位：人", "人"),
        ("（计量单位：公顷）", "公顷"),
        ("填报单位：张家村", None),
        ("金额单位：万元", None),  # applies to money columns only, not to every column
    ],
)
def test_unit_from_note(note: str, unit: str | None) -> None:
    assert unit_from_note(note) == unit


def test_a_row_of_blanks_to_fill_in_above_the_header_is_a_note() -> None:
    """ "填报单位（…）：", "年上/下半年" and "金额单位：万元" beside each other wait for values:
    they are a note row, not a header level above the table's own two."""
    report = read_built(
        [
            ["医疗救助情况半年报"],
            ["填报单位（乡镇医保工作站）：", "    年上/下半年", "金额单位：万元"],
            ["乡镇名称", "医疗救助", None, "备注"],
            [None, "救助人次", "救助资金", None],
            ["城关镇", 1, 2, None],
        ],
        ["A3:A4", "B3:C3", "D3:D4"],
    )
    assert [(f.label, f.section) for f in report.fields] == [
        ("乡镇名称", None),
        ("救助人次", "医疗救助"),
        ("救助资金", "医疗救助"),
        ("备注", None),
    ]
    assert "填报单位（乡镇医保工作站）：  年上/下半年  金额单位：万元" in report.notes


def test_leaves_under_a_whereof_heading_are_parts_of_the_column_before() -> None:
    """A merged heading "其中" over 女性 and 预备党员 makes each a part of 党员总数."""
    report = read_built(
        [
            ["党员队伍情况统计表"],
            ["村名", "党员总数（名）", "其中", None, "联系电话"],
            [None, None, "女性", "预备党员", None],
        ],
        ["A2:A3", "B2:B3", "C2:D2", "E2:E3"],
    )
    assert [(f.label, f.section, f.is_sub_item) for f in report.fields] == [
        ("村名", None, False),
        ("党员总数（名）", None, False),
        ("女性", None, True),
        ("预备党员", None, True),
        ("联系电话", None, False),
    ]


def test_a_whereof_heading_with_a_unit_or_above_another_heading_still_makes_parts() -> None:
    report = read_built(
        [
            ["人口情况统计表"],
            ["村名", "户籍人口（人）", "其中（人）", None],
            [None, None, "按性别", None],
            [None, None, "男", "女"],
        ],
        ["A2:A4", "B2:B4", "C2:D2", "C3:D3"],
    )
    assert [(f.label, f.section, f.is_sub_item) for f in report.fields][2:] == [
        ("男", "按性别", True),
        ("女", "按性别", True),
    ]
