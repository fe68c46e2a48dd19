"""The merge engine on a county-sized month: 300 reports x 40 fields over 2,000 elements.

Baseline: grouping the same 12,000 report fields by element code in a plain dict, the
least work any merge must do. Reference month December, so every report is due.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from decimal import Decimal

from benchmarks import Result
from benchmarks._timing import time_alternately
from forms_registry.merge import (
    Choice,
    ElementSpec,
    ReportFieldSpec,
    ReportSpec,
    merge_reports,
)
from forms_registry.periods import Period

REPORTS = 300
FIELDS_PER_REPORT = 40
ELEMENTS = 2_000
REFERENCE_MONTH = Period.month(2025, 12)
SEED = 20251231
REPEATS = 9

_FREQUENCIES = ("monthly", "quarterly", "yearly")
_FREQUENCY_WEIGHTS = (5, 3, 2)
_VALUE_TYPES = ("integer", "decimal", "percent", "choice")
_VALUE_TYPE_WEIGHTS = (55, 25, 10, 10)
_UNITS_BY_TYPE = {
    "integer": ("人", "户", "个", "人次"),
    "decimal": ("万元", "亩"),
    "percent": ("%",),
}
# Owner units that convert to a canonical one, with the factor to it.
_OWNER_UNITS = {"万元": ("元", Decimal("0.0001")), "亩": ("公顷", Decimal(15))}
_YES_NO = (Choice("1", "是"), Choice("0", "否"))
_GRADES = (Choice("A", "好"), Choice("B", "较好"), Choice("C", "一般"), Choice("D", "差"))
_SECTIONS = tuple(f"第{n}部分" for n in range(1, 21))


def build_elements(count: int, rng: random.Random) -> list[ElementSpec]:
    elements = []
    for number in range(1, count + 1):
        value_type = rng.choices(_VALUE_TYPES, _VALUE_TYPE_WEIGHTS)[0]
        numeric = value_type != "choice"
        elements.append(
            ElementSpec(
                code=f"E{number:05d}",
                name=f"合成指标{number}",
                value_type=value_type,
                unit=rng.choice(_UNITS_BY_TYPE[value_type]) if numeric else None,
                kind="flow" if numeric and rng.random() < 0.4 else "stock",
                choices=None if numeric else rng.choice((_YES_NO, _GRADES)),
                minimum=Decimal(0) if numeric and rng.random() < 0.5 else None,
                maximum=Decimal(100) if value_type == "percent" else None,
            )
        )
    return elements


def build_field(element: ElementSpec, order: int, rng: random.Random) -> ReportFieldSpec:
    """One owner's view of `element`: sometimes another convertible unit (元 for 万元),
    rarely an unconvertible one, its own choice subset or its own limits."""
    unit, factor = element.unit, Decimal(1)
    if element.unit in _OWNER_UNITS and rng.random() < 0.3:
        unit, factor = _OWNER_UNITS[element.unit]
    elif element.unit is not None and rng.random() < 0.02:
        unit, factor = "件", None
    choices = None
    if element.choices is not None and rng.random() < 0.1:
        choices = element.choices[:2]
    maximum = None
    if element.value_type in ("integer", "decimal") and rng.random() < 0.1:
        maximum = Decimal(rng.randrange(1_000, 100_000))
    return ReportFieldSpec(
        label=f"{element.name}（{unit}）" if unit else element.name,
        section=rng.choice(_SECTIONS),
        unit=unit,
        factor=factor,
        required=rng.random() < 0.7,
        order=order,
        element=element,
        value_type="decimal" if element.value_type == "integer" and rng.random() < 0.05 else None,
        choices=choices,
        maximum=maximum,
    )


def build_reports(scale: float = 1.0, seed: int = SEED) -> list[ReportSpec]:
    """`REPORTS * scale` reports of FIELDS_PER_REPORT distinct elements each, seeded."""
    rng = random.Random(seed)
    elements = build_elements(max(FIELDS_PER_REPORT, round(ELEMENTS * scale)), rng)
    reports = []
    for number in range(1, max(2, round(REPORTS * scale)) + 1):
        chosen = rng.sample(elements, FIELDS_PER_REPORT)
        reports.append(
            ReportSpec(
                code=f"R{number:04d}",
                title=f"合成报表{number}",
                owner=f"部门{number % 25 + 1}",
                frequency=rng.choices(_FREQUENCIES, _FREQUENCY_WEIGHTS)[0],
                fields=tuple(build_field(e, order, rng) for order, e in enumerate(chosen)),
            )
        )
    return reports


def group_by_element(reports: Sequence[ReportSpec]) -> dict[str, list[ReportFieldSpec]]:
    """The baseline: every report field put under its element code."""
    groups: dict[str, list[ReportFieldSpec]] = {}
    for report in reports:
        for spec in report.fields:
            groups.setdefault(spec.element.code, []).append(spec)
    return groups


def run(scale: float = 1.0, repeats: int = REPEATS) -> list[Result]:
    reports = build_reports(scale)
    fields = sum(len(report.fields) for report in reports)
    medians = time_alternately(
        [lambda: merge_reports(reports, REFERENCE_MONTH), lambda: group_by_element(reports)],
        repeats=repeats,
    )
    merge_time, group_time = medians
    return [
        Result(
            name=f"merge {len(reports)} reports x {FIELDS_PER_REPORT} fields",
            figure=merge_time,
            unit="merge",
            baseline_name=f"dict grouping of {fields:,} fields",
            baseline_figure=group_time,
            explanation=(
                "one merge costs this many plain dict groupings of the same fields "
                "(the rest is ordering, labels, unit/type/choice/limit reconciliation, hash)"
            ),
        )
    ]
