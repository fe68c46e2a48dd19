"""Reconciling how several reports ask for one data element: value type, choices and
limits (the strictest combination every report accepts), and the conflicts when none
exists. Units are reconciled by the caller's conversion factors; a missing factor is a
unit conflict."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from forms_registry.importers.model import VALUE_TYPE_NAMES as TYPE_NAMES
from forms_registry.importers.model import Choice
from forms_registry.merge.model import ElementSpec, ReportFieldSpec
from forms_registry.merge.schema import MergeConflict, decimal_text

NUMERIC_TYPES = ("integer", "decimal", "percent")
CHOICE_TYPES = ("choice", "multi_choice")


@dataclass(frozen=True)
class Usage:
    """A report field inside one merged field."""

    report: str
    spec: ReportFieldSpec


def _type_family(value_type: str) -> str:
    return "numeric" if value_type in NUMERIC_TYPES else value_type


def _codes(usages: Sequence[Usage]) -> tuple[str, ...]:
    return tuple(sorted({u.report for u in usages}))


def _unit_text(unit: str | None) -> str:
    return unit or "无单位"


def unit_conflicts(element: ElementSpec, usages: Sequence[Usage], key: str) -> list[MergeConflict]:
    unconvertible = [u for u in usages if u.spec.factor is None]
    if not unconvertible:
        return []
    listed = "、".join(f"{u.report}（{_unit_text(u.spec.unit)}）" for u in unconvertible)
    message = (
        f"指标“{element.name}”的标准单位为“{_unit_text(element.unit)}”，"
        f"报表 {listed}使用的单位无法换算"
    )
    detail = {
        "unit": element.unit,
        "report_units": {u.report: u.spec.unit for u in unconvertible},
    }
    return [MergeConflict(element.code, "unit", _codes(unconvertible), message, detail, key)]


def merge_value_type(
    element: ElementSpec, usages: Sequence[Usage], key: str
) -> tuple[str, list[MergeConflict]]:
    """Integer, decimal and percent are compatible (integer + decimal → decimal); any
    other difference from the element's type is a conflict and the element's type stays."""
    canonical = element.value_type
    family = _type_family(canonical)
    incompatible = [u for u in usages if _type_family(u.spec.effective_value_type) != family]
    if incompatible:
        listed = "、".join(
            f"{u.report}（{TYPE_NAMES[u.spec.effective_value_type]}）" for u in incompatible
        )
        message = (
            f"指标“{element.name}”的数据类型为{TYPE_NAMES[canonical]}，"
            f"报表 {listed}的数据类型与之不兼容"
        )
        detail = {
            "type": canonical,
            "report_types": {u.report: u.spec.effective_value_type for u in usages},
        }
        conflict = MergeConflict(element.code, "type", _codes(incompatible), message, detail, key)
        return canonical, [conflict]
    types = {canonical, *(u.spec.effective_value_type for u in usages)}
    if len(types) == 1:
        return canonical, []
    if canonical == "percent":
        return "percent", []
    return "decimal", []


def merge_choices(
    element: ElementSpec, usages: Sequence[Usage], value_type: str, key: str
) -> tuple[tuple[Choice, ...] | None, list[MergeConflict]]:
    """Keep the choices every report accepts (the intersection, in the element's order);
    any difference between the lists is a conflict, since an answer outside some list
    cannot be given back to that report. With no common choice the element's list stays."""
    if value_type not in CHOICE_TYPES:
        return element.choices, []
    own_lists = [u for u in usages if u.spec.choices is not None]
    lists = ([element.choices] if element.choices is not None else []) + [
        u.spec.choices for u in own_lists
    ]
    if not lists:
        return None, []
    reference = lists[0]
    value_sets = [{c.value for c in choices} for choices in lists]
    if all(values == value_sets[0] for values in value_sets):
        return reference, []

    common = set.intersection(*value_sets)
    if element.choices is not None:
        differing = [u for u in own_lists if {c.value for c in u.spec.choices} != value_sets[0]]
    else:
        differing = own_lists
    detail = {
        "element_choices": [c.value for c in element.choices] if element.choices else None,
        "report_choices": {u.report: [c.value for c in u.spec.choices] for u in own_lists},
        "kept": [c.value for c in reference if c.value in common],
    }
    if common:
        kept = tuple(c for c in reference if c.value in common)
        message = (
            f"指标“{element.name}”在各报表中的选项不一致，"
            f"合并表只保留各报表都接受的选项：{'、'.join(c.label for c in kept)}"
        )
    else:
        kept = reference
        message = f"指标“{element.name}”在各报表中的选项没有交集，无法合并为一个问题"
    return kept, [MergeConflict(element.code, "choices", _codes(differing), message, detail, key)]


def merge_limits(
    element: ElementSpec, usages: Sequence[Usage], value_type: str, key: str
) -> tuple[Decimal | None, Decimal | None, list[MergeConflict]]:
    """The largest minimum and the smallest maximum, in the canonical unit. When they
    contradict each other (min > max) the element's own limits stay and it is a conflict."""
    if _type_family(value_type) != "numeric":
        return element.minimum, element.maximum, []
    minima: list[Decimal] = [element.minimum] if element.minimum is not None else []
    maxima: list[Decimal] = [element.maximum] if element.maximum is not None else []
    limited: list[Usage] = []
    for usage in usages:
        factor = usage.spec.factor
        if factor is None or (usage.spec.minimum is None and usage.spec.maximum is None):
            continue
        limited.append(usage)
        if usage.spec.minimum is not None:
            minima.append(usage.spec.minimum * factor)
        if usage.spec.maximum is not None:
            maxima.append(usage.spec.maximum * factor)
    low = max(minima) if minima else None
    high = min(maxima) if maxima else None
    if low is None or high is None or low <= high:
        return low, high, []
    message = (
        f"指标“{element.name}”在各报表中的取值范围相互矛盾："
        f"最小值 {decimal_text(low)} 大于最大值 {decimal_text(high)}"
        f"（{_unit_text(element.unit)}）"
    )
    detail = {
        "min": decimal_text(low),
        "max": decimal_text(high),
        "unit": element.unit,
        "element_limits": {
            "min": decimal_text(element.minimum),
            "max": decimal_text(element.maximum),
        },
        "report_limits": {
            u.report: {
                "min": decimal_text(_scaled(u.spec.minimum, u.spec.factor)),
                "max": decimal_text(_scaled(u.spec.maximum, u.spec.factor)),
            }
            for u in limited
        },
    }
    conflict = MergeConflict(element.code, "limits", _codes(limited), message, detail, key)
    return element.minimum, element.maximum, [conflict]


def _scaled(value: Decimal | None, factor: Decimal | None) -> Decimal | None:
    if value is None or factor is None:
        return None
    return value * factor
