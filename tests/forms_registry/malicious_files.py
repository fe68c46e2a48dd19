"""Hostile spreadsheets built in memory: entity expansion and external entities in a part,
zip bombs, zip slip names, macros, executables under an .xlsx name and sheets declaring or
holding far too many cells. Each builder takes the genuine workbook to start from, so the
same attack can be made on a report template and on an XLSForm."""

from __future__ import annotations

import io
import re
import zipfile

from openpyxl.utils import get_column_letter

from tests.forms_registry.xlsx_builders import read_part, with_parts

MB = 1024 * 1024
OLE2_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ELF_HEADER = b"\x7fELF\x02\x01\x01\x00" + bytes(8) + b"\x02\x00\x3e\x00\x01\x00\x00\x00"
PE_HEADER = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(44) + b"PE\x00\x00"
)
FIRST_SHEET = "xl/worksheets/sheet1.xml"

BILLION_LAUGHS_SHEET = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c>
<c r="B1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>"""

EXTERNAL_ENTITY_SHEET = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c>
<c r="B1" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>"""

SHARED_STRINGS_OVERRIDE = (
    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)
_SHEET_OPEN = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def hidden_past_the_prolog(xml: bytes) -> bytes:
    """`xml` with a 64 KB comment before its DTD, beyond the cheap pre-scan."""
    return xml.replace(b"<!DOCTYPE", b"<!--" + b" " * (64 * 1024) + b"-->\n<!DOCTYPE", 1)


def with_entities(workbook: bytes, xml: bytes, part: str = FIRST_SHEET) -> bytes:
    """`workbook` whose `part` (a sheet, or the shared strings) is `xml`."""
    replaced = {part: xml}
    if part == "xl/sharedStrings.xml":  # openpyxl writes inline strings; declare the part
        replaced["[Content_Types].xml"] = read_part(workbook, "[Content_Types].xml").replace(
            b"</Types>", SHARED_STRINGS_OVERRIDE + b"</Types>"
        )
    return with_parts(workbook, replaced)


def zip_bomb(workbook: bytes, megabytes: int = 200) -> bytes:
    """`workbook` plus `megabytes` MB of zeros in one entry, deflated to about 1/200."""
    buffer = io.BytesIO(workbook)
    with (
        zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
        archive.open("xl/media/zeros.bin", "w", force_zip64=True) as entry,
    ):
        chunk = bytes(MB)
        for _ in range(megabytes):
            entry.write(chunk)
    return buffer.getvalue()


def zip_slip(workbook: bytes, name: str = "../../evil.sh") -> bytes:
    return with_parts(workbook, {name: b"#!/bin/sh\nrm -rf ~\n"})


def with_macros(workbook: bytes) -> bytes:
    """An .xlsm renamed .xlsx: a VBA project and the macro-enabled content type."""
    content_types = read_part(workbook, "[Content_Types].xml").replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    )
    return with_parts(
        workbook,
        {"[Content_Types].xml": content_types, "xl/vbaProject.bin": OLE2_HEADER + bytes(512)},
    )


def with_declared_dimension(
    workbook: bytes, ref: str = "A1:XFD1048576", part: str = FIRST_SHEET
) -> bytes:
    """`workbook` whose sheet `part` claims `ref` (17 billion cells) and holds what it held,
    plus one cell at the far corner so that readers filling the gaps really meet them."""
    sheet = read_part(workbook, part)
    corner = ref.split(":")[-1]
    lying = re.sub(rb'<dimension ref="[^"]+"', f'<dimension ref="{ref}"'.encode(), sheet)
    lying = lying.replace(
        b"</sheetData>",
        f'<row r="{corner.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")}">'
        f'<c r="{corner}" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'.encode(),
    )
    assert lying != sheet
    return with_parts(workbook, {part: lying})


def with_many_rows(workbook: bytes, rows: int, part: str = FIRST_SHEET) -> bytes:
    """`workbook` whose sheet `part` gets `rows` more rows of content (a text and a number)
    and no declared dimension (openpyxl then parses the whole sheet to size it)."""
    start = _last_row(read_part(workbook, part)) + 1
    body = "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>q{n}</t></is></c>'
        f'<c r="B{n}"><v>{n}</v></c></row>'
        for n in range(start, start + rows)
    )
    return _grown(workbook, part, body.encode())


def with_many_cells(workbook: bytes, cells: int, part: str = FIRST_SHEET, space: str = "") -> bytes:
    """`workbook` whose sheet `part` gets `cells` more empty cells, 100 to a row: hardly
    any content, but every one an element for a parser to go through (`space`, such as a
    newline, between each cell's name and its end, as XML allows)."""
    start = _last_row(read_part(workbook, part)) + 1
    letters = [get_column_letter(column) for column in range(1, 101)]
    rows = []
    for offset in range(0, cells, 100):
        n = start + offset // 100
        width = min(100, cells - offset)
        rows.append(
            f'<row r="{n}">'
            + "".join(f'<c{space or " "}r="{letters[c]}{n}"{space}/>' for c in range(width))
        )
        rows.append("</row>")
    return _grown(workbook, part, "".join(rows).encode())


def _last_row(sheet: bytes) -> int:
    return max((int(number) for number in re.findall(rb'<row r="(\d+)"', sheet)), default=0)


def _grown(workbook: bytes, part: str, rows: bytes) -> bytes:
    sheet = re.sub(rb'<dimension ref="[^"]+"\s*/>', b"", read_part(workbook, part))
    if b"<sheetData/>" in sheet:
        grown = sheet.replace(b"<sheetData/>", b"<sheetData>" + rows + b"</sheetData>")
    else:
        grown = sheet.replace(b"</sheetData>", rows + b"</sheetData>")
    assert grown != sheet
    return with_parts(workbook, {part: grown})
