"""The collection API (SPEC.md *Versions*, *Roles and scope*, *Stock and flow*, *Periods*):
GET /due, GET /form and PUT /values, with exact outcomes on the demo world."""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from admission.collection import form_plan
from app import clock
from forms_registry.accounts.service import get_user
from forms_registry.elements.models import DataElement
from forms_registry.orgs.models import OrgUnit
from forms_registry.periods import Period
from prefill.models import DataValue, SharedBinding, SharedValue, ValueChange
from tests.admitting import admit, backdate_admissions
from tests.run_day import RUN_DAY

COUNTY = "439901000000"
VILLAGE = "439901100201"  # the demo filler's; the month before last is submitted
SUBMITTED_SIBLING = "439901100202"
SIBLING = "439901100204"  # same township, nothing submitted
OTHER_TOWNSHIP_VILLAGE = "439901101201"
MONTH = Period.containing(RUN_DAY, "monthly").previous()
EARLIER = MONTH.previous()
SHARED = ("HH_REG", "DIBAO_HH", "DIBAO_P", "TEKUN_P", "POP_REG")  # monthly reports' shared
TYPED = ("DANGER_HOUSE", "HOUSE_FIXED", "TEMP_RELIEF")
VILLAGE_FILLER, TOWNSHIP_FILLER = "东岭村 王会计", "东岭镇 刘干事"
STALE = "数据已被他人修改，请核对后重新提交"
LOCKED = "该项由共享数据提供（免填），不能修改"
UNKNOWN = "表中没有该字段"
TYPES_REPORT = {
    "title": "村级综合情况月报（测试）",
    "frequency": "monthly",
    "level": "village",
    "owner": "县民政局",
    "fields": [
        {
            "label": "低保金发放金额（元）",
            "element": "DIBAO_FUND",
            "section": "救助资金",
            "required": True,
        },
        {
            "label": "网格事件上报数（件）",
            "element": "GRID_EVENTS",
            "section": "基层治理",
            "max": 500,
        },
        {"label": "家庭医生签约率（%）", "element": "FAMILY_DOC_RATE", "section": "基层治理"},
        {"label": "村党组织书记姓名", "element": "VC_SECRETARY_NAME", "section": "村务"},
        {"label": "村两委换届日期", "element": "VC_ELECTION_DATE", "section": "村务"},
        {"label": "书记主任一肩挑", "element": "VC_ONE_SHOULDER", "section": "村务"},
        {"label": "村庄分类", "element": "VILLAGE_TYPE", "section": "村务"},
        {"label": "主导产业", "element": "LEADING_INDUSTRY", "section": "村务"},
    ],
}
YEARLY_REPORT = {
    "title": "村级年度情况年报（测试）",
    "frequency": "yearly",
    "level": "village",
    "owner": "县民政局",
    "fields": [
        {"label": "常住人口（人）", "element": "POP_RES"},
        {"label": "全年临时救助（人次）", "element": "TEMP_RELIEF"},
        {"label": "全年村集体经济收入（万元）", "element": "COLL_INCOME"},
    ],
}


# ---------------------------------------------------------------- helpers


def expected_reports(month: Period) -> list[str]:
    """The demo's admitted village reports due in `month`'s form (SPEC *Periods*)."""
    codes = {"R0002", "R0007"}  # monthly
    if month.first_month % 3 == 0:
        codes |= {"R0008", "R0009", "R0011"}  # quarterly
    if month.first_month == 12:
        codes |= {"R0001", "R0010"}  # yearly
    return sorted(codes)


def due_of(month: Period) -> date:
    following = month.next()
    return date(following.year, following.first_month, 28)


@pytest.fixture
def filler(bearer):
    return bearer("filler")


@pytest.fixture
def township(bearer):
    return bearer("township")


@pytest.fixture
def types_report(db_session) -> str:
    return admit(db_session, TYPES_REPORT)


def api(org: str, month: str, what: str) -> str:
    return f"/api/v1/orgs/{org}/periods/{month}/{what}"


def get_form(client, headers, org: str = VILLAGE, month: str = MONTH.id) -> dict:
    response = client.get(api(org, month, "form"), headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def by_key(form: dict) -> dict[str, dict]:
    return {field["key"]: field for field in form["fields"]}


def put(
    client,
    headers,
    values: dict,
    *,
    version: int,
    org: str = VILLAGE,
    month: str = MONTH.id,
    submit: bool = False,
    submission_id: str | None = None,
):
    body = {
        "submission_id": submission_id or str(uuid.uuid4()),
        "version": version,
        "values": values,
        "submit": submit,
    }
    return client.put(api(org, month, "values"), json=body, headers=headers)


def history(db_session) -> int:
    return db_session.scalar(select(func.count(ValueChange.id)))


def stored(db_session, org: str, element: str, period: str = MONTH.id) -> tuple | None:
    """(value, source) of one answer, read fresh from the database."""
    return db_session.execute(
        select(DataValue.value, DataValue.source)
        .join(OrgUnit, OrgUnit.id == DataValue.org_unit_id)
        .join(DataElement, DataElement.id == DataValue.element_id)
        .where(OrgUnit.code == org, DataElement.code == element, DataValue.period == period)
    ).one_or_none()


def shared_value(db_session, org: str, element: str, period: str = MONTH.id) -> str:
    return db_session.scalar(
        select(SharedValue.value)
        .join(OrgUnit, OrgUnit.id == SharedValue.org_unit_id)
        .join(DataElement, DataElement.id == SharedValue.element_id)
        .where(OrgUnit.code == org, DataElement.code == element, SharedValue.period == period)
    )


def today_is(monkeypatch, day: date) -> None:
    monkeypatch.setattr(clock, "today", lambda: day)


# ---------------------------------------------------------------- /due


def test_due_lists_open_months_with_their_reports_and_due_day(
    client, filler, township, monkeypatch
):
    response = client.get(f"/api/v1/orgs/{VILLAGE}/due", headers=filler)
    assert response.status_code == 200
    due = response.get_json()
    assert all(set(item) == {"period", "reports", "due", "status"} for item in due)
    periods = [item["period"] for item in due]
    assert periods == sorted(periods) and periods[-1] == MONTH.id
    assert EARLIER.id not in periods  # submitted and past its due day
    assert due[-1] == {
        "period": MONTH.id,
        "reports": expected_reports(MONTH),
        "due": due_of(MONTH).isoformat(),
        "status": "not_started",
    }
    assert {item["status"] for item in due} == {"not_started"}

    sibling = client.get(f"/api/v1/orgs/{SIBLING}/due", headers=township).get_json()
    overdue = next(item for item in sibling if item["period"] == EARLIER.id)
    assert overdue == {
        "period": EARLIER.id,
        "reports": expected_reports(EARLIER),
        "due": due_of(EARLIER).isoformat(),
        "status": "not_started",
    }
    submitted = client.get(f"/api/v1/orgs/{SUBMITTED_SIBLING}/due", headers=township).get_json()
    assert EARLIER.id not in [item["period"] for item in submitted]
    assert MONTH.id in [item["period"] for item in submitted]


def test_due_status_goes_draft_then_submitted_then_drops_after_the_due_day(
    client, filler, monkeypatch
):
    today_is(monkeypatch, MONTH.next().start)

    def status() -> str | None:
        due = client.get(f"/api/v1/orgs/{VILLAGE}/due", headers=filler).get_json()
        return next((item["status"] for item in due if item["period"] == MONTH.id), None)

    assert status() == "not_started"
    assert put(client, filler, {"DANGER_HOUSE": 2}, version=0).status_code == 200
    assert status() == "draft"
    assert put(client, filler, {}, version=1, submit=True).get_json()["status"] == "submitted"
    assert status() == "submitted"
    today_is(monkeypatch, due_of(MONTH))
    assert status() == "submitted"  # still editable on the due day itself
    today_is(monkeypatch, due_of(MONTH) + timedelta(days=1))
    assert status() is None


# ---------------------------------------------------------------- /form


def test_form_shape_prefill_and_reduction(client, filler, db_session):
    form = get_form(client, filler)
    assert {"version", "fields", "period", "status", "due", "reports", "reduction"} <= set(form)
    assert (form["version"], form["status"], form["period"]) == (0, "not_started", MONTH.id)
    assert (form["due"], form["reports"]) == (due_of(MONTH).isoformat(), expected_reports(MONTH))
    spec_keys = {"key", "element", "period", "label", "unit", "value", "source", "locked"}
    assert all(spec_keys | {"reports"} <= set(field) for field in form["fields"])
    fields = by_key(form)
    assert len(fields) == len(form["fields"])  # keys are unique

    assert {k: fields["HH_REG"][k] for k in spec_keys | {"type"}} == {
        "key": "HH_REG",
        "element": "HH_REG",
        "period": MONTH.id,
        "label": "户籍户数",
        "unit": "户",
        "value": int(shared_value(db_session, VILLAGE, "HH_REG")),
        "source": "shared",
        "locked": True,
        "type": "integer",
    }
    for key in SHARED:
        expected = int(shared_value(db_session, VILLAGE, key))
        assert (fields[key]["value"], fields[key]["source"], fields[key]["locked"]) == (
            expected,
            "shared",
            True,
        ), key
    for key in TYPED:
        assert (fields[key]["value"], fields[key]["source"], fields[key]["locked"]) == (
            None,
            None,
            False,
        ), key
    assert fields["TEMP_RELIEF"]["reports"] == ["R0007"]
    assert fields["TEMP_RELIEF"]["labels"] == {"R0007": "临时救助（人次）"}
    assert fields["DANGER_HOUSE"]["reports"] == ["R0002"]
    assert fields["TEMP_RELIEF"]["label"] == "临时救助人次"
    assert all(field["locked"] == (field["source"] == "shared") for field in form["fields"])

    reduction = form["reduction"]
    sources = [field["source"] for field in form["fields"]]
    assert reduction["merged_fields"] == len(form["fields"])
    assert reduction["report_fields"] == sum(len(field["labels"]) for field in form["fields"])
    assert reduction["prefilled_fields"] == sources.count("shared") + sources.count("carried")
    assert reduction["typed_fields"] == 0
    if expected_reports(MONTH) == ["R0002", "R0007"]:
        assert {
            k: reduction[k] for k in ("report_fields", "merged_fields", "prefilled_fields")
        } == {
            "report_fields": 9,
            "merged_fields": 9,
            "prefilled_fields": 6,
        }


def test_stable_answers_of_the_submitted_month_are_carried_as_suggestions(
    client, filler, db_session
):
    fields = by_key(get_form(client, filler))
    earlier_pop_res = stored(db_session, VILLAGE, "POP_RES", EARLIER.id)
    assert earlier_pop_res is not None and earlier_pop_res[1] == "entered"
    assert fields["POP_RES"]["value"] == int(earlier_pop_res[0])
    assert (fields["POP_RES"]["source"], fields["POP_RES"]["locked"]) == ("carried", False)
    assert stored(db_session, VILLAGE, "POP_RES") is None  # only suggested, not stored
    # DANGER_HOUSE was answered too, but changes each period: never carried
    assert stored(db_session, VILLAGE, "DANGER_HOUSE", EARLIER.id) is not None
    assert fields["DANGER_HOUSE"]["value"] is None
    carried = [field for field in fields.values() if field["source"] == "carried"]
    stabilities = dict(
        db_session.execute(
            select(DataElement.code, DataElement.stability).where(
                DataElement.code.in_([field["element"] for field in carried])
            )
        ).all()
    )
    assert set(stabilities.values()) <= {"fixed", "yearly"}


def test_a_sibling_village_without_history_gets_no_carried_values(client, township):
    fields = by_key(get_form(client, township, org=SIBLING))
    assert fields["POP_RES"]["value"] is None and fields["POP_RES"]["source"] is None


# ---------------------------------------------------------------- PUT: saving


def test_put_saves_returns_the_new_version_and_writes_one_history_row_per_change(
    client, filler, db_session
):
    form = get_form(client, filler)
    fields = by_key(form)
    before = history(db_session)
    submission = str(uuid.uuid4())
    values = {
        "DANGER_HOUSE": 5,
        "HOUSE_FIXED": "3",
        "TEMP_RELIEF": 0,
        "POP_RES": fields["POP_RES"]["value"],  # confirming the suggestion
        "HH_REG": fields["HH_REG"]["value"],  # a locked value sent back unchanged
    }
    response = put(client, filler, values, version=0, submission_id=submission)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["version"], body["status"], body["changed"]) == (1, "draft", 4)
    assert body["reduction"]["typed_fields"] == 3
    assert body["reduction"]["prefilled_fields"] == form["reduction"]["prefilled_fields"]
    assert history(db_session) == before + 4

    assert stored(db_session, VILLAGE, "DANGER_HOUSE") == ("5", "entered")
    assert stored(db_session, VILLAGE, "HOUSE_FIXED") == ("3", "entered")
    assert stored(db_session, VILLAGE, "TEMP_RELIEF") == ("0", "entered")
    assert stored(db_session, VILLAGE, "POP_RES") == (str(fields["POP_RES"]["value"]), "carried")
    assert stored(db_session, VILLAGE, "HH_REG") is None
    rows = db_session.execute(
        select(ValueChange.old_value, ValueChange.new_value, ValueChange.form_version)
        .where(ValueChange.submission_id == submission)
        .order_by(ValueChange.new_value)
    ).all()
    assert sorted(rows) == sorted(
        [(None, "5", 1), (None, "3", 1), (None, "0", 1), (None, str(values["POP_RES"]), 1)]
    )

    after = get_form(client, filler)
    assert (after["version"], after["status"]) == (1, "draft")
    assert (by_key(after)["DANGER_HOUSE"]["value"], by_key(after)["DANGER_HOUSE"]["source"]) == (
        5,
        "entered",
    )
    assert after["reduction"] == body["reduction"]

    second = put(client, filler, {"DANGER_HOUSE": 5, "HOUSE_FIXED": 4}, version=1).get_json()
    assert (second["version"], second["changed"]) == (2, 1)
    assert history(db_session) == before + 5
    last = db_session.execute(
        select(ValueChange.old_value, ValueChange.new_value, ValueChange.form_version)
        .order_by(ValueChange.id.desc())
        .limit(1)
    ).one()
    assert tuple(last) == ("3", "4", 2)

    unchanged = put(client, filler, {"DANGER_HOUSE": "5"}, version=2).get_json()
    assert (unchanged["version"], unchanged["changed"]) == (2, 0)
    assert history(db_session) == before + 5


def test_a_stale_field_is_a_409_naming_the_conflict_and_nothing_is_stored(
    client, filler, township, db_session
):
    assert get_form(client, filler)["version"] == 0
    assert put(client, township, {"DANGER_HOUSE": 5}, version=0).status_code == 200
    before = history(db_session)

    response = put(client, filler, {"DANGER_HOUSE": 7, "HOUSE_FIXED": 2}, version=0)
    assert response.status_code == 409
    changed_at = db_session.scalar(
        select(DataValue.changed_at)
        .join(DataElement, DataElement.id == DataValue.element_id)
        .join(OrgUnit, OrgUnit.id == DataValue.org_unit_id)
        .where(
            OrgUnit.code == VILLAGE,
            DataElement.code == "DANGER_HOUSE",
            DataValue.period == MONTH.id,
        )
    )
    body = response.get_json()
    assert body == {
        "conflicts": [
            {
                "element": "DANGER_HOUSE",
                "yours": "7",
                "theirs": "5",
                "by": TOWNSHIP_FILLER,
                "at": body["conflicts"][0]["at"],
            }
        ],
        "message": STALE,
    }
    assert datetime.fromisoformat(body["conflicts"][0]["at"]) == changed_at
    assert stored(db_session, VILLAGE, "DANGER_HOUSE") == ("5", "entered")
    assert stored(db_session, VILLAGE, "HOUSE_FIXED") is None
    assert history(db_session) == before
    assert get_form(client, filler)["version"] == 1

    # the same value as theirs is no conflict; from the new version, theirs is overwritten
    same = put(client, filler, {"DANGER_HOUSE": 5}, version=0)
    assert (same.status_code, same.get_json()["changed"]) == (200, 0)
    assert put(client, filler, {"DANGER_HOUSE": 7}, version=1).status_code == 200
    assert stored(db_session, VILLAGE, "DANGER_HOUSE") == ("7", "entered")


def test_the_same_person_in_another_tab_is_refused_too(client, filler):
    assert put(client, filler, {"TEMP_RELIEF": 1}, version=0).status_code == 200
    response = put(client, filler, {"TEMP_RELIEF": 2}, version=0)
    assert response.status_code == 409
    conflict = response.get_json()["conflicts"][0]
    assert (conflict["element"], conflict["yours"], conflict["theirs"], conflict["by"]) == (
        "TEMP_RELIEF",
        "2",
        "1",
        VILLAGE_FILLER,
    )


def test_disjoint_fields_written_from_the_same_version_both_succeed(
    client, filler, township, db_session
):
    first = put(client, filler, {"DANGER_HOUSE": 4}, version=0)
    second = put(client, township, {"HOUSE_FIXED": 2, "TEMP_RELIEF": 9}, version=0)
    assert (first.status_code, second.status_code) == (200, 200)
    assert (first.get_json()["version"], second.get_json()["version"]) == (1, 2)
    assert stored(db_session, VILLAGE, "DANGER_HOUSE") == ("4", "entered")
    assert stored(db_session, VILLAGE, "HOUSE_FIXED") == ("2", "entered")
    assert stored(db_session, VILLAGE, "TEMP_RELIEF") == ("9", "entered")


def test_a_repeated_submission_id_returns_the_first_answer_and_changes_nothing(
    client, filler, township, db_session
):
    submission = str(uuid.uuid4())
    values = {"DANGER_HOUSE": 6, "TEMP_RELIEF": 2}
    first = put(client, filler, values, version=0, submission_id=submission)
    assert first.status_code == 200
    count = history(db_session)
    # someone else moves the form on; the repeat still answers as the first time
    assert put(client, township, {"HOUSE_FIXED": 1}, version=1).status_code == 200
    again = put(client, filler, values, version=0, submission_id=submission)
    assert again.status_code == 200
    assert again.get_json() == first.get_json()
    assert history(db_session) == count + 1  # only the township's change
    assert get_form(client, filler)["version"] == 2

    different = put(client, filler, {"DANGER_HOUSE": 8}, version=0, submission_id=submission)
    assert different.status_code == 409
    assert different.get_json() == {
        "errors": {"submission_id": "该提交编号已用于不同的内容，请生成新的编号"}
    }
    assert stored(db_session, VILLAGE, "DANGER_HOUSE") == ("6", "entered")
    assert history(db_session) == count + 1


# ---------------------------------------------------------------- PUT: 422


def test_each_wrong_value_gets_its_chinese_message_and_nothing_is_stored(
    client, filler, types_report, db_session
):
    fields = by_key(get_form(client, filler))
    assert types_report in fields["DIBAO_FUND"]["reports"]
    before = history(db_session)
    values = {
        "DANGER_HOUSE": 5,  # valid, but the save is all or nothing
        "HOUSE_FIXED": "12.5",
        "TEMP_RELIEF": "三",
        "GRID_EVENTS": 501,
        "FAMILY_DOC_RATE": "100.5",
        "DIBAO_FUND": "1e5000",
        "VC_ELECTION_DATE": "2025-02-30",
        "VC_ONE_SHOULDER": "也许",
        "VILLAGE_TYPE": "沙漠",
        "LEADING_INDUSTRY": ["1", "火箭"],
        "VC_SECRETARY_NAME": "字" * 2001,
        "HH_REG": fields["HH_REG"]["value"] + 1,
        "NO_SUCH_FIELD": 1,
    }
    response = put(client, filler, values, version=0)
    assert response.status_code == 422
    assert response.get_json() == {
        "errors": {
            "HOUSE_FIXED": "须为整数",
            "TEMP_RELIEF": "须为数字",
            "GRID_EVENTS": "不能大于 500",
            "FAMILY_DOC_RATE": "不能大于 100",
            "DIBAO_FUND": "数字位数过多",
            "VC_ELECTION_DATE": "须为日期（如 2025-03-31）",
            "VC_ONE_SHOULDER": "请填写“是”或“否”",
            "VILLAGE_TYPE": "请选择列表中的选项",
            "LEADING_INDUSTRY": "请选择列表中的选项",
            "VC_SECRETARY_NAME": "不能超过 2000 个字",
            "HH_REG": LOCKED,
            "NO_SUCH_FIELD": UNKNOWN,
        }
    }
    assert stored(db_session, VILLAGE, "DANGER_HOUSE") is None
    assert history(db_session) == before
    assert get_form(client, filler)["version"] == 0


def test_writing_a_locked_shared_field_is_a_422(client, filler, db_session):
    shared = int(shared_value(db_session, VILLAGE, "POP_REG"))
    response = put(client, filler, {"POP_REG": shared + 1}, version=0)
    assert (response.status_code, response.get_json()) == (422, {"errors": {"POP_REG": LOCKED}})
    assert stored(db_session, VILLAGE, "POP_REG") is None
    unchanged = put(client, filler, {"POP_REG": str(shared)}, version=0)
    assert (unchanged.status_code, unchanged.get_json()["changed"]) == (200, 0)


def test_unknown_keys_are_a_422(client, filler):
    response = put(client, filler, {"NOPE": 1, f"TEMP_RELIEF@{MONTH.year}": 3}, version=0)
    assert response.status_code == 422
    assert response.get_json() == {
        "errors": {"NOPE": UNKNOWN, f"TEMP_RELIEF@{MONTH.year}": UNKNOWN}
    }


def test_a_malformed_body_is_a_422_in_chinese(client, filler):
    body = {"submission_id": "not-a-uuid", "version": -1, "values": {}}
    response = client.put(api(VILLAGE, MONTH.id, "values"), json=body, headers=filler)
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert errors["submission_id"] == "应为 UUID"
    assert set(errors) == {"submission_id", "version"}


def test_submitting_with_a_required_field_missing_names_it(
    client, filler, types_report, db_session
):
    response = put(client, filler, {"GRID_EVENTS": 3}, version=0, submit=True)
    assert (response.status_code, response.get_json()) == (
        422,
        {"errors": {"DIBAO_FUND": "必填项，请填写"}},
    )
    assert stored(db_session, VILLAGE, "GRID_EVENTS") is None
    assert get_form(client, filler)["status"] == "not_started"

    draft = put(client, filler, {"DIBAO_FUND": "100.50"}, version=0)
    assert draft.get_json()["status"] == "draft"
    done = put(client, filler, {"GRID_EVENTS": 3}, version=1, submit=True)
    assert done.status_code == 200
    assert (done.get_json()["status"], done.get_json()["version"]) == ("submitted", 2)
    assert stored(db_session, VILLAGE, "DIBAO_FUND") == ("100.5", "entered")
    # on submission the shared values shown become answers too
    assert stored(db_session, VILLAGE, "POP_REG") == (
        shared_value(db_session, VILLAGE, "POP_REG"),
        "shared",
    )


def correctable(db_session, element: str) -> None:
    binding = db_session.scalar(
        select(SharedBinding).join(DataElement).where(DataElement.code == element)
    )
    binding.correctable = True
    db_session.flush()


def test_a_corrected_shared_value_is_kept_on_submission(client, filler, db_session):
    correctable(db_session, "POP_REG")
    shared = int(shared_value(db_session, VILLAGE, "POP_REG"))
    hh_reg = int(shared_value(db_session, VILLAGE, "HH_REG"))

    response = put(client, filler, {"POP_REG": shared + 7}, version=0, submit=True)

    assert response.status_code == 200, response.get_json()
    assert stored(db_session, VILLAGE, "POP_REG") == (str(shared + 7), "entered")
    assert stored(db_session, VILLAGE, "HH_REG") == (str(hh_reg), "shared")


def test_a_correctable_shared_value_sent_back_unchanged_stays_shared(client, filler, db_session):
    correctable(db_session, "POP_REG")
    shared = shared_value(db_session, VILLAGE, "POP_REG")

    response = put(client, filler, {"POP_REG": int(shared)}, version=0, submit=True)

    assert response.status_code == 200, response.get_json()
    assert stored(db_session, VILLAGE, "POP_REG") == (shared, "shared")


# ---------------------------------------------------------------- values of every type


def test_decimals_are_exact_from_a_json_number_to_the_database(
    client, filler, types_report, db_session
):
    body = json.dumps(
        {
            "submission_id": str(uuid.uuid4()),
            "version": 0,
            "values": {"DIBAO_FUND": "@FUND@", "FAMILY_DOC_RATE": "@RATE@"},
        }
    )
    body = body.replace('"@FUND@"', "12.345678901234567891").replace('"@RATE@"', "0.1")
    headers = filler | {"Content-Type": "application/json"}
    response = client.put(api(VILLAGE, MONTH.id, "values"), data=body, headers=headers)
    assert response.status_code == 200, response.get_json()
    assert stored(db_session, VILLAGE, "DIBAO_FUND") == ("12.345678901234567891", "entered")
    assert stored(db_session, VILLAGE, "FAMILY_DOC_RATE") == ("0.1", "entered")
    raw = client.get(api(VILLAGE, MONTH.id, "form"), headers=filler).get_data(as_text=True)
    fields = {field["key"]: field for field in json.loads(raw)["fields"]}
    assert fields["DIBAO_FUND"]["value"] == "12.345678901234567891"  # a string: exact
    assert fields["FAMILY_DOC_RATE"]["value"] == "0.1"


def test_every_value_type_round_trips(client, filler, types_report, db_session):
    values = {
        "VC_SECRETARY_NAME": " 张三 ",
        "VC_ELECTION_DATE": "2024-12-01",
        "VC_ONE_SHOULDER": "是",
        "VILLAGE_TYPE": "城郊融合类",
        "LEADING_INDUSTRY": ["蔬菜", "1"],
        "FAMILY_DOC_RATE": "99.50",
        "GRID_EVENTS": 500,
        "DIBAO_FUND": "0.10",
    }
    assert put(client, filler, values, version=0).status_code == 200
    fields = by_key(get_form(client, filler))
    assert {key: fields[key]["value"] for key in values} == {
        "VC_SECRETARY_NAME": "张三",
        "VC_ELECTION_DATE": "2024-12-01",
        "VC_ONE_SHOULDER": True,
        "VILLAGE_TYPE": "2",
        "LEADING_INDUSTRY": ["1", "3"],
        "FAMILY_DOC_RATE": "99.5",
        "GRID_EVENTS": 500,
        "DIBAO_FUND": "0.1",
    }
    assert stored(db_session, VILLAGE, "LEADING_INDUSTRY") == ('["1", "3"]', "entered")
    assert stored(db_session, VILLAGE, "VC_ONE_SHOULDER") == ("true", "entered")
    assert fields["GRID_EVENTS"]["max"] == "500"
    assert fields["DIBAO_FUND"]["section"] == "救助资金"
    assert fields["DIBAO_FUND"]["required"] is True


# ---------------------------------------------------------------- roles and scope


def test_a_township_filler_fills_for_its_villages_only(client, township, db_session):
    form = get_form(client, township, org=SIBLING)
    response = put(client, township, {"DANGER_HOUSE": 3}, version=form["version"], org=SIBLING)
    assert response.status_code == 200
    assert stored(db_session, SIBLING, "DANGER_HOUSE") == ("3", "entered")
    by = db_session.scalar(
        select(ValueChange.changed_by_id).order_by(ValueChange.id.desc()).limit(1)
    )
    assert by == get_user(db_session, "township").id

    elsewhere = OTHER_TOWNSHIP_VILLAGE
    assert client.get(api(elsewhere, MONTH.id, "form"), headers=township).status_code == 404
    assert client.get(f"/api/v1/orgs/{elsewhere}/due", headers=township).status_code == 404
    assert put(client, township, {"DANGER_HOUSE": 3}, version=0, org=elsewhere).status_code == 404
    assert stored(db_session, elsewhere, "DANGER_HOUSE") is None


def test_a_village_filler_cannot_see_or_write_another_village(client, filler, db_session):
    assert client.get(api(SIBLING, MONTH.id, "form"), headers=filler).status_code == 404
    assert client.get(f"/api/v1/orgs/{SIBLING}/due", headers=filler).status_code == 404
    response = put(client, filler, {"DANGER_HOUSE": 3}, version=0, org=SIBLING)
    assert response.status_code == 404
    assert stored(db_session, SIBLING, "DANGER_HOUSE") is None
    # nor its township's own form, nor a code that does not exist
    assert client.get("/api/v1/orgs/439901100000/due", headers=filler).status_code == 404
    assert client.get("/api/v1/orgs/999999999999/due", headers=filler).status_code == 404


def test_an_owner_may_not_fill(client, bearer, db_session):
    owner = bearer("owner")
    assert put(client, owner, {"DANGER_HOUSE": 3}, version=0).status_code == 403
    assert client.get(api(VILLAGE, MONTH.id, "form"), headers=owner).status_code == 403
    assert stored(db_session, VILLAGE, "DANGER_HOUSE") is None


def test_a_reviewer_reads_every_form_but_writes_none(client, bearer, filler, db_session):
    reviewer = bearer("reviewer")
    assert get_form(client, reviewer) == get_form(client, filler)
    assert get_form(client, reviewer, org=OTHER_TOWNSHIP_VILLAGE)["period"] == MONTH.id
    assert client.get(f"/api/v1/orgs/{VILLAGE}/due", headers=reviewer).status_code == 200
    assert put(client, reviewer, {"DANGER_HOUSE": 3}, version=0).status_code == 403
    assert stored(db_session, VILLAGE, "DANGER_HOUSE") is None


def test_without_a_token_the_api_answers_401(client):
    assert client.get(api(VILLAGE, MONTH.id, "form")).status_code == 401
    assert put(client, {}, {"DANGER_HOUSE": 3}, version=0).status_code == 401


# ---------------------------------------------------------------- stock and flow


def test_a_stock_asked_monthly_quarterly_and_yearly_is_one_field_under_the_month(
    client, township, db_session
):
    yearly = admit(db_session, YEARLY_REPORT)
    backdate_admissions(db_session)
    december = Period.month(RUN_DAY.year - 1, 12)
    year, quarter = str(december.year), f"{december.year}Q4"
    org = db_session.scalar(select(OrgUnit).where(OrgUnit.code == SIBLING))
    plan = form_plan(db_session, org, december, RUN_DAY)
    fields = {field.key: field for field in plan.schema.fields}

    pop_res = fields["POP_RES"]
    assert (pop_res.period, pop_res.kind) == (december.id, "stock")
    assert pop_res.reports == ("R0002", "R0008", "R0009", yearly)  # monthly, quarterly, yearly
    assert not [key for key in fields if key.startswith("POP_RES@")]
    assert fields["POP_REG"].reports == ("R0001", "R0007", "R0008")
    assert (fields["TEMP_RELIEF"].period, fields["TEMP_RELIEF"].reports) == (
        december.id,
        ("R0007",),
    )
    flows = {
        f"TEMP_RELIEF@{year}": (year, (yearly,), "本年临时救助人次"),
        f"COLL_INCOME@{quarter}": (quarter, ("R0008",), "本季度村集体经济收入"),
        f"COLL_INCOME@{year}": (year, (yearly,), "本年村集体经济收入"),
    }
    for key, expected in flows.items():
        assert (fields[key].period, fields[key].reports, fields[key].label) == expected, key
    assert fields["TEMP_RELIEF"].label == "本月临时救助人次"  # asked for two lengths

    form = get_form(client, township, org=SIBLING, month=december.id)
    assert by_key(form)[f"COLL_INCOME@{year}"]["period"] == year
    values = {
        "POP_RES": 1200,
        "TEMP_RELIEF": 3,
        f"TEMP_RELIEF@{year}": 40,
        f"COLL_INCOME@{quarter}": "12.5",
        f"COLL_INCOME@{year}": "50.25",
    }
    response = put(
        client, township, values, version=form["version"], org=SIBLING, month=december.id
    )
    assert response.status_code == 200, response.get_json()
    rows = db_session.execute(
        select(DataElement.code, DataValue.period, DataValue.value)
        .join(DataElement, DataElement.id == DataValue.element_id)
        .join(OrgUnit, OrgUnit.id == DataValue.org_unit_id)
        .where(OrgUnit.code == SIBLING, DataValue.period.in_([december.id, quarter, year]))
    ).all()
    assert sorted(rows) == sorted(
        [
            ("POP_RES", december.id, "1200"),
            ("TEMP_RELIEF", december.id, "3"),
            ("TEMP_RELIEF", year, "40"),
            ("COLL_INCOME", quarter, "12.5"),
            ("COLL_INCOME", year, "50.25"),
        ]
    )


# ---------------------------------------------------------------- editable until the due day


def test_a_submitted_form_stays_editable_until_its_due_day(client, filler, db_session, monkeypatch):
    today_is(monkeypatch, due_of(EARLIER))
    form = get_form(client, filler, month=EARLIER.id)
    assert form["status"] == "submitted"
    old = by_key(form)["DANGER_HOUSE"]["value"]
    assert isinstance(old, int)
    before = history(db_session)
    submission = str(uuid.uuid4())

    edit = put(
        client,
        filler,
        {"DANGER_HOUSE": old + 1},
        version=form["version"],
        month=EARLIER.id,
        submission_id=submission,
    )
    assert edit.status_code == 200
    assert (edit.get_json()["status"], edit.get_json()["version"]) == (
        "submitted",
        form["version"] + 1,
    )
    assert history(db_session) == before + 1
    change = db_session.execute(
        select(ValueChange.old_value, ValueChange.new_value, ValueChange.changed_by_id).where(
            ValueChange.submission_id == submission
        )
    ).one()
    assert tuple(change) == (str(old), str(old + 1), get_user(db_session, "filler").id)

    today_is(monkeypatch, due_of(EARLIER) + timedelta(days=1))
    late = put(
        client, filler, {"DANGER_HOUSE": old + 2}, version=form["version"] + 1, month=EARLIER.id
    )
    assert (late.status_code, late.get_json()) == (409, {"errors": {"form": "已过截止日"}})
    assert stored(db_session, VILLAGE, "DANGER_HOUSE", EARLIER.id) == (str(old + 1), "entered")
    assert history(db_session) == before + 1
    # a retry of the accepted edit still gets its first answer
    retry = put(
        client,
        filler,
        {"DANGER_HOUSE": old + 1},
        version=form["version"],
        month=EARLIER.id,
        submission_id=submission,
    )
    assert (retry.status_code, retry.get_json()) == (200, edit.get_json())


def test_a_month_not_yet_ended_has_no_form(client, runner):

    from forms_registry.periods import Period

    token = runner.invoke(args=["users", "token", "filler"]).output.strip()
    current = Period.containing(RUN_DAY, "monthly").id
    response = client.get(
        f"/api/v1/orgs/439901100201/periods/{current}/form",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 404
    assert response.get_json()["message"] == f"{current} 尚未结束，月报等报表在期末之后才能填报"
