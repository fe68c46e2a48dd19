"""Properties of the merge engine on generated reports (test_merge.py holds the worked
examples and an order property over fixed elements; here everything varies: elements'
kinds, types, units, choices and limits, and each field's label, section, unit factor,
own type, choices and limits, with one-off reports among them).

- the merged schema does not depend on the order of the reports;
- its hash is the hash of its fields, the same in another interpreter (another hash seed)
  and whatever the spelling of equal decimals (15 or 15.000);
- merging a report with a copy of itself (or adding a copy of any report) adds nothing;
- there are never more merged fields than report fields;
- every field of a due report lands in exactly one merged field, of its element and of
  the right period; fields of reports not due land nowhere."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forms_registry.importers.model import VALUE_TYPES, Choice
from forms_registry.merge import (
    ElementSpec,
    MergedSchema,
    ReportFieldSpec,
    ReportSpec,
    merge_reports,
    report_period_in,
    schema_hash,
)
from forms_registry.periods import Period

SETTINGS = settings(max_examples=80, deadline=None, derandomize=True, database=None)
CHOICES = (Choice("1", "是"), Choice("2", "否"), Choice("3", "不详"), Choice("9", "其他"))
UNITS = (None, "人", "户", "亩", "万元", "%")
FACTORS = (Decimal(1), Decimal(15), Decimal("0.0001"), Decimal(10000), None)
LIMITS = (None, Decimal(0), Decimal("-2.5"), Decimal(10), Decimal(1000))
SECTIONS = (None, "基本情况", "社会保障", "农业生产")
FREQUENCIES = ("monthly", "quarterly", "half_yearly", "yearly", "one_off")
MONTHS = st.builds(Period.month, st.integers(2024, 2026), st.integers(1, 12))


@st.composite
def elements(draw: st.DrawFn, number: int) -> ElementSpec:
    value_type = draw(st.sampled_from(VALUE_TYPES))
    choice_type = value_type in ("choice", "multi_choice")
    return ElementSpec(
        code=f"E{number}",
        name=draw(st.sampled_from(["户籍人口", "本月排查隐患数", "耕地面积", "临时救助人次"])),
        value_type=value_type,
        unit=draw(st.sampled_from(UNITS)),
        kind=draw(st.sampled_from(["stock", "flow"])),
        stability=draw(st.sampled_from(["fixed", "yearly", "period"])),
        choices=tuple(draw(st.lists(st.sampled_from(CHOICES), min_size=1, unique=True)))
        if choice_type and draw(st.booleans())
        else None,
        minimum=draw(st.sampled_from(LIMITS)),
        maximum=draw(st.sampled_from(LIMITS)),
    )


@st.composite
def fields(draw: st.DrawFn, element: ElementSpec, order: int, label: str) -> ReportFieldSpec:
    return ReportFieldSpec(
        label=label,
        section=draw(st.sampled_from(SECTIONS)),
        unit=draw(st.sampled_from(UNITS)),
        factor=draw(st.sampled_from(FACTORS)),
        required=draw(st.booleans()),
        order=order,
        element=element,
        value_type=draw(st.none() | st.sampled_from(VALUE_TYPES)),
        choices=draw(st.none() | st.lists(st.sampled_from(CHOICES), unique=True).map(tuple)),
        minimum=draw(st.sampled_from(LIMITS)),
        maximum=draw(st.sampled_from(LIMITS)),
    )


@st.composite
def reports_and_month(draw: st.DrawFn) -> tuple[list[ReportSpec], Period]:
    month = draw(MONTHS)
    pool = [draw(elements(number)) for number in range(draw(st.integers(1, 6)))]
    reports = []
    for number in range(draw(st.integers(1, 5))):
        chosen = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=5))
        frequency = draw(st.sampled_from(FREQUENCIES))
        reference = None
        if frequency == "one_off":  # in the month or not
            reference = draw(st.sampled_from([month.start, month.end, date(2023, 6, 1)]))
        reports.append(
            ReportSpec(
                code=f"R{draw(st.integers(0, 99)):02d}{number}",
                title=f"报表{number}",
                owner="某县民政局",
                frequency=frequency,
                fields=tuple(
                    draw(fields(element, draw(st.integers(0, 3)), f"{element.name}{order}"))
                    for order, element in enumerate(chosen)
                ),
                reference_date=reference,
            )
        )
    return reports, month


def due(reports: list[ReportSpec], month: Period) -> list[tuple[ReportSpec, Period]]:
    pairs = [(report, report_period_in(report, month)) for report in reports]
    return [(report, period) for report, period in pairs if period is not None]


def field_facts(schema: MergedSchema) -> dict[str, tuple]:
    """What a merged field asks, by key (not who asks it, nor where it stands)."""
    return {
        f.key: (
            f.element,
            f.period,
            f.label,
            f.unit,
            f.value_type,
            f.kind,
            f.required,
            f.minimum,
            f.maximum,
            None if f.choices is None else frozenset(c.value for c in f.choices),
        )
        for f in schema.fields
    }


@SETTINGS
@given(reports_and_month(), st.randoms(use_true_random=False))
def test_merge_does_not_depend_on_report_order(case, random) -> None:
    reports, month = case
    expected = merge_reports(reports, month)
    shuffled = list(reports)
    random.shuffle(shuffled)
    result = merge_reports(shuffled, month)
    assert result.to_json() == expected.to_json()
    assert result.hash == expected.hash


@pytest.fixture(scope="module")
def other_interpreter() -> Iterator[multiprocessing.pool.Pool]:
    """A spawned interpreter with another string hash seed (set orders differ there)."""
    previous = os.environ.get("PYTHONHASHSEED")
    os.environ["PYTHONHASHSEED"] = "4242"
    try:
        pool = multiprocessing.get_context("spawn").Pool(1)
    finally:
        if previous is None:
            del os.environ["PYTHONHASHSEED"]
        else:
            os.environ["PYTHONHASHSEED"] = previous
    with pool:
        yield pool


def merged_hash(reports: list[ReportSpec], month: Period) -> str:
    return merge_reports(reports, month).hash


def respelled(reports: list[ReportSpec]) -> list[ReportSpec]:
    """The same reports with every decimal written with three more zeros (15 → 15.000)."""

    def longer(value: Decimal | None) -> Decimal | None:
        return None if value is None else value + Decimal("0.000")

    def element(spec: ElementSpec) -> ElementSpec:
        return replace(spec, minimum=longer(spec.minimum), maximum=longer(spec.maximum))

    return [
        replace(
            report,
            fields=tuple(
                replace(
                    field,
                    element=element(field.element),
                    factor=longer(field.factor),
                    minimum=longer(field.minimum),
                    maximum=longer(field.maximum),
                )
                for field in report.fields
            ),
        )
        for report in reports
    ]


@settings(SETTINGS, max_examples=40)
@given(reports_and_month())
def test_hash_is_the_fields_hash_everywhere(other_interpreter, case) -> None:
    reports, month = case
    result = merge_reports(reports, month)
    assert result.hash == schema_hash(result.fields)
    assert merge_reports(reports, month).hash == result.hash
    assert other_interpreter.apply(merged_hash, (reports, month)) == result.hash
    assert merge_reports(respelled(reports), month).hash == result.hash


@SETTINGS
@given(reports_and_month(), st.data())
def test_merging_a_copy_of_a_report_adds_nothing(case, data) -> None:
    reports, month = case
    original = data.draw(st.sampled_from(reports), label="copied report")
    copy = replace(original, code=data.draw(st.sampled_from(["A", "ZZZ", original.code + "X"])))
    if copy.code in {report.code for report in reports}:
        return
    alone, with_copy = merge_reports([original], month), merge_reports([original, copy], month)
    assert [f.key for f in with_copy.fields] == [f.key for f in alone.fields]
    assert field_facts(with_copy) == field_facts(alone)
    assert {(c.key, c.kind) for c in with_copy.conflicts} == {
        (c.key, c.kind) for c in alone.conflicts
    }
    everything, plus_copy = merge_reports(reports, month), merge_reports([*reports, copy], month)
    assert field_facts(plus_copy) == field_facts(everything)
    assert plus_copy.stats["merged_fields"] == everything.stats["merged_fields"]


@SETTINGS
@given(reports_and_month())
def test_every_due_field_lands_in_exactly_one_merged_field(case) -> None:
    reports, month = case
    result = merge_reports(reports, month)
    due_reports = due(reports, month)
    report_fields = sum(len(report.fields) for report, _ in due_reports)
    assert result.stats == {"report_fields": report_fields, "merged_fields": len(result.fields)}
    assert len(result.fields) <= report_fields
    assert result.reports == tuple(sorted(report.code for report, _ in due_reports))
    assert len({f.key for f in result.fields}) == len(result.fields)
    for report, period in due_reports:
        for spec in report.fields:
            homes = [
                f
                for f in result.fields
                for u in f.usages
                if (u.report, u.label, u.section, u.unit, u.factor, u.required)
                == (report.code, spec.label, spec.section, spec.unit, spec.factor, spec.required)
            ]
            assert len(homes) == 1, (report.code, spec.label)
            (home,) = homes
            assert home.element == spec.element.code
            stored = month if spec.element.kind == "stock" else period
            assert home.period == stored.id
    not_due = {report.code for report in reports} - set(result.reports)
    assert not any(u.report in not_due for f in result.fields for u in f.usages)
    assert sum(len(f.usages) for f in result.fields) == report_fields
