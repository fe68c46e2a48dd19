"""The Excel round trip for fillers: download the due merged form as a workbook, fill it in
a spreadsheet program, upload it back, on the demo world."""

from __future__ import annotations

import io
import re
import uuid
from datetime import date

import openpyxl
import pytest
from sqlalchemy import func, select

from forms_registry.importers.safety import MSG_NOT_ZIP
from forms_registry.orgs.models import OrgUnit
from forms_registry.periods import Period
from prefill.models import DataValue, FormState, ValueChange
from prefill.workbook import META, SHEET
from tests.helpers import csrf_token, login
from tests.run_day import RUN_DAY

VILLAGE, OTHER_VILLAGE = "439901100201", "439901101201"
MONTH = Period.containing(RUN_DAY, "monthly").previous().id
FORM_URL = f"/orgs/{VILLAGE}/forms/{MONTH}"
WORKBOOK_URL = f"{FORM_URL}/workbook"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SAMPLE = {
    "integer": 3,
    "decimal": "12.5",
    "percent": 50,
    "boolean": "是",
    "date": date(2025, 1, 15),
    "text": "测试",
}


@pytest.fixture
def filler(app):
    client = app.test_client()
    assert login(client, "filler").status_code == 302
    return client


def download(client, url: str = WORKBOOK_URL) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == XLSX
    return response.data


def upload(client, data: bytes, filename: str = "填报表.xlsx", url: str = WORKBOOK_URL):
    token = csrf_token(client, FORM_URL)
    return client.post(
        url,
        data={"csrf_token": token, "file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def rows(data: bytes) -> dict[str, dict]:
    """Field key → its row in the workbook, from the hidden sheet."""
    meta = openpyxl.load_workbook(io.BytesIO(data))[META]
    found = {}
    for line in meta.iter_rows(min_row=6, max_col=9, values_only=True):
        if line[1]:
            row, key, label, value_type, *_rest, shown, locked = line
            found[key] = {
                "cell": f"E{row}",
                "row": int(row),
                "label": label,
                "type": value_type,
                "shown": shown,
                "locked": locked == "1",
            }
    return found


def edited(data: bytes, cells: dict[str, object]) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(data))
    for ref, value in cells.items():
        book[SHEET][ref] = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def sample_value(value_type: str, data: bytes, row: int):
    if value_type in SAMPLE:
        return SAMPLE[value_type]
    # a choice: the first option of the cell's own list
    sheet = openpyxl.load_workbook(io.BytesIO(data))[SHEET]
    for validation in sheet.data_validations.dataValidation:
        if f"E{row}" in validation.sqref and validation.formula1.startswith('"'):
            return validation.formula1.strip('"').split(",")[0]
    raise AssertionError(f"no sample for {value_type}")


def fill_empty(data: bytes) -> tuple[bytes, dict[str, object]]:
    """Every empty editable cell filled with a valid value: (workbook, key → value)."""
    filled = {
        key: sample_value(row["type"], data, row["row"])
        for key, row in rows(data).items()
        if not row["locked"] and row["shown"] is None
    }
    where = rows(data)
    return edited(data, {where[key]["cell"]: value for key, value in filled.items()}), filled


def history(db_session) -> int:
    return db_session.scalar(select(func.count(ValueChange.id)))


def answers(db_session, org: str = VILLAGE) -> dict[tuple[int, str], tuple[str, str]]:
    found = db_session.execute(
        select(DataValue.element_id, DataValue.period, DataValue.value, DataValue.source)
        .join(OrgUnit, OrgUnit.id == DataValue.org_unit_id)
        .where(OrgUnit.code == org)
        .execution_options(populate_existing=True)
    )
    return {(element, period): (value, source) for element, period, value, source in found}


def stored(db_session, key: str) -> str | None:
    return db_session.scalar(
        select(DataValue.value)
        .join(OrgUnit, OrgUnit.id == DataValue.org_unit_id)
        .where(OrgUnit.code == VILLAGE, DataValue.period == MONTH)
        .where(DataValue.element.has(code=key))
        .execution_options(populate_existing=True)
    )


def version(db_session) -> int:
    state = db_session.scalar(
        select(FormState)
        .join(OrgUnit, OrgUnit.id == FormState.org_unit_id)
        .where(OrgUnit.code == VILLAGE, FormState.month == MONTH)
        .execution_options(populate_existing=True)
    )
    return state.version if state else 0


# ---------------------------------------------------------------- download


def test_the_download_is_the_prefilled_due_form(filler):
    response = filler.get(WORKBOOK_URL)
    assert response.status_code == 200
    assert response.mimetype == XLSX
    assert "attachment" in response.headers["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert book[META].sheet_state == "hidden"
    assert book[SHEET].protection.sheet is True
    where = rows(response.data)
    shared = where["DIBAO_P"]
    assert shared["locked"] and book[SHEET][shared["cell"]].protection.locked
    assert book[SHEET][shared["cell"]].value == int(shared["shown"])
    assert not where["DANGER_HOUSE"]["locked"]
    assert book[SHEET][where["DANGER_HOUSE"]["cell"]].protection.locked is False


def test_the_fill_page_links_the_download_and_the_upload(filler):
    page = filler.get(FORM_URL).get_data(as_text=True)
    assert f'href="{WORKBOOK_URL}"' in page
    assert f'action="{WORKBOOK_URL}"' in page


def test_another_villages_workbook_is_not_found(filler):
    other = f"/orgs/{OTHER_VILLAGE}/forms/{MONTH}/workbook"
    assert filler.get(other).status_code == 404
    data = download(filler)
    assert upload(filler, data, url=other).status_code == 404


# ---------------------------------------------------------------- upload


def test_upload_stores_the_filled_cells_and_an_identical_file_changes_nothing(filler, db_session):
    data, filled = fill_empty(download(filler))
    assert {"DANGER_HOUSE", "HOUSE_FIXED", "TEMP_RELIEF"} <= filled.keys()
    before = history(db_session)

    response = upload(filler, data)
    assert response.status_code == 302
    assert response.headers["Location"] == FORM_URL
    assert stored(db_session, "DANGER_HOUSE") == "3"
    assert history(db_session) == before + len(filled)
    assert version(db_session) == 1
    page = filler.get(FORM_URL).get_data(as_text=True)
    assert f"已从 Excel 导入，保存了 {len(filled)} 项改动" in page

    snapshot = answers(db_session)
    again = upload(filler, data)
    assert again.status_code == 302
    assert history(db_session) == before + len(filled)
    assert version(db_session) == 1
    assert answers(db_session) == snapshot
    assert "该文件已上传过，数据未变" in filler.get(FORM_URL).get_data(as_text=True)


def test_an_edited_copy_applies_its_edit_with_one_history_row(filler, db_session):
    data, _filled = fill_empty(download(filler))
    assert upload(filler, data).status_code == 302
    before = history(db_session)
    carried = rows(data)["POP_RES"]  # shown as last period's value, untouched so far
    assert stored(db_session, "POP_RES") is None

    assert (
        upload(filler, edited(data, {carried["cell"]: int(carried["shown"]) + 1})).status_code
        == 302
    )
    assert stored(db_session, "POP_RES") == str(int(carried["shown"]) + 1)
    assert history(db_session) == before + 1
    assert version(db_session) == 2

    # a fresh download carries the new version: any of its cells can be edited
    fresh = download(filler)
    assert (
        upload(filler, edited(fresh, {rows(fresh)["DANGER_HOUSE"]["cell"]: 9})).status_code == 302
    )
    assert stored(db_session, "DANGER_HOUSE") == "9"
    assert history(db_session) == before + 2


def test_a_bad_cell_is_listed_and_nothing_is_stored(filler, db_session):
    data, _filled = fill_empty(download(filler))
    where = rows(data)["TEMP_RELIEF"]
    before, snapshot = history(db_session), answers(db_session)

    response = upload(filler, edited(data, {where["cell"]: "十几"}))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "文件中有填写错误的单元格，未保存任何数据" in page
    assert f"<strong>{where['cell']}</strong>：第{where['row']}行“临时救助人次”：须为数字" in page
    assert history(db_session) == before
    assert answers(db_session) == snapshot
    assert version(db_session) == 0


def test_a_changed_shared_value_is_refused(filler, db_session):
    data = download(filler)
    where = rows(data)["DIBAO_P"]
    before = history(db_session)
    response = upload(filler, edited(data, {where["cell"]: int(where["shown"]) + 5}))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f"<strong>{where['cell']}</strong>：第{where['row']}行“低保人数”：" in page
    assert "该项由共享数据提供（免填），不能修改" in page
    assert history(db_session) == before


def test_a_stale_edit_gets_a_409_listing_the_conflict(filler, app, db_session, runner):
    data = download(filler)
    token = runner.invoke(args=["users", "token", "township"]).output.strip()
    someone = app.test_client().put(
        f"/api/v1/orgs/{VILLAGE}/periods/{MONTH}/values",
        json={"submission_id": str(uuid.uuid4()), "version": 0, "values": {"DANGER_HOUSE": 5}},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert someone.status_code == 200, someone.get_json()
    before = history(db_session)
    where = rows(data)

    response = upload(
        filler, edited(data, {where["DANGER_HOUSE"]["cell"]: 7, where["HOUSE_FIXED"]["cell"]: 1})
    )
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "数据已被他人修改，请核对后重新提交" in page
    cell = where["DANGER_HOUSE"]["cell"]
    assert re.search(
        rf"<strong>{cell}</strong> “农村危房户数”：您填的是 7，东岭镇 刘干事于 [0-9-]+ [0-9:]+ 改为 5。",
        page,
    )
    assert stored(db_session, "DANGER_HOUSE") == "5"
    assert stored(db_session, "HOUSE_FIXED") is None
    assert history(db_session) == before


def test_a_file_that_is_not_a_workbook_gets_the_safety_message(filler, db_session):
    response = upload(filler, b"a,b\n1,2\n", filename="表.xlsx")
    assert response.status_code == 422
    assert MSG_NOT_ZIP in response.get_data(as_text=True)
    wrong_kind = upload(filler, b"a,b\n1,2\n", filename="表.csv")
    assert wrong_kind.status_code == 422
    assert "只能上传 .xlsx 文件" in wrong_kind.get_data(as_text=True)
    assert version(db_session) == 0


def test_another_units_or_months_workbook_is_refused(filler, db_session):
    data, _filled = fill_empty(download(filler))
    book = openpyxl.load_workbook(io.BytesIO(data))
    book[META]["B3"] = Period.parse_month(MONTH).previous().id
    out = io.BytesIO()
    book.save(out)
    response = upload(filler, out.getvalue())
    assert response.status_code == 422
    assert "这不是本单位本月的报表" in response.get_data(as_text=True)
    assert version(db_session) == 0
