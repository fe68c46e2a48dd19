"""The registry's JSON API: the element dictionary, reports and the merged schema."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forms_registry.elements.models import DataElement
from tests.helpers import csrf_token, login

TREES = {
    "code": "ANCIENT_WELLS",
    "name": "古井数量",
    "aliases": ["古井数"],
    "value_type": "integer",
    "unit": "口",
    "kind": "stock",
    "stability": "yearly",
    "minimum": "0",
    "category": "基础设施与人居环境",
}
POP_REG_UPDATE = {
    "name": "户籍人口",
    "aliases": ["户籍人口数", "户籍总人口"],
    "value_type": "integer",
    "unit": "人",
    "kind": "stock",
    "stability": "yearly",
    "minimum": "0",
    "category": "人口与户籍",
    "description": "户口登记在本地的人口。",
}
SPEC_FIELD_KEYS = {"key", "element", "period", "label", "unit", "reports"}


@pytest.fixture
def reviewer(bearer):
    return bearer("reviewer")


def _element(db_session, code: str) -> DataElement | None:
    db_session.expire_all()
    return db_session.scalar(select(DataElement).where(DataElement.code == code))


# ---------------------------------------------------------------- elements


def test_list_elements(client, reviewer, db_session):
    response = client.get("/api/v1/elements", headers=reviewer)
    assert response.status_code == 200
    codes = [item["code"] for item in response.get_json()]
    active = db_session.scalars(select(DataElement.code).where(DataElement.status == "active"))
    assert sorted(codes) == sorted(active)
    assert "POP_REG" in codes


def test_search_elements(client, reviewer):
    response = client.get("/api/v1/elements?q=低保", headers=reviewer)
    codes = {item["code"] for item in response.get_json()}
    assert {"DIBAO_HH", "DIBAO_P", "DIBAO_FUND", "DIBAO_STANDARD"} <= codes
    assert all(
        "低保" in item["name"] or "低保" in "".join(item["aliases"]) for item in response.get_json()
    )
    by_alias = client.get("/api/v1/elements?q=最低生活保障人数", headers=reviewer).get_json()
    assert "DIBAO_P" in [item["code"] for item in by_alias]
    assert all("最低生活保障人数" in "".join(item["aliases"]) for item in by_alias)


def test_filter_elements_by_category(client, reviewer):
    items = client.get("/api/v1/elements?category=社会救助", headers=reviewer).get_json()
    assert items and {item["category"] for item in items} == {"社会救助"}


def test_get_one_element(client, reviewer):
    response = client.get("/api/v1/elements/POP_REG", headers=reviewer)
    assert response.status_code == 200
    body = response.get_json()
    assert body["code"] == "POP_REG"
    assert body["name"] == "户籍人口"
    assert (body["value_type"], body["unit"], body["kind"]) == ("integer", "人", "stock")
    assert body["minimum"] == "0" and body["maximum"] is None
    assert "户籍人口数" in body["aliases"]
    assert (body["status"], body["version"]) == ("active", 1)


def test_unknown_element_is_404(client, reviewer):
    response = client.get("/api/v1/elements/NO_SUCH", headers=reviewer)
    assert response.status_code == 404
    assert response.get_json()["message"] == "未找到指标：NO_SUCH"


def test_reviewer_creates_an_element(client, reviewer, db_session):
    response = client.post("/api/v1/elements", headers=reviewer, json=TREES)
    assert response.status_code == 201
    body = response.get_json()
    assert body["code"] == "ANCIENT_WELLS"
    assert (body["status"], body["version"], body["minimum"]) == ("active", 1, "0")
    stored = _element(db_session, "ANCIENT_WELLS")
    assert (stored.name, stored.unit, stored.aliases) == ("古井数量", "口", ["古井数"])
    fetched = client.get("/api/v1/elements/ANCIENT_WELLS", headers=reviewer).get_json()
    assert fetched == body


def test_invalid_element_is_422_with_a_chinese_message_per_key(client, reviewer, db_session):
    body = {**TREES, "code": "bad-code", "unit": "斤斤", "minimum": "9", "maximum": "1"}
    response = client.post("/api/v1/elements", headers=reviewer, json=body)
    assert response.status_code == 422
    assert response.get_json() == {
        "errors": {
            "code": "代码须以大写字母开头，只含大写字母、数字和下划线（2–64 位）",
            "unit": "无法识别的计量单位“斤斤”",
            "maximum": "上限不能小于下限",
        }
    }
    assert _element(db_session, "bad-code") is None


def test_missing_and_malformed_keys_are_422_in_chinese(client, reviewer, db_session):
    body = {"code": "ANCIENT_WELLS", "minimum": "many", "colour": "green"}
    response = client.post("/api/v1/elements", headers=reviewer, json=body)
    assert response.status_code == 422
    assert response.get_json() == {
        "errors": {
            "name": "必须填写",
            "value_type": "必须填写",
            "kind": "必须填写",
            "minimum": "应为数字",
            "colour": "未知的字段",
        }
    }
    assert _element(db_session, "ANCIENT_WELLS") is None


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"code": "POP_REG"}, {"code": "代码 POP_REG 已存在"}),
        ({"parent": "NO_SUCH"}, {"parent": "未找到上级指标：NO_SUCH"}),
        ({"unit": None}, {"unit": "数值型指标须有计量单位"}),
        ({"kind": "sometimes"}, {"kind": "须为时点指标（stock）或时期指标（flow）"}),
        ({"also_counted_in": ["斤斤"]}, {"also_counted_in": "无法识别的计量单位“斤斤”"}),
        (
            {"also_counted_in": ["个"]},
            {"also_counted_in": "“个”与计量单位“口”同类，本可换算，无须列出"},
        ),
    ],
)
def test_rule_breaking_element_is_422(client, reviewer, changes, errors):
    response = client.post("/api/v1/elements", headers=reviewer, json={**TREES, **changes})
    assert response.status_code == 422
    assert response.get_json() == {"errors": errors}


def test_put_with_the_current_version_saves(client, reviewer, db_session):
    response = client.put(
        "/api/v1/elements/POP_REG", headers=reviewer, json={**POP_REG_UPDATE, "version": 1}
    )
    assert response.status_code == 200
    body = response.get_json()
    assert (body["code"], body["version"], body["aliases"]) == (
        "POP_REG",
        2,
        ["户籍人口数", "户籍总人口"],
    )
    stored = _element(db_session, "POP_REG")
    assert (stored.description, stored.version) == ("户口登记在本地的人口。", 2)


def test_units_also_counted_in_round_trip(client, reviewer, db_session):
    """受灾人口 is counted in 人 and, one for one, in 人次: read, cleared and set again."""
    url = "/api/v1/elements/DISASTER_AFFECTED"
    body = client.get(url, headers=reviewer).get_json()
    assert (body["unit"], body["also_counted_in"]) == ("人", ["人次"])
    assert (
        client.get("/api/v1/elements/POP_REG", headers=reviewer).get_json()["also_counted_in"] == []
    )
    writable = {key: value for key, value in body.items() if key not in ("code", "status")}
    cleared = client.put(url, headers=reviewer, json={**writable, "also_counted_in": []})
    assert cleared.status_code == 200 and cleared.get_json()["also_counted_in"] == []
    assert _element(db_session, "DISASTER_AFFECTED").also_counted_in == []
    again = {**writable, "also_counted_in": ["（人次）"], "version": body["version"] + 1}
    response = client.put(url, headers=reviewer, json=again)
    assert response.status_code == 200
    assert response.get_json()["also_counted_in"] == ["人次"]
    assert _element(db_session, "DISASTER_AFFECTED").also_counted_in == ["人次"]


def test_units_also_counted_in_must_count_one_for_one(client, reviewer, db_session):
    body = {**POP_REG_UPDATE, "also_counted_in": ["万人次"], "version": 1}
    response = client.put("/api/v1/elements/POP_REG", headers=reviewer, json=body)
    assert response.status_code == 422
    assert response.get_json() == {
        "errors": {"also_counted_in": "“万人次”与计量单位“人”不能一比一计"}
    }
    assert _element(db_session, "POP_REG").also_counted_in == []


def test_put_with_a_stale_version_is_409_and_changes_nothing(client, reviewer, db_session):
    first = {**POP_REG_UPDATE, "name": "户籍人口（第一次）", "version": 1}
    assert client.put("/api/v1/elements/POP_REG", headers=reviewer, json=first).status_code == 200
    stale = {**POP_REG_UPDATE, "name": "户籍人口（过期）", "version": 1}
    response = client.put("/api/v1/elements/POP_REG", headers=reviewer, json=stale)
    assert response.status_code == 409
    assert response.get_json()["message"] == "该指标已被他人修改，请刷新后重新编辑"
    stored = _element(db_session, "POP_REG")
    assert (stored.name, stored.version) == ("户籍人口（第一次）", 2)


def test_put_without_a_version_is_422(client, reviewer):
    response = client.put("/api/v1/elements/POP_REG", headers=reviewer, json=POP_REG_UPDATE)
    assert response.status_code == 422
    assert response.get_json() == {"errors": {"version": "必须填写"}}


def test_owner_reads_elements_but_cannot_write(client, bearer, db_session):
    owner = bearer("owner")
    assert client.get("/api/v1/elements/POP_REG", headers=owner).status_code == 200
    response = client.put(
        "/api/v1/elements/POP_REG", headers=owner, json={**POP_REG_UPDATE, "version": 1}
    )
    assert response.status_code == 403
    assert response.get_json()["message"] == "您的角色无权访问此功能"
    assert client.post("/api/v1/elements", headers=owner, json=TREES).status_code == 403
    assert _element(db_session, "POP_REG").version == 1
    assert _element(db_session, "ANCIENT_WELLS") is None


def test_filler_cannot_read_the_dictionary(client, bearer):
    response = client.get("/api/v1/elements", headers=bearer("filler"))
    assert response.status_code == 403


def test_no_credentials_is_401(client):
    assert client.get("/api/v1/elements").status_code == 401
    assert client.get("/api/v1/reports").status_code == 401
    assert client.get("/api/v1/merge?level=village&period=2025-12").status_code == 401


def test_cookie_authenticated_put_needs_the_csrf_header(client, db_session):
    login(client, "reviewer")
    body = {**POP_REG_UPDATE, "name": "户籍人口（网页）", "version": 1}
    response = client.put("/api/v1/elements/POP_REG", json=body)
    assert response.status_code == 400
    assert response.get_json()["message"] == "表单已过期或缺少安全令牌（CSRF），请刷新页面后重试"
    assert _element(db_session, "POP_REG").name == "户籍人口"

    token = csrf_token(client, "/me")
    response = client.put("/api/v1/elements/POP_REG", json=body, headers={"X-CSRFToken": token})
    assert response.status_code == 200
    assert _element(db_session, "POP_REG").name == "户籍人口（网页）"


# ---------------------------------------------------------------- reports


def test_owner_lists_only_its_departments_reports(client, bearer):
    response = client.get("/api/v1/reports", headers=bearer("owner"))
    assert response.status_code == 200
    reports = response.get_json()
    assert [report["code"] for report in reports] == ["R0005", "R0007"]
    assert {report["owner"] for report in reports} == {"县民政局"}
    relief = reports[1]
    assert (relief["title"], relief["frequency"], relief["level"]) == (
        "社会救助对象月报",
        "monthly",
        "village",
    )
    assert relief["fields"][1] == {
        "label": "低保户数（户）",
        "section": None,
        "unit": "户",
        "required": False,
        "element": "DIBAO_HH",
        "role": None,
        "derivation": None,
        "confidence": 1.0,
        "proposal_name": None,
    }


def test_reviewer_lists_every_report(client, reviewer):
    codes = [
        report["code"] for report in client.get("/api/v1/reports", headers=reviewer).get_json()
    ]
    assert codes == [f"R{number:04d}" for number in range(1, 13)]


def test_owner_gets_its_report_but_not_another_departments(client, bearer):
    owner = bearer("owner")
    own = client.get("/api/v1/reports/R0007", headers=owner)
    assert own.status_code == 200
    assert own.get_json()["owner"] == "县民政局"
    other = client.get("/api/v1/reports/R0008", headers=owner)
    missing = client.get("/api/v1/reports/R9999", headers=owner)
    assert (other.status_code, missing.status_code) == (404, 404)  # existence not revealed
    assert other.get_json() == {
        "errors": {"_": "未找到报表：R0008"},
        "message": "未找到报表：R0008",
    }
    assert missing.get_json() == {
        "errors": {"_": "未找到报表：R9999"},
        "message": "未找到报表：R9999",
    }


def test_reviewer_gets_any_report(client, reviewer):
    body = client.get("/api/v1/reports/R0008", headers=reviewer).get_json()
    assert (body["code"], body["owner"], body["frequency"]) == (
        "R0008",
        "县农业农村局",
        "quarterly",
    )


def test_filler_has_no_reports_api(client, bearer):
    assert client.get("/api/v1/reports", headers=bearer("filler")).status_code == 403


# ---------------------------------------------------------------- merge


def test_merged_schema_for_village_december(client, reviewer):
    response = client.get("/api/v1/merge?level=village&period=2025-12", headers=reviewer)
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) >= {"fields", "conflicts", "stats"}
    fields = body["fields"]
    assert fields and all(set(field) >= SPEC_FIELD_KEYS for field in fields)
    assert len({field["key"] for field in fields}) == len(fields)
    stats = body["stats"]
    assert stats["merged_fields"] == len(fields)
    assert stats["report_fields"] > stats["merged_fields"]
    assert isinstance(body["conflicts"], list)

    by_key = {field["key"]: field for field in fields}
    dibao = by_key["DIBAO_P"]
    assert (dibao["element"], dibao["period"], dibao["unit"]) == ("DIBAO_P", "2025-12", "人")
    assert dibao["reports"] == ["R0005", "R0007", "R0011"]
    assert {usage["label"] for usage in dibao["usages"]} == {
        "低保人数（人）",
        "最低生活保障人数（人）",
    }
    reported = {code for field in fields for code in field["reports"]}
    assert "R0006" not in reported and "R0012" not in reported  # township reports


def test_merge_restricted_to_named_reports(client, reviewer):
    url = "/api/v1/merge?level=village&period=2025-12&reports=R0005,R0007"
    body = client.get(url, headers=reviewer).get_json()
    assert {code for field in body["fields"] for code in field["reports"]} == {"R0005", "R0007"}


@pytest.mark.parametrize(
    ("query", "errors"),
    [
        ("level=village&period=2025-13", {"period": "无法识别的周期“2025-13”：月份应为 01–12"}),
        (
            "level=village&period=2025Q4",
            {"period": "“2025Q4”不是月份：参考月份应写作 2025-03 这样的形式"},
        ),
        ("period=2025-12", {"level": "必须填写"}),
    ],
)
def test_bad_merge_query_is_422_in_chinese(client, reviewer, query, errors):
    response = client.get(f"/api/v1/merge?{query}", headers=reviewer)
    assert response.status_code == 422
    assert response.get_json() == {"errors": errors}


def test_merge_of_an_unknown_report_is_404(client, reviewer):
    response = client.get(
        "/api/v1/merge?level=village&period=2025-12&reports=R0005,R9999", headers=reviewer
    )
    assert response.status_code == 404
    assert response.get_json()["message"] == "未找到报表：R9999"


def test_merge_is_for_reviewers(client, bearer):
    response = client.get("/api/v1/merge?level=village&period=2025-12", headers=bearer("owner"))
    assert response.status_code == 403


# ---------------------------------------------------------------- OpenAPI


def test_openapi_lists_the_registry_paths(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    paths = spec["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/elements"])
    assert {"get", "put"} <= set(paths["/api/v1/elements/{code}"])
    assert "get" in paths["/api/v1/reports"]
    assert "get" in paths["/api/v1/reports/{code}"]
    merge_parameters = {p["name"] for p in paths["/api/v1/merge"]["get"]["parameters"]}
    assert merge_parameters == {"level", "period", "reports"}
    assert paths["/api/v1/elements/{code}"]["put"]["security"] == [{"bearer": []}]
