"""The data element dictionary pages (指标库): browse, create, edit, review proposals."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select

from forms_registry.elements.models import DataElement
from forms_registry.reports.models import Report, ReportField
from tests.forms_registry.xlsx_builders import workbook_bytes
from tests.helpers import csrf_token, login

NEW_ELEMENT = {
    "code": "ANCIENT_WELLS",
    "name": "古井数量",
    "aliases": "古井数\n古井个数",
    "value_type": "integer",
    "unit": "口",
    "kind": "stock",
    "stability": "yearly",
    "choices": "",
    "minimum": "0",
    "maximum": "",
    "category": "基础设施与人居环境",
    "parent": "",
    "description": "挂牌保护的古井数量。",
}
POP_REG_EDIT = {
    "code": "POP_REG",
    "name": "户籍人口（修订）",
    "aliases": "户籍人口数\n户籍总人口",
    "value_type": "integer",
    "unit": "人",
    "kind": "stock",
    "stability": "yearly",
    "choices": "",
    "minimum": "0",
    "maximum": "",
    "category": "人口与户籍",
    "parent": "",
    "description": "户口登记在本地的人口。",
}


def _element(db_session, code: str) -> DataElement | None:
    db_session.expire_all()
    return db_session.scalar(select(DataElement).where(DataElement.code == code))


def _element_count(db_session) -> int:
    return db_session.scalar(select(func.count(DataElement.id)))


def _codes_listed(html: str) -> set[str]:
    return set(re.findall(r'<a href="/elements/([A-Z0-9_]+)">', html))


def _hidden(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" type="hidden" value="([^"]*)"', html)
    assert match, f"no hidden {name} on the page"
    return match.group(1)


# ---------------------------------------------------------------- browsing


def test_search_for_dibao_lists_the_minimum_living_allowance_elements(client):
    login(client, "reviewer")
    response = client.get("/elements/?q=低保")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert {"DIBAO_HH", "DIBAO_P", "DIBAO_FUND", "DIBAO_STANDARD"} <= _codes_listed(html)
    assert "POP_REG" not in _codes_listed(html)
    assert "最低生活保障人数" in html  # the aliases are shown under the name


def test_search_matches_aliases_too(client):
    login(client, "reviewer")
    html = client.get("/elements/?q=最低生活保障人数").get_data(as_text=True)
    assert {"DIBAO_P"} <= _codes_listed(html)
    assert "DIBAO_HH" not in _codes_listed(html)


def test_search_without_hits_says_so(client):
    login(client, "reviewer")
    html = client.get("/elements/?q=不存在的指标名").get_data(as_text=True)
    assert _codes_listed(html) == set()
    assert "没有符合条件的指标" in html


def test_category_filter_keeps_only_that_category(client, db_session):
    login(client, "reviewer")
    html = client.get("/elements/?category=社会救助").get_data(as_text=True)
    expected = set(
        db_session.scalars(
            select(DataElement.code).where(
                DataElement.category == "社会救助", DataElement.status == "active"
            )
        )
    )
    assert "DIBAO_P" in expected
    assert _codes_listed(html) == expected
    assert '<option value="社会救助" selected>' in html
    assert f"{len(expected)} 个指标" in html


def test_detail_shows_which_reports_use_the_element_under_which_labels(client):
    login(client, "reviewer")
    response = client.get("/elements/DIBAO_P")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "低保人数" in html and "时点指标" in html and "社会救助" in html
    assert "使用该指标的报表（3）" in html
    assert "县民政局 · 社会救助对象月报（R0007 第1版）：<strong>低保人数（人）</strong>" in html
    assert (
        "县人力资源和社会保障局 · 就业和社会保障情况季报（R0011 第1版）："
        "<strong>最低生活保障人数（人）</strong>，单位 人"
    ) in html


def test_unknown_element_is_404(client):
    login(client, "reviewer")
    response = client.get("/elements/NO_SUCH_ELEMENT")
    assert response.status_code == 404
    assert "未找到指标：NO_SUCH_ELEMENT" in response.get_data(as_text=True)


def test_owner_reads_the_dictionary_but_cannot_change_it(client):
    login(client, "owner")
    html = client.get("/elements/").get_data(as_text=True)
    assert "POP_REG" in _codes_listed(html)
    assert "新增指标" not in html
    assert client.get("/elements/new").status_code == 403
    assert client.get("/elements/POP_REG/edit").status_code == 403
    assert client.get("/elements/proposals").status_code == 403


def test_filler_has_no_dictionary_pages(client):
    login(client, "filler")
    assert client.get("/elements/").status_code == 403


# ---------------------------------------------------------------- creating


def test_reviewer_creates_an_element_and_sees_it(client, db_session):
    login(client, "reviewer")
    token = csrf_token(client, "/elements/new")
    response = client.post("/elements/new", data={"csrf_token": token, **NEW_ELEMENT})
    assert response.status_code == 302
    assert response.headers["Location"] == "/elements/ANCIENT_WELLS"
    html = client.get("/elements/ANCIENT_WELLS").get_data(as_text=True)
    assert "已新增指标 ANCIENT_WELLS 古井数量" in html
    assert "古井数、古井个数" in html and "口" in html and "尚无报表使用" in html
    assert "ANCIENT_WELLS" in _codes_listed(client.get("/elements/?q=古井").get_data(as_text=True))
    stored = _element(db_session, "ANCIENT_WELLS")
    assert stored.status == "active"
    assert stored.aliases == ["古井数", "古井个数"]
    assert (stored.unit, stored.kind, stored.stability) == ("口", "stock", "yearly")
    assert stored.minimum == 0 and stored.maximum is None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"code": "ancient-trees"}, "代码须以大写字母开头，只含大写字母、数字和下划线（2–64 位）"),
        ({"minimum": "10", "maximum": "5"}, "上限不能小于下限"),
        ({"unit": "斤斤"}, "无法识别的计量单位“斤斤”"),
        ({"unit": ""}, "数值型指标须有计量单位"),
        ({"value_type": "choice", "unit": ""}, "单选或多选指标须有选项"),
        ({"code": "POP_REG"}, "代码 POP_REG 已存在"),
        ({"parent": "NO_SUCH_PARENT"}, "未找到上级指标：NO_SUCH_PARENT"),
    ],
)
def test_invalid_element_is_422_with_the_message_and_nothing_stored(
    client, db_session, changes, message
):
    login(client, "reviewer")
    before = _element_count(db_session)
    token = csrf_token(client, "/elements/new")
    response = client.post("/elements/new", data={"csrf_token": token, **NEW_ELEMENT, **changes})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _element_count(db_session) == before
    assert _element(db_session, "ANCIENT_WELLS") is None


def test_missing_name_is_422_from_the_form(client, db_session):
    login(client, "reviewer")
    token = csrf_token(client, "/elements/new")
    response = client.post("/elements/new", data={"csrf_token": token, **NEW_ELEMENT, "name": ""})
    assert response.status_code == 422
    assert "请填写名称" in response.get_data(as_text=True)
    assert _element(db_session, "ANCIENT_WELLS") is None


def test_create_without_csrf_token_is_400(client, db_session):
    login(client, "reviewer")
    response = client.post("/elements/new", data=NEW_ELEMENT)
    assert response.status_code == 400
    assert _element(db_session, "ANCIENT_WELLS") is None


# ---------------------------------------------------------------- editing


def test_edit_page_holds_the_current_values_and_version(client):
    login(client, "reviewer")
    html = client.get("/elements/POP_REG/edit").get_data(as_text=True)
    assert "编辑指标 POP_REG" in html
    assert _hidden(html, "version") == "1"
    assert 'name="name" required type="text" value="户籍人口"' in html
    assert '<option selected value="stock">时点指标</option>' in html


def test_reviewer_edits_an_element(client, db_session):
    login(client, "reviewer")
    page = client.get("/elements/POP_REG/edit").get_data(as_text=True)
    data = {"csrf_token": _hidden(page, "csrf_token"), "version": _hidden(page, "version")}
    response = client.post("/elements/POP_REG/edit", data={**data, **POP_REG_EDIT})
    assert response.status_code == 302
    assert response.headers["Location"] == "/elements/POP_REG"
    html = client.get("/elements/POP_REG").get_data(as_text=True)
    assert "已保存指标 POP_REG" in html and "户籍人口（修订）" in html
    stored = _element(db_session, "POP_REG")
    assert stored.name == "户籍人口（修订）"
    assert stored.aliases == ["户籍人口数", "户籍总人口"]
    assert stored.version == 2


def test_edit_from_a_stale_page_is_409_and_changes_nothing(client, db_session):
    login(client, "reviewer")
    page = client.get("/elements/POP_REG/edit").get_data(as_text=True)
    stale = {"csrf_token": _hidden(page, "csrf_token"), "version": _hidden(page, "version")}
    first = client.post("/elements/POP_REG/edit", data={**stale, **POP_REG_EDIT})
    assert first.status_code == 302  # saved from another tab: version 1 -> 2

    second = client.post(
        "/elements/POP_REG/edit", data={**stale, **POP_REG_EDIT, "name": "户籍人口（过期）"}
    )
    assert second.status_code == 409
    assert "该指标已被他人修改，请刷新后重新编辑" in second.get_data(as_text=True)
    stored = _element(db_session, "POP_REG")
    assert stored.name == "户籍人口（修订）"
    assert stored.version == 2


def test_edit_with_invalid_input_is_422_and_changes_nothing(client, db_session):
    login(client, "reviewer")
    page = client.get("/elements/POP_REG/edit").get_data(as_text=True)
    data = {"csrf_token": _hidden(page, "csrf_token"), "version": _hidden(page, "version")}
    response = client.post("/elements/POP_REG/edit", data={**data, **POP_REG_EDIT, "unit": "斤斤"})
    assert response.status_code == 422
    assert "无法识别的计量单位“斤斤”" in response.get_data(as_text=True)
    stored = _element(db_session, "POP_REG")
    assert (stored.name, stored.unit, stored.version) == ("户籍人口", "人", 1)


def test_units_also_counted_in_are_shown_and_edited(client, db_session):
    """受灾人口 is counted in 人 and, one for one, in 人次 (listed with 、 or commas)."""
    login(client, "reviewer")
    assert "<dt>也按以下单位一比一计</dt><dd>人次</dd>" in client.get(
        "/elements/DISASTER_AFFECTED"
    ).get_data(as_text=True)
    page = client.get("/elements/DISASTER_AFFECTED/edit").get_data(as_text=True)
    assert "也按以下单位一比一计（如 人次" in page
    assert 'name="also_counted_in" type="text" value="人次"' in page
    data = {"csrf_token": _hidden(page, "csrf_token"), "version": _hidden(page, "version")}
    element = _element(db_session, "DISASTER_AFFECTED")
    fields = {
        "code": element.code,
        "name": element.name,
        "aliases": "\n".join(element.aliases),
        "value_type": element.value_type,
        "unit": "人",
        "kind": element.kind,
        "stability": element.stability,
        "category": element.category,
        "description": element.description,
    }
    refused = client.post(
        "/elements/DISASTER_AFFECTED/edit",
        data={**data, **fields, "also_counted_in": "人次、万人次"},
    )
    assert refused.status_code == 422
    assert "“万人次”与计量单位“人”不能一比一计" in refused.get_data(as_text=True)
    assert _element(db_session, "DISASTER_AFFECTED").also_counted_in == ["人次"]
    saved = client.post(
        "/elements/DISASTER_AFFECTED/edit",
        data={**data, **fields, "also_counted_in": "人次， 户次"},
    )
    assert saved.status_code == 302
    assert _element(db_session, "DISASTER_AFFECTED").also_counted_in == ["人次", "户次"]


def test_a_new_element_is_also_counted_in_nothing_unless_told(client, db_session):
    login(client, "reviewer")
    token = csrf_token(client, "/elements/new")
    client.post("/elements/new", data={"csrf_token": token, **NEW_ELEMENT})
    assert _element(db_session, "ANCIENT_WELLS").also_counted_in == []


# ---------------------------------------------------------------- proposals

PROPOSAL = {
    "code": "ANCIENT_WELLS",
    "name": "古井数量",
    "value_type": "integer",
    "unit": "口",
    "kind": "stock",
    "stability": "yearly",
    "description": "挂牌保护的古井数量。",
}


def _edit_counter(html: str) -> str:
    return _hidden(html, "edit")


@pytest.fixture
def owner(app):
    client = app.test_client()
    login(client, "owner")
    return client


@pytest.fixture
def reviewer(app):
    client = app.test_client()
    login(client, "reviewer")
    return client


@pytest.fixture
def unmatched_field(owner, db_session) -> tuple[str, int]:
    """A new web-editor report of the owner's with one field nothing in the dictionary fits."""
    return _report_with_one_field(owner, db_session, "古井保护情况年报", "古井（口）", "口")


def _report_with_one_field(owner, db_session, title: str, label: str, unit: str) -> tuple[str, int]:
    """A new yearly village report made in the web editor, with one field: its code and the
    field's id."""
    token = csrf_token(owner, "/reports/import")
    report = {"title": title, "frequency": "yearly", "level": "village"}
    response = owner.post("/reports/new", data={"csrf_token": token, **report})
    code = response.headers["Location"].rsplit("/", 1)[1]
    page = owner.get(f"/reports/{code}").get_data(as_text=True)
    field = {"label": label, "section": "", "unit": unit}
    added = owner.post(
        f"/reports/{code}/fields",
        data={"csrf_token": token, "edit": _edit_counter(page), **field},
    )
    assert added.status_code == 302
    field_id = db_session.scalar(
        select(ReportField.id).join(ReportField.version).join(Report).where(Report.code == code)
    )
    return code, field_id


def _propose(owner, report: str, field_id: int, **changes: str):
    page = owner.get(f"/reports/{report}").get_data(as_text=True)
    assert f"/reports/{report}/fields/{field_id}/propose" in page
    data = {"csrf_token": _hidden(page, "csrf_token"), "edit": _edit_counter(page)}
    return owner.post(
        f"/reports/{report}/fields/{field_id}/propose", data={**data, **PROPOSAL, **changes}
    )


def _field(db_session, field_id: int) -> ReportField:
    db_session.expire_all()
    return db_session.get(ReportField, field_id)


def test_owner_proposes_an_element_for_an_unmatched_field(owner, db_session, unmatched_field):
    code, field_id = unmatched_field
    assert _field(db_session, field_id).element is None
    response = _propose(owner, code, field_id)
    assert response.status_code == 302
    page = owner.get(f"/reports/{code}").get_data(as_text=True)
    assert "已提出新指标“古井数量”，待数据局审核" in page
    assert "新指标待审核" in page
    proposed = _element(db_session, "ANCIENT_WELLS")
    assert proposed.status == "proposed"
    assert proposed.proposed_by_id is not None
    assert _field(db_session, field_id).element_id == proposed.id


def test_a_proposal_is_not_in_the_dictionary_until_approved(owner, reviewer, unmatched_field):
    code, field_id = unmatched_field
    _propose(owner, code, field_id)
    index = reviewer.get("/elements/").get_data(as_text=True)
    assert "ANCIENT_WELLS" not in _codes_listed(index)
    assert "待审核的新指标（1）" in index
    proposals = reviewer.get("/elements/proposals").get_data(as_text=True)
    assert "ANCIENT_WELLS 古井数量" in proposals
    assert "整数 · 口 · 时点指标" in proposals


def _input_value(html: str, name: str) -> str:
    found = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', html)
    assert found, f"no {name} input on the page"
    return found.group(1)


def test_the_proposal_form_offers_the_fields_name_unit_and_a_code(owner, unmatched_field):
    code, field_id = unmatched_field
    page = owner.get(f"/reports/{code}").get_data(as_text=True)
    form = page[page.index(f"/fields/{field_id}/propose") :]
    assert _input_value(form, "code") == f"{code}_01"
    assert _input_value(form, "name") == "古井"
    assert _input_value(form, "unit") == "口"
    assert '<option selected value="integer">' in form


def test_a_later_report_is_matched_to_a_pending_proposal(owner, db_session, unmatched_field):
    """A second report asking what another has just proposed gets that proposal, shown as
    awaiting review, not a duplicate proposal of its own."""
    code, field_id = unmatched_field
    _propose(owner, code, field_id)
    rows = [["古井保护巡查季报"], ["村名", "古井数量（口）", "填报人"]]
    later, meanings = _imported(owner, db_session, rows)
    assert meanings == ["org_name", "ANCIENT_WELLS", "meta"]
    assert "新指标待审核" in owner.get(f"/reports/{later}").get_data(as_text=True)


def _imported(owner, db_session, rows: list[list[str]]) -> tuple[str, list[str | None]]:
    """Import a template of these rows: the new report's code and what each field means."""
    token = csrf_token(owner, "/reports/import")
    data = {"csrf_token": token, "file": (io.BytesIO(workbook_bytes(rows)), "later.xlsx")}
    response = owner.post(
        "/reports/import",
        data={**data, "frequency": "", "level": ""},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    later = response.headers["Location"].rsplit("/", 1)[1]
    fields = db_session.scalars(
        select(ReportField)
        .join(ReportField.version)
        .join(Report)
        .where(Report.code == later)
        .order_by(ReportField.position)
    ).all()
    return later, [field.element.code if field.element else field.role for field in fields]


def test_a_later_report_asking_the_same_two_groups_in_other_words_gets_the_proposal(
    owner, db_session
):
    """ "村“两委”成员中的退役军人" proposed by one report is what another asks as the
    "其中：村“两委”成员" of its 退役军人: the same two groups (matching.pairs)."""
    code, field_id = _report_with_one_field(
        owner, db_session, "村级组织建设情况年报", "村“两委”成员中的退役军人（人）", "人"
    )
    assert _field(db_session, field_id).element is None
    proposed = {"code": "VC_VETERANS", "name": "村“两委”成员中的退役军人", "unit": "人"}
    assert _propose(owner, code, field_id, **proposed).status_code == 302

    rows = [["退役军人服务保障年报"], ["村名", "退役军人（人）", "其中：村“两委”成员（人）"]]
    assert _imported(owner, db_session, rows)[1] == ["org_name", "VETERANS", "VC_VETERANS"]


def test_reviewer_approves_a_proposal(owner, reviewer, db_session, unmatched_field):
    code, field_id = unmatched_field
    _propose(owner, code, field_id)
    token = csrf_token(reviewer, "/elements/proposals")
    response = reviewer.post("/elements/ANCIENT_WELLS/approve", data={"csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"] == "/elements/proposals"
    page = reviewer.get("/elements/proposals").get_data(as_text=True)
    assert "已批准新指标 ANCIENT_WELLS 古井数量，已加入指标库" in page
    assert "没有待审核的新指标" in page
    assert _element(db_session, "ANCIENT_WELLS").status == "active"
    assert _field(db_session, field_id).element.code == "ANCIENT_WELLS"
    assert "ANCIENT_WELLS" in _codes_listed(reviewer.get("/elements/").get_data(as_text=True))

    again = reviewer.post("/elements/ANCIENT_WELLS/approve", data={"csrf_token": token})
    assert again.status_code == 409
    assert "该指标不是待审核状态" in again.get_data(as_text=True)


def test_reviewer_rejects_a_proposal_and_the_field_is_unmapped_again(
    owner, reviewer, db_session, unmatched_field
):
    code, field_id = unmatched_field
    _propose(owner, code, field_id)
    token = csrf_token(reviewer, "/elements/proposals")
    response = reviewer.post("/elements/ANCIENT_WELLS/reject", data={"csrf_token": token})
    assert response.status_code == 302
    assert "已驳回新指标提议 ANCIENT_WELLS" in reviewer.get("/elements/proposals").get_data(
        as_text=True
    )
    assert _element(db_session, "ANCIENT_WELLS") is None
    assert _field(db_session, field_id).element_id is None
    page = owner.get(f"/reports/{code}").get_data(as_text=True)
    assert "1 个未确认" in page
    assert "新指标待审核" not in page


def test_owner_cannot_decide_on_proposals(owner, db_session, unmatched_field):
    code, field_id = unmatched_field
    _propose(owner, code, field_id)
    token = csrf_token(owner, "/elements/")
    response = owner.post("/elements/ANCIENT_WELLS/approve", data={"csrf_token": token})
    assert response.status_code == 403
    assert _element(db_session, "ANCIENT_WELLS").status == "proposed"


def test_proposal_with_a_taken_code_is_422_and_the_field_stays_unmapped(
    owner, db_session, unmatched_field
):
    code, field_id = unmatched_field
    response = _propose(owner, code, field_id, code="POP_REG")
    assert response.status_code == 422
    assert "代码 POP_REG 已存在" in response.get_data(as_text=True)
    assert _field(db_session, field_id).element_id is None


def test_proposal_with_a_unit_the_field_cannot_convert_is_422(owner, db_session, unmatched_field):
    code, field_id = unmatched_field
    response = _propose(owner, code, field_id, unit="户")
    assert response.status_code == 422
    assert "计量单位“口”与“户”不可换算" in response.get_data(as_text=True)
    assert _element(db_session, "ANCIENT_WELLS") is None
    assert _field(db_session, field_id).element_id is None
