"""Read an XLSForm (the ODK / KoboToolbox survey, choices and settings sheets) into an
ImportedReport.

pyxform parses and validates the workbook; its own explanation is passed on whenever it
refuses a form. On top of that, ReportOnce only keeps questions whose answer it can store:

- integer, decimal, range, percentage, text (and phone number), date, select one,
  select multiple and acknowledge become fields; a select one whose list is plainly yes/no
  becomes a boolean; datetime becomes a date (with a note that the time of day is dropped);
- groups become the field's section (nested group labels joined with " / ");
- questions nobody types (start, end, today, deviceid and other metadata, calculate,
  hidden, background actions) are skipped and listed in one note; note questions become
  report notes;
- repeat groups are rejected rather than flattened: one answer per repeated item cannot
  be kept in a field that holds one value per organisation and period;
- every other answer type (location, photo / audio / file, barcode, time, rank, choices
  from an external file) is rejected, naming the row, the question and its type.
"""

from __future__ import annotations

import copy
import re
from collections import defaultdict, deque
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from pyxform.builder import create_survey_element_from_dict
from pyxform.errors import PyXFormError
from pyxform.question_type_dictionary import QUESTION_TYPE_DICT
from pyxform.xls2json import workbook_to_json
from pyxform.xls2json_backends import get_xlsform

from forms_registry.errors import InvalidInput
from forms_registry.importers.label_parsing import parse_label
from forms_registry.importers.model import Choice, ImportedField, ImportedReport
from forms_registry.importers.safety import open_workbook
from forms_registry.importers.sheet_grid import read_sheet

_NUMBER = r"-?\d+(?:\.\d+)?"
_FIELD_ON_LEFT = re.compile(rf"^\.\s*(>=|<=|>|<)\s*({_NUMBER})$")
_FIELD_ON_RIGHT = re.compile(rf"^({_NUMBER})\s*(>=|<=|>|<)\s*\.$")
_FLIPPED = {">=": "<=", "<=": ">=", ">": "<", "<": ">"}
_AND = re.compile(r"\s+and\s+", re.IGNORECASE)
_ROW_PREFIX = re.compile(r"^\[row\s*:\s*(\d+)\]\s*")
_CHINESE_LANGUAGE = re.compile(
    r"中文|汉语|漢語|简体|繁體|chinese|mandarin|^zh\b|\(zh\b|\bzh[-_]", re.IGNORECASE
)
_HAS_CJK = re.compile(r"[\u4e00-\u9fff]")
_TRUE_WORDS = {"yes", "true", "true()", "1", "是"}
_YES_NO_PAIRS = (
    {"yes", "no"},
    {"y", "n"},
    {"true", "false"},
    {"1", "0"},
    {"是", "否"},
)
_FILE_LIST = re.compile(r"\.(csv|xml|geojson)$", re.IGNORECASE)

_INPUT_TYPES = {
    "int": "integer",
    "decimal": "decimal",
    "string": "text",
    "date": "date",
    "dateTime": "date",
}
_UNSUPPORTED_REASONS = {
    "binary": "照片、音视频或文件上传题",
    "geopoint": "地理位置题",
    "geotrace": "地理位置题",
    "geoshape": "地理位置题",
    "barcode": "扫码题",
    "time": "时刻（time）题",
    "odk:rank": "排序题",
}


def read_xlsform(data: bytes, filename: str = "form.xlsx") -> ImportedReport:
    """Read an XLSForm workbook; raise InvalidInput with a Chinese explanation if pyxform
    refuses it or it holds questions ReportOnce cannot store."""
    _check_sheet_sizes(data)
    survey_rows, form = _parse_with_pyxform(data, PurePath(filename).stem or "form")
    reader = _FormReader(
        rows=_index_rows(survey_rows),
        default_language=str(form.get("default_language") or "default"),
    )
    reader.walk(form.get("children", []), sections=())
    if reader.rejected:
        raise InvalidInput(
            "XLSForm 中有 ReportOnce 暂不支持的题目，未导入："
            + "；".join(reader.rejected.values())
            + "。请改为整数、小数、文本、日期、单选或多选题后再导入。",
            details=dict(reader.rejected),
        )
    if not reader.fields:
        raise InvalidInput("XLSForm 中没有需要填报的题目，未导入。")
    notes = list(reader.notes)
    if reader.skipped:
        notes.append("以下题目不需填报人填写，导入时已略过：" + "、".join(reader.skipped) + "。")
    return ImportedReport(
        title=str(form.get("title") or PurePath(filename).stem),
        fields=reader.fields,
        source_format="xlsform",
        notes=notes,
    )


def _check_sheet_sizes(data: bytes) -> None:
    """pyxform takes in every row of every sheet before it looks at any, and its errors
    on a hostile file are technical English: first refuse, in Chinese, a file that is
    unsafe (entities included, wherever they hide) or whose sheets hold more than the
    template importer's limits (streamed; declared dimensions are not trusted)."""
    workbook = open_workbook(data)
    try:
        for worksheet in workbook.worksheets:
            read_sheet(worksheet)
    finally:
        workbook.close()


def _parse_with_pyxform(data: bytes, stem: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Run pyxform's reader, converter and XForm builder (without external validators)."""
    try:
        workbook = get_xlsform(data, file_type=".xlsx")
        form = workbook_to_json(workbook, fallback_form_name=stem, warnings=[])
        create_survey_element_from_dict(copy.deepcopy(form)).to_xml(validate=False, warnings=[])
    except PyXFormError as error:
        raise _pyxform_refusal(str(error)) from error
    except (ValueError, KeyError, TypeError, IndexError, AttributeError) as error:
        raise InvalidInput(
            f"XLSForm 无法解析，未导入：{error}",
            details={"xlsform": str(error)},
        ) from error
    return list(workbook.survey or []), form


def _pyxform_refusal(explanation: str) -> InvalidInput:
    row = _ROW_PREFIX.match(explanation)
    where = f"第 {row.group(1)} 行" if row else ""
    text = _ROW_PREFIX.sub("", explanation).strip()
    return InvalidInput(
        f"XLSForm {where}有错误，未导入（pyxform 的说明：{text}）",
        details={"xlsform": explanation},
    )


def _index_rows(survey_rows: list[dict[str, Any]]) -> dict[str, deque[tuple[int, str]]]:
    """name -> (sheet row number, type as written) in sheet order; row 1 is the header."""
    index: dict[str, deque[tuple[int, str]]] = defaultdict(deque)
    for position, row in enumerate(survey_rows):
        cells = {str(key).strip().lower(): value for key, value in row.items()}
        name = cells.get("name")
        if name:
            index[str(name).strip()].append((position + 2, str(cells.get("type", "")).strip()))
    return index


@dataclass
class _FormReader:
    rows: dict[str, deque[tuple[int, str]]]
    default_language: str
    fields: list[ImportedField] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    rejected: dict[str, str] = field(default_factory=dict)

    def walk(self, nodes: list[dict[str, Any]], sections: tuple[str, ...]) -> None:
        for node in nodes:
            where = self._where(node)
            kind = node.get("type")
            if kind == "group":
                if node.get("control", {}).get("bodyless"):
                    continue  # pyxform's own meta block (instanceID, entities)
                label = self._text(node.get("label"))
                self.walk(node.get("children", []), sections + ((label,) if label else ()))
            elif kind == "repeat":
                self._reject(node, where, "重复组（repeat）")
                self._pass_over(node.get("children", []))
            else:
                self._question(node, where, " / ".join(sections) or None)

    def _pass_over(self, nodes: list[dict[str, Any]]) -> None:
        """Consume the sheet rows of questions not read, so later row numbers stay right."""
        for node in nodes:
            self._where(node)
            self._pass_over(node.get("children", []))

    def _question(self, node: dict[str, Any], where: _Where, section: str | None) -> None:
        kind = str(node.get("type"))
        spec = QUESTION_TYPE_DICT.get(kind, {})
        bind = {**spec.get("bind", {}), **node.get("bind", {})}
        control = {**spec.get("control", {}), **node.get("control", {})}
        tag = control.get("tag")
        bind_type = bind.get("type")

        if kind == "note":
            text = self._text(node.get("label"))
            if text:
                self.notes.append(text)
            return
        if kind.endswith("external") or _FILE_LIST.search(str(node.get("itemset") or "")):
            self._reject(node, where, "选项来自外部文件的选择题")
            return
        if "jr:preload" in bind or "calculate" in bind or tag in (None, "action"):
            self.skipped.append(where.describe(node))
            return

        value_type: str | None
        if tag == "trigger":
            if bind_type not in (None, "string"):
                self.skipped.append(where.describe(node))
                return
            value_type = "boolean"
        elif tag == "select1":
            value_type = "boolean" if self._is_yes_no(node) else "choice"
        elif tag == "select":
            value_type = "multi_choice"
        elif tag == "range":
            value_type = "decimal"
        elif tag == "input" and bind_type in _INPUT_TYPES:
            value_type = "percent" if kind == "percentage" else _INPUT_TYPES[bind_type]
            if bind_type == "dateTime":
                self.notes.append(f"{where.describe(node)}是日期时间题，按日期导入，不保留时刻。")
        else:
            reason = _UNSUPPORTED_REASONS.get(
                str(bind_type), "这类题型（ReportOnce 无法保存其答案）"
            )
            if str(control.get("mediatype", "")).startswith("osm"):
                reason = "地图要素（OSM）题"
            self._reject(node, where, reason)
            return

        self._add_field(node, where, section, value_type, bind)

    def _add_field(
        self,
        node: dict[str, Any],
        where: _Where,
        section: str | None,
        value_type: str,
        bind: dict[str, Any],
    ) -> None:
        label = self._text(node.get("label")) or str(node.get("name"))
        parts = parse_label(label)
        minimum, maximum = _range_limits(node) if value_type == "decimal" else (None, None)
        constraint = str(bind.get("constraint") or "").strip()
        if constraint and value_type in ("integer", "decimal", "percent"):
            bounds = _constraint_bounds(constraint, integral=value_type != "decimal")
            if bounds is None:
                if "constraint" in node.get("bind", {}):
                    self.notes.append(
                        f"{where.describe(node)}的约束条件“{constraint}”不是简单的上下限，"
                        "导入时未转换。"
                    )
            else:
                minimum = _tighter(minimum, bounds[0], max)
                maximum = _tighter(maximum, bounds[1], min)
        choices = None
        if value_type in ("choice", "multi_choice"):
            choices = [
                Choice(
                    value=str(c.get("name")), label=self._text(c.get("label")) or str(c.get("name"))
                )
                for c in node.get("choices", [])
            ]
        self.fields.append(
            ImportedField(
                label=label,
                name=parts.name,
                order=len(self.fields),
                section=section,
                unit=parts.unit,
                is_sub_item=parts.is_sub_item,
                value_type=value_type,
                required=str(bind.get("required", "")).strip().lower() in _TRUE_WORDS,
                choices=choices,
                minimum=minimum,
                maximum=maximum,
            )
        )

    def _reject(self, node: dict[str, Any], where: _Where, reason: str) -> None:
        key = where.name if where.name not in self.rejected else f"{where.name}@{where.row}"
        self.rejected[key] = f"{where.describe(node)}：暂不支持{reason}"

    def _where(self, node: dict[str, Any]) -> _Where:
        name = str(node.get("name", ""))
        queue = self.rows.get(name)
        row, written_type = queue.popleft() if queue else (None, str(node.get("type", "")))
        return _Where(name=name, row=row, written_type=written_type)

    def _text(self, value: Any) -> str:
        """The Chinese text if the form has one, else the default language's, else any."""
        if value is None:
            return ""
        if not isinstance(value, dict):
            return str(value).strip()
        texts = {str(lang): str(text).strip() for lang, text in value.items() if text}
        for lang, text in texts.items():
            if _CHINESE_LANGUAGE.search(lang):
                return text
        for lang in (self.default_language, "default"):
            if texts.get(lang):
                return texts[lang]
        for text in texts.values():
            if _HAS_CJK.search(text):
                return text
        return next(iter(texts.values()), "")

    def _is_yes_no(self, node: dict[str, Any]) -> bool:
        choices = node.get("choices") or []
        if len(choices) != 2:
            return False
        names = {str(c.get("name", "")).strip().lower() for c in choices}
        labels = {self._text(c.get("label")) for c in choices}
        return any(names == pair or labels == pair for pair in _YES_NO_PAIRS)


@dataclass(frozen=True)
class _Where:
    name: str
    row: int | None
    written_type: str

    def describe(self, node: dict[str, Any]) -> str:
        at = f"第 {self.row} 行" if self.row else "题目"
        return f"{at}“{node.get('name')}”（{self.written_type or node.get('type')}）"


def _range_limits(node: dict[str, Any]) -> tuple[Decimal | None, Decimal | None]:
    if node.get("type") != "range":
        return None, None
    parameters = node.get("parameters") or {}
    start, end = _decimal(parameters.get("start", "1")), _decimal(parameters.get("end", "10"))
    if start is None or end is None:
        return None, None
    return min(start, end), max(start, end)


def _constraint_bounds(
    expression: str, *, integral: bool
) -> tuple[Decimal | None, Decimal | None] | None:
    """(min, max) for constraints such as `. >= 0`, `0 <= . and . <= 100`; None otherwise."""
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    for clause in _AND.split(expression.strip()):
        clause = clause.strip().removeprefix("(").removesuffix(")").strip()
        if match := _FIELD_ON_LEFT.match(clause):
            operator, number = match.group(1), Decimal(match.group(2))
        elif match := _FIELD_ON_RIGHT.match(clause):
            operator, number = _FLIPPED[match.group(2)], Decimal(match.group(1))
        else:
            return None
        if operator in (">", "<"):
            if not integral or number != number.to_integral_value():
                return None  # a strict bound on a decimal has no inclusive equivalent
            number += 1 if operator == ">" else -1
        if operator.startswith(">"):
            minimum = _tighter(minimum, number, max)
        else:
            maximum = _tighter(maximum, number, min)
    return minimum, maximum


def _tighter(current: Decimal | None, new: Decimal | None, pick: Any) -> Decimal | None:
    if current is None:
        return new
    if new is None:
        return current
    return pick(current, new)


def _decimal(text: Any) -> Decimal | None:
    try:
        return Decimal(str(text).strip())
    except ArithmeticError:
        return None
