"""Admission through the web pages, with CSRF: the owner's apply form, the reviewer's
decision buttons, the statuses and Chinese messages each step shows, and who may do what."""

from __future__ import annotations

import html as html_lib
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from admission.models import Admission
from app import clock
from forms_registry.reports.models import Report, ReportVersion
from forms_registry.reports.service import (
    FieldChange,
    add_field,
    confirm_as_is,
    get_report,
    new_version,
)
from tests.helpers import csrf_token, login
from tests.run_day import RUN_DAY

TODAY = RUN_DAY
COUNTY = "439901000000"
CSRF_MESSAGE = "表单已过期或缺少安全令牌（CSRF），请刷新页面后重试"
STATES = {
    "submitted": "R0005",
    "approved": "R0007",
    "rejected": "R0012",
    "returned": "R0006",
    "revoked": "R0004",
}
STATUS_WORDS = {
    "submitted": "待审核",
    "approved": "已准入",
    "rejected": "未通过",
    "returned": "退回修改",
    "revoked": "已撤销",
}
VERBS = {"approve": "批准", "reject": "驳回", "return": "退回", "revoke": "撤销"}


def _text(response) -> str:
    return html_lib.unescape(response.get_data(as_text=True))


def _admission(db_session, report_code: str) -> Admission:
    db_session.expire_all()
    return db_session.scalars(
        select(Admission)
        .where(Admission.version.has(ReportVersion.report.has(Report.code == report_code)))
        .order_by(Admission.id.desc())
    ).first()


def _count(db_session) -> int:
    return db_session.scalar(select(func.count(Admission.id)))


def _confirm(db_session, version: ReportVersion) -> None:
    confirm_as_is(db_session, version, now=datetime.now(UTC))


def _draft(db_session, report_code: str, *, confirmed: bool = True) -> ReportVersion:
    version = new_version(db_session, get_report(db_session, report_code))
    if confirmed:
        _confirm(db_session, version)
    return version


def _form(**changes: str) -> dict[str, str]:
    return {
        "justification": "履行社会救助职责需要按月掌握各村救助对象情况",
        "legal_basis": "《社会救助暂行办法》",
        "scope_org_code": COUNTY,
        "due_day": "10",
        "valid_from": TODAY.isoformat(),
        "valid_to": (TODAY + timedelta(days=365 * 3)).isoformat(),
        "data_users": "县民政局、县数据局",
    } | changes


def _apply(client, report_code: str, **changes: str):
    token = csrf_token(client, f"/reports/{report_code}")
    return client.post(
        f"/reports/{report_code}/apply", data={"csrf_token": token} | _form(**changes)
    )


def _decide(client, admission_id: int, step: str, text: str = "", *, token: bool = True):
    field = "reason" if step == "revoke" else "comment"
    data = {field: text}
    if token:
        data["csrf_token"] = csrf_token(client, "/admissions/")
    return client.post(f"/admissions/{admission_id}/{step}", data=data)


def _status_on_page(html: str) -> str:
    match = re.search(r"<dt>状态</dt><dd><strong>([^<]*)</strong>", html)
    assert match, "no status on the admission page"
    return match.group(1)


# --- the apply form -------------------------------------------------------------------


def test_the_owner_sees_the_apply_form_with_sensible_defaults(client, db_session):
    _draft(db_session, "R0007")
    login(client, "owner")
    report_page = _text(client.get("/reports/R0007"))
    assert 'href="/reports/R0007/apply"' in report_page and "申请准入" in report_page

    response = client.get("/reports/R0007/apply")
    page = _text(response)

    assert response.status_code == 200
    assert "申请准入：社会救助对象月报" in page and "第2版" in page
    for label in ("必要性说明", "法律或政策依据", "填报范围", "有效期自", "有效期至"):
        assert label in page
    assert '<option value="439901000000">示范县（县）</option>' in page
    assert "东岭镇（乡镇）" in page and "东岭村" not in page  # counties and townships only
    assert f'value="{TODAY.isoformat()}"' in page
    assert "提交准入申请" in page


def test_a_run_crossing_midnight_keeps_the_days_defaults(client, db_session, monkeypatch):
    """The machine's day moving on mid-run changes no default the pages show."""

    class NextDay(date):
        @classmethod
        def today(cls) -> date:
            return RUN_DAY + timedelta(days=1)

    monkeypatch.setattr(clock, "date", NextDay)
    _draft(db_session, "R0007")
    login(client, "owner")

    page = _text(client.get("/reports/R0007/apply"))

    assert f'value="{RUN_DAY.isoformat()}"' in page
    assert f'value="{NextDay.today().isoformat()}"' not in page


def test_the_owner_applies_and_the_version_freezes(client, db_session):
    version = _draft(db_session, "R0007")
    login(client, "owner")

    response = _apply(client, "R0007")

    admission = _admission(db_session, "R0007")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/admissions/{admission.id}"
    assert admission.status == "submitted" and admission.version.id == version.id
    assert admission.version.is_frozen and admission.due_day == 10
    assert admission.justification == "履行社会救助职责需要按月掌握各村救助对象情况"
    page = _text(client.get(response.headers["Location"]))
    assert "准入申请已提交，报表版本已冻结，等待数据局审核" in page
    assert _status_on_page(page) == "待审核"
    assert "审核材料（系统比对）" in page
    assert "重复采集（已准入报表已在收集）：2 项" in page
    assert "可由共享数据提供（基层免填）：4 项" in page
    assert "新增负担（尚无人收集）：1 项" in page
    assert "县农业农村局《农村基本情况季报》“户籍人口（人）”" in page
    assert "低保户数（户）</strong>（DIBAO_HH）来自 民政社会救助系统" in page
    assert "全部字段 26.0 小时/年；新增字段 5.2 小时/年" in page
    assert "批准准入" not in page  # owners see no decision buttons

    report_page = _text(client.get("/reports/R0007"))
    assert "第2版（已冻结，不可修改）" in report_page
    token = csrf_token(client, "/reports/R0007")
    edit = client.post(
        "/reports/R0007/fields",
        data={"csrf_token": token, "edit": str(version.edit_count), "label": "新字段"},
    )
    assert edit.status_code == 409
    assert "该版本已提交准入并冻结，不能修改；请新建版本后再改" in _text(edit)


@pytest.mark.parametrize(
    ("username", "status"), [("filler", 403), ("township", 403), ("reviewer", 403), ("owner2", 404)]
)
def test_only_the_reports_own_department_may_apply(client, db_session, username, status):
    version = _draft(db_session, "R0007")
    before = _count(db_session)
    login(client, username)

    assert client.get("/reports/R0007/apply").status_code == status
    token = csrf_token(client, "/me")
    response = client.post("/reports/R0007/apply", data={"csrf_token": token} | _form())

    assert response.status_code == status
    db_session.expire_all()
    assert _count(db_session) == before and not version.is_frozen


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get("/reports/R0007/apply")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/reports/R0007/apply"


def test_every_field_must_be_mapped_and_confirmed_before_applying(client, db_session):
    version = _draft(db_session, "R0007", confirmed=False)
    add_field(db_session, version, FieldChange("残疾人数（人）", None, "人", False))
    before = _count(db_session)
    login(client, "owner")

    response = _apply(client, "R0007")

    page = _text(response)
    assert response.status_code == 422
    assert "还有字段未确认，不能提交准入" in page
    assert "残疾人数（人）：尚未确认对应的指标或角色" in page
    assert "对应关系：请先在报表页面逐项确认字段对应的指标，并保存" in page
    db_session.expire_all()
    assert _count(db_session) == before and not version.is_frozen


def test_the_form_is_checked_and_nothing_freezes(client, db_session):
    version = _draft(db_session, "R0007")
    login(client, "owner")

    response = _apply(client, "R0007", justification="", due_day="30", legal_basis="")

    page = _text(response)
    assert response.status_code == 422
    assert "请填写必要性说明" in page and "请填写法律或政策依据" in page
    assert "须在 1 至 28 之间" in page
    db_session.expire_all()
    assert not version.is_frozen


def test_the_service_checks_what_the_form_cannot(client, db_session):
    version = _draft(db_session, "R0007")
    login(client, "owner")
    yesterday = (TODAY - timedelta(days=1)).isoformat()

    response = _apply(client, "R0007", valid_to=yesterday)

    page = _text(response)
    assert response.status_code == 422
    assert "准入申请信息有误" in page and "有效期截止日不能早于起始日" in page
    db_session.expire_all()
    assert not version.is_frozen


def test_applying_without_the_csrf_token_is_refused(client, db_session):
    version = _draft(db_session, "R0007")
    login(client, "owner")

    response = client.post("/reports/R0007/apply", data=_form())

    assert response.status_code == 400 and CSRF_MESSAGE in _text(response)
    db_session.expire_all()
    assert not version.is_frozen


def test_a_frozen_version_cannot_be_sent_twice(client, db_session):
    login(client, "owner")
    response = _apply(client, "R0005")  # v1 awaits review
    assert response.status_code == 409
    assert "该版本已提交过准入申请；如需修改，请新建版本后再申请" in _text(response)


def test_a_pending_application_blocks_another(client, db_session):
    _draft(db_session, "R0005")
    login(client, "owner")
    response = _apply(client, "R0005")
    assert response.status_code == 409
    assert "该报表已有待审核的准入申请" in _text(response)


# --- the reviewer's decisions ---------------------------------------------------------


def test_the_reviewer_sees_the_findings_and_the_decision_buttons(client, db_session):
    admission = _admission(db_session, "R0005")
    login(client, "reviewer")
    page = _text(client.get(f"/admissions/{admission.id}"))
    assert _status_on_page(page) == "待审核"
    assert "村级养老服务情况季报" in page and "县民政局（县民政局 张科长）" in page
    for button in ("批准准入", "退回修改", "驳回"):
        assert f">{button}</button>" in page
    assert "审核意见（驳回或退回时必填）" in page
    assert "撤销准入" not in page
    assert "重复采集（已准入报表已在收集）：3 项" in page


@pytest.mark.parametrize(("username", "status"), [("owner", 200), ("owner2", 404), ("filler", 403)])
def test_who_may_read_an_application(client, db_session, username, status):
    admission = _admission(db_session, "R0005")
    login(client, username)
    response = client.get(f"/admissions/{admission.id}")
    assert response.status_code == status
    if status == 200:
        assert "批准准入" not in _text(response)


def test_approving_gives_the_next_code_and_the_qr_links(client, db_session):
    admission = _admission(db_session, "R0005")
    year = RUN_DAY.year  # the calendar year of the run (the app's clock is pinned to it)
    highest = db_session.scalar(select(func.max(Admission.sequence)).where(Admission.year == year))
    number = (highest or 0) + 1
    login(client, "reviewer")

    response = _decide(client, admission.id, "approve", "经比对，同意准入")

    assert response.status_code == 302
    assert response.headers["Location"] == f"/admissions/{admission.id}"
    stored = _admission(db_session, "R0005")
    assert stored.status == "approved"
    assert stored.code == f"HN-{year}-{number:04d}"
    assert stored.display_code == f"湘基准〔{year}〕{number}号"
    page = _text(client.get(f"/admissions/{admission.id}"))
    assert "已批准准入，准入编号已生成" in page
    assert _status_on_page(page) == "已准入"
    assert "已准入</strong>（有效）" in page
    assert f"{stored.display_code}（{stored.code}）" in page
    assert f'src="/admissions/{stored.code}/qr.svg"' in page
    assert f'href="/admissions/{stored.code}/notice"' in page and "打印准入通知" in page
    assert f'href="/admissions/{stored.code}/qr.png"' in page
    assert "批准准入</button>" not in page and "撤销准入" in page
    assert "县数据局 审核员 · 批准：经比对，同意准入" in page


def test_the_code_carries_the_countys_year_not_utcs(client, db_session, monkeypatch):
    """08:30 on 1 January in the county is still 31 December in UTC."""
    monkeypatch.setattr("app.clock.now", lambda: datetime(2030, 12, 31, 0, 30, tzinfo=UTC))
    monkeypatch.setattr("app.clock.today", lambda: date(2031, 1, 1))
    admission = _admission(db_session, "R0005")
    login(client, "reviewer")

    assert _decide(client, admission.id, "approve").status_code == 302

    stored = _admission(db_session, "R0005")
    assert (stored.code, stored.display_code) == ("HN-2031-0001", "湘基准〔2031〕1号")


@pytest.mark.parametrize(
    ("step", "flash", "status"),
    [("reject", "已驳回该申请", "rejected"), ("return", "已退回修改", "returned")],
)
def test_reject_and_return_need_a_comment(client, db_session, step, flash, status):
    admission = _admission(db_session, "R0005")
    login(client, "reviewer")
    what = "驳回" if step == "reject" else "退回修改"

    refused = _decide(client, admission.id, step, "   ")

    assert refused.status_code == 422
    assert f"{what}时必须填写意见（请填写{what}意见）" in _text(refused)
    assert _admission(db_session, "R0005").status == "submitted"
    assert len(_admission(db_session, "R0005").events) == 1

    done = _decide(client, admission.id, step, "低保数据可共享，请删除后重新申请")

    assert done.status_code == 302
    stored = _admission(db_session, "R0005")
    assert stored.status == status and stored.code is None
    page = _text(client.get(f"/admissions/{admission.id}"))
    assert flash in page and _status_on_page(page) == STATUS_WORDS[status]
    assert f"县数据局 审核员 · {what}：低保数据可共享，请删除后重新申请" in page
    assert "批准准入</button>" not in page


@pytest.mark.parametrize("state", ["approved", "rejected", "returned", "revoked"])
@pytest.mark.parametrize("step", ["approve", "reject", "return"])
def test_decisions_only_from_submitted(client, db_session, step, state):
    admission = _admission(db_session, STATES[state])
    events = len(admission.events)
    login(client, "reviewer")

    response = _decide(client, admission.id, step, "意见")

    assert response.status_code == 409
    message = f"该申请当前状态为“{STATUS_WORDS[state]}”，不能{VERBS[step]}"
    assert message in _text(response)
    stored = _admission(db_session, STATES[state])
    assert stored.status == state and len(stored.events) == events


def test_revoking_needs_a_reason_and_an_approved_admission(client, db_session):
    approved = _admission(db_session, "R0007")
    login(client, "reviewer")

    refused = _decide(client, approved.id, "revoke", "")
    assert refused.status_code == 422
    assert "撤销时必须填写意见（请填写撤销意见）" in _text(refused)
    assert _admission(db_session, "R0007").status == "approved"

    done = _decide(client, approved.id, "revoke", "已并入《农村基本情况季报》")
    assert done.status_code == 302
    stored = _admission(db_session, "R0007")
    assert stored.status == "revoked" and stored.revoke_reason == "已并入《农村基本情况季报》"
    page = _text(client.get(f"/admissions/{approved.id}"))
    assert "已撤销该准入" in page and _status_on_page(page) == "已撤销"
    assert "撤销理由</dt><dd>已并入《农村基本情况季报》" in page

    for state in ("submitted", "rejected", "returned", "revoked"):
        other = _admission(db_session, STATES[state])
        response = _decide(client, other.id, "revoke", "理由")
        assert response.status_code == 409
        assert f"该申请当前状态为“{STATUS_WORDS[state]}”，不能撤销" in _text(response)


@pytest.mark.parametrize(
    ("username", "step"),
    [
        ("owner", "approve"),
        ("owner", "reject"),
        ("owner", "return"),
        ("owner", "revoke"),
        ("owner2", "approve"),
        ("filler", "approve"),
        ("filler", "revoke"),
        ("township", "reject"),
    ],
)
def test_only_reviewers_may_decide(client, db_session, step, username):
    admission = _admission(db_session, "R0007" if step == "revoke" else "R0005")
    status = admission.status
    login(client, username)
    response = _decide(client, admission.id, step, "意见")
    assert response.status_code == 403
    assert "您的角色无权访问此功能" in _text(response)
    assert _admission(db_session, admission.report.code).status == status


def test_an_anonymous_decision_goes_to_the_login_page(client, db_session):
    admission = _admission(db_session, "R0005")
    token = csrf_token(client, "/login")
    response = client.post(f"/admissions/{admission.id}/approve", data={"csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/login?next=/admissions/{admission.id}/approve"
    assert _admission(db_session, "R0005").status == "submitted"


def test_a_decision_without_the_csrf_token_changes_nothing(client, db_session):
    admission = _admission(db_session, "R0005")
    login(client, "reviewer")
    response = _decide(client, admission.id, "approve", token=False)
    assert response.status_code == 400 and CSRF_MESSAGE in _text(response)
    assert _admission(db_session, "R0005").status == "submitted"


def test_deciding_an_unknown_application_is_404(client):
    login(client, "reviewer")
    assert _decide(client, 999999, "approve").status_code == 404


# --- lists, revision, trail -----------------------------------------------------------


def _listed(html: str) -> list[str]:
    return re.findall(r"<td>(R\d{4}) ", html)


def test_the_lists_filter_by_status_and_department(client):
    login(client, "reviewer")
    assert _listed(_text(client.get("/admissions/?status=submitted"))) == ["R0005"]
    assert sorted(_listed(_text(client.get("/admissions/?status=revoked")))) == ["R0004"]
    everything = _listed(_text(client.get("/admissions/")))
    assert sorted(everything) == [f"R{n:04d}" for n in range(1, 13)]

    login(client, "owner2")
    assert _listed(_text(client.get("/admissions/"))) == ["R0008"]


def test_the_owner_lists_only_its_departments_applications(client):
    login(client, "owner")
    page = _text(client.get("/admissions/"))
    assert "本部门的准入申请" in page
    assert sorted(_listed(page)) == ["R0005", "R0007"]


def test_after_return_the_owner_revises_and_resubmits(client, db_session):
    first = _admission(db_session, "R0005")
    login(client, "reviewer")
    _decide(client, first.id, "return", "低保户数、低保人数可共享，请删除后重新申请")

    owner = login(client, "owner")
    assert owner.status_code == 302
    page = _text(client.get("/reports/R0005"))
    assert "新建版本进行修改" in page
    token = csrf_token(client, "/reports/R0005")
    revised = client.post("/reports/R0005/versions", data={"csrf_token": token})
    assert revised.status_code == 302
    assert "已新建第 2 版草稿" in _text(client.get("/reports/R0005"))

    db_session.expire_all()
    version = get_report(db_session, "R0005").latest
    edit = re.search(
        r'name="edit" type="hidden" value="(\d+)"', _text(client.get("/reports/R0005"))
    ).group(1)
    data = {"csrf_token": token, "edit": edit}
    for field in version.fields:
        if field.element and field.element.code.startswith("DIBAO"):
            data[f"map-{field.id}"] = "role:meta"  # no longer asked as data
        elif field.element:
            data[f"map-{field.id}"] = f"el:{field.element.code}"
        else:
            data[f"map-{field.id}"] = f"role:{field.role}"
    confirmed = client.post("/reports/R0005/mapping", data=data)
    assert confirmed.status_code == 302
    assert "对应关系已保存，全部字段已确认" in _text(client.get("/reports/R0005"))

    response = _apply(client, "R0005")

    assert response.status_code == 302
    second = _admission(db_session, "R0005")
    assert second.id != first.id and second.version.number == 2
    assert second.status == "submitted"
    assert [d["element"] for d in second.findings["duplicated"]] == ["POP_60"]
    page = _text(client.get(f"/admissions/{second.id}"))
    assert "村级养老服务情况季报" in page and "第2版" in page
    assert "重复采集（已准入报表已在收集）：1 项" in page
    old = _text(client.get(f"/admissions/{first.id}"))
    assert _status_on_page(old) == "退回修改" and "第1版" in old


def test_the_page_shows_the_whole_trail(client, db_session):
    version = _draft(db_session, "R0007")
    login(client, "owner")
    applied = _apply(client, "R0007")
    admission_id = int(applied.headers["Location"].rsplit("/", 1)[1])
    login(client, "reviewer")
    _decide(client, admission_id, "approve", "同意")
    _decide(client, admission_id, "revoke", "重复采集")

    page = _text(client.get(f"/admissions/{admission_id}"))
    trail = re.findall(r"<li>(\d{4}-\d\d-\d\d \d\d:\d\d) · ([^<]*)</li>", page)
    assert [entry for _, entry in trail] == [
        "县民政局 张科长 · 提交申请",
        "县数据局 审核员 · 批准：同意",
        "县数据局 审核员 · 撤销：重复采集",
    ]
    stored = _admission(db_session, "R0007")
    assert stored.version.id == version.id
    assert [(e.action, e.actor.username) for e in stored.events] == [
        ("submit", "owner"),
        ("approve", "reviewer"),
        ("revoke", "reviewer"),
    ]
    assert all(e.at is not None for e in stored.events)
