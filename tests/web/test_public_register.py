"""What anyone sees without logging in: the register of admitted reports (目录清单), the
public admissions API and the printable admission notice."""

from __future__ import annotations

import html as html_lib
import re

import pytest
from sqlalchemy import select

from admission.models import Admission
from forms_registry.reports.models import Report, ReportVersion
from tests.run_day import RUN_DAY

TODAY = RUN_DAY
VALID = ["R0007", "R0008", "R0002", "R0009", "R0010", "R0011", "R0001"]  # in approval order
ROW = re.compile(
    r'<tr>\s*<td><a href="/admissions/([^/]+)/notice">([^<]*)</a><br><small class="muted">[^<]*'
    r"</small></td>\s*<td>([^<]*)</td>\s*<td>([^<]*)</td>\s*<td>([^<]*)</td>\s*"
    r"<td>([^<]*)</td>\s*<td>([^<]*)</td>"
)


def _admissions(db_session) -> dict[str, Admission]:
    """Report code → its demo admission that has a code."""
    rows = db_session.scalars(
        select(Admission).where(Admission.code.is_not(None)).order_by(Admission.id)
    )
    return {admission.report.code: admission for admission in rows}


def _rows(client, query: str = "") -> list[dict[str, str]]:
    response = client.get(f"/register{query}")
    assert response.status_code == 200
    html = html_lib.unescape(response.get_data(as_text=True))
    keys = ("code", "display_code", "title", "owner", "frequency", "validity", "standing")
    return [dict(zip(keys, row, strict=True)) for row in ROW.findall(html)]


def _reports(db_session, rows: list[dict[str, str]]) -> list[str]:
    by_code = {a.code: report for report, a in _admissions(db_session).items()}
    return [by_code[row["code"]] for row in rows]


def test_the_register_lists_exactly_the_admissions_valid_today(client, db_session):
    rows = _rows(client)
    admissions = _admissions(db_session)

    assert _reports(db_session, rows) == VALID
    assert {row["standing"] for row in rows} == {"有效"}
    first = rows[0]
    r0007 = admissions["R0007"]
    assert first == {
        "code": r0007.code,
        "display_code": r0007.display_code,
        "title": "社会救助对象月报",
        "owner": "县民政局",
        "frequency": "月报",
        "validity": f"{r0007.valid_from} 至 {r0007.valid_to}",
        "standing": "有效",
    }
    page = client.get("/register").get_data(as_text=True)
    assert "已准入报表目录" in page and "7 张" in page and "无码不报" in page


def test_show_all_adds_the_expired_and_the_revoked_with_their_status(client, db_session):
    rows = _rows(client, "?show=all")
    standing = dict(zip(_reports(db_session, rows), (row["standing"] for row in rows), strict=True))
    assert standing == {code: "有效" for code in VALID} | {"R0003": "已过期", "R0004": "已撤销"}
    # pending, returned and rejected applications have no code and are never listed
    assert not {"R0005", "R0006", "R0012"} & set(standing)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?q=救助", ["R0007"]),
        ("?q=季报", ["R0008", "R0011"]),
        ("?q=季报&show=all", ["R0008", "R0011", "R0004"]),
        ("?q=退役军人", []),
        ("?q=退役军人&show=all", ["R0003"]),
        ("?department=县民政局", ["R0007"]),
        ("?department=县农业农村局", ["R0008"]),
        ("?department=县妇女联合会", []),
        ("?department=县妇女联合会&show=all", ["R0004"]),
        ("?frequency=monthly", ["R0007", "R0002"]),
        ("?frequency=quarterly", ["R0008", "R0009", "R0011"]),
        ("?frequency=yearly", ["R0010", "R0001"]),
        ("?frequency=yearly&show=all", ["R0003", "R0010", "R0001"]),  # R0003: an earlier year
        ("?frequency=quarterly&department=县卫生健康局", ["R0009"]),
        ("?frequency=no-such-thing", VALID),
    ],
)
def test_search_and_filters(client, db_session, query, expected):
    assert _reports(db_session, _rows(client, query)) == expected


def test_search_by_admission_code(client, db_session):
    r0009 = _admissions(db_session)["R0009"]
    assert _reports(db_session, _rows(client, f"?q={r0009.code}")) == ["R0009"]
    assert _reports(db_session, _rows(client, f"?q={r0009.code.lower()}")) == ["R0009"]


def test_the_filters_offer_departments_and_frequencies(client):
    page = client.get("/register?department=县民政局&frequency=monthly&show=all").get_data(
        as_text=True
    )
    assert "<option selected>县民政局</option>" in page
    assert '<option value="monthly" selected>月报</option>' in page
    assert '<option value="all" selected>含已过期、已撤销</option>' in page
    assert "没有符合条件的报表" in client.get("/register?q=不存在的报表").get_data(as_text=True)


# --- the public API -------------------------------------------------------------------


def test_the_api_lists_the_valid_admissions_in_the_spec_shape(client, db_session):
    admissions = _admissions(db_session)

    for path in ("/api/v1/admissions?status=approved", "/api/v1/admissions"):
        response = client.get(path)
        assert response.status_code == 200 and response.is_json
        assert response.get_json() == [
            {
                "code": admissions[report].code,
                "display_code": admissions[report].display_code,
                "report": report,
                "title": admissions[report].report.title,
                "owner": admissions[report].report.department.name,
                "valid_to": admissions[report].valid_to.strftime("%Y-%m-%d"),
            }
            for report in VALID
        ]


def test_the_api_needs_no_login_and_gives_none_away(client):
    response = client.get("/api/v1/admissions?status=approved")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    first = response.get_json()[0]
    assert set(first) == {"code", "display_code", "report", "title", "owner", "valid_to"}
    assert re.fullmatch(r"HN-\d{4}-\d{4}", first["code"])
    assert re.fullmatch(r"湘基准〔\d{4}〕\d+号", first["display_code"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", first["valid_to"])


@pytest.mark.parametrize("status", ["revoked", "all", "submitted", ""])
def test_any_other_status_is_422_in_chinese(client, status):
    response = client.get(f"/api/v1/admissions?status={status}")
    assert response.status_code == 422
    assert response.get_json() == {"errors": {"status": "仅支持 status=approved（今日有效的准入）"}}


@pytest.mark.parametrize(
    ("report", "standing"), [("R0007", "valid"), ("R0003", "expired"), ("R0004", "revoked")]
)
def test_the_api_tells_the_standing_of_one_code(client, db_session, report, standing):
    admission = _admissions(db_session)[report]
    response = client.get(f"/api/v1/admissions/{admission.code}")
    assert response.status_code == 200
    assert response.get_json() == {
        "code": admission.code,
        "display_code": admission.display_code,
        "report": report,
        "title": admission.report.title,
        "owner": admission.report.department.name,
        "frequency": admission.report.frequency,
        "valid_from": admission.valid_from.isoformat(),
        "valid_to": admission.valid_to.isoformat(),
        "status": standing,
    }


def test_the_api_answers_404_for_an_unknown_code(client):
    response = client.get("/api/v1/admissions/HN-2099-0001")
    assert response.status_code == 404
    assert response.get_json()["message"] == "未找到该准入编号"


# --- the printable notice -------------------------------------------------------------


def test_the_notice_shows_code_qr_validity_and_department(client, db_session):
    admission = _admissions(db_session)["R0008"]
    response = client.get(f"/admissions/{admission.code}/notice")
    page = html_lib.unescape(response.get_data(as_text=True))

    assert response.status_code == 200
    assert "基层报表准入通知" in page
    assert f'<p class="code">{admission.display_code}</p>' in page
    assert f"<th>准入编号</th><td>{admission.code}</td>" in page
    assert "<th>报表名称</th><td>农村基本情况季报</td>" in page
    assert "<th>制发部门</th><td>县农业农村局</td>" in page
    assert f"<th>有效期</th><td>{admission.valid_from} 至 {admission.valid_to}</td>" in page
    assert "<th>当前状态</th><td>有效</td>" in page
    assert f"季报，每期结束后次月 {admission.due_day} 日前报送" in page
    assert "示范县所辖村（社区）（13 个）" in page
    assert f'<img src="/admissions/{admission.code}/qr.svg" alt="准入二维码"' in page
    link = re.search(r'<p class="link">([^<]*)</p>', page).group(1)
    assert link.startswith(f"https://reportonce.example.test/v/{admission.code}?s=")


@pytest.mark.parametrize(("report", "standing"), [("R0003", "已过期"), ("R0004", "已撤销")])
def test_the_notice_of_a_lapsed_admission_says_so(client, db_session, report, standing):
    admission = _admissions(db_session)[report]
    page = client.get(f"/admissions/{admission.code}/notice").get_data(as_text=True)
    assert f"<th>当前状态</th><td>{standing}</td>" in page


def test_the_register_links_each_row_to_its_notice(client, db_session):
    for row in _rows(client, "?show=all"):
        assert client.get(f"/admissions/{row['code']}/notice").status_code == 200


def test_unadmitted_reports_have_no_public_notice(client, db_session):
    pending = db_session.scalar(
        select(Admission).where(
            Admission.version.has(ReportVersion.report.has(Report.code == "R0005"))
        )
    )
    assert pending.code is None
    assert client.get("/admissions/None/notice").status_code == 404
    assert client.get(f"/admissions/{pending.id}/notice").status_code == 404


def test_register_search_treats_percent_literally(client):
    html = client.get("/register?q=%25").get_data(as_text=True)
    assert "没有符合条件的报表" in html
