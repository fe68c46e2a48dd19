"""Report owners' pages: template upload, mapping confirmation, the web editor, scope and
versions."""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from forms_registry.periods import TO_DATE
from forms_registry.reports.models import Report, ReportVersion
from forms_registry.reports.service import freeze, get_report
from tests.forms_registry.xlsx_builders import workbook_bytes
from tests.helpers import csrf_token, login
from tests.samples_path import SAMPLES

SAMPLE = "p7_minzheng_jiuzhu_monthly.xlsx"
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
FREQUENCY_MESSAGE = (
    "frequency：无法从模板判断报送频次（标题中没有月报、季报、年报等字样），请指定："
    "monthly（月报）、quarterly（季报）、half_yearly（半年报）、yearly（年报）、one_off（一次性）"
)
ROW = re.compile(r'<tr id="field-(\d+)">\s*<td>\d+</td>\s*<td>([^<]*)(.*?)</tr>', re.S)
SELECTED = re.compile(r'<option value="([^"]*)"\s*selected>')
DERIVE = re.compile(r'<select name="derive-(\d+)"[^>]*>(.*?)</select>', re.S)


@pytest.fixture
def owner(client):
    login(client, "owner")
    return client


def _truth(sample: str) -> dict[str, str]:
    """label -> the mapping choice the page should pre-select (role:… or el:…)."""
    truth = json.loads((SAMPLES / "reports" / "truth.json").read_text(encoding="utf-8"))
    roles = {"ORG_NAME": "role:org_name", "ORG_CODE": "role:org_code", "META": "role:meta"}
    return {
        column["label"]: roles.get(column["concept"], f"el:{column['concept']}")
        for column in truth[sample]["columns"]
    }


def _rows(html: str) -> dict[str, tuple[int, str]]:
    """label -> (field id, the pre-selected choice, "" when unmatched)."""
    rows = {}
    for field_id, label, rest in ROW.findall(html):
        selected = SELECTED.search(rest)
        rows[label.strip()] = (int(field_id), selected.group(1) if selected else "")
    return rows


def _hidden(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" type="hidden" value="([^"]*)"', html)
    assert match, f"no hidden {name} on the page"
    return match.group(1)


def _report_count(db_session) -> int:
    return db_session.scalar(select(func.count(Report.id)))


def _report(db_session, code: str) -> Report:
    db_session.expire_all()
    return get_report(db_session, code)


def _meanings(version: ReportVersion) -> dict[str, str | None]:
    return {
        field.label: field.element.code if field.element else field.role for field in version.fields
    }


def _upload(client, content: bytes, filename: str, **options: str):
    token = csrf_token(client, "/reports/import")
    data = {"csrf_token": token, "file": (io.BytesIO(content), filename)}
    data |= {"frequency": options.get("frequency", ""), "level": options.get("level", "")}
    return client.post("/reports/import", data=data, content_type="multipart/form-data")


# ---------------------------------------------------------------- upload


def test_owner_uploads_a_template_and_sees_each_field_with_its_suggestion(owner, db_session):
    content = (SAMPLES / "reports" / SAMPLE).read_bytes()
    response = _upload(owner, content, SAMPLE, frequency="monthly", level="village")
    assert response.status_code == 302
    assert response.headers["Location"] == "/reports/R0013"
    html = owner.get("/reports/R0013").get_data(as_text=True)
    assert "已导入“社会救助对象月报”（R0013），请逐项确认字段对应的指标" in html
    assert "R0013 · 县民政局 · 月报 · 第1版（草稿）· 6 个字段" in html
    rows = _rows(html)
    assert list(rows) == list(_truth(SAMPLE))
    assert {label: choice for label, (_, choice) in rows.items()} == _truth(SAMPLE)

    report = _report(db_session, "R0013")
    assert (report.department.name, report.frequency, report.level) == (
        "县民政局",
        "monthly",
        "village",
    )
    assert report.latest.status == "draft"
    assert report.latest.source_format == "xlsx"


def test_upload_options_win_over_the_template(owner, db_session):
    content = (SAMPLES / "reports" / "p5_minzheng_quarterly.xlsx").read_bytes()
    response = _upload(owner, content, "p5.xlsx", frequency="yearly", level="township")
    assert response.status_code == 302
    report = _report(db_session, response.headers["Location"].rsplit("/", 1)[1])
    assert (report.title, report.frequency, report.level) == (
        "村级养老服务情况季报",
        "yearly",
        "township",
    )


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        (
            "notes.xlsx",
            b"just some text, not a workbook",
            "文件不是有效的 .xlsx 工作簿，请用 Excel 或 WPS 另存为 .xlsx 格式后再上传",
        ),
        (
            "old.xlsx",
            OLE2_SIGNATURE + bytes(504),
            "文件已加密或为旧版 .xls 格式，请另存为未加密的 .xlsx 后再上传",
        ),
        (
            "definition.json",
            b'{"title": "x", "fields": [',
            "报表定义不是有效的 JSON，未导入：第 1 行第 27 列附近有语法错误（Expecting value）。",
        ),
        (
            "blank.xlsx",
            workbook_bytes([["东岭村基本情况月报"], [], ["注：本表由村委会填报"]]),
            "未找到表头行：模板中应有一行至少包含两个列标题，请检查模板后再上传",
        ),
    ],
)
def test_malformed_upload_is_422_with_the_reason_and_stores_nothing(
    owner, db_session, filename, content, message
):
    before = _report_count(db_session)
    response = _upload(owner, content, filename, frequency="monthly", level="village")
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _report_count(db_session) == before


def test_upload_of_another_file_type_is_refused_by_the_form(owner, db_session):
    before = _report_count(db_session)
    response = _upload(owner, b"a,b\n1,2\n", "data.csv", frequency="monthly")
    assert response.status_code == 422
    assert "只能上传 .xlsx 或 .json 文件" in response.get_data(as_text=True)
    assert _report_count(db_session) == before


def test_template_without_a_frequency_needs_the_option(owner, db_session):
    content = workbook_bytes(
        [["东岭镇村级基本情况统计表"], ["村名", "户籍人口（人）", "常住人口（人）"]]
    )
    before = _report_count(db_session)
    response = _upload(owner, content, "village_basics.xlsx")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "报表信息不完整，未导入" in html
    assert FREQUENCY_MESSAGE in html
    assert _report_count(db_session) == before

    response = _upload(owner, content, "village_basics.xlsx", frequency="monthly")
    assert response.status_code == 302
    report = _report(db_session, response.headers["Location"].rsplit("/", 1)[1])
    assert (report.frequency, report.level) == ("monthly", "village")


def test_json_definition_upload(owner, db_session):
    definition = {
        "title": "低保对象核查",
        "frequency": "monthly",
        "fields": [
            {"label": "村名", "role": "org_name"},
            {"label": "低保人数（人）", "element": "DIBAO_P", "type": "integer"},
        ],
    }
    content = json.dumps(definition, ensure_ascii=False).encode()
    response = _upload(owner, content, "dibao.json", level="village")
    assert response.status_code == 302
    report = _report(db_session, response.headers["Location"].rsplit("/", 1)[1])
    assert (report.frequency, report.level, report.latest.source_format) == (
        "monthly",
        "village",
        "json",
    )
    assert _meanings(report.latest) == {"村名": "org_name", "低保人数（人）": "DIBAO_P"}


# ---------------------------------------------------------------- confirming mappings


@pytest.fixture
def draft(owner) -> str:
    """The owner's freshly uploaded sample: a draft with every suggestion pre-selected."""
    content = (SAMPLES / "reports" / SAMPLE).read_bytes()
    response = _upload(owner, content, SAMPLE, frequency="monthly", level="village")
    assert response.status_code == 302
    return response.headers["Location"].rsplit("/", 1)[1]


def _mapping_form(html: str) -> dict[str, str]:
    """What the browser would post back unchanged: CSRF, edit counter, each select."""
    data = {"csrf_token": _hidden(html, "csrf_token"), "edit": _hidden(html, "edit")}
    data |= {f"map-{field_id}": choice for field_id, choice in _rows(html).values()}
    for field_id, options in DERIVE.findall(html):
        selected = SELECTED.search(options)
        data[f"derive-{field_id}"] = selected.group(1) if selected else ""
    return data


def test_owner_confirms_mappings(owner, db_session, draft):
    page = owner.get(f"/reports/{draft}").get_data(as_text=True)
    assert "系统已给出每个字段的建议指标，请逐项核对后点击“保存对应关系”确认" in page
    rows = _rows(page)
    data = _mapping_form(page)
    data[f"map-{rows['临时救助（人次）'][0]}"] = "role:meta"
    data[f"code-{rows['户籍人口（人）'][0]}"] = "pop_res"  # a typed code wins over the select
    response = owner.post(f"/reports/{draft}/mapping", data=data)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/reports/{draft}"
    html = owner.get(f"/reports/{draft}").get_data(as_text=True)
    assert "对应关系已保存，全部字段已确认" in html
    assert "字段对应关系已确认" in html

    version = _report(db_session, draft).latest
    assert _meanings(version) == {
        "村（社区）名称": "org_name",
        "低保户数（户）": "DIBAO_HH",
        "低保人数（人）": "DIBAO_P",
        "特困供养人数（人）": "TEKUN_P",
        "临时救助（人次）": "meta",
        "户籍人口（人）": "POP_RES",
    }
    assert all(field.confidence == 1.0 for field in version.fields)
    assert version.mappings_confirmed_at is not None


def test_unmapping_a_field_leaves_it_to_confirm(owner, db_session, draft):
    page = owner.get(f"/reports/{draft}").get_data(as_text=True)
    data = _mapping_form(page)
    data[f"map-{_rows(page)['特困供养人数（人）'][0]}"] = ""
    assert owner.post(f"/reports/{draft}/mapping", data=data).status_code == 302
    html = owner.get(f"/reports/{draft}").get_data(as_text=True)
    assert "对应关系已保存，还有 1 个字段未确认" in html
    assert "1 个未确认" in html
    assert _meanings(_report(db_session, draft).latest)["特困供养人数（人）"] is None


def test_stale_edit_counter_is_409_and_changes_nothing(owner, db_session, draft):
    page = owner.get(f"/reports/{draft}").get_data(as_text=True)
    rows = _rows(page)
    first = _mapping_form(page) | {f"map-{rows['临时救助（人次）'][0]}": "role:meta"}
    assert owner.post(f"/reports/{draft}/mapping", data=first).status_code == 302
    saved = _meanings(_report(db_session, draft).latest)

    second = _mapping_form(page) | {f"map-{rows['低保人数（人）'][0]}": "role:meta"}
    response = owner.post(f"/reports/{draft}/mapping", data=second)
    assert response.status_code == 409
    assert "该报表已被他人修改，请刷新页面后重新确认" in response.get_data(as_text=True)
    assert _meanings(_report(db_session, draft).latest) == saved


def test_owner_marks_a_column_as_its_elements_total_from_january(owner, db_session, draft):
    """ "本年累计（各期数相加）": the column is worked out from the months' figures; only a
    flow has such a total, so 户籍人口 refuses it and nothing is saved."""
    page = owner.get(f"/reports/{draft}").get_data(as_text=True)
    rows = _rows(page)
    relief = rows["临时救助（人次）"][0]
    refused = _mapping_form(page) | {
        f"derive-{relief}": TO_DATE,
        f"derive-{rows['户籍人口（人）'][0]}": TO_DATE,
    }
    response = owner.post(f"/reports/{draft}/mapping", data=refused)
    assert response.status_code == 422
    assert "本年累计由各期数值相加得出，只能对应可相加的时期指标" in response.get_data(as_text=True)
    assert {f.derivation for f in _report(db_session, draft).latest.fields} == {None}

    data = _mapping_form(page) | {f"derive-{relief}": TO_DATE}
    assert owner.post(f"/reports/{draft}/mapping", data=data).status_code == 302
    fields = {f.label: f for f in _report(db_session, draft).latest.fields}
    assert (fields["临时救助（人次）"].element.code, fields["临时救助（人次）"].derivation) == (
        "TEMP_RELIEF",
        TO_DATE,
    )
    html = owner.get(f"/reports/{draft}").get_data(as_text=True)
    assert _mapping_form(html)[f"derive-{relief}"] == TO_DATE  # shown as saved
    assert owner.post(f"/reports/{draft}/mapping", data=_mapping_form(html)).status_code == 302
    kept = {f.label: f.derivation for f in _report(db_session, draft).latest.fields}
    assert kept["临时救助（人次）"] == TO_DATE  # confirming the page again keeps it


def test_unknown_element_code_is_422_and_changes_nothing(owner, db_session, draft):
    before = _report(db_session, draft)
    meanings, edits = _meanings(before.latest), before.latest.edit_count
    page = owner.get(f"/reports/{draft}").get_data(as_text=True)
    rows = _rows(page)
    data = _mapping_form(page)
    data[f"map-{rows['临时救助（人次）'][0]}"] = "role:meta"  # valid, but all or nothing
    data[f"code-{rows['户籍人口（人）'][0]}"] = "NO_SUCH_ELEMENT"
    response = owner.post(f"/reports/{draft}/mapping", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "部分字段的对应关系有误，未保存" in html
    assert "未找到指标：NO_SUCH_ELEMENT" in html
    after = _report(db_session, draft).latest
    assert _meanings(after) == meanings
    assert after.edit_count == edits
    assert after.mappings_confirmed_at is None


def test_unit_incompatible_with_the_element_is_422(owner, db_session, draft):
    meanings = _meanings(_report(db_session, draft).latest)
    page = owner.get(f"/reports/{draft}").get_data(as_text=True)
    data = _mapping_form(page) | {f"map-{_rows(page)['低保户数（户）'][0]}": "el:DIBAO_P"}
    response = owner.post(f"/reports/{draft}/mapping", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "计量单位“户”与“人”不可换算（户数与人数）" in html
    assert _meanings(_report(db_session, draft).latest) == meanings


def test_converting_unit_of_the_same_family_is_accepted(owner, db_session, draft):
    page = owner.get(f"/reports/{draft}").get_data(as_text=True)
    data = _mapping_form(page) | {f"code-{_rows(page)['户籍人口（人）'][0]}": "POP_RES"}
    assert owner.post(f"/reports/{draft}/mapping", data=data).status_code == 302
    assert _meanings(_report(db_session, draft).latest)["户籍人口（人）"] == "POP_RES"


# ---------------------------------------------------------------- web editor


def _create_blank(client, title: str = "村级河长巡河情况月报"):
    token = csrf_token(client, "/reports/import")
    return client.post(
        "/reports/new",
        data={"csrf_token": token, "title": title, "frequency": "monthly", "level": "village"},
    )


def _add_field(client, code: str, label: str, unit: str = "", section: str = ""):
    page = client.get(f"/reports/{code}").get_data(as_text=True)
    data = {"csrf_token": _hidden(page, "csrf_token"), "edit": _hidden(page, "edit")}
    data |= {"label": label, "unit": unit, "section": section, "required": "y"}
    return client.post(f"/reports/{code}/fields", data=data)


def test_owner_builds_a_report_on_the_web(owner, db_session):
    response = _create_blank(owner)
    assert response.status_code == 302
    assert response.headers["Location"] == "/reports/R0013"
    assert "已新建“村级河长巡河情况月报”（R0013），请添加字段" in owner.get(
        "/reports/R0013"
    ).get_data(as_text=True)

    assert _add_field(owner, "R0013", "巡河次数（次）", "次", "河长制").status_code == 302
    assert _add_field(owner, "R0013", "发现问题数（个）", "个").status_code == 302
    html = owner.get("/reports/R0013").get_data(as_text=True)
    assert "已添加字段“发现问题数（个）”" in html
    assert list(_rows(html)) == ["巡河次数（次）", "发现问题数（个）"]
    assert "2 个未确认" in html

    first_id = _rows(html)["巡河次数（次）"][0]
    data = {"csrf_token": _hidden(html, "csrf_token"), "edit": _hidden(html, "edit")}
    response = owner.post(f"/reports/R0013/fields/{first_id}/delete", data=data)
    assert response.status_code == 302
    html = owner.get("/reports/R0013").get_data(as_text=True)
    assert "已删除字段" in html
    assert list(_rows(html)) == ["发现问题数（个）"]

    report = _report(db_session, "R0013")
    assert (report.department.name, report.frequency, report.level) == (
        "县民政局",
        "monthly",
        "village",
    )
    (field,) = report.latest.fields
    assert (field.label, field.unit, field.section, field.required) == (
        "发现问题数（个）",
        "个",
        None,
        True,
    )
    assert report.latest.source_format == "web"


def test_blank_report_needs_a_title(owner, db_session):
    before = _report_count(db_session)
    response = _create_blank(owner, title="")
    assert response.status_code == 422
    assert "请填写报表名称" in response.get_data(as_text=True)
    assert _report_count(db_session) == before


def test_adding_a_field_from_a_stale_page_is_409(owner, db_session):
    _create_blank(owner)
    stale = owner.get("/reports/R0013").get_data(as_text=True)
    assert _add_field(owner, "R0013", "巡河次数（次）", "次").status_code == 302
    data = {"csrf_token": _hidden(stale, "csrf_token"), "edit": _hidden(stale, "edit")}
    response = owner.post("/reports/R0013/fields", data=data | {"label": "重复添加"})
    assert response.status_code == 409
    assert "该报表已被他人修改，请刷新页面后重新确认" in response.get_data(as_text=True)
    assert [f.label for f in _report(db_session, "R0013").latest.fields] == ["巡河次数（次）"]


# ---------------------------------------------------------------- scope


def _codes_listed(html: str) -> list[str]:
    return re.findall(r'<td><a href="/reports/(R\d{4})">', html)


def test_owner_lists_only_its_departments_reports(owner):
    html = owner.get("/reports/").get_data(as_text=True)
    assert "本部门报表" in html
    assert _codes_listed(html) == ["R0005", "R0007"]


def test_owner_cannot_open_another_departments_report_even_by_url(owner, db_session):
    assert owner.get("/reports/R0008").status_code == 404
    meanings = _meanings(_report(db_session, "R0008").latest)
    token = csrf_token(owner, "/reports/R0007")
    response = owner.post("/reports/R0008/mapping", data={"csrf_token": token, "edit": "1"})
    assert response.status_code == 404
    response = owner.post("/reports/R0008/versions", data={"csrf_token": token})
    assert response.status_code == 404
    assert _meanings(_report(db_session, "R0008").latest) == meanings


def test_other_owner_sees_its_own_and_not_ours(client):
    login(client, "owner2")
    assert _codes_listed(client.get("/reports/").get_data(as_text=True)) == ["R0008"]
    assert client.get("/reports/R0008").status_code == 200
    assert client.get("/reports/R0007").status_code == 404


def test_reviewer_sees_every_report_read_only(client):
    login(client, "reviewer")
    html = client.get("/reports/").get_data(as_text=True)
    assert "全部报表" in html
    assert _codes_listed(html) == [f"R{number:04d}" for number in range(1, 13)]
    page = client.get("/reports/R0008")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "农村基本情况季报" in html and "县农业农村局" in html
    assert 'name="map-' not in html  # no editing controls
    assert client.get("/reports/import").status_code == 403


def test_filler_has_no_report_pages(client):
    login(client, "filler")
    assert client.get("/reports/").status_code == 403
    assert client.get("/reports/R0007").status_code == 403


# ---------------------------------------------------------------- versions


def _confirm_and_freeze(owner, db_session, code: str) -> None:
    page = owner.get(f"/reports/{code}").get_data(as_text=True)
    assert owner.post(f"/reports/{code}/mapping", data=_mapping_form(page)).status_code == 302
    freeze(db_session, _report(db_session, code).latest, now=datetime.now(UTC))


def test_a_draft_needs_no_new_version(owner, db_session, draft):
    token = csrf_token(owner, f"/reports/{draft}")
    response = owner.post(f"/reports/{draft}/versions", data={"csrf_token": token})
    assert response.status_code == 409
    assert "第 1 版仍是草稿，可直接修改，无需新建版本" in response.get_data(as_text=True)
    assert len(_report(db_session, draft).versions) == 1


def test_a_frozen_version_cannot_be_edited(owner, db_session, draft):
    _confirm_and_freeze(owner, db_session, draft)
    page = owner.get(f"/reports/{draft}").get_data(as_text=True)
    assert "第1版（已冻结，不可修改）" in page
    assert "新建版本进行修改" in page
    assert 'name="map-' not in page

    message = "该版本已提交准入并冻结，不能修改；请新建版本后再改"
    rows = _rows(page)
    data = {"csrf_token": _hidden(page, "csrf_token"), "edit": _hidden(page, "edit")}
    response = owner.post(
        f"/reports/{draft}/mapping", data=data | {f"map-{rows['低保人数（人）'][0]}": "role:meta"}
    )
    assert response.status_code == 409
    assert message in response.get_data(as_text=True)
    response = owner.post(f"/reports/{draft}/fields", data=data | {"label": "新字段"})
    assert response.status_code == 409
    assert message in response.get_data(as_text=True)
    field_id = rows["户籍人口（人）"][0]
    response = owner.post(f"/reports/{draft}/fields/{field_id}/delete", data=data)
    assert response.status_code == 409
    version = _report(db_session, draft).latest
    assert version.status == "frozen"
    assert len(version.fields) == 6
    assert _meanings(version)["低保人数（人）"] == "DIBAO_P"


def test_revising_a_frozen_report_makes_version_2_and_keeps_version_1(owner, db_session, draft):
    _confirm_and_freeze(owner, db_session, draft)
    frozen = _report(db_session, draft).latest
    frozen_fields = [(f.id, f.label, f.unit, f.element_id, f.role) for f in frozen.fields]

    page = owner.get(f"/reports/{draft}").get_data(as_text=True)
    response = owner.post(
        f"/reports/{draft}/versions", data={"csrf_token": _hidden(page, "csrf_token")}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/reports/{draft}"
    html = owner.get(f"/reports/{draft}").get_data(as_text=True)
    assert "已新建第 2 版草稿" in html
    assert "第2版（草稿）" in html

    report = _report(db_session, draft)
    first, second = report.versions
    assert (first.number, first.status, second.number, second.status) == (1, "frozen", 2, "draft")
    assert [(f.label, f.unit, f.element_id, f.role) for f in second.fields] == [
        entry[1:] for entry in frozen_fields
    ]
    assert not {f.id for f in second.fields} & {entry[0] for entry in frozen_fields}

    # Editing the new draft leaves the frozen version as it was.
    data = _mapping_form(html) | {f"map-{_rows(html)['低保人数（人）'][0]}": "role:meta"}
    assert owner.post(f"/reports/{draft}/mapping", data=data).status_code == 302
    report = _report(db_session, draft)
    assert _meanings(report.versions[1])["低保人数（人）"] == "meta"
    assert [(f.id, f.label, f.unit, f.element_id, f.role) for f in report.versions[0].fields] == (
        frozen_fields
    )
    assert report.versions[0].status == "frozen"
