"""A to-date total (本年累计) in a department's report: never asked on its own, worked out
from the period's own figures (forms_registry.periods TO_DATE), and returned summed in the
owner's unit; unknown while any period's figure is missing."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from sqlalchemy import select

from admission.exports import export_rows, plan_export
from forms_registry.elements.models import DataElement
from forms_registry.errors import InvalidInput
from forms_registry.orgs.models import OrgUnit
from forms_registry.periods import TO_DATE, Period
from forms_registry.reports.importing import ImportOptions, import_template
from forms_registry.reports.merging import TO_DATE_ASKS, merge_versions
from forms_registry.reports.service import get_report, set_mapping
from prefill.models import DataValue
from prefill.report_view import SUMMED, report_cells
from tests.admitting import admit
from tests.forms_registry.xlsx_builders import workbook_bytes
from tests.run_day import RUN_DAY

VILLAGE = "439901101201"  # another township's village: nothing stored there by the demo
MARCH = Period.month(RUN_DAY.year - 1, 3)
FIRST_QUARTER = [f"{MARCH.year}-0{month}" for month in (1, 2, 3)]
REPORT = {
    "title": "临时救助情况月报（本年累计测试）",
    "frequency": "monthly",
    "level": "village",
    "owner": "县民政局",
    "fields": [
        {"label": "村名", "role": "org_name"},
        {"label": "临时救助（人次）", "element": "TEMP_RELIEF"},
        {"label": "本年累计临时救助（人次）", "element": "TEMP_RELIEF", "derivation": TO_DATE},
        {
            "label": "本年累计临时救助金额（万元）",
            "element": "TEMP_RELIEF_FUND",
            "unit": "万元",
            "derivation": TO_DATE,
        },
    ],
}


def _village(session) -> OrgUnit:
    return session.scalar(select(OrgUnit).where(OrgUnit.code == VILLAGE))


def _store(session, element: str, values: dict[str, str]) -> None:
    """Answers in the element's canonical unit (临时救助金额 in 元), by period."""
    element_id = session.scalar(select(DataElement.id).where(DataElement.code == element))
    org_id = _village(session).id
    for period, value in values.items():
        session.add(
            DataValue(
                org_unit_id=org_id,
                period=period,
                element_id=element_id,
                value=value,
                source="entered",
            )
        )
    session.flush()


@pytest.fixture
def report(db_session):
    report = get_report(db_session, admit(db_session, REPORT))
    _store(db_session, "TEMP_RELIEF", dict(zip(FIRST_QUARTER, ("3", "0", "4"), strict=True)))
    return report


def _cells(session, report) -> dict[str, tuple[object, str | None]]:
    cells = report_cells(session, report.latest, _village(session), MARCH, MARCH)
    return {cell.label: (cell.value, cell.source) for cell in cells}


def test_a_to_date_total_is_the_periods_own_figures_added_up_in_the_owners_unit(db_session, report):
    _store(
        db_session,
        "TEMP_RELIEF_FUND",
        dict(zip(FIRST_QUARTER, ("10000", "2500", "0"), strict=True)),
    )
    cells = _cells(db_session, report)
    assert cells["临时救助（人次）"] == (4, "entered")  # March's own
    assert cells["本年累计临时救助（人次）"] == (7, SUMMED)  # January to March
    assert cells["本年累计临时救助金额（万元）"] == (Decimal("1.25"), SUMMED)  # 12,500 元


def test_a_to_date_total_is_unknown_while_a_periods_figure_is_missing(db_session, report):
    _store(db_session, "TEMP_RELIEF_FUND", {FIRST_QUARTER[0]: "10000", FIRST_QUARTER[2]: "0"})
    cells = _cells(db_session, report)
    assert cells["本年累计临时救助（人次）"] == (7, SUMMED)
    assert cells["本年累计临时救助金额（万元）"] == (None, None)  # February never answered


def test_the_departments_export_adds_up_the_same_totals(db_session, report):
    _store(
        db_session,
        "TEMP_RELIEF_FUND",
        dict(zip(FIRST_QUARTER, ("10000", "2500", "0"), strict=True)),
    )
    plan = plan_export(db_session, report, MARCH)
    labels = [column.label for column in plan.columns]
    row = next(row for row in export_rows(db_session, plan) if row[0] == VILLAGE)
    assert row[labels.index("本年累计临时救助（人次）")] == 7
    assert row[labels.index("本年累计临时救助金额（万元）")] == Decimal("1.25")


def test_the_merged_form_asks_the_periods_figure_once_never_the_total(db_session, report):
    fields = {field.element: field for field in merge_versions([report.latest], MARCH).fields}
    relief = fields["TEMP_RELIEF"]
    assert [usage.label for usage in relief.usages] == ["临时救助（人次）"]  # asked by its column
    money = fields["TEMP_RELIEF_FUND"]  # no column of March's own: asked through the total's
    assert [usage.label for usage in money.usages] == [
        "本年累计临时救助金额（万元）" + TO_DATE_ASKS
    ]
    assert money.period == MARCH.id


def test_only_a_flow_has_a_total_from_january(db_session, report):
    field = next(f for f in report.latest.fields if f.label == "临时救助（人次）")
    version = report.latest
    version.status = "draft"  # as a new version would be
    with pytest.raises(InvalidInput) as stock:
        set_mapping(db_session, version, field.id, element="POP_REG", role=None, derivation=TO_DATE)
    assert stock.value.message == "本年累计只能对应时期指标"
    with pytest.raises(InvalidInput) as unknown:
        set_mapping(
            db_session, version, field.id, element="TEMP_RELIEF", role=None, derivation="ytd"
        )
    assert unknown.value.message == "取值方式无效"


def test_a_definition_asking_a_stocks_total_from_january_is_refused(db_session):
    definition = {
        **REPORT,
        "fields": [{"label": "本年累计户籍人口", "element": "POP_REG", "derivation": TO_DATE}],
    }
    data = json.dumps(definition, ensure_ascii=False).encode()
    with pytest.raises(InvalidInput) as refused:
        import_template(db_session, data, "累计.json", ImportOptions())
    assert refused.value.details == {
        "本年累计户籍人口": "本年累计由各期数值相加得出，POP_REG 不是时期指标"
    }


def test_an_imported_templates_to_date_columns_are_stored_as_worked_out(db_session):
    template = workbook_bytes(
        [
            ["临时救助情况月报"],
            ["村名", "本月", None, "本年累计", None],
            [
                None,
                "临时救助（人次）",
                "临时救助金额（元）",
                "临时救助（人次）",
                "临时救助金额（元）",
            ],
        ],
        ["A1:E1", "A2:A3", "B2:C2", "D2:E2"],
    )
    result = import_template(
        db_session, template, "临时救助月报.xlsx", ImportOptions(owner="县民政局", level="village")
    )
    stored = [
        (f.label, f.section, f.element.code if f.element else None, f.derivation)
        for f in result.report.latest.fields
    ]
    assert stored[1:] == [
        ("临时救助（人次）", "本月", "TEMP_RELIEF", None),
        ("临时救助金额（元）", "本月", "TEMP_RELIEF_FUND", None),
        ("临时救助（人次）", "本年累计", "TEMP_RELIEF", TO_DATE),
        ("临时救助金额（元）", "本年累计", "TEMP_RELIEF_FUND", TO_DATE),
    ]
