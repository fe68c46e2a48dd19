"""A to-date total (本年累计) in a department's report: never asked on its own, worked out
from the period's own figures (forms_registry.periods TO_DATE), and returned summed in the
owner's unit; unknown while any period's figure is missing."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from sqlalchemy import select

from admission.exports import export_rows, plan_export
from forms_registry.accounts.service import get_user
from forms_registry.elements.models import DataElement
from forms_registry.elements.service import ElementInput, reject_proposal, update_element
from forms_registry.errors import InvalidInput
from forms_registry.orgs.models import OrgUnit
from forms_registry.periods import TO_DATE, Period
from forms_registry.reports.importing import ImportOptions, import_template
from forms_registry.reports.merging import TO_DATE_ASKS, merge_versions
from forms_registry.reports.service import (
    get_report,
    new_version,
    propose_element_for_field,
    set_mapping,
)
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
    asked = TO_DATE_ASKS.format(period="本月", name="临时救助金额")
    assert asked == "本月临时救助金额（本年累计由各期相加）"  # the month's, never the total
    assert [usage.label for usage in money.usages] == [asked]
    assert money.period == MARCH.id


ADDS_UP = "本年累计由各期数值相加得出，只能对应可相加的时期指标（人数、户数、金额等，不含比率）"


@pytest.mark.parametrize(
    ("element", "derivation", "message"),
    [
        ("POP_REG", TO_DATE, ADDS_UP),  # a stock
        ("CREMATION_RATE", TO_DATE, ADDS_UP),  # a rate: 95% + 97% is no 192%
        ("TEMP_RELIEF", "ytd", "取值方式无效：只能是本年累计（to_date）"),
    ],
)
def test_only_a_flow_that_adds_up_has_a_total_from_january(
    db_session, report, element, derivation, message
):
    draft = new_version(db_session, report)
    field = next(f for f in draft.fields if f.label == "临时救助（人次）")
    with pytest.raises(InvalidInput) as refused:
        set_mapping(db_session, draft, field.id, element=element, role=None, derivation=derivation)
    assert (refused.value.message, refused.value.details) == (message, {str(field.id): message})
    assert (field.element.code, field.derivation) == ("TEMP_RELIEF", None)  # unchanged


def test_a_yearly_report_has_no_total_from_january_but_its_own_year(db_session):
    plain = {**REPORT, "frequency": "yearly", "fields": REPORT["fields"][:2]}
    yearly = get_report(db_session, admit(db_session, plain))
    draft = new_version(db_session, yearly)
    field = next(f for f in draft.fields if f.label == "临时救助（人次）")
    with pytest.raises(InvalidInput) as refused:
        set_mapping(
            db_session, draft, field.id, element="TEMP_RELIEF", role=None, derivation=TO_DATE
        )
    assert refused.value.message == "本年累计只用于月报、季报和半年报：年报的本年数就是本期数"


def test_a_quarterly_reports_total_adds_up_its_quarters(db_session):
    quarterly = get_report(db_session, admit(db_session, {**REPORT, "frequency": "quarterly"}))
    third = Period.parse(f"{MARCH.year}Q3")
    _store(db_session, "TEMP_RELIEF", {f"{MARCH.year}Q{n}": str(n * 10) for n in (1, 2, 3)})
    cells = report_cells(
        db_session, quarterly.latest, _village(db_session), third, third.last_month
    )
    by_label = {cell.label: cell.value for cell in cells}
    assert (by_label["临时救助（人次）"], by_label["本年累计临时救助（人次）"]) == (30, 60)


def test_rejecting_a_proposal_unmaps_its_to_date_columns(db_session, report):
    draft = new_version(db_session, report)
    field = next(f for f in draft.fields if f.label == "本年累计临时救助（人次）")
    proposed = propose_element_for_field(
        db_session,
        draft,
        field.id,
        ElementInput(
            code="T_RELIEF_NEW",
            name="临时救助新口径",
            value_type="integer",
            kind="flow",
            unit="人次",
        ),
        proposed_by_id=get_user(db_session, "owner").id,
    )
    assert proposed.derivation is None  # a new element's own figure until the owner says so
    set_mapping(db_session, draft, field.id, element="T_RELIEF_NEW", role=None, derivation=TO_DATE)
    reject_proposal(db_session, "T_RELIEF_NEW")
    db_session.expire_all()
    field = next(f for f in draft.fields if f.label == "本年累计临时救助（人次）")
    assert (field.element, field.derivation) == (None, None)


def test_a_definition_asking_a_stocks_total_from_january_is_refused(db_session):
    definition = {
        **REPORT,
        "fields": [{"label": "本年累计户籍人口", "element": "POP_REG", "derivation": TO_DATE}],
    }
    data = json.dumps(definition, ensure_ascii=False).encode()
    with pytest.raises(InvalidInput) as refused:
        import_template(db_session, data, "累计.json", ImportOptions())
    assert refused.value.details == {"本年累计户籍人口": ADDS_UP}


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


def test_an_element_summed_from_january_stays_a_flow_that_adds_up(db_session, report):
    element = db_session.scalar(select(DataElement).where(DataElement.code == "TEMP_RELIEF_FUND"))
    edit = ElementInput(
        code=element.code, name=element.name, value_type="decimal", kind="stock", unit="元"
    )
    with pytest.raises(InvalidInput) as refused:
        update_element(db_session, element.code, edit, expected_version=element.version)
    assert refused.value.details == {
        "kind": "有 1 个报表字段按本年累计（各期相加）使用该指标，它须是可相加的时期指标"
    }
    assert element.kind == "flow"
