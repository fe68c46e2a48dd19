"""Department exports (数据回流) over the web and the API: the owner's own columns, order,
sections and units, filler columns from the submission, scope, and defused formulas."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from urllib.parse import quote

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from forms_registry.accounts.service import get_user
from forms_registry.elements.models import DataElement
from forms_registry.merge import merge_reports
from forms_registry.orgs.models import OrgUnit
from forms_registry.periods import Period
from forms_registry.reports.merging import report_spec
from forms_registry.reports.service import get_report
from forms_registry.units import convert
from prefill.models import DataValue
from prefill.store import Actor, SaveRequest, save_answers
from tests.admitting import admit
from tests.helpers import login
from tests.run_day import RUN_DAY

COUNTY = "439901000000"
SUBMITTED = ("439901100201", "439901100202", "439901100203")  # the demo's earlier month
VILLAGE = "439901100204"  # nothing submitted there in the demo
OTHER_TOWNSHIP_VILLAGE = "439901101201"
SUBMITTED_MONTH = Period.containing(RUN_DAY, "monthly").shifted(-2)
QUARTER = Period.containing(RUN_DAY, "quarterly").previous()
FORMULA = '=HYPERLINK("http://example.com/x","点我")'
RETURN_REPORT = {
    "title": "村级人口与经济季报（导出测试）",
    "frequency": "quarterly",
    "level": "village",
    "owner": "县民政局",
    "fields": [
        {"label": "村名", "role": "org_name"},
        {"label": "常住人口（万人）", "element": "POP_RES", "unit": "万人", "section": "人口"},
        {"label": "耕地面积（公顷）", "element": "FARMLAND", "unit": "公顷", "section": "土地收入"},
        {
            "label": "村集体经济收入（元）",
            "element": "COLL_INCOME",
            "unit": "元",
            "section": "土地收入",
        },
        {"label": "村党组织书记姓名", "element": "VC_SECRETARY_NAME", "section": "村务"},
        {"label": "填报人", "role": "meta"},
        {"label": "联系电话", "role": "meta"},
        {"label": "填报日期", "role": "meta"},
    ],
}
ANSWERS = {"POP_RES": 1234, "FARMLAND": "1500", "COLL_INCOME": "12.5", "VC_SECRETARY_NAME": FORMULA}
SUBMITTED_AT = datetime.combine(QUARTER.end + timedelta(days=5), time(9), tzinfo=UTC)


@pytest.fixture
def return_report(db_session) -> str:
    """The test report, answered and submitted for VILLAGE by the township filler."""
    code = admit(db_session, RETURN_REPORT, days_ago=200)
    version = get_report(db_session, code).latest
    schema = merge_reports([report_spec(version)], QUARTER.last_month)
    keys = {field.element: field.key for field in schema.fields}
    township = get_user(db_session, "township")
    save_answers(
        db_session,
        org=db_session.scalar(select(OrgUnit).where(OrgUnit.code == VILLAGE)),
        schema=schema,
        request=SaveRequest(
            str(uuid.uuid4()), 0, {keys[k]: v for k, v in ANSWERS.items()}, submit=True
        ),
        actor=Actor(township.id, township.display_name),
        now=SUBMITTED_AT,
        today=RUN_DAY,
        due=None,
    )
    db_session.commit()
    return code


@pytest.fixture
def owner(client):
    assert login(client, "owner").status_code == 302
    return client


def export_url(code: str, period: Period | str, file_format: str) -> str:
    period_id = period.id if isinstance(period, Period) else period
    return f"/reports/{code}/export?period={period_id}&format={file_format}"


def read_csv(response) -> list[list[str]]:
    text = response.get_data().decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def read_xlsx(response):
    return load_workbook(io.BytesIO(response.get_data())).active


def canonical(db_session, org: str, element: str, period: str) -> str | None:
    return db_session.scalar(
        select(DataValue.value)
        .join(OrgUnit, OrgUnit.id == DataValue.org_unit_id)
        .join(DataElement, DataElement.id == DataValue.element_id)
        .where(OrgUnit.code == org, DataElement.code == element, DataValue.period == period)
    )


def villages(db_session) -> list[str]:
    return list(
        db_session.scalars(
            select(OrgUnit.code).where(OrgUnit.level == "village").order_by(OrgUnit.code)
        )
    )


def expected_r0007(db_session) -> dict[str, list[int]]:
    """The submitted villages' R0007 answers as stored (its units are the elements' own)."""
    fields = [f for f in get_report(db_session, "R0007").latest.fields if f.element]
    return {
        org: [int(canonical(db_session, org, f.element.code, SUBMITTED_MONTH.id)) for f in fields]
        for org in SUBMITTED
    }


# ---------------------------------------------------------------- downloads


def test_owner_downloads_csv_in_the_reports_own_columns(owner, db_session):
    response = owner.get(export_url("R0007", SUBMITTED_MONTH, "csv"))

    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.is_streamed and response.content_length is None
    disposition = response.headers["Content-Disposition"]
    assert f'filename="R0007_{SUBMITTED_MONTH.id}.csv"' in disposition
    assert f"filename*=UTF-8''{quote('社会救助对象月报')}" in disposition
    header, *rows = read_csv(response)
    labels = [f.label for f in get_report(db_session, "R0007").latest.fields]
    assert header == ["行政区划代码", *labels]  # a code column is added: R0007 has none
    assert [row[0] for row in rows] == villages(db_session)
    by_org = {row[0]: row for row in rows}
    for org, values in expected_r0007(db_session).items():
        assert by_org[org][2:] == [str(value) for value in values]
    assert by_org[VILLAGE][2:] == [""] * len(labels[1:])  # not submitted: blank


def test_owner_downloads_the_same_rows_as_xlsx(owner, db_session):
    as_csv = read_csv(owner.get(export_url("R0007", SUBMITTED_MONTH, "csv")))
    response = owner.get(export_url("R0007", SUBMITTED_MONTH, "xlsx"))

    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert response.content_length == len(response.get_data())
    sheet = read_xlsx(response)
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == as_csv[0]
    for org, values in expected_r0007(db_session).items():
        row = next(row for row in rows if row[0] == org)
        assert row[2:] == values  # numbers, not text
    assert len(rows) == len(as_csv)


def test_values_come_back_in_the_owners_units_with_the_submitter(owner, return_report, db_session):
    response = owner.get(export_url(return_report, QUARTER, "csv"))

    assert response.status_code == 200
    sections, labels, *rows = read_csv(response)
    assert sections == ["", "", "人口", "土地收入", "土地收入", "村务", "", "", ""]
    assert labels == ["行政区划代码"] + [f["label"] for f in RETURN_REPORT["fields"]]
    row = next(row for row in rows if row[0] == VILLAGE)
    version = get_report(db_session, return_report).latest
    stored = {
        f.element.code: convert(
            Decimal(canonical(db_session, VILLAGE, f.element.code, period)),
            f.element.unit,
            f.unit,
        )
        for f in version.fields
        if f.element and f.element.value_type != "text"
        for period in [QUARTER.last_month.id if f.element.kind == "stock" else QUARTER.id]
    }
    assert stored == {
        "POP_RES": Decimal("0.1234"),
        "FARMLAND": Decimal("100"),
        "COLL_INCOME": Decimal("125000"),
    }
    assert row[2:5] == ["0.1234", "100", "125000"]
    assert row[5] == "'" + FORMULA  # defused: Excel shows it as text
    assert row[6:] == ["东岭镇 刘干事", "13800000002", SUBMITTED_AT.date().isoformat()]
    other = next(row for row in rows if row[0] == OTHER_TOWNSHIP_VILLAGE)
    assert other[2:] == [""] * 7  # nothing stored, nobody submitted


def test_xlsx_merges_sections_keeps_numbers_and_defuses_text(owner, return_report):
    sheet = read_xlsx(owner.get(export_url(return_report, QUARTER, "xlsx")))

    assert {str(cells) for cells in sheet.merged_cells.ranges} == {"D1:E1"}
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][:6] == [None, None, "人口", "土地收入", None, "村务"]
    assert rows[1][0] == "行政区划代码"
    row = next(row for row in rows if row[0] == VILLAGE)
    assert row[2:5] == [0.1234, 100, 125000]
    assert row[5] == "'" + FORMULA
    formula_cell = next(r for r in sheet.iter_rows() if r[0].value == VILLAGE)[5]
    assert formula_cell.data_type == "s"


def test_the_api_gives_the_same_rows_as_json(client, bearer, return_report):
    response = client.get(
        f"/api/v1/reports/{return_report}/data?period={QUARTER.id}", headers=bearer("owner")
    )

    assert response.status_code == 200
    body = response.get_json()
    assert (body["report"], body["title"], body["period"]) == (
        return_report,
        RETURN_REPORT["title"],
        QUARTER.id,
    )
    assert body["columns"][3] == {
        "label": "耕地面积（公顷）",
        "section": "土地收入",
        "unit": "公顷",
    }
    row = next(row for row in body["rows"] if row["org_code"] == VILLAGE)
    assert row["org_name"] == row["values"][1]
    assert row["values"][2:6] == ["0.1234", "100", "125000", FORMULA]  # exact strings, raw text


def test_the_detail_page_offers_recent_periods(owner):
    html = owner.get("/reports/R0007").get_data(as_text=True)

    assert 'action="/reports/R0007/export"' in html
    assert f'<option value="{SUBMITTED_MONTH.id}">' in html
    current = Period.containing(RUN_DAY, "monthly").id
    assert f'<option value="{current}">' not in html  # not ended yet


# ---------------------------------------------------------------- scope and input


def test_another_departments_report_is_not_found_for_an_owner(owner):
    assert owner.get(export_url("R0008", QUARTER, "csv")).status_code == 404


def test_a_reviewer_exports_any_report(client):
    login(client, "reviewer")
    assert client.get(export_url("R0008", QUARTER, "xlsx")).status_code == 200


def test_a_filler_may_not_export(client):
    login(client, "filler")
    assert client.get(export_url("R0007", SUBMITTED_MONTH, "csv")).status_code == 403


@pytest.mark.parametrize(
    ("period", "file_format", "message"),
    [
        (QUARTER.id, "csv", "是月报，周期应写作 2025-03"),
        ("2025-13", "csv", "无法识别的周期"),
        ("", "csv", "请选择要导出的周期"),
        (SUBMITTED_MONTH.id, "pdf", "导出格式应为 csv 或 xlsx"),
    ],
)
def test_a_bad_period_or_format_is_a_422_in_chinese(owner, period, file_format, message):
    response = owner.get(export_url("R0007", period, file_format))

    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_api_scope_and_input(client, bearer):
    url = f"/api/v1/reports/{{}}/data?period={SUBMITTED_MONTH.id}"
    assert client.get(url.format("R0007"), headers=bearer("owner")).status_code == 200
    assert client.get(url.format("R0007"), headers=bearer("reviewer")).status_code == 200
    assert client.get(url.format("R0007"), headers=bearer("filler")).status_code == 403
    assert client.get(url.format("R0008"), headers=bearer("owner")).status_code == 404
    missing = client.get("/api/v1/reports/R0007/data", headers=bearer("owner"))
    assert missing.status_code == 422
    assert missing.get_json()["errors"] == {"period": "请选择要导出的周期"}
