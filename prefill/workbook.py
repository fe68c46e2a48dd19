"""The merged form as an Excel workbook for fillers: written prefilled, with the shared
values locked and the types and choices as data validation, and read back.

A hidden sheet `_meta` records which form the workbook was made from (org unit, month,
form version) and, per row, the field's key, rules and the value the row showed, so an
upload knows what each cell is and which cells the filler changed.

The sheet protection has no password: it only guards against slips (typing over a shared
value, inserting a row); it is not a security boundary, and the server checks everything
again when the workbook comes back."""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from forms_registry.errors import InvalidInput
from forms_registry.importers.model import Choice
from forms_registry.importers.safety import open_workbook, translate_parse_error
from prefill.resolution import Prefilled
from prefill.values import MAX_TEXT, InvalidValue, ValueRules, canonical, is_blank

SHEET = "填报表"
META = "_meta"
FORMAT = "reportonce.merged-form"
FORMAT_VERSION = "1"
HEADERS = ("序号", "栏目", "项目", "单位", "数值", "来源", "使用报表")
WIDTHS = (6, 14, 30, 8, 16, 22, 40)
LABEL_COLUMN, VALUE_COLUMN = 3, 5
VALUE_LETTER = get_column_letter(VALUE_COLUMN)
HEADER_ROW = 3
FIRST_ROW = HEADER_ROW + 1
META_HEADERS = ("row", "key", "label", "type", "min", "max", "choices", "shown", "locked")
META_FIRST_ROW = 6
META_MAX_ROWS = META_FIRST_ROW + 10_000  # a merged form has a few hundred fields at most
LIST_COLUMN = len(META_HEADERS) + 2  # long choice lists are kept in _meta from here on
EXCEL_DIGITS = 15  # Excel keeps 15 significant digits of a number
INLINE_LIST_LIMIT = 255  # Excel's limit for a list validation written in the formula
NO_LIMIT = "999999999999999"
FIRST_EXCEL_DATE, LAST_EXCEL_DATE = "1", "2958465"  # 1900-01-01 … 9999-12-31
YES, NO = "是", "否"

EDITABLE_FILL = PatternFill("solid", fgColor="FFF8DC")
LOCKED_FILL = PatternFill("solid", fgColor="E7E6E6")
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")

MSG_NOT_OURS = (
    "这不是从本系统下载的 Excel 填报表（缺少或改动了隐藏的 _meta 工作表），"
    "请在填报页面下载本月的 Excel 填报表，填好后再上传"
)
MSG_NO_SHEET = f"工作簿中缺少“{SHEET}”工作表，请上传从本系统下载的 Excel 填报表"
MSG_LOCKED = "该项由共享数据提供（免填），不能修改"
MSG_MOVED = "该行的项目与下载时不一致，请勿插入、删除或移动行"


@dataclass(frozen=True)
class UploadedRow:
    key: str
    row: int
    label: str
    rules: ValueRules
    shown: str | None  # the canonical value the row showed when downloaded
    locked: bool

    @property
    def cell(self) -> str:
        return f"{VALUE_LETTER}{self.row}"

    def message(self, text: str) -> str:
        return f"第{self.row}行“{self.label}”：{text}"


@dataclass(frozen=True)
class UploadedForm:
    org_code: str
    month: str
    version: int
    values: dict[str, object]  # key → the cell's value as read, blank cells left out
    errors: dict[str, str]  # cell reference ("E7") → message
    rows: dict[str, UploadedRow] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)  # key → canonical text, valid cells

    @property
    def edits(self) -> dict[str, str]:
        """The cells the filler changed since the download, as canonical text.

        Only these are saved: an untouched cell neither overwrites what someone else
        entered after the download nor conflicts with it, just like an untouched input
        does not on the web form's server (a cleared cell changes nothing, as there)."""
        return {key: text for key, text in self.texts.items() if text != self.rows[key].shown}

    def cell_errors(self, details: dict[str, str]) -> dict[str, str]:
        """Errors keyed by field key (as the store raises them) → keyed by cell."""
        cells: dict[str, str] = {}
        for key, text in details.items():
            row = self.rows.get(key)
            cells[row.cell if row else key] = row.message(text) if row else text
        return cells


# ---------------------------------------------------------------- writing


def build_form_workbook(
    org_code: str, org_name: str, month: str, version: int, fields: Sequence[Prefilled]
) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    meta = workbook.create_sheet(META)
    _write_heading(sheet, org_code, org_name, month, version)
    _write_meta_heading(meta, org_code, month, version)
    validations: dict[tuple, DataValidation] = {}
    list_column = LIST_COLUMN
    for index, item in enumerate(fields):
        row = FIRST_ROW + index
        _write_row(sheet, row, index + 1, item)
        _write_meta_row(meta, META_FIRST_ROW + index, row, item)
        if item.locked:
            continue
        validation, list_column = _validation(item, meta, list_column)
        if validation is not None:
            signature = (
                validation.type,
                validation.operator,
                validation.formula1,
                validation.formula2,
                validation.error,
                validation.prompt,
            )
            validations.setdefault(signature, validation).add(f"{VALUE_LETTER}{row}")
    for validation in validations.values():
        sheet.add_data_validation(validation)
    _protect(workbook, sheet, meta)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _write_heading(sheet: Worksheet, org_code, org_name, month, version) -> None:
    sheet["A1"] = f"{org_name}（{org_code}）{month} 合并报表"
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"] = (
        f"表格版本 {version}。请只在黄色的“数值”列填写；灰色为共享数据（免填），不能修改。"
        "上传时只保存改动过的单元格，请勿插入、删除或移动行。"
    )
    for column, (title, width) in enumerate(zip(HEADERS, WIDTHS, strict=True), start=1):
        cell = sheet.cell(HEADER_ROW, column, title)
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = f"A{FIRST_ROW}"


def _write_row(sheet: Worksheet, row: int, number: int, item: Prefilled) -> None:
    merged = item.field
    usages = "；".join(f"{usage.report}：{usage.label}" for usage in merged.usages)
    texts = (number, merged.section or "", merged.label, merged.unit or "")
    for column, text in enumerate(texts, start=1):
        sheet.cell(row, column, text)
    sheet.cell(row, VALUE_COLUMN + 1, _source_text(item))
    sheet.cell(row, VALUE_COLUMN + 2, usages)
    cell = sheet.cell(row, VALUE_COLUMN, _cell_value(item.value, merged.value_type, merged.choices))
    cell.number_format = _number_format(merged.value_type, cell.value)
    if item.locked:
        cell.fill = LOCKED_FILL
    else:
        cell.fill, cell.protection = EDITABLE_FILL, Protection(locked=False)


def _source_text(item: Prefilled) -> str:
    if item.source == "shared":
        name = f"·{item.source_name}" if item.source_name else ""
        return f"共享数据{name}{'·免填' if item.locked else ''}"
    if item.source == "carried" and not item.stored:
        return "上期数据，请确认"
    return "已填" if item.source else ""


def _cell_value(text: str | None, value_type: str, choices: tuple[Choice, ...] | None):
    """The value as Excel should hold it: numbers as numbers only when Excel keeps them
    exactly (otherwise as text, which is read back exactly)."""
    if text is None:
        return None
    if value_type in ("integer", "decimal", "percent"):
        number = Decimal(text)
        if not _exact_in_excel(number):
            return text
        return int(number) if number == number.to_integral_value() else float(number)
    if value_type == "boolean":
        return YES if text == "true" else NO
    if value_type == "date":
        return date.fromisoformat(text)
    if value_type == "choice":
        return _labels(choices).get(text, text)
    if value_type == "multi_choice":
        labels = _labels(choices)
        chosen = [labels.get(value, value) for value in json.loads(text)]
        separated = not any("," in label or "，" in label for label in chosen)
        return "，".join(chosen) if separated else ",".join(json.loads(text))
    return text


def _exact_in_excel(number: Decimal) -> bool:
    """Excel keeps the number as a binary double shown with up to 15 digits: it comes back
    as exactly this decimal when it has at most 15 significant digits and its double's
    shortest spelling is the same decimal (0.1 yes; 0.1234567890123456789 no)."""
    digits = "".join(map(str, number.as_tuple().digits)).strip("0")
    return len(digits) <= EXCEL_DIGITS and Decimal(repr(float(number))) == number


def _labels(choices: tuple[Choice, ...] | None) -> dict[str, str]:
    return {choice.value: choice.label for choice in choices or ()}


def _number_format(value_type: str, value: object) -> str:
    if value_type == "date":
        return "yyyy-mm-dd"
    if value_type in ("text", "multi_choice") or isinstance(value, str):
        return "@"
    return "0" if value_type == "integer" else "General"


def _validation(
    item: Prefilled, meta: Worksheet, list_column: int
) -> tuple[DataValidation | None, int]:
    merged = item.field
    kind = merged.value_type
    if kind in ("integer", "decimal", "percent"):
        return _number_validation(kind, merged.minimum, merged.maximum), list_column
    if kind == "boolean":
        return _list_validation(f'"{YES},{NO}"', f"请选择“{YES}”或“{NO}”"), list_column
    if kind == "date":
        return _checked(
            DataValidation(
                type="date",
                operator="between",
                formula1=FIRST_EXCEL_DATE,
                formula2=LAST_EXCEL_DATE,
            ),
            "须为日期（如 2025-03-31）",
        ), list_column
    if kind == "choice":
        labels = [choice.label for choice in merged.choices or ()]
        inline = ",".join(labels)
        if (
            labels
            and len(inline) + 2 <= INLINE_LIST_LIMIT
            and not any(mark in label for label in labels for mark in (",", '"'))
        ):
            return _list_validation(f'"{inline}"', "请选择列表中的选项"), list_column
        if not labels:
            return None, list_column
        column = get_column_letter(list_column)
        for row, label in enumerate(labels, start=1):
            meta.cell(row, list_column, label)
        formula = f"'{META}'!${column}$1:${column}${len(labels)}"
        return _list_validation(formula, "请选择列表中的选项"), list_column + 1
    if kind == "multi_choice":
        hint = "、".join(choice.label for choice in merged.choices or ())
        prompt = DataValidation(showInputMessage=True, promptTitle="可多选", allow_blank=True)
        prompt.prompt = f"从以下选项中选择，多个用逗号分隔：{hint}"[:255]
        return prompt, list_column
    return _checked(
        DataValidation(type="textLength", operator="lessThanOrEqual", formula1=str(MAX_TEXT)),
        f"不能超过 {MAX_TEXT} 个字",
    ), list_column


def _number_validation(kind: str, minimum: Decimal | None, maximum: Decimal | None):
    whole = kind == "integer"
    if whole:  # Excel wants whole-number limits
        minimum = None if minimum is None else minimum.to_integral_value(ROUND_CEILING)
        maximum = None if maximum is None else maximum.to_integral_value(ROUND_FLOOR)
    low, high = _plain(minimum), _plain(maximum)
    if low is not None and high is not None:
        operator, formulas, rule = "between", (low, high), f"，介于 {low} 与 {high} 之间"
    elif low is not None:
        operator, formulas, rule = "greaterThanOrEqual", (low, None), f"，不能小于 {low}"
    elif high is not None:
        operator, formulas, rule = "lessThanOrEqual", (high, None), f"，不能大于 {high}"
    else:
        operator, formulas, rule = "between", (f"-{NO_LIMIT}", NO_LIMIT), ""
    validation = DataValidation(
        type="whole" if whole else "decimal",
        operator=operator,
        formula1=formulas[0],
        formula2=formulas[1],
    )
    return _checked(validation, f"须为{'整数' if whole else '数字'}{rule}")


def _plain(value: Decimal | None) -> str | None:
    if value is None:
        return None
    return "0" if not value else format(value.normalize(), "f")


def _list_validation(formula: str, message: str) -> DataValidation:
    return _checked(DataValidation(type="list", formula1=formula), message)


def _checked(validation: DataValidation, message: str) -> DataValidation:
    validation.allow_blank = True
    validation.showErrorMessage = True
    validation.errorStyle = "stop"
    validation.errorTitle = "填写有误"
    validation.error = message
    return validation


def _write_meta_heading(meta: Worksheet, org_code: str, month: str, version: int) -> None:
    heading = (
        ("format", FORMAT, FORMAT_VERSION),
        ("org_code", org_code),
        ("month", month),
        ("version", str(version)),
    )
    for row, line in enumerate(heading, start=1):
        for column, text in enumerate(line, start=1):
            meta.cell(row, column, text)
    for column, title in enumerate(META_HEADERS, start=1):
        meta.cell(META_FIRST_ROW - 1, column, title)


def _write_meta_row(meta: Worksheet, meta_row: int, row: int, item: Prefilled) -> None:
    merged = item.field
    choices = [[c.value, c.label] for c in merged.choices] if merged.choices else None
    texts = (
        str(row),
        merged.key,
        merged.label,
        merged.value_type,
        _plain(merged.minimum) or "",
        _plain(merged.maximum) or "",
        json.dumps(choices, ensure_ascii=False) if choices else "",
        "" if item.value is None else item.value,
        "1" if item.locked else "",
    )
    for column, text in enumerate(texts, start=1):
        meta.cell(meta_row, column, text).number_format = "@"


def _protect(workbook: Workbook, sheet: Worksheet, meta: Worksheet) -> None:
    sheet.protection.sheet = True  # no password: see the module docstring
    sheet.protection.formatColumns = False  # widening a column is harmless
    sheet.protection.formatRows = False
    meta.protection.sheet = True
    meta.sheet_state = "hidden"
    workbook.security = WorkbookProtection(lockStructure=True)  # keeps _meta hidden


# ---------------------------------------------------------------- reading


def read_form_workbook(data: bytes) -> UploadedForm:
    """Read an uploaded workbook made by `build_form_workbook`. InvalidInput when the file
    is unsafe or not one of ours; errors in single cells come back in `errors`."""
    workbook = open_workbook(data)
    try:
        return _read(workbook)
    except InvalidInput:
        raise
    except Exception as exc:
        raise translate_parse_error(exc) from exc
    finally:
        workbook.close()


def _read(workbook) -> UploadedForm:
    if META not in workbook.sheetnames:
        raise InvalidInput(MSG_NOT_OURS)
    heading, rows = _read_meta(workbook[META])
    if SHEET not in workbook.sheetnames:
        raise InvalidInput(MSG_NO_SHEET)
    cells = _read_cells(workbook[SHEET], max(row.row for row in rows.values()) if rows else 0)
    values: dict[str, object] = {}
    texts: dict[str, str] = {}
    errors: dict[str, str] = {}
    for key, row in rows.items():
        label, raw, number_format = cells.get(row.row, (None, None, ""))
        if str(label or "").strip() != row.label.strip():
            errors[row.cell] = row.message(MSG_MOVED)
            continue
        if is_blank(raw):
            continue
        if row.rules.value_type == "percent" and _shown_as_percent(raw, number_format):
            raw = Decimal(repr(raw)) * 100  # typed as "50%": Excel keeps 0.5, we mean 50
        values[key] = raw
        try:
            texts[key] = canonical(raw, row.rules)
        except InvalidValue as error:
            errors[row.cell] = row.message(str(error))
            continue
        if row.locked and texts[key] != row.shown:
            errors[row.cell] = row.message(MSG_LOCKED)
    return UploadedForm(
        org_code=heading["org_code"],
        month=heading["month"],
        version=heading["version"],
        values=values,
        errors=errors,
        rows=rows,
        texts=texts,
    )


def _read_meta(meta) -> tuple[dict, dict[str, UploadedRow]]:
    # Only the columns and rows a form of ours can have are read: the sheet's declared
    # dimension is not trusted (it may claim A1:XFD1048576 and hold a few cells).
    meta.reset_dimensions()
    lines = [
        tuple(_text(value) for value in line)
        for line in meta.iter_rows(
            values_only=True, max_row=META_MAX_ROWS + 1, max_col=len(META_HEADERS)
        )
    ]
    if len(lines) > META_MAX_ROWS:
        raise InvalidInput(MSG_NOT_OURS)
    try:
        heading = {line[0]: line[1:] for line in lines[: META_FIRST_ROW - 2]}
        if heading["format"][:2] != (FORMAT, FORMAT_VERSION):
            raise ValueError("format")
        fields = [line for line in lines[META_FIRST_ROW - 1 :] if any(line[: len(META_HEADERS)])]
        rows = [_meta_row(line) for line in fields]
        org_code, month = heading["org_code"][0], heading["month"][0]
        version = int(heading["version"][0])
    except (KeyError, IndexError, ValueError, TypeError) as exc:
        raise InvalidInput(MSG_NOT_OURS) from exc
    by_key = {row.key: row for row in rows}
    positions = {row.row for row in rows}
    if not org_code or not month or version < 0 or len(by_key) != len(rows):
        raise InvalidInput(MSG_NOT_OURS)
    if len(positions) != len(rows) or any(row < FIRST_ROW for row in positions):
        raise InvalidInput(MSG_NOT_OURS)
    return {"org_code": org_code, "month": month, "version": version}, by_key


def _meta_row(line: tuple[str, ...]) -> UploadedRow:
    row, key, label, value_type, low, high, choices, shown, locked = (
        line + ("",) * len(META_HEADERS)
    )[: len(META_HEADERS)]
    if not key or value_type not in _VALUE_TYPES:
        raise ValueError(key)
    rules = ValueRules(
        value_type,
        Decimal(low) if low else None,
        Decimal(high) if high else None,
        tuple(Choice(str(value), str(text)) for value, text in json.loads(choices))
        if choices
        else None,
    )
    return UploadedRow(key, int(row), label, rules, shown or None, locked == "1")


_VALUE_TYPES = frozenset(
    ("integer", "decimal", "percent", "text", "date", "boolean", "choice", "multi_choice")
)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _shown_as_percent(raw: object, number_format: str) -> bool:
    return isinstance(raw, int | float) and not isinstance(raw, bool) and "%" in number_format


def _read_cells(sheet, last_row: int) -> dict[int, tuple[object, object, str]]:
    """Row number → (项目 label, 数值 cell value, its number format), for the form's rows."""
    if last_row < FIRST_ROW:
        return {}
    found = {}
    lines = sheet.iter_rows(min_row=FIRST_ROW, max_row=last_row, max_col=VALUE_COLUMN)
    for row, line in enumerate(lines, start=FIRST_ROW):
        if len(line) >= VALUE_COLUMN:
            value_cell = line[VALUE_COLUMN - 1]
            number_format = getattr(value_cell, "number_format", None) or ""
            found[row] = (line[LABEL_COLUMN - 1].value, value_cell.value, number_format)
    return found
