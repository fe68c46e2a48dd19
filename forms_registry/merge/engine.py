"""The merge engine: every report due in a reference month, deduplicated by data element
into one form (SPEC *Merged form*, *Stock and flow*). Pure: no database, no clock."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from forms_registry.merge.constraints import (
    Usage,
    merge_choices,
    merge_limits,
    merge_value_type,
    unit_conflicts,
)
from forms_registry.merge.model import ElementSpec, ReportFieldSpec, ReportSpec
from forms_registry.merge.schema import (
    CONFLICT_KINDS,
    FieldUsage,
    MergeConflict,
    MergedField,
    MergedSchema,
)
from forms_registry.merge.selection import reports_due_in
from forms_registry.periods import Period, period_length_word

# Leading period words an element name may already carry (本月排查隐患数); they are
# replaced, not doubled, when the field is asked for a longer period. Longest first.
_PERIOD_WORDS = (
    "本年度",
    "本季度",
    "本半年",
    "本月",
    "当月",
    "本季",
    "当季",
    "本年",
    "当年",
    "本期",
)


@dataclass
class _Group:
    """Report fields that become one merged field, gathered in merge order."""

    key: str
    element: ElementSpec
    period: Period
    first_seen: int
    usages: list[Usage] = field(default_factory=list)


def merge_reports(reports: Sequence[ReportSpec], month: Period) -> MergedSchema:
    """Merge the reports due in reference month `month` into one schema.

    A stock element is one field under the month; a flow element is one field per
    period length (key ELEMENT@PERIOD when longer than the month). The result does not
    depend on the order of `reports`.
    """
    due = reports_due_in(reports, month)
    groups: dict[str, _Group] = {}
    report_fields = 0
    for report, period in due:
        for spec in sorted(report.fields, key=_field_sort_key):
            report_fields += 1
            key, field_period = _key_and_period(spec.element, period, month)
            group = groups.get(key)
            if group is None:
                group = _Group(key, spec.element, field_period, first_seen=len(groups))
                groups[key] = group
            group.usages.append(Usage(report.code, spec))

    ordered = _in_form_order(list(groups.values()))
    multi_length = _elements_with_several_periods(ordered)
    fields: list[MergedField] = []
    conflicts: list[MergeConflict] = []
    for position, group in enumerate(ordered):
        merged, found = _merge_group(group, month, position, group.element.code in multi_length)
        fields.append(merged)
        conflicts.extend(sorted(found, key=lambda c: CONFLICT_KINDS.index(c.kind)))

    return MergedSchema(
        month=month,
        fields=tuple(fields),
        conflicts=tuple(conflicts),
        stats={"report_fields": report_fields, "merged_fields": len(fields)},
        hash=schema_hash(fields),
        reports=tuple(report.code for report, _ in due),
    )


def schema_hash(fields: Sequence[MergedField]) -> str:
    canonical = json.dumps(
        [f.to_json() for f in fields], sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _field_sort_key(spec: ReportFieldSpec) -> tuple[int, str, str, str, str]:
    return (spec.order, spec.label, spec.element.code, spec.section or "", spec.unit or "")


def _key_and_period(element: ElementSpec, period: Period, month: Period) -> tuple[str, Period]:
    if element.kind == "stock" or period == month:
        return element.code, month
    return f"{element.code}@{period.id}", period


def _in_form_order(groups: list[_Group]) -> list[_Group]:
    """Sections in order of first appearance; within a section, fields likewise, except
    that the periods of one flow element stay together, shortest first (本月, 本季度, 本年)."""
    section_rank: dict[str | None, int] = {}
    element_rank: dict[str, int] = {}
    for group in sorted(groups, key=lambda g: g.first_seen):
        section_rank.setdefault(group.usages[0].spec.section, len(section_rank))
        element_rank.setdefault(group.element.code, group.first_seen)
    return sorted(
        groups,
        key=lambda g: (
            section_rank[g.usages[0].spec.section],
            element_rank[g.element.code],
            g.period.months,
            g.first_seen,
        ),
    )


def _elements_with_several_periods(groups: list[_Group]) -> set[str]:
    seen: dict[str, int] = {}
    for group in groups:
        seen[group.element.code] = seen.get(group.element.code, 0) + 1
    return {code for code, count in seen.items() if count > 1}


def _label(element: ElementSpec, period: Period, month: Period, several: bool) -> str:
    """The element's name; a flow over a longer period says so (本季度临时救助人次), and
    so does the month's own flow when the same element is also asked for a longer one."""
    if element.kind == "stock" or (period == month and not several):
        return element.name
    frequency = "monthly" if period == month else period.frequency
    name = element.name
    for word in _PERIOD_WORDS:
        if name.startswith(word) and len(name) > len(word):
            name = name[len(word) :]
            break
    return period_length_word(frequency) + name


def _merge_group(
    group: _Group, month: Period, position: int, several: bool
) -> tuple[MergedField, list[MergeConflict]]:
    element, usages, key = group.element, group.usages, group.key
    conflicts = unit_conflicts(element, usages, key)
    value_type, found = merge_value_type(element, usages, key)
    conflicts += found
    choices, found = merge_choices(element, usages, value_type, key)
    conflicts += found
    minimum, maximum, found = merge_limits(element, usages, value_type, key)
    conflicts += found
    merged = MergedField(
        key=key,
        element=element.code,
        period=group.period.id,
        label=_label(element, group.period, month, several),
        section=usages[0].spec.section,
        unit=element.unit,
        value_type=value_type,
        required=any(u.spec.required for u in usages),
        minimum=minimum,
        maximum=maximum,
        choices=choices,
        kind=element.kind,
        usages=tuple(
            FieldUsage(
                report=u.report,
                label=u.spec.label,
                unit=u.spec.unit,
                factor=u.spec.factor,
                section=u.spec.section,
                required=u.spec.required,
            )
            for u in usages
        ),
        order=position,
    )
    return merged, conflicts
