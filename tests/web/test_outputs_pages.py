"""Pages of what the one collection gives back, with exact numbers on the demo world:
report progress (owner, reviewer), 数据回流 (fillers, reviewer), the burden dashboard
(reviewer), and who may see which."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from admission.collection import form_plan
from forms_registry.elements.models import DataElement
from forms_registry.orgs.models import OrgUnit
from forms_registry.periods import Period
from prefill.models import DataValue
from tests.helpers import login
from tests.run_day import RUN_DAY

TODAY = RUN_DAY
MONTH = Period.containing(TODAY, "monthly").previous()  # due now
EARLIER = MONTH.previous()  # submitted by three villages
VILLAGE, SIBLING, OTHER_VILLAGE = "439901100201", "439901100202", "439901101201"
DONGLING, BAISHA, NANHU = "439901100000", "439901101000", "439901102000"
TOWNSHIP_ROW = re.compile(r'<tr data-township="(\w+)"><td>[^<]+</td>((?:<td>[^<]*</td>)+)</tr>')
LATE = re.compile(r'<li data-org="(\d{12})">')


def _page(client, username: str, url: str, status: int = 200) -> str:
    login(client, username)
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:2000]
    return response.get_data(as_text=True)


def _rows(html: str) -> dict[str, list[str]]:
    return {
        code: re.findall(r"<td>([^<]*)</td>", cells) for code, cells in TOWNSHIP_ROW.findall(html)
    }


def _due(period: Period) -> date:
    following = period.last_month.next()
    return date(following.year, following.first_month, 28)


# ---------------------------------------------------------------- progress


def test_owner_sees_who_has_submitted_and_who_is_late(client):
    html = _page(client, "owner", f"/reports/R0007/progress?period={EARLIER.id}")
    assert f"社会救助对象月报 · {EARLIER.id} 填报进度" in html
    assert f'<strong id="due">{_due(EARLIER)}</strong>' in html
    assert _rows(html) == {
        DONGLING: ["5", "3", "0", "2"],
        BAISHA: ["4", "0", "0", "4"],
        NANHU: ["4", "0", "0", "4"],
    }
    assert '<strong id="total-submitted">3</strong>' in html
    assert '<strong id="total-late">10</strong>' in html
    assert LATE.findall(html) == [
        "439901100204",
        "439901100205",
        "439901101201",
        "439901101202",
        "439901101203",
        "439901101204",
        "439901102001",
        "439901102002",
        "439901102201",
        "439901102202",
    ]
    for code in (VILLAGE, SIBLING, "439901100203"):
        assert f'<tr data-org="{code}" data-status="submitted">' in html


def test_the_default_period_is_the_month_just_ended(client):
    html = _page(client, "owner", "/reports/R0007/progress")
    assert f"社会救助对象月报 · {MONTH.id} 填报进度" in html
    late = 13 if _due(MONTH) < TODAY else 0
    assert f'<strong id="total-late">{late}</strong>' in html
    assert '<strong id="total-not-started">13</strong>' in html
    assert f'href="/reports/R0007/progress?period={EARLIER.id}"' in html


def test_reviewer_follows_any_department_and_a_quarter(client):
    quarter = Period.containing(EARLIER.start, "quarterly")
    html = _page(client, "reviewer", f"/reports/R0008/progress?period={quarter.id}")
    submitted = "3" if quarter.last_month == EARLIER else "0"
    assert _rows(html)[DONGLING][1] == submitted


def test_progress_lists_the_owners_admitted_reports(client):
    html = _page(client, "owner", "/progress")
    assert 'href="/reports/R0007/progress"' in html
    assert "/reports/R0005/progress" not in html  # applied for, not admitted
    assert "/reports/R0008/progress" not in html  # another department's


@pytest.mark.parametrize(
    ("username", "answers"),
    [
        (
            "owner",
            {
                "/reports/R0008/progress": 404,  # another department's report
                "/reports/R0005/progress": 404,  # applied for, not admitted: no progress
                "/reports/R0007/progress?period=2025Q1": 422,  # a monthly report
                "/reports/R0007/progress?period=soon": 422,
            },
        ),
        ("owner2", {"/reports/R0007/progress": 404, "/progress": 200}),
        ("filler", {"/reports/R0007/progress": 403, "/progress": 403}),
    ],
)
def test_progress_outside_scope_or_wrong_period(client, username, answers):
    login(client, username)
    assert {url: client.get(url).status_code for url in answers} == answers


# ---------------------------------------------------------------- 数据回流


def _stored(db_session, code: str, element: str) -> str:
    return db_session.scalar(
        select(DataValue.value)
        .join(OrgUnit, OrgUnit.id == DataValue.org_unit_id)
        .join(DataElement, DataElement.id == DataValue.element_id)
        .where(OrgUnit.code == code, DataElement.code == element, DataValue.period == EARLIER.id)
    )


def test_filler_sees_its_values_in_each_reports_own_labels_with_source_and_history(
    client, db_session
):
    html = _page(client, "filler", f"/orgs/{VILLAGE}/data")
    assert "东岭村 · 数据回流" in html
    assert f'id="month-{EARLIER.id}"' in html and f'id="month-{MONTH.id}"' not in html
    assert "农村住房安全情况月报" in html and "社会救助对象月报" in html
    danger = _stored(db_session, VILLAGE, "DANGER_HOUSE")
    households = _stored(db_session, VILLAGE, "HH_REG")
    row = re.compile(
        r"<td>农村危房户数（户）</td>\s*<td class=\"value\">(\d+)</td>\s*<td>户</td>\s*"
        r"<td>(\S+)</td>\s*<td><details class=\"history\"><summary>(\d+) 条</summary><ol>\s*"
        r"<li>（无） → (\d+)（填报）· 东岭村 王会计"
    )
    assert row.search(html).groups() == (danger, "填报", "1", danger)
    assert re.search(
        rf"<td>户籍户数（户）</td>\s*<td class=\"value\">{households}</td>\s*<td>户</td>\s*"
        r"<td>共享数据</td>",
        html,
    )
    assert 'href="/orgs/439901100201/data">数据回流</a>' in html  # the nav link


def test_township_filler_and_reviewer_read_a_village_of_the_township(app, client):
    html = _page(client, "township", f"/orgs/{SIBLING}/data")
    assert "枫树村 · 数据回流" in html and "东岭镇 刘干事" in html
    html = _page(app.test_client(), "reviewer", "/orgs/439901100203/data")
    assert "石门村 · 数据回流" in html


def test_a_village_with_nothing_filled_says_so(client):
    html = _page(client, "reviewer", "/orgs/439901100204/data")
    assert "还没有填报过的数据" in html


@pytest.mark.parametrize(
    ("username", "answers"),
    [
        (
            "filler",
            {
                SIBLING: 404,  # another village of the same township
                DONGLING: 404,  # its own township
                "999999999999": 404,
                VILLAGE: 200,
            },
        ),
        ("township", {OTHER_VILLAGE: 404, BAISHA: 404, DONGLING: 200}),
        ("owner", {VILLAGE: 403}),
    ],
)
def test_data_page_outside_scope(client, username, answers):
    login(client, username)
    assert {code: client.get(f"/orgs/{code}/data").status_code for code in answers} == answers


# ---------------------------------------------------------------- burden dashboard


def test_reviewer_sees_the_burden_per_township_with_a_server_drawn_chart(client, db_session):
    html = _page(client, "reviewer", "/dashboard")
    assert f"填报负担看板 · {EARLIER.year}年" in html
    rows = _rows(html)
    assert set(rows) == {DONGLING, BAISHA, NANHU}
    _reports, forms, asked, unique, typed, prefilled, saved, hours = rows[DONGLING]
    assert forms == "3"
    asked, unique, typed = int(asked), int(unique), int(typed)
    village = db_session.scalar(select(OrgUnit).where(OrgUnit.code == VILLAGE))
    stats = form_plan(db_session, village, EARLIER, TODAY).schema.stats
    assert (asked, unique) == (3 * stats["report_fields"], 3 * stats["merged_fields"])
    typed_by_hand = db_session.scalars(
        select(DataValue.org_unit_id).where(
            DataValue.source == "entered", DataValue.period.like(f"{EARLIER.year}%")
        )
    ).all()
    assert typed == len(typed_by_hand)  # only the three villages have typed anything
    assert prefilled == f"{(Decimal(100) * (unique - typed) / unique).quantize(Decimal('0.1'))}%"
    assert hours == str((Decimal(asked - typed) * 2 / 60).quantize(Decimal("0.1")))
    assert saved == f"{(Decimal(100) * (asked - typed) / asked).quantize(Decimal('0.1'))}%"
    assert rows[BAISHA][1:6] == ["0", "0", "0", "0", "—"]
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart"' in html
    assert html.count('class="chart-series-0"') == 1 + 3  # legend and one bar per township
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert "style=" not in svg
    assert "<script" not in html


def test_the_dashboard_follows_the_configured_minutes(app, client):
    app.config["BURDEN_MINUTES_PER_FIELD"] = "3"
    html = _page(client, "reviewer", f"/dashboard?year={EARLIER.year}")
    row = _rows(html)[DONGLING]
    asked, typed = int(row[2]), int(row[4])
    assert row[7] == str((Decimal(asked - typed) * 3 / 60).quantize(Decimal("0.1")))
    assert "节省工时按每个免于手工填写的字段 3 分钟估算" in html


def test_another_year_has_no_forms(client):
    html = _page(client, "reviewer", "/dashboard?year=2001")
    assert all(row[1] == "0" for row in _rows(html).values())
    assert f'href="/dashboard?year={EARLIER.year}"' in html


def test_only_reviewers_see_the_dashboard(app):
    answers = {}
    for username in ("filler", "township", "owner"):
        client = app.test_client()
        login(client, username)
        answers[username] = client.get("/dashboard").status_code
    assert answers == {"filler": 403, "township": 403, "owner": 403}


def test_navigation_links_each_role_to_its_page(app, client):
    assert 'href="/dashboard">负担看板</a>' in _page(client, "reviewer", "/")
    owner_home = _page(app.test_client(), "owner", "/")
    assert 'href="/progress">填报进度</a>' in owner_home and "负担看板" not in owner_home
