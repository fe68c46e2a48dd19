"""The data element dictionary (指标库): load, list, create, edit, propose and approve."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from sqlalchemy import String, cast, func, or_, select
from sqlalchemy.orm import Session

from forms_registry.elements.models import STABILITY_NAMES, VALUE_TYPE_NAMES, DataElement
from forms_registry.errors import Conflict, InvalidInput, NotFound
from forms_registry.periods import adds_up
from forms_registry.reports.models import ReportField, ReportVersion
from forms_registry.units import (
    are_compatible,
    is_known_unit,
    normalize_unit,
    unit_family,
    unit_table,
)

STARTER_LIBRARY = Path(__file__).resolve().parents[1] / "data" / "elements.json"
CODE_PATTERN = re.compile(r"^[A-Z][A-Z0-9_]{1,63}$")
NUMERIC_TYPES = ("integer", "decimal", "percent")


@dataclass
class ElementInput:
    """An element as a reviewer (or the starter library) writes it; `validate` checks it."""

    code: str
    name: str
    value_type: str
    kind: str
    stability: str = "period"
    unit: str | None = None
    also_counted_in: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    choices: list[dict[str, str]] | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    description: str = ""
    category: str = ""
    parent: str | None = None

    @classmethod
    def from_mapping(cls, data: dict) -> ElementInput:
        return cls(
            code=str(data.get("code") or "").strip(),
            name=str(data.get("name") or "").strip(),
            value_type=str(data.get("value_type") or "").strip(),
            kind=str(data.get("kind") or "").strip(),
            stability=str(data.get("stability") or "period").strip(),
            unit=normalize_unit(data.get("unit")),
            also_counted_in=[
                unit
                for unit in map(normalize_unit, data.get("also_counted_in") or [])
                if unit is not None
            ],
            aliases=[alias.strip() for alias in data.get("aliases") or [] if alias.strip()],
            choices=data.get("choices") or None,
            minimum=_decimal(data.get("min", data.get("minimum")), "minimum"),
            maximum=_decimal(data.get("max", data.get("maximum")), "maximum"),
            description=str(data.get("description") or ""),
            category=str(data.get("category") or ""),
            parent=(data.get("parent") or data.get("parent_code") or None),
        )

    def validate(self) -> None:
        errors: dict[str, str] = {}
        if not CODE_PATTERN.match(self.code):
            errors["code"] = "代码须以大写字母开头，只含大写字母、数字和下划线（2–64 位）"
        if not self.name:
            errors["name"] = "名称不能为空"
        if self.value_type not in VALUE_TYPE_NAMES:
            errors["value_type"] = "数据类型无效"
        if self.kind not in ("stock", "flow"):
            errors["kind"] = "须为时点指标（stock）或时期指标（flow）"
        if self.stability not in STABILITY_NAMES:
            errors["stability"] = "稳定性须为 fixed、yearly 或 period"
        if self.unit is not None and not is_known_unit(self.unit):
            errors["unit"] = f"无法识别的计量单位“{self.unit}”"
        if self.value_type in NUMERIC_TYPES and self.unit is None:
            errors["unit"] = "数值型指标须有计量单位"
        if self.also_counted_in and "unit" not in errors:
            problem = _also_counted_in_problem(self.unit, self.also_counted_in)
            if problem:
                errors["also_counted_in"] = problem
        if self.value_type in ("choice", "multi_choice") and not self.choices:
            errors["choices"] = "单选或多选指标须有选项"
        if self.minimum is not None and self.maximum is not None and self.minimum > self.maximum:
            errors["maximum"] = "上限不能小于下限"
        if errors:
            raise InvalidInput("指标信息有误", details=errors)


def _also_counted_in_problem(unit: str | None, others: list[str]) -> str | None:
    """What is wrong with the units an element in `unit` is also counted in, one for one."""
    if unit is None:
        return "没有计量单位的指标不能另按其他单位计"
    units = unit_table().units
    for position, other in enumerate(others):
        if not is_known_unit(other):
            return f"无法识别的计量单位“{other}”"
        if other in others[:position]:
            return f"单位“{other}”重复"
        if unit_family(other) == unit_family(unit):
            return f"“{other}”与计量单位“{unit}”同类，本可换算，无须列出"
        # 1 万人次 is not 1 人: only a unit of the same scale counts one for one
        if units[other].factor != units[unit].factor:
            return f"“{other}”与计量单位“{unit}”不能一比一计"
    return None


def _decimal(value: object, key: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise InvalidInput("指标信息有误", details={key: "须为数字"}) from exc


def get_element(session: Session, code: str) -> DataElement:
    element = session.scalar(select(DataElement).where(DataElement.code == code))
    if element is None:
        raise NotFound(f"未找到指标：{code}")
    return element


def list_elements(
    session: Session,
    *,
    query: str | None = None,
    category: str | None = None,
    status: str = "active",
) -> list[DataElement]:
    statement = select(DataElement).where(DataElement.status == status)
    if query:
        pattern = f"%{query.strip()}%"
        statement = statement.where(
            or_(
                DataElement.code.ilike(pattern),
                DataElement.name.like(pattern),
                cast(DataElement.aliases, String).like(pattern),
            )
        )
    if category:
        statement = statement.where(DataElement.category == category)
    return list(session.scalars(statement.order_by(DataElement.category, DataElement.code)))


def categories(session: Session) -> list[str]:
    rows = session.scalars(
        select(DataElement.category)
        .where(DataElement.status == "active")
        .distinct()
        .order_by(DataElement.category)
    )
    return [row for row in rows if row]


def _apply(element: DataElement, data: ElementInput, session: Session) -> None:
    element.name = data.name
    element.aliases = data.aliases
    element.value_type = data.value_type
    element.unit = data.unit
    element.also_counted_in = data.also_counted_in
    element.kind = data.kind
    element.stability = data.stability
    element.choices = data.choices
    element.minimum = data.minimum
    element.maximum = data.maximum
    element.description = data.description
    element.category = data.category
    element.parent = _parent(session, data.parent) if data.parent else None


def _parent(session: Session, code: str) -> DataElement:
    """The total a sub-item (其中项) belongs to; an unknown code is the input's fault."""
    parent = session.scalar(select(DataElement).where(DataElement.code == code))
    if parent is None:
        raise InvalidInput("指标信息有误", details={"parent": f"未找到上级指标：{code}"})
    return parent


def create_element(
    session: Session,
    data: ElementInput,
    *,
    status: str = "active",
    proposed_by_id: int | None = None,
) -> DataElement:
    data.validate()
    if session.scalar(select(DataElement.id).where(DataElement.code == data.code)) is not None:
        raise InvalidInput("指标信息有误", details={"code": f"代码 {data.code} 已存在"})
    element = DataElement(code=data.code, status=status, proposed_by_id=proposed_by_id)
    _apply(element, data, session)
    session.add(element)
    session.flush()
    return element


def update_element(
    session: Session, code: str, data: ElementInput, *, expected_version: int
) -> DataElement:
    """Edit an element; refused with Conflict when someone saved it after `expected_version`."""
    element = get_element(session, code)
    if element.version != expected_version:
        raise Conflict("该指标已被他人修改，请刷新后重新编辑")
    data.code = element.code
    data.validate()
    _keep_what_totals_add_up(session, element, data)
    _keep_the_fields_units(session, element, data)
    _apply(element, data, session)
    session.flush()
    return element


def _keep_what_totals_add_up(session: Session, element: DataElement, data: ElementInput) -> None:
    """A report field adding the element up from January (本年累计) needs a flow of counts
    or amounts: no edit may turn it into a stock or a rate under that field."""
    if adds_up(data.kind, data.value_type):
        return
    summed = session.scalar(
        select(func.count(ReportField.id)).where(
            ReportField.element_id == element.id, ReportField.derivation.is_not(None)
        )
    )
    if summed:
        message = f"有 {summed} 个报表字段按本年累计（各期相加）使用该指标，它须是可相加的时期指标"
        raise InvalidInput("指标信息有误", details={"kind": message})


def _keep_the_fields_units(session: Session, element: DataElement, data: ElementInput) -> None:
    """No edit may leave a report field in a unit the element can no longer be converted
    from (受灾人口（万人次） once 人次 is taken off the units it is also counted in)."""
    same_as = {data.unit: data.also_counted_in}
    stranded = sorted(
        {
            unit
            for unit in session.scalars(
                select(ReportField.unit).where(
                    ReportField.element_id == element.id, ReportField.unit.is_not(None)
                )
            )
            if not are_compatible(unit, data.unit, same_as=same_as)
        }
    )
    if stranded:
        message = f"有报表字段以{'、'.join(stranded)}计量该指标，修改后无法换算"
        raise InvalidInput("指标信息有误", details={"unit": message})


def set_status(session: Session, code: str, status: str) -> DataElement:
    element = get_element(session, code)
    element.status = status
    session.flush()
    return element


def approve_proposal(session: Session, code: str) -> DataElement:
    element = get_element(session, code)
    if element.status != "proposed":
        raise Conflict("该指标不是待审核状态")
    return set_status(session, code, "active")


def reject_proposal(session: Session, code: str) -> None:
    """A rejected proposal disappears; fields mapped to it become unmapped again."""
    element = get_element(session, code)
    if element.status != "proposed":
        raise Conflict("该指标不是待审核状态")
    for report_field in session.scalars(
        select(ReportField).where(ReportField.element_id == element.id)
    ):
        report_field.element, report_field.derivation = None, None
    session.delete(element)
    session.flush()


def load_library(session: Session, entries: list[dict]) -> int:
    """Add the elements not yet in the dictionary (a reviewer's edits are never overwritten)."""
    existing = set(session.scalars(select(DataElement.code)))
    inputs = [
        ElementInput.from_mapping(entry) for entry in entries if entry["code"] not in existing
    ]
    for data in sorted(inputs, key=lambda item: item.parent is not None):
        parent, data.parent = data.parent, None
        create_element(session, data)
        data.parent = parent
    for data in inputs:
        if data.parent:
            get_element(session, data.code).parent = get_element(session, data.parent)
    session.flush()
    return len(inputs)


def load_starter_library(session: Session, path: Path = STARTER_LIBRARY) -> int:
    return load_library(session, json.loads(path.read_text(encoding="utf-8"))["elements"])


def usage_counts(session: Session) -> dict[int, int]:
    """How many reports use each element (in any version)."""
    rows = session.execute(
        select(ReportField.element_id, func.count(func.distinct(ReportVersion.report_id)))
        .join(ReportVersion, ReportField.version_id == ReportVersion.id)
        .where(ReportField.element_id.is_not(None))
        .group_by(ReportField.element_id)
    )
    return {element_id: count for element_id, count in rows}
