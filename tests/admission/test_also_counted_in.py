"""An element counted one for one in a unit of another family (受灾人口 in 人, also in 人次,
as the disaster statistics count it): a report asking it in 人次 is admitted, merged with
one asking it in 人 without a unit conflict, and given its values back in 人次."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from admission.exports import export_rows, plan_export
from forms_registry.elements.catalog import catalog_from_db
from forms_registry.elements.models import DataElement
from forms_registry.elements.service import ElementInput, get_element, update_element
from forms_registry.errors import InvalidInput
from forms_registry.orgs.models import OrgUnit
from forms_registry.periods import Period
from forms_registry.reports.merging import merge_versions
from forms_registry.reports.service import get_report
from prefill.models import DataValue
from prefill.report_view import report_cells
from tests.admitting import admit
from tests.run_day import RUN_DAY

VILLAGE = "439901101201"  # another township's village: nothing stored there by the demo
MARCH = Period.month(RUN_DAY.year - 1, 3)
IN_PERSON_TIMES = {
    "title": "自然灾害情况月报（人次测试）",
    "frequency": "monthly",
    "level": "village",
    "owner": "县民政局",
    "fields": [
        {"label": "村名", "role": "org_name"},
        {"label": "受灾人口（人次）", "element": "DISASTER_AFFECTED", "unit": "人次"},
        {"label": "紧急转移安置人口（万人次）", "element": "EVACUATED", "unit": "万人次"},
    ],
}
IN_PERSONS = {
    "title": "受灾群众救助情况月报（人测试）",
    "frequency": "monthly",
    "level": "village",
    "owner": "县民政局",
    "fields": [
        {"label": "村名", "role": "org_name"},
        {"label": "受灾人口（人）", "element": "DISASTER_AFFECTED", "unit": "人"},
    ],
}


@pytest.fixture
def in_person_times(db_session):
    return get_report(db_session, admit(db_session, IN_PERSON_TIMES))


def _store(session, values: dict[str, str]) -> None:
    """Answers for March in the elements' unit (人)."""
    org_id = session.scalar(select(OrgUnit.id).where(OrgUnit.code == VILLAGE))
    for code, value in values.items():
        element_id = session.scalar(select(DataElement.id).where(DataElement.code == code))
        session.add(
            DataValue(
                org_unit_id=org_id,
                period=MARCH.id,
                element_id=element_id,
                value=value,
                source="entered",
            )
        )
    session.flush()


def test_the_dictionary_and_the_matchers_catalog_hold_the_units(db_session):
    assert get_element(db_session, "DISASTER_AFFECTED").also_counted_in == ["人次"]
    assert get_element(db_session, "MEDICAL_RELIEF").also_counted_in == []
    catalog = {element.code: element for element in catalog_from_db(db_session)}
    assert catalog["EVACUATED"].also_counted_in == ("人次",)
    assert catalog["POP_REG"].also_counted_in == ()


def test_persons_and_person_times_merge_into_one_field_without_a_conflict(
    db_session, in_person_times
):
    in_persons = get_report(db_session, admit(db_session, IN_PERSONS))
    schema = merge_versions([in_person_times.latest, in_persons.latest], MARCH)
    [affected] = [field for field in schema.fields if field.element == "DISASTER_AFFECTED"]
    assert affected.unit == "人"
    assert {usage.unit: usage.factor for usage in affected.usages} == {
        "人次": Decimal(1),
        "人": Decimal(1),
    }
    [evacuated] = [field for field in schema.fields if field.element == "EVACUATED"]
    assert [(usage.unit, usage.factor) for usage in evacuated.usages] == [
        ("万人次", Decimal(10000))
    ]
    assert schema.conflicts == ()


def test_values_go_back_in_the_reports_own_person_times(db_session, in_person_times):
    _store(db_session, {"DISASTER_AFFECTED": "1234", "EVACUATED": "56"})
    village = db_session.scalar(select(OrgUnit).where(OrgUnit.code == VILLAGE))
    cells = report_cells(db_session, in_person_times.latest, village, MARCH, MARCH)
    by_label = {cell.label: cell.value for cell in cells}
    assert by_label["受灾人口（人次）"] == 1234
    assert by_label["紧急转移安置人口（万人次）"] == Decimal("0.0056")
    plan = plan_export(db_session, in_person_times, MARCH)
    labels = [column.label for column in plan.columns]
    row = next(row for row in export_rows(db_session, plan) if row[0] == VILLAGE)
    assert row[labels.index("受灾人口（人次）")] == 1234
    assert row[labels.index("紧急转移安置人口（万人次）")] == Decimal("0.0056")


def test_an_edit_leaving_a_reports_unit_unconvertible_is_refused(db_session, in_person_times):
    """Taking 人次 off 受灾人口 while a report counts it in 人次 and 万人次 would leave those
    fields unconvertible: refused, the element as it was."""
    element = get_element(db_session, "DISASTER_AFFECTED")
    data = ElementInput.from_mapping(
        {
            "code": element.code,
            "name": element.name,
            "aliases": element.aliases,
            "value_type": element.value_type,
            "unit": element.unit,
            "kind": element.kind,
            "stability": element.stability,
            "min": element.minimum,
            "category": element.category,
            "description": element.description,
        }
    )
    with pytest.raises(InvalidInput) as refused:
        update_element(db_session, element.code, data, expected_version=element.version)
    assert refused.value.message == "指标信息有误"
    assert refused.value.details == {"unit": "有报表字段以人次计量该指标，修改后无法换算"}
    assert get_element(db_session, "DISASTER_AFFECTED").also_counted_in == ["人次"]
