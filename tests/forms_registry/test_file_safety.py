"""Uploaded spreadsheets are refused with a clear message before any parser is hurt."""

from __future__ import annotations

import time

import openpyxl
import pytest

from forms_registry.errors import InvalidInput
from forms_registry.importers.safety import (
    assert_defusedxml_active,
    check_spreadsheet_bytes,
    open_workbook,
)
from forms_registry.importers.xlsx_template import read_xlsx_template
from tests.forms_registry.malicious_files import (
    BILLION_LAUGHS_SHEET,
    EXTERNAL_ENTITY_SHEET,
    MB,
    OLE2_HEADER,
    hidden_past_the_prolog,
    with_entities,
    with_many_cells,
    zip_bomb,
)
from tests.forms_registry.xlsx_builders import (
    read_part,
    simple_xlsx,
    with_parts,
    workbook_bytes,
    zip_bytes,
)


def assert_refused(data: bytes, message: str, **limits: int) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_spreadsheet_bytes(data, **limits)
    assert caught.value.message == message


def test_a_genuine_workbook_passes_and_opens_read_only() -> None:
    data = simple_xlsx()
    check_spreadsheet_bytes(data)
    workbook = open_workbook(data)
    try:
        assert workbook.read_only
        assert [ws.title for ws in workbook.worksheets] == ["Sheet1"]
    finally:
        workbook.close()


def test_empty_file() -> None:
    assert_refused(b"", "文件为空，请重新选择文件上传")


def test_plain_text_is_not_a_zip() -> None:
    assert_refused(
        "村名,户籍人口\n张家村,1200\n".encode(),
        "文件不是有效的 .xlsx 工作簿，请用 Excel 或 WPS 另存为 .xlsx 格式后再上传",
    )


def test_executable_with_a_zip_appended_is_not_a_zip() -> None:
    assert_refused(
        b"MZ\x90\x00" + b"\x00" * 60 + simple_xlsx(),
        "文件不是有效的 .xlsx 工作簿，请用 Excel 或 WPS 另存为 .xlsx 格式后再上传",
    )


def test_truncated_zip_is_not_a_zip() -> None:
    assert_refused(
        simple_xlsx()[:200],
        "文件不是有效的 .xlsx 工作簿，请用 Excel 或 WPS 另存为 .xlsx 格式后再上传",
    )


def test_ole2_file_is_encrypted_or_old_xls() -> None:
    assert_refused(
        OLE2_HEADER + b"\x00" * 4096,
        "文件已加密或为旧版 .xls 格式，请另存为未加密的 .xlsx 后再上传",
    )


def test_file_over_the_default_size_limit() -> None:
    assert_refused(b"PK\x03\x04" + bytes(10 * MB), "文件过大：大小不能超过 10 MB")


def test_file_over_a_custom_size_limit() -> None:
    assert_refused(simple_xlsx(), "文件过大：大小不能超过 1 KB", max_bytes=1024)


@pytest.fixture(scope="module", name="zip_bomb")
def zip_bomb_fixture() -> bytes:
    """200 MB of zeros in one entry, deflated to about 1 MB."""
    return zip_bomb(simple_xlsx())


def test_zip_bomb_is_refused_from_the_directory(zip_bomb: bytes) -> None:
    assert len(zip_bomb) < 2 * MB
    started = time.perf_counter()
    assert_refused(zip_bomb, "文件解压后超过 100 MB，疑似压缩炸弹，已拒绝处理")
    assert time.perf_counter() - started < 0.5  # nothing was inflated


def test_zip_bomb_is_refused_by_the_importer(zip_bomb: bytes) -> None:
    with pytest.raises(InvalidInput) as caught:
        read_xlsx_template(zip_bomb, "bomb.xlsx")
    assert caught.value.message == "文件解压后超过 100 MB，疑似压缩炸弹，已拒绝处理"


def test_too_many_cells_are_refused_before_any_parser_counts_them() -> None:
    data = workbook_bytes([[f"c{row}{column}" for column in range(5)] for row in range(3)])
    check_spreadsheet_bytes(data, max_cells=15)
    assert_refused(
        data, "文件中的单元格过多（超过 14 个），请删除多余的内容或分批上传", max_cells=14
    )


@pytest.mark.parametrize("space", ["", "\n", "\t", "\r\n"])
def test_cells_are_counted_whatever_white_space_closes_their_names(space: str) -> None:
    data = with_many_cells(simple_xlsx(), 20, space=space)
    assert_refused(
        data, "文件中的单元格过多（超过 19 个），请删除多余的内容或分批上传", max_cells=19
    )


def test_extreme_compression_ratio_is_refused() -> None:
    data = with_parts(simple_xlsx(), {"xl/media/zeros.bin": bytes(8 * MB)})
    assert_refused(data, "文件压缩比异常，疑似压缩炸弹，已拒绝处理")


def test_small_parts_may_compress_well() -> None:
    check_spreadsheet_bytes(with_parts(simple_xlsx(), {"xl/media/zeros.bin": bytes(512 * 1024)}))


@pytest.mark.parametrize(
    "name",
    [
        "../../evil.sh",
        "xl/../../evil.xml",
        "/etc/cron.d/evil",
        "..\\evil.bat",
        "C:/Windows/evil.dll",
    ],
)
def test_zip_slip_names_are_refused(name: str) -> None:
    data = with_parts(simple_xlsx(), {name: b"payload"})
    assert_refused(data, f"文件包含非法的内部路径（{name}），已拒绝处理")


def test_encrypted_zip_entries_are_refused() -> None:
    data = bytearray(simple_xlsx())
    directory = data.index(b"PK\x01\x02")
    data[directory + 8] |= 0x01  # general purpose flag bit 0: entry is encrypted
    assert_refused(bytes(data), "文件已加密，请另存为未加密的 .xlsx 后再上传")


MACRO_MESSAGE = "不接受含宏的工作簿（.xlsm），请另存为不含宏的 .xlsx 后再上传"


def test_workbook_with_vba_project_is_refused() -> None:
    data = with_parts(simple_xlsx(), {"xl/vbaProject.bin": OLE2_HEADER + bytes(512)})
    assert_refused(data, MACRO_MESSAGE)


def test_macro_enabled_content_type_is_refused() -> None:
    original = simple_xlsx()
    content_types = read_part(original, "[Content_Types].xml").replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    )
    assert b"macroEnabled" in content_types
    assert_refused(with_parts(original, {"[Content_Types].xml": content_types}), MACRO_MESSAGE)


def test_renamed_word_document_is_not_a_workbook() -> None:
    docx = zip_bytes(
        {
            "[Content_Types].xml": b'<?xml version="1.0"?><Types/>',
            "word/document.xml": b'<?xml version="1.0"?><document/>',
        }
    )
    assert_refused(docx, "文件不是 Excel 工作簿（缺少 xl/workbook.xml），请上传 .xlsx 文件")


def test_binary_workbook_is_refused() -> None:
    xlsb = zip_bytes({"[Content_Types].xml": b"<Types/>", "xl/workbook.bin": b"\x00" * 16})
    assert_refused(xlsb, "不支持二进制工作簿（.xlsb），请另存为 .xlsx 后再上传")


UNSAFE_XML_MESSAGE = "文件包含不安全的 XML 内容（实体声明），已拒绝处理"


def test_billion_laughs_is_refused_before_parsing() -> None:
    data = with_parts(simple_xlsx(), {"xl/worksheets/sheet1.xml": BILLION_LAUGHS_SHEET})
    assert_refused(data, UNSAFE_XML_MESSAGE)
    with pytest.raises(InvalidInput) as caught:
        read_xlsx_template(data, "laughs.xlsx")
    assert caught.value.message == UNSAFE_XML_MESSAGE


def test_external_entity_is_refused() -> None:
    data = with_parts(simple_xlsx(), {"xl/worksheets/sheet1.xml": EXTERNAL_ENTITY_SHEET})
    assert_refused(data, UNSAFE_XML_MESSAGE)


@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"])
def test_entities_hidden_past_the_prolog_scan_are_stopped_by_defusedxml(part: str) -> None:
    """A long comment pushes the DTD beyond the pre-scan; the parser itself must refuse."""
    data = with_entities(simple_xlsx(), hidden_past_the_prolog(BILLION_LAUGHS_SHEET), part)
    check_spreadsheet_bytes(data)  # the cheap scan does not see it ...
    started = time.perf_counter()
    with pytest.raises(InvalidInput) as caught:
        read_xlsx_template(data, "laughs.xlsx")
    assert caught.value.message == UNSAFE_XML_MESSAGE  # ... defusedxml does
    assert time.perf_counter() - started < 2


def test_openpyxl_parses_with_defusedxml() -> None:
    assert openpyxl.DEFUSEDXML
    assert openpyxl.xml.functions.iterparse.__module__.startswith("defusedxml")
    assert_defusedxml_active()


def test_corrupt_workbook_part_is_unreadable() -> None:
    data = with_parts(simple_xlsx(), {"xl/workbook.xml": b"<workbook><sheets><sheet"})
    with pytest.raises(InvalidInput) as caught:
        open_workbook(data)
    assert (
        caught.value.message
        == "无法读取该工作簿，文件可能已损坏，请用 Excel 或 WPS 重新保存后再上传"
    )


def test_corrupt_sheet_is_unreadable() -> None:
    data = with_parts(
        workbook_bytes([["村名", "人口"]]),
        {"xl/worksheets/sheet1.xml": b"<worksheet><sheetData><row"},
    )
    with pytest.raises(InvalidInput) as caught:
        read_xlsx_template(data, "broken.xlsx")
    assert (
        caught.value.message
        == "无法读取该工作簿，文件可能已损坏，请用 Excel 或 WPS 重新保存后再上传"
    )
