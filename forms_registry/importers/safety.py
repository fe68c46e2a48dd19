"""Checks an uploaded spreadsheet before any parser touches it, then opens it safely.

Everything in `check_spreadsheet_bytes` is decided from the zip's central directory
(plus the first bytes of each XML part), so a zip bomb is refused before it is inflated;
only then are the XML parts streamed once, to count their cells without parsing them.
Python's zipfile never inflates an entry beyond the size its directory declares, so the
declared sizes checked here bound what openpyxl can later extract.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile

import openpyxl
from defusedxml import DefusedXmlException
from openpyxl.workbook.workbook import Workbook

from forms_registry.errors import InvalidInput

OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")
_MAX_ENTRIES = 10_000
# Deflate cannot be exploited by small entries; only large ones are held to the ratio.
_RATIO_EXEMPT_BYTES = 1024 * 1024
_XML_HEAD_BYTES = 16 * 1024
_CONTENT_TYPES_MAX_BYTES = 1024 * 1024
_DANGEROUS_XML_MARKERS = tuple(
    marker.encode(encoding)
    for marker in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("utf-8", "utf-16-le", "utf-16-be")
)
_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:")

MSG_EMPTY = "文件为空，请重新选择文件上传"
MSG_ENCRYPTED_OR_XLS = "文件已加密或为旧版 .xls 格式，请另存为未加密的 .xlsx 后再上传"
MSG_NOT_ZIP = "文件不是有效的 .xlsx 工作簿，请用 Excel 或 WPS 另存为 .xlsx 格式后再上传"
MSG_TOO_MANY_ENTRIES = "文件结构异常（内部条目过多），已拒绝处理"
MSG_ENCRYPTED_ENTRY = "文件已加密，请另存为未加密的 .xlsx 后再上传"
MSG_BOMB_RATIO = "文件压缩比异常，疑似压缩炸弹，已拒绝处理"
MSG_MACRO = "不接受含宏的工作簿（.xlsm），请另存为不含宏的 .xlsx 后再上传"
MSG_XLSB = "不支持二进制工作簿（.xlsb），请另存为 .xlsx 后再上传"
MSG_NOT_WORKBOOK = "文件不是 Excel 工作簿（缺少 xl/workbook.xml），请上传 .xlsx 文件"
MSG_UNSAFE_XML = "文件包含不安全的 XML 内容（实体声明），已拒绝处理"
MSG_UNREADABLE = "无法读取该工作簿，文件可能已损坏，请用 Excel 或 WPS 重新保存后再上传"
# How a cell element opens, with or without a namespace prefix, whatever white space
# follows its name (<c r=…>, <x:c/>, <c\n/>).
_CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
_CHUNK_BYTES = 1024 * 1024


def msg_too_large(max_bytes: int) -> str:
    return f"文件过大：大小不能超过 {_human_size(max_bytes)}"


def msg_bomb_size(max_uncompressed: int) -> str:
    return f"文件解压后超过 {_human_size(max_uncompressed)}，疑似压缩炸弹，已拒绝处理"


def msg_unsafe_path(name: str) -> str:
    return f"文件包含非法的内部路径（{name}），已拒绝处理"


def msg_too_many_cells(max_cells: int) -> str:
    count = f"{max_cells // 10_000} 万" if max_cells % 10_000 == 0 else f"{max_cells} "
    return f"文件中的单元格过多（超过 {count}个），请删除多余的内容或分批上传"


def check_spreadsheet_bytes(
    data: bytes,
    *,
    max_bytes: int = 10 * 1024 * 1024,
    max_uncompressed: int = 100 * 1024 * 1024,
    max_ratio: int = 200,
    max_cells: int = 1_000_000,
) -> None:
    """Raise InvalidInput unless `data` looks like a plain, reasonably sized .xlsx.

    `max_cells` bounds the cell elements of all sheets together, counted without parsing:
    openpyxl parses a whole sheet when it opens a workbook if the sheet states no
    dimension, and readers of rows parse every cell, so a few MB of `<c/>` would
    otherwise keep them busy for minutes."""
    if not data:
        raise InvalidInput(MSG_EMPTY)
    if len(data) > max_bytes:
        raise InvalidInput(msg_too_large(max_bytes))
    if data.startswith(OLE2_SIGNATURE):
        raise InvalidInput(MSG_ENCRYPTED_OR_XLS)
    # Refuse anything with a prefix (self-extracting executables still parse as zips).
    if not data.startswith(_ZIP_SIGNATURES):
        raise InvalidInput(MSG_NOT_ZIP)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise InvalidInput(MSG_NOT_ZIP) from exc
    with archive:
        entries = archive.infolist()
        _check_directory(entries, max_uncompressed=max_uncompressed, max_ratio=max_ratio)
        names = {entry.filename for entry in entries}
        _check_workbook_kind(archive, names)
        _check_xml_prologs(archive, entries)
        _check_cell_count(archive, entries, max_cells)


def _check_directory(
    entries: list[zipfile.ZipInfo], *, max_uncompressed: int, max_ratio: int
) -> None:
    if len(entries) > _MAX_ENTRIES:
        raise InvalidInput(MSG_TOO_MANY_ENTRIES)
    for entry in entries:
        if _is_unsafe_path(entry.filename):
            raise InvalidInput(msg_unsafe_path(entry.filename))
    if any(entry.flag_bits & 0x1 for entry in entries):
        raise InvalidInput(MSG_ENCRYPTED_ENTRY)
    total = 0
    for entry in entries:
        total += entry.file_size
        if total > max_uncompressed:
            raise InvalidInput(msg_bomb_size(max_uncompressed))
        if entry.file_size > _RATIO_EXEMPT_BYTES and (
            entry.file_size > max_ratio * max(entry.compress_size, 1)
        ):
            raise InvalidInput(MSG_BOMB_RATIO)


def _is_unsafe_path(name: str) -> bool:
    normalised = name.replace("\\", "/")
    if normalised.startswith("/") or _WINDOWS_DRIVE.match(normalised) or "\x00" in name:
        return True
    return ".." in normalised.split("/") or posixpath.isabs(normalised)


def _check_workbook_kind(archive: zipfile.ZipFile, names: set[str]) -> None:
    lowered = {name.lower() for name in names}
    if any(name.endswith("vbaproject.bin") for name in lowered):
        raise InvalidInput(MSG_MACRO)
    content_types = _read_small(archive, "[Content_Types].xml")
    if content_types is not None and b"macroenabled" in content_types.lower():
        raise InvalidInput(MSG_MACRO)
    if "xl/workbook.xml" not in names:
        if "xl/workbook.bin" in lowered:
            raise InvalidInput(MSG_XLSB)
        raise InvalidInput(MSG_NOT_WORKBOOK)


def _read_small(archive: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        entry = archive.getinfo(name)
    except KeyError:
        return None
    if entry.file_size > _CONTENT_TYPES_MAX_BYTES:
        raise InvalidInput(MSG_UNREADABLE)
    return _read_head(archive, entry, _CONTENT_TYPES_MAX_BYTES)


def _check_xml_prologs(archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo]) -> None:
    """No part of a genuine workbook declares a DTD; refuse entity tricks up front.

    defusedxml (used by openpyxl) still guards anything declared further in."""
    for entry in entries:
        if not entry.filename.lower().endswith((".xml", ".rels", ".vml")):
            continue
        head = _read_head(archive, entry, _XML_HEAD_BYTES)
        upper = head.upper()
        if any(marker in upper for marker in _DANGEROUS_XML_MARKERS):
            raise InvalidInput(MSG_UNSAFE_XML)


def _check_cell_count(
    archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo], max_cells: int
) -> None:
    """Count cell elements in the XML parts at C speed (a tag split between two chunks
    may be missed; the bound stays approximate only by that much)."""
    cells = 0
    for entry in entries:
        if not entry.filename.lower().endswith(".xml"):
            continue
        try:
            with archive.open(entry) as stream:
                while chunk := stream.read(_CHUNK_BYTES):
                    cells += len(_CELL_TAG.findall(chunk))
                    if cells > max_cells:
                        raise InvalidInput(msg_too_many_cells(max_cells))
        except InvalidInput:
            raise
        except Exception as exc:  # corrupt deflate data, bad headers, unsupported methods
            raise InvalidInput(MSG_UNREADABLE) from exc


def _read_head(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, limit: int) -> bytes:
    try:
        with archive.open(entry) as stream:
            return stream.read(limit)
    except Exception as exc:  # corrupt deflate data, bad headers, unsupported methods
        raise InvalidInput(MSG_UNREADABLE) from exc


def assert_defusedxml_active() -> None:
    """openpyxl parses with defusedxml only when it is installed and not disabled."""
    from openpyxl.worksheet import _reader
    from openpyxl.xml import functions

    parsers = [functions.iterparse, _reader.iterparse]
    if not openpyxl.LXML:  # lxml, when used, gets resolve_entities=False from openpyxl
        parsers.append(functions.fromstring)
    if not openpyxl.DEFUSEDXML or any(
        not getattr(parser, "__module__", "").startswith("defusedxml") for parser in parsers
    ):
        raise RuntimeError("openpyxl must parse XML with defusedxml; install defusedxml")


def open_workbook(data: bytes) -> Workbook:
    """Check `data`, then load it read-only with cached values instead of formulas.

    The caller must `close()` the workbook. Sheets are parsed lazily, so readers of its
    rows should also translate errors with `translate_parse_error`."""
    check_spreadsheet_bytes(data)
    assert_defusedxml_active()
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        raise translate_parse_error(exc) from exc


def translate_parse_error(exc: Exception) -> InvalidInput:
    """Map whatever openpyxl raised on a hostile or broken file to a user-facing error."""
    if isinstance(exc, InvalidInput):
        return exc
    cause: BaseException | None = exc
    for _ in range(10):  # openpyxl re-raises parser errors wrapped in ValueError
        if cause is None:
            break
        if isinstance(cause, DefusedXmlException):
            return InvalidInput(MSG_UNSAFE_XML)
        cause = cause.__cause__ or cause.__context__
    return InvalidInput(MSG_UNREADABLE)


def _human_size(size: int) -> str:
    mib = 1024 * 1024
    if size >= mib and size % mib == 0:
        return f"{size // mib} MB"
    if size >= 1024 and size % 1024 == 0:
        return f"{size // 1024} KB"
    return f"{size} 字节"
