"""The merged form as an Excel workbook (prefill/workbook.py): written prefilled with locked
shared values and data validation, read back with per-cell errors. No Flask, no database."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest

from forms_registry.errors import InvalidInput
from forms_registry.importers.model import Choice
from forms_registry.importers.safety import MSG_EMPTY, MSG_NOT_ZIP
from forms_registry.merge.schema import FieldUsage, MergedField
from prefill.resolution import Prefilled
from prefill.workbook import (
    HEADERS,
    META,
    MSG_LOCKED,
    MSG_MOVED,
    MSG_NO_SHEET,
    MSG_NOT_OURS,
    SHEET,
    build_form_workbook,
    read_form_workbook,
)

ORG, NAME, MONTH, VERSION = "439901100201", "东岭村", "2025-03", 7
TYPES = (Choice("1", "集聚提升类"), Choice("2", "城郊融合类"), Choice("3", "特色保护类"))
INDUSTRIES = (Choice("grain", "粮食种植"), Choice("pig", "生猪养殖"), Choice("tea", "茶叶"))
LONG = tuple(Choice(str(n), f"很长很长的选项名称第{n}号") for n in range(30))


def prefilled(
    key: str,
    value_type: str,
    label: str,
    value: str | None = None,
    *,
    source: str | None = None,
    locked: bool = False,
    minimum: str | None = None,
    maximum: str | None = None,
    choices: tuple[Choice, ...] | None = None,
    unit: str | None = None,
) -> Prefilled:
    usage = FieldUsage("R0001", label, unit, None, "基本情况", False)
    field = MergedField(
        key=key,
        element=key,
        period=MONTH,
        label=label,
        section="基本情况",
        unit=unit,
        value_type=value_type,
        required=False,
        minimum=Decimal(minimum) if minimum is not None else None,
        maximum=Decimal(maximum) if maximum is not None else None,
        choices=choices,
        kind="stock",
        usages=(usage,),
        order=0,
    )
    shared = source == "shared"
    return Prefilled(
        field, value, source, locked, source == "entered", "公安户籍" if shared else None
    )


# Rows 4… in this order: the value cell of the n-th field is E(3 + n).
FIELDS = [
    prefilled("HH_REG", "integer", "户籍户数", "887", source="shared", locked=True, minimum="0"),
    prefilled("DANGER_HOUSE", "integer", "农村危房户数", minimum="0", maximum="500", unit="户"),
    prefilled("POP_RES", "integer", "常住人口", "47", source="carried", minimum="0"),
    prefilled("FUND", "decimal", "低保金发放金额", "1234.5", source="entered", minimum="0"),
    prefilled("EXACT", "decimal", "精确金额", "12345678901234567.25", source="entered"),
    prefilled("RATE", "percent", "家庭医生签约率", minimum="0", maximum="100", unit="%"),
    prefilled("ONE", "boolean", "书记主任一肩挑", "true", source="entered"),
    prefilled("VTYPE", "choice", "村庄分类", "2", source="entered", choices=TYPES),
    prefilled("INDUSTRY", "multi_choice", "主导产业", '["grain", "tea"]', choices=INDUSTRIES),
    prefilled("ELECTED", "date", "村两委换届日期", "2024-05-01", source="entered"),
    prefilled("SECRETARY", "text", "村党组织书记姓名", "张三", source="entered"),
    prefilled("LONGLIST", "choice", "很长的选项", choices=LONG),
]
ROW = {item.field.key: 4 + index for index, item in enumerate(FIELDS)}


def workbook_bytes() -> bytes:
    return build_form_workbook(ORG, NAME, MONTH, VERSION, FIELDS)


def opened(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def edited(data: bytes, cells: dict[str, object], sheet: str = SHEET) -> bytes:
    """The workbook with some cells typed over, as a filler's spreadsheet program would."""
    book = opened(data)
    for ref, value in cells.items():
        book[sheet][ref] = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def cell(key: str) -> str:
    return f"E{ROW[key]}"


# ---------------------------------------------------------------- writing


def test_one_row_per_field_with_the_labelled_columns():
    sheet = opened(workbook_bytes())[SHEET]
    assert [c.value for c in sheet[3]] == list(HEADERS)
    assert sheet["A1"].value == f"{NAME}（{ORG}）{MONTH} 合并报表"
    row = [c.value for c in sheet[ROW["DANGER_HOUSE"]]]
    assert row == [2, "基本情况", "农村危房户数", "户", None, None, "R0001：农村危房户数"]
    assert sheet[f"F{ROW['HH_REG']}"].value == "共享数据·公安户籍·免填"
    assert sheet[f"F{ROW['POP_RES']}"].value == "上期数据，请确认"
    assert sheet[f"F{ROW['FUND']}"].value == "已填"
    assert sheet.max_row == 3 + len(FIELDS)


def test_values_are_written_exactly_and_in_excels_own_types():
    sheet = opened(workbook_bytes())[SHEET]
    assert sheet[cell("HH_REG")].value == 887
    assert sheet[cell("FUND")].value == 1234.5
    # more digits than Excel keeps: written as text, so nothing is rounded
    assert sheet[cell("EXACT")].value == "12345678901234567.25"
    assert sheet[cell("EXACT")].number_format == "@"
    assert sheet[cell("ONE")].value == "是"
    assert sheet[cell("VTYPE")].value == "城郊融合类"
    assert sheet[cell("INDUSTRY")].value == "粮食种植，茶叶"
    assert sheet[cell("ELECTED")].value == datetime(2024, 5, 1)
    assert sheet[cell("ELECTED")].number_format == "yyyy-mm-dd"


def test_shared_values_are_locked_and_the_sheet_is_protected():
    book = opened(workbook_bytes())
    sheet = book[SHEET]
    assert sheet.protection.sheet is True
    assert sheet[cell("HH_REG")].protection.locked is True
    for key in ROW.keys() - {"HH_REG"}:
        assert sheet[cell(key)].protection.locked is False, key
    assert sheet["C5"].protection.locked is True  # labels cannot be typed over either
    assert book[META].sheet_state == "hidden"
    assert book.security.lockStructure is True  # the hidden sheet cannot be unhidden by slip


def test_data_validation_carries_types_limits_and_choices():
    sheet = opened(workbook_bytes())[SHEET]
    found = {
        str(ref): (dv.type, dv.operator, dv.formula1, dv.formula2, dv.error)
        for dv in sheet.data_validations.dataValidation
        for ref in dv.sqref.ranges
    }
    assert found[cell("DANGER_HOUSE")] == (
        "whole",
        "between",
        "0",
        "500",
        "须为整数，介于 0 与 500 之间",
    )
    assert found[cell("POP_RES")] == (
        "whole",
        "greaterThanOrEqual",
        "0",
        None,
        "须为整数，不能小于 0",
    )
    assert found[cell("FUND")] == (
        "decimal",
        "greaterThanOrEqual",
        "0",
        None,
        "须为数字，不能小于 0",
    )
    assert found[cell("EXACT")][:2] == ("decimal", "between")  # no limits of its own
    assert found[cell("RATE")] == ("decimal", "between", "0", "100", "须为数字，介于 0 与 100 之间")
    assert found[cell("ONE")] == ("list", None, '"是,否"', None, "请选择“是”或“否”")
    assert found[cell("VTYPE")][:3] == ("list", None, '"集聚提升类,城郊融合类,特色保护类"')
    assert found[cell("ELECTED")][:2] == ("date", "between")
    assert found[cell("SECRETARY")][:3] == ("textLength", "lessThanOrEqual", "2000")
    # too long to write inline: the list lives in the hidden sheet
    long_list = found[cell("LONGLIST")]
    assert long_list[:3] == ("list", None, f"'{META}'!$K$1:$K${len(LONG)}")
    assert opened(workbook_bytes())[META]["K30"].value == LONG[-1].label
    assert cell("HH_REG") not in found  # a locked cell needs none


# ---------------------------------------------------------------- reading


def test_round_trip_gives_back_the_form_and_every_value_exactly():
    uploaded = read_form_workbook(workbook_bytes())
    assert (uploaded.org_code, uploaded.month, uploaded.version) == (ORG, MONTH, VERSION)
    assert uploaded.errors == {}
    assert uploaded.texts == {
        item.field.key: item.value for item in FIELDS if item.value is not None
    }
    assert uploaded.edits == {}  # nothing was changed
    assert uploaded.rows["DANGER_HOUSE"].cell == "E5"


def test_edits_are_the_changed_cells_in_canonical_form():
    data = edited(
        workbook_bytes(),
        {
            cell("DANGER_HOUSE"): 12,
            cell("FUND"): "1,234.50",  # the same amount, typed differently: not an edit
            cell("RATE"): 0.1,
            cell("ONE"): "否",
            cell("VTYPE"): "特色保护类",
            cell("INDUSTRY"): "生猪养殖,粮食种植",
            cell("ELECTED"): date(2024, 6, 3),
            cell("EXACT"): "0.30000000000000000001",
        },
    )
    uploaded = read_form_workbook(data)
    assert uploaded.errors == {}
    assert uploaded.edits == {
        "DANGER_HOUSE": "12",
        "RATE": "0.1",
        "ONE": "false",
        "VTYPE": "3",
        "INDUSTRY": '["grain", "pig"]',
        "ELECTED": "2024-06-03",
        "EXACT": "0.30000000000000000001",
    }
    assert uploaded.values["DANGER_HOUSE"] == 12  # the raw cell value


def test_wrong_values_give_one_exact_message_per_cell():
    data = edited(
        workbook_bytes(),
        {
            cell("DANGER_HOUSE"): 2.5,
            cell("POP_RES"): -1,
            cell("RATE"): "很高",
            cell("ONE"): "也许",
            cell("VTYPE"): "其他",
            cell("ELECTED"): "去年五月",
            cell("HH_REG"): 900,
        },
    )
    assert read_form_workbook(data).errors == {
        "E4": f"第4行“户籍户数”：{MSG_LOCKED}",
        "E5": "第5行“农村危房户数”：须为整数",
        "E6": "第6行“常住人口”：不能小于 0",
        "E9": "第9行“家庭医生签约率”：须为数字",
        "E10": "第10行“书记主任一肩挑”：请填写“是”或“否”",
        "E11": "第11行“村庄分类”：请选择列表中的选项",
        "E13": "第13行“村两委换届日期”：须为日期（如 2025-03-31）",
    }


def test_a_shared_value_sent_back_unchanged_is_no_error():
    data = edited(workbook_bytes(), {cell("HH_REG"): "887"})
    assert read_form_workbook(data).errors == {}


def test_moved_rows_are_refused_cell_by_cell():
    book = opened(workbook_bytes())
    book[SHEET].insert_rows(5)
    out = io.BytesIO()
    book.save(out)
    errors = read_form_workbook(out.getvalue()).errors
    assert errors["E5"] == f"第5行“农村危房户数”：{MSG_MOVED}"
    assert "E4" not in errors


def test_store_errors_map_to_cells():
    uploaded = read_form_workbook(workbook_bytes())
    assert uploaded.cell_errors({"POP_RES": "不能小于 0", "form": "已过截止日"}) == {
        "E6": "第6行“常住人口”：不能小于 0",
        "form": "已过截止日",
    }


def test_a_workbook_not_made_here_is_refused():
    book = openpyxl.Workbook()
    book.active["A1"] = "村名"
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(InvalidInput) as raised:
        read_form_workbook(out.getvalue())
    assert raised.value.message == MSG_NOT_OURS


@pytest.mark.parametrize(
    "cells",
    [
        {"B1": "someone.else"},  # another format
        {"B4": "七"},  # version not a number
        {"B6": ""},  # a row without its key
        {"D7": "money"},  # an unknown value type
        {"A7": "4"},  # two fields in one row
    ],
)
def test_a_damaged_meta_sheet_is_refused(cells):
    with pytest.raises(InvalidInput) as raised:
        read_form_workbook(edited(workbook_bytes(), cells, sheet=META))
    assert raised.value.message == MSG_NOT_OURS


def test_a_workbook_without_its_form_sheet_is_refused():
    book = opened(workbook_bytes())
    book[SHEET].title = "Sheet1"
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(InvalidInput) as raised:
        read_form_workbook(out.getvalue())
    assert raised.value.message == MSG_NO_SHEET


@pytest.mark.parametrize(("data", "message"), [(b"", MSG_EMPTY), (b"a,b\n1,2\n", MSG_NOT_ZIP)])
def test_files_that_are_not_workbooks_get_the_safety_message(data, message):
    with pytest.raises(InvalidInput) as raised:
        read_form_workbook(data)
    assert raised.value.message == message


def test_a_percentage_typed_with_its_percent_sign_means_that_many_percent():
    book = opened(workbook_bytes())
    book[SHEET][cell("RATE")] = 0.125  # what Excel keeps when one types "12.5%"
    book[SHEET][cell("RATE")].number_format = "0.0%"
    book[SHEET][cell("FUND")] = 0.5  # only percentage fields are read in percent
    book[SHEET][cell("FUND")].number_format = "0%"
    out = io.BytesIO()
    book.save(out)
    assert read_form_workbook(out.getvalue()).edits == {"RATE": "12.5", "FUND": "0.5"}
