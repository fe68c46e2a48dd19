"""What the merge engine produces: the merged schema of one reference month, and its
JSON form (the `reportonce merge --json` shape of the SPEC)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

from forms_registry.importers.model import Choice
from forms_registry.periods import Period

CONFLICT_KINDS = ("unit", "type", "choices", "limits")


def decimal_text(value: Decimal | None) -> str | None:
    """An exact, canonical decimal string: 15.000 and 1.5E+1 both give "15"."""
    if value is None:
        return None
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "0") else text


def choices_json(choices: tuple[Choice, ...] | None) -> list[dict[str, str]] | None:
    if choices is None:
        return None
    return [{"value": c.value, "label": c.label} for c in choices]


@dataclass(frozen=True)
class FieldUsage:
    """How one report asks for a merged field: its own label, unit and section."""

    report: str  # report code
    label: str
    unit: str | None
    factor: Decimal | None  # owner's value × factor = canonical value; None: not convertible
    section: str | None
    required: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "report": self.report,
            "label": self.label,
            "unit": self.unit,
            "factor": decimal_text(self.factor),
            "section": self.section,
            "required": self.required,
        }


@dataclass(frozen=True)
class MergedField:
    """One question of the merged form: a data element for one period."""

    key: str  # element code, or ELEMENT@PERIOD for a flow of a period longer than the month
    element: str  # element code
    period: str  # period id the value is stored under
    label: str
    section: str | None
    unit: str | None  # canonical
    value_type: str
    required: bool
    minimum: Decimal | None  # canonical unit, strictest compatible
    maximum: Decimal | None
    choices: tuple[Choice, ...] | None
    kind: str  # "stock" | "flow"
    usages: tuple[FieldUsage, ...]
    order: int  # 0-based position in the merged form

    @property
    def reports(self) -> tuple[str, ...]:
        """Codes of the reports using this field, in merge order, each once."""
        return tuple(dict.fromkeys(u.report for u in self.usages))

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "element": self.element,
            "period": self.period,
            "label": self.label,
            "unit": self.unit,
            "reports": list(self.reports),
            "section": self.section,
            "type": self.value_type,
            "required": self.required,
            "min": decimal_text(self.minimum),
            "max": decimal_text(self.maximum),
            "choices": choices_json(self.choices),
            "kind": self.kind,
            "order": self.order,
            "usages": [u.to_json() for u in self.usages],
        }


@dataclass(frozen=True)
class MergeConflict:
    """Reports that ask for one data element in ways that cannot be reconciled."""

    element: str  # element code
    kind: str  # one of CONFLICT_KINDS
    reports: tuple[str, ...]  # the report codes involved
    message: str  # Simplified Chinese, for reviewers and owners
    detail: dict[str, Any] = field(default_factory=dict, hash=False)  # JSON-safe
    key: str = ""  # the merged field concerned

    def to_json(self) -> dict[str, Any]:
        return {
            "element": self.element,
            "key": self.key,
            "kind": self.kind,
            "reports": list(self.reports),
            "message": self.message,
            "detail": self.detail,
        }


@dataclass(frozen=True)
class MergedSchema:
    month: Period
    fields: tuple[MergedField, ...]
    conflicts: tuple[MergeConflict, ...]
    stats: dict[str, int] = field(hash=False)  # {"report_fields": N, "merged_fields": M}
    hash: str  # sha256 of the canonical JSON of `fields`
    reports: tuple[str, ...] = ()  # codes of the reports due in this month, sorted

    @cached_property
    def field_json(self) -> dict[str, dict[str, Any]]:
        """Key → the field's JSON, built once: a schema is kept and read by every form of
        its reports and month. Read only."""
        return {merged.key: merged.to_json() for merged in self.fields}

    @cached_property
    def labels(self) -> dict[str, dict[str, str]]:
        """Key → each report's own label of the field (report code → label). Read only."""
        return {
            merged.key: {usage.report: usage.label for usage in merged.usages}
            for merged in self.fields
        }

    def by_key(self, key: str) -> MergedField:
        for merged in self.fields:
            if merged.key == key:
                return merged
        raise KeyError(key)

    def to_json(self) -> dict[str, Any]:
        return {
            "month": self.month.id,
            "reports": list(self.reports),
            "fields": [f.to_json() for f in self.fields],
            "conflicts": [c.to_json() for c in self.conflicts],
            "stats": dict(self.stats),
            "hash": self.hash,
        }
