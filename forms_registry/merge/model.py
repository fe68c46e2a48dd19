"""What the merge engine reads: admitted reports whose fields are mapped to data elements.

Plain frozen values, built by whoever loads reports (database, JSON, tests); the engine
never touches a database. Fields with a role (org name/code, filler metadata) are not
given to the engine: only element-mapped fields are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from forms_registry.errors import InvalidInput
from forms_registry.importers.model import VALUE_TYPES, Choice
from forms_registry.periods import require_frequency

__all__ = ["ELEMENT_KINDS", "Choice", "ElementSpec", "ReportFieldSpec", "ReportSpec"]

ELEMENT_KINDS = ("stock", "flow")


def _check_value_type(value_type: str, where: str) -> None:
    if value_type not in VALUE_TYPES:
        raise InvalidInput(f"{where}的数据类型“{value_type}”无法识别")


@dataclass(frozen=True)
class ElementSpec:
    """A data element from the dictionary; unit, choices and limits are canonical."""

    code: str
    name: str
    value_type: str
    unit: str | None
    kind: str  # "stock" | "flow"
    stability: str = "period"  # "fixed" | "yearly" | "period" (changes each period)
    choices: tuple[Choice, ...] | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None

    def __post_init__(self) -> None:
        _check_value_type(self.value_type, f"指标“{self.name}”")
        if self.kind not in ELEMENT_KINDS:
            raise InvalidInput(f"指标“{self.name}”应为时点指标或时期指标，而不是“{self.kind}”")


@dataclass(frozen=True)
class ReportFieldSpec:
    """One field of a report as its owner wrote it, mapped to a data element.

    `unit`, `value_type`, `choices`, `minimum` and `maximum` are the owner's (limits in
    the owner's unit); None means "as the element says". `factor` turns the owner's value
    into the canonical unit (公顷 → 亩: 15); None when the units cannot be converted.
    """

    label: str
    section: str | None
    unit: str | None
    factor: Decimal | None
    required: bool
    order: int
    element: ElementSpec
    value_type: str | None = None
    choices: tuple[Choice, ...] | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None

    def __post_init__(self) -> None:
        if self.value_type is not None:
            _check_value_type(self.value_type, f"字段“{self.label}”")

    @property
    def effective_value_type(self) -> str:
        return self.value_type or self.element.value_type


@dataclass(frozen=True)
class ReportSpec:
    """An admitted report version; `reference_date` is set for one-off reports only."""

    code: str
    title: str
    owner: str
    frequency: str
    fields: tuple[ReportFieldSpec, ...]
    reference_date: date | None = None

    def __post_init__(self) -> None:
        require_frequency(self.frequency)
        if self.frequency == "one_off" and self.reference_date is None:
            raise InvalidInput(f"一次性报表“{self.title}”缺少参考日期")
