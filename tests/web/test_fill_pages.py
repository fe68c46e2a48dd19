"""Fillers' pages: 本期待报 (/due), the one merged form for a month, saving a draft,
submitting, conflicts, the ?report= highlight and the QR entry /fill/<report_code>."""

from __future__ import annotations

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from werkzeug.datastructures import MultiDict

from app import clock
from forms_registry.periods import Period
from tests.admitting import admit
from tests.helpers import login
from tests.run_day import RUN_DAY
from tests.web.test_collection_api import (
    EARLIER,
    MONTH,
    SIBLING,
    TYPES_REPORT,
    VILLAGE,
    due_of,
    expected_reports,
    shared_value,
    stored,
)

FORM_URL = f"/orgs/{VILLAGE}/forms/{MONTH.id}"
PROGRESS = re.compile(r'已填 <strong id="filled-count">(\d+)</strong> / (\d+) 项')


class FormFields(HTMLParser):
    """What a browser would post from the merged form: enabled inputs with their values,
    checked boxes and radios, selected options."""

    def __init__(self) -> None:
        super().__init__()
        self.data: list[tuple[str, str]] = []
        self.disabled: set[str] = set()
        self._select: str | None = None
        self._inside = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if tag == "form" and "merged-form" in (a.get("class") or ""):
            self._inside = True
        if not self._inside:
            return
        name = a.get("name")
        if tag == "select":
            self._select = None if "disabled" in a else name
        elif tag == "option" and self._select and "selected" in a:
            self.data.append((self._select, a.get("value") or ""))
        elif tag == "input" and name:
            if "disabled" in a:
                self.disabled.add(name)
            elif a.get("type") in ("radio", "checkbox"):
                if "checked" in a:
                    self.data.append((name, a.get("value") or ""))
            elif a.get("type") != "submit":
                self.data.append((name, a.get("value") or ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        if tag == "form":
            self._inside = False


def page_fields(html: str) -> FormFields:
    parser = FormFields()
    parser.feed(html)
    return parser


def post_page(client, html: str, changes: dict[str, str], *, submit: bool = False, url=FORM_URL):
    """Post the form as a browser would: every enabled input, with `changes` typed in."""
    fields = page_fields(html)
    data = [(name, value) for name, value in fields.data if name not in changes]
    data += list(changes.items())
    data.append(("submit" if submit else "save", "1"))
    return client.post(url, data=MultiDict(data))


def answer_box(html: str, key: str) -> str:
    """One field's box: from its div to the end of its hint paragraph, the box's last."""
    match = re.search(rf'data-key="{re.escape(key)}">.*?</p>\s*</div>', html, re.S)
    assert match, f"no field {key} on the page"
    return match.group(0)


def box_classes(html: str, key: str) -> set[str]:
    match = re.search(rf'<div class="([^"]*)" data-key="{re.escape(key)}">', html)
    assert match, f"no field {key} on the page"
    return set(match.group(1).split())


def due_entry(html: str, org: str, month: str) -> str | None:
    """The text of the /due list entry linking to that form, or None."""
    for item in re.findall(r"<li>(.*?)</li>", html, re.S):
        if f'href="/orgs/{org}/forms/{month}"' in item:
            return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", item)).strip()
    return None


@pytest.fixture
def filler(client):
    assert login(client, "filler").status_code == 302
    return client


@pytest.fixture
def api_form(runner, client):
    """The same form through the API, to cross-check what the page shows."""
    token = runner.invoke(args=["users", "token", "filler"]).output.strip()

    def read(org: str = VILLAGE, month: str = MONTH.id) -> dict:
        response = client.get(
            f"/api/v1/orgs/{org}/periods/{month}/form",
            headers={"Authorization": f"Bearer {token}"},
        )
        return response.get_json()

    return read


# ---------------------------------------------------------------- /due


def test_due_page_lists_each_open_month_with_its_status(client, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: MONTH.next().start)
    login(client, "township")
    html = client.get("/due").get_data(as_text=True)
    codes = "、".join(expected_reports(MONTH))
    assert due_entry(html, VILLAGE, MONTH.id) == (
        f"东岭村 · {MONTH.id} 合并报表 未开始 含 {len(expected_reports(MONTH))} 张报表"
        f"（{codes}）· 截止 {due_of(MONTH)}"
    )
    assert due_entry(html, VILLAGE, EARLIER.id) is None  # submitted, past its due day
    overdue = due_entry(html, SIBLING, EARLIER.id)
    assert overdue is not None and "未开始 · 已逾期" in overdue
    assert due_entry(html, "439901101201", MONTH.id) is None  # another township's village

    page = client.get(f"/orgs/{SIBLING}/forms/{MONTH.id}").get_data(as_text=True)
    assert (
        post_page(
            client, page, {"f_DANGER_HOUSE": "2"}, url=f"/orgs/{SIBLING}/forms/{MONTH.id}"
        ).status_code
        == 302
    )
    html = client.get("/due").get_data(as_text=True)
    assert "草稿" in due_entry(html, SIBLING, MONTH.id)
    page = client.get(f"/orgs/{SIBLING}/forms/{MONTH.id}").get_data(as_text=True)
    assert (
        post_page(
            client, page, {}, submit=True, url=f"/orgs/{SIBLING}/forms/{MONTH.id}"
        ).status_code
        == 302
    )
    html = client.get("/due").get_data(as_text=True)
    assert "已提交" in due_entry(html, SIBLING, MONTH.id)


def test_a_village_filler_sees_only_its_own_village(filler):
    html = filler.get("/due").get_data(as_text=True)
    assert due_entry(html, VILLAGE, MONTH.id) is not None
    assert f"/orgs/{SIBLING}/" not in html
    assert filler.get(f"/orgs/{SIBLING}/forms/{MONTH.id}").status_code == 404


# ---------------------------------------------------------------- the form page


def test_form_page_shows_sections_units_sources_report_tags_and_progress(
    filler, db_session, api_form
):
    code = admit(db_session, TYPES_REPORT)
    response = filler.get(FORM_URL)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    legends = re.findall(r"<legend>([^<]*)</legend>", html)
    assert set(legends) == {"基本情况", "救助资金", "基层治理", "村务"}
    assert len(legends) == 4

    hh_reg = answer_box(html, "HH_REG")
    assert '<span class="unit">户</span>' in hh_reg
    assert "共享数据·公安户籍人口库·免填" in hh_reg
    assert f'value="{shared_value(db_session, VILLAGE, "HH_REG")}"' in hh_reg
    assert "disabled" in hh_reg
    assert "R0002：户籍户数（户）" in hh_reg
    pop_res = answer_box(html, "POP_RES")
    assert "上期数据，请确认" in pop_res and "disabled" not in pop_res
    fund = answer_box(html, "DIBAO_FUND")
    assert '<span class="unit">元</span>' in fund
    assert f"{code}：低保金发放金额（元）" in fund
    assert "低保金发放金额（必填）" in fund
    assert "badge" not in answer_box(html, "DANGER_HOUSE")

    form = api_form()
    filled = sum(1 for field in form["fields"] if field["value"] is not None)
    assert PROGRESS.search(html).groups() == (str(filled), str(len(form["fields"])))
    assert html.count("data-key=") == len(form["fields"])


def test_the_report_highlight_marks_that_reports_fields(filler, api_form):
    html = filler.get(f"{FORM_URL}?report=R0002").get_data(as_text=True)
    for field in api_form()["fields"]:
        highlighted = "highlight" in box_classes(html, field["key"])
        assert highlighted == ("R0002" in field["reports"]), field["key"]
    assert "highlight" in box_classes(html, "DANGER_HOUSE")
    assert "highlight" not in box_classes(html, "TEMP_RELIEF")
    plain = filler.get(FORM_URL).get_data(as_text=True)
    assert 'class="field answer highlight' not in plain


# ---------------------------------------------------------------- saving


def test_posting_the_page_saves_a_draft(filler, db_session):
    html = filler.get(FORM_URL).get_data(as_text=True)
    fields = page_fields(html)
    posted = dict(fields.data)
    assert posted["version"] == "0" and posted["csrf_token"] and posted["submission_id"]
    assert {"f_HH_REG", "f_POP_REG"} <= fields.disabled  # locked: not even posted
    filled, total = map(int, PROGRESS.search(html).groups())

    response = post_page(filler, html, {"f_DANGER_HOUSE": "5", "f_TEMP_RELIEF": "2"})
    assert response.status_code == 302
    assert response.headers["Location"] == FORM_URL
    assert stored(db_session, VILLAGE, "DANGER_HOUSE") == ("5", "entered")
    assert stored(db_session, VILLAGE, "TEMP_RELIEF") == ("2", "entered")
    carried = posted["f_POP_RES"]  # the suggestion, confirmed by posting it back
    assert stored(db_session, VILLAGE, "POP_RES") == (carried, "carried")
    assert stored(db_session, VILLAGE, "HH_REG") is None

    page = filler.get(FORM_URL).get_data(as_text=True)
    assert '<p class="flash" role="status">草稿已保存</p>' in page
    assert 'value="5"' in answer_box(page, "DANGER_HOUSE")
    assert "状态：草稿" in page
    assert PROGRESS.search(page).groups() == (str(filled + 2), str(total))
    assert dict(page_fields(page).data)["version"] == "1"


def test_submitting_the_page_says_what_it_saved(filler):
    html = filler.get(FORM_URL).get_data(as_text=True)
    response = post_page(filler, html, {"f_DANGER_HOUSE": "1"}, submit=True)
    assert response.status_code == 302
    page = filler.get(FORM_URL).get_data(as_text=True)
    assert "状态：已提交" in page
    assert re.search(
        r"已提交。本月 \d+ 个报表字段合并为 \d+ 项，其中 \d+ 项已自动填好，您只填了 1 项。", page
    )


def test_a_wrong_value_is_shown_next_to_its_field_and_nothing_is_stored(filler, db_session):
    html = filler.get(FORM_URL).get_data(as_text=True)
    response = post_page(filler, html, {"f_DANGER_HOUSE": "abc", "f_TEMP_RELIEF": "2"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    box = answer_box(page, "DANGER_HOUSE")
    assert '<p class="error">须为数字</p>' in box
    assert 'aria-invalid="true"' in box and 'value="abc"' in box
    assert stored(db_session, VILLAGE, "TEMP_RELIEF") is None


def test_submitting_without_a_required_value_says_so_next_to_it(filler, db_session):
    admit(db_session, TYPES_REPORT)
    html = filler.get(FORM_URL).get_data(as_text=True)
    response = post_page(filler, html, {"f_DANGER_HOUSE": "5"}, submit=True)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert '<p class="error">必填项，请填写</p>' in answer_box(page, "DIBAO_FUND")
    assert "必填项" not in answer_box(page, "DANGER_HOUSE")
    assert "还有必填项未填写，未提交" in page
    assert 'value="5"' in answer_box(page, "DANGER_HOUSE")  # what was typed is kept
    assert stored(db_session, VILLAGE, "DANGER_HOUSE") is None
    assert "状态：未开始" in page


def test_a_stale_page_gets_a_409_listing_the_conflict(filler, client, app, db_session):
    html = filler.get(FORM_URL).get_data(as_text=True)
    other = app.test_client()
    login(other, "township")
    newer = other.get(FORM_URL).get_data(as_text=True)
    assert post_page(other, newer, {"f_DANGER_HOUSE": "5"}).status_code == 302

    response = post_page(filler, html, {"f_DANGER_HOUSE": "7", "f_HOUSE_FIXED": "1"})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "以下数据已被他人修改" in page
    assert re.search(r"DANGER_HOUSE：您填的是 7，东岭镇 刘干事于 [0-9-]+ [0-9:]+ 改为 5。", page)
    assert "数据已被他人修改，请核对后重新提交" in page
    assert stored(db_session, VILLAGE, "DANGER_HOUSE") == ("5", "entered")
    assert stored(db_session, VILLAGE, "HOUSE_FIXED") is None
    # the page now carries the new version: saving again deliberately overwrites
    assert dict(page_fields(page).data)["version"] == "1"
    assert post_page(filler, page, {}).status_code == 302
    assert stored(db_session, VILLAGE, "DANGER_HOUSE") == ("7", "entered")


def test_after_the_due_day_a_submitted_form_refuses_changes(filler, monkeypatch, db_session):
    url = f"/orgs/{VILLAGE}/forms/{EARLIER.id}"
    monkeypatch.setattr(clock, "today", lambda: due_of(EARLIER) + timedelta(days=1))
    html = filler.get(url).get_data(as_text=True)
    assert "状态：已提交" in html
    before = stored(db_session, VILLAGE, "DANGER_HOUSE", EARLIER.id)
    response = post_page(filler, html, {"f_DANGER_HOUSE": str(int(before[0]) + 1)}, url=url)
    assert response.status_code == 409
    assert f"已过截止日（{due_of(EARLIER)}），已提交的报表不能再修改" in response.get_data(
        as_text=True
    )
    assert stored(db_session, VILLAGE, "DANGER_HOUSE", EARLIER.id) == before


# ---------------------------------------------------------------- /fill/<report_code>


def test_fill_report_code_opens_the_due_form_with_that_report_highlighted(filler):
    due_html = filler.get("/due").get_data(as_text=True)
    first_month = re.search(rf'href="/orgs/{VILLAGE}/forms/([0-9-]+)"', due_html).group(1)
    response = filler.get("/fill/R0007")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/orgs/{VILLAGE}/forms/{first_month}?report=R0007"
    page = filler.get(response.headers["Location"]).get_data(as_text=True)
    assert "highlight" in box_classes(page, "TEMP_RELIEF")


def test_fill_for_a_report_not_due_goes_back_to_the_due_list(filler):
    response = filler.get("/fill/R0003")  # its admission has expired
    assert (response.status_code, response.headers["Location"]) == (302, "/due")
    page = filler.get("/due").get_data(as_text=True)
    assert "报表 R0003 目前没有需要您填报的期次" in page


def test_fill_pages_ask_anonymous_visitors_to_log_in(client):
    response = client.get("/fill/R0007")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    assert client.get(FORM_URL).status_code == 302


def test_month_ids_are_checked(filler):
    assert Period.parse(MONTH.id) == MONTH
    assert filler.get(f"/orgs/{VILLAGE}/forms/{RUN_DAY.year}Q1").status_code == 422
