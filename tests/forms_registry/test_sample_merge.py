"""Acceptance: the sample templates (imported by the demo with the matcher's suggestions)
merge into far fewer fields than they ask in total, with unit conversions recorded."""

from __future__ import annotations

from decimal import Decimal

from forms_registry.periods import Period
from forms_registry.reports.merging import merge_versions, mergeable_versions


def test_village_samples_for_december_merge_into_far_fewer_fields(db_session):
    versions = mergeable_versions(db_session, level="village")
    assert len(versions) == 10
    schema = merge_versions(versions, Period.parse_month("2025-12"))
    stats = schema.to_json()["stats"]
    assert stats["report_fields"] == 48
    assert stats["merged_fields"] <= 36
    assert len(schema.reports) == 10  # monthly, quarterly and yearly are all due in December
    keys = [field.key for field in schema.fields]
    assert len(keys) == len(set(keys))
    population = schema.by_key("POP_REG")
    assert len(population.usages) >= 4
    assert {usage.label for usage in population.usages} >= {"户籍人口（人）", "户籍人口数（人）"}


def test_quarterly_and_yearly_reports_are_not_due_in_november(db_session):
    schema = merge_versions(
        mergeable_versions(db_session, level="village"), Period.parse_month("2025-11")
    )
    frequencies = {
        version.report.code: version.report.frequency
        for version in mergeable_versions(db_session, level="village")
    }
    assert schema.reports
    assert {frequencies[code] for code in schema.reports} == {"monthly"}


def test_township_samples_record_unit_conversions(db_session):
    schema = merge_versions(
        mergeable_versions(db_session, level="township"), Period.parse_month("2025-12")
    )
    by_key = schema.by_key
    population = {usage.unit: usage.factor for usage in by_key("POP_REG").usages}
    assert population == {"万人": Decimal("10000"), "人": Decimal("1")}
    farmland = {usage.unit: usage.factor for usage in by_key("FARMLAND").usages}
    assert farmland["公顷"] == Decimal("15") and farmland["亩"] == Decimal("1")
    assert schema.conflicts == ()
