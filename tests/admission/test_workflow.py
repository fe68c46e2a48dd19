"""The admission workflow through the domain service alone (no Flask): who may take which
step from which status, what each step changes, and the audit trail it leaves."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from admission.models import STATUS_NAMES, Admission
from admission.service import (
    ApplicationInput,
    apply_for_admission,
    approve,
    reject,
    return_for_revision,
    revoke,
)
from forms_registry.accounts.models import User
from forms_registry.accounts.service import get_or_create_department, get_user
from forms_registry.errors import Conflict, Forbidden, InvalidInput
from forms_registry.reports.models import Report, ReportVersion
from forms_registry.reports.service import (
    FieldChange,
    Mapping,
    add_field,
    apply_mappings,
    confirm_as_is,
    get_report,
    new_version,
    remove_field,
    set_mapping,
    update_field,
)
from tests.factories import UserFactory
from tests.run_day import RUN_DAY

TODAY = RUN_DAY
NOW = datetime.now(UTC)
COUNTY = "439901000000"
FROZEN = "该版本已提交准入并冻结，不能修改；请新建版本后再改"
# The demo's application of each report, by the state the demo leaves it in.
DEMO_STATE = {
    "submitted": "R0005",
    "approved": "R0007",
    "rejected": "R0012",
    "returned": "R0006",
    "revoked": "R0004",
}
Step = Callable[[Session, Admission, User], Admission]
STEPS: dict[str, tuple[Step, str, str]] = {
    "approve": (
        lambda db, a, who: approve(db, a, reviewer=who, now=NOW, comment="经比对，同意"),
        "approved",
        "批准",
    ),
    "reject": (
        lambda db, a, who: reject(db, a, reviewer=who, now=NOW, comment="重复采集，不予准入"),
        "rejected",
        "驳回",
    ),
    "return": (
        lambda db, a, who: return_for_revision(
            db, a, reviewer=who, now=NOW, comment="请删除可共享字段"
        ),
        "returned",
        "退回",
    ),
    "revoke": (
        lambda db, a, who: revoke(db, a, reviewer=who, now=NOW, reason="已并入其他报表"),
        "revoked",
        "撤销",
    ),
}
ALLOWED = {
    ("approve", "submitted"),
    ("reject", "submitted"),
    ("return", "submitted"),
    ("revoke", "approved"),
}


def _application(**changes) -> ApplicationInput:
    return replace(
        ApplicationInput(
            justification="履行职责需要按季度掌握养老服务情况",
            legal_basis="《中华人民共和国统计法》",
            scope_org_code=COUNTY,
            due_day=10,
            valid_from=TODAY,
            valid_to=TODAY + timedelta(days=365 * 3),
            data_users="县民政局",
        ),
        **changes,
    )


def _admission_of(db: Session, report_code: str) -> Admission:
    """The latest application for a report."""
    return db.scalars(
        select(Admission)
        .where(Admission.version.has(ReportVersion.report.has(Report.code == report_code)))
        .order_by(Admission.id.desc())
    ).first()


def _confirm(db: Session, version: ReportVersion) -> None:
    """The owner confirms every field as it stands."""
    confirm_as_is(db, version, now=NOW)


def _draft(db: Session, report_code: str) -> Report:
    """A new, confirmed draft version of a report whose latest version is frozen."""
    report = get_report(db, report_code)
    _confirm(db, new_version(db, report))
    return report


def _trail(admission: Admission) -> list[tuple]:
    return [
        (e.action, e.from_status, e.to_status, e.actor.username, e.comment)
        for e in admission.events
    ]


def _count(db: Session) -> int:
    return db.scalar(select(func.count(Admission.id)))


# --- applying -------------------------------------------------------------------------


def test_applying_freezes_the_version_and_submits_it_with_findings(db_session):
    owner = get_user(db_session, "owner")
    report = _draft(db_session, "R0007")
    version = report.latest
    assert version.number == 2 and not version.is_frozen

    admission = apply_for_admission(db_session, report, owner, _application(), today=TODAY, now=NOW)

    assert admission.status == "submitted" and admission.status_name == "待审核"
    assert admission.version is version and version.is_frozen and version.frozen_at == NOW
    assert admission.code is None and admission.display_code is None
    assert admission.respondents == 13  # the villages of 示范县
    assert admission.target_level == "village" and admission.scope_org.code == COUNTY
    assert set(admission.findings) == {
        "duplicated",
        "shareable",
        "new",
        "frequency_flags",
        "conflicts",
        "burden",
    }
    assert _trail(admission) == [("submit", None, "submitted", "owner", "")]
    assert admission.events[0].at == NOW


@pytest.mark.parametrize(
    "username", ["filler", "township", "reviewer", "owner2", "reviewer in the department"]
)
def test_only_an_owner_of_the_reports_department_may_apply(db_session, username):
    report = _draft(db_session, "R0007")
    if username == "reviewer in the department":
        department = get_or_create_department(db_session, "县民政局")
        applicant = UserFactory(role="reviewer", department=department)
    else:
        applicant = get_user(db_session, username)
    before = _count(db_session)

    with pytest.raises(Forbidden) as raised:
        apply_for_admission(db_session, report, applicant, _application(), today=TODAY, now=NOW)

    assert raised.value.message == "只有报表所属部门可以申请准入"
    assert not report.latest.is_frozen and _count(db_session) == before


def test_every_field_must_be_mapped_and_the_mapping_confirmed(db_session):
    owner = get_user(db_session, "owner")
    report = get_report(db_session, "R0007")
    version = new_version(db_session, report)  # copies the mappings, not the confirmation
    add_field(db_session, version, FieldChange("残疾人数（人）", None, "人", False))
    add_field(db_session, version, FieldChange("备注说明", None, None, False))
    before = _count(db_session)

    with pytest.raises(InvalidInput) as raised:
        apply_for_admission(db_session, report, owner, _application(), today=TODAY, now=NOW)

    assert raised.value.message == "还有字段未确认，不能提交准入"
    assert raised.value.details == {
        "残疾人数（人）": "尚未确认对应的指标或角色",
        "备注说明": "尚未确认对应的指标或角色",
        "对应关系": "请先在报表页面逐项确认字段对应的指标，并保存",
    }
    assert not version.is_frozen and _count(db_session) == before

    disabled, remark = version.fields[-2:]
    set_mapping(db_session, version, disabled.id, element="DISABLED", role=None)
    set_mapping(db_session, version, remark.id, element=None, role="meta")
    with pytest.raises(InvalidInput) as raised:  # mapped, but not yet confirmed as a whole
        apply_for_admission(db_session, report, owner, _application(), today=TODAY, now=NOW)
    assert raised.value.details == {"对应关系": "请先在报表页面逐项确认字段对应的指标，并保存"}

    _confirm(db_session, version)
    admission = apply_for_admission(db_session, report, owner, _application(), today=TODAY, now=NOW)
    assert admission.status == "submitted" and version.is_frozen


def test_the_application_itself_is_checked_field_by_field(db_session):
    owner = get_user(db_session, "owner")
    report = _draft(db_session, "R0007")
    data = _application(
        justification="  ",
        legal_basis="",
        due_day=29,
        valid_from=TODAY,
        valid_to=TODAY - timedelta(days=1),
        scope_org_code="999999999999",
    )

    with pytest.raises(InvalidInput) as raised:
        apply_for_admission(db_session, report, owner, data, today=TODAY, now=NOW)

    assert raised.value.message == "准入申请信息有误"
    assert raised.value.details == {
        "justification": "请填写必要性说明",
        "legal_basis": "请填写法律或政策依据",
        "due_day": "报送截止日须在每月 1 至 28 日之间",
        "valid_to": "有效期截止日不能早于起始日",
        "scope_org_code": "填报范围须为报表填报层级或其上级的行政区划",
    }
    assert not report.latest.is_frozen


def test_the_scope_cannot_lie_below_the_reports_level(db_session):
    """A township-level report cannot be sent to a single village."""
    report = get_report(db_session, "R0006")  # returned in the demo, 县统计局
    owner = _admission_of(db_session, "R0006").applicant
    _confirm(db_session, new_version(db_session, report))
    with pytest.raises(InvalidInput) as raised:
        apply_for_admission(
            db_session,
            report,
            owner,
            _application(scope_org_code="439901100201"),
            today=TODAY,
            now=NOW,
        )
    assert raised.value.details == {"scope_org_code": "填报范围须为报表填报层级或其上级的行政区划"}


def test_a_validity_window_already_over_is_refused(db_session):
    owner = get_user(db_session, "owner")
    report = _draft(db_session, "R0007")
    data = _application(valid_from=TODAY - timedelta(days=30), valid_to=TODAY - timedelta(days=1))
    with pytest.raises(InvalidInput) as raised:
        apply_for_admission(db_session, report, owner, data, today=TODAY, now=NOW)
    assert raised.value.details == {"valid_to": "有效期截止日不能早于今天"}


def test_a_frozen_version_cannot_be_sent_again(db_session):
    owner = get_user(db_session, "owner")
    report = get_report(db_session, "R0007")  # approved: its only version is frozen
    with pytest.raises(Conflict) as raised:
        apply_for_admission(db_session, report, owner, _application(), today=TODAY, now=NOW)
    assert raised.value.message == "该版本已提交过准入申请；如需修改，请新建版本后再申请"


def test_a_report_with_a_pending_application_cannot_apply_again(db_session):
    owner = get_user(db_session, "owner")
    report = _draft(db_session, "R0005")  # v1 still awaits review
    with pytest.raises(Conflict) as raised:
        apply_for_admission(db_session, report, owner, _application(), today=TODAY, now=NOW)
    assert raised.value.message == "该报表已有待审核的准入申请"
    assert not report.latest.is_frozen


# --- the frozen version ---------------------------------------------------------------


def _edits(db: Session, version: ReportVersion) -> list[Callable[[], object]]:
    field = version.fields[1]
    return [
        lambda: update_field(db, version, field.id, FieldChange("改名", None, None, False)),
        lambda: add_field(db, version, FieldChange("新字段", None, None, False)),
        lambda: remove_field(db, version, field.id),
        lambda: set_mapping(db, version, field.id, element="POP_RES", role=None),
        lambda: apply_mappings(
            db, version, {field.id: Mapping(element="POP_RES")}, expected_edit=None, now=NOW
        ),
    ]


def _assert_frozen(db: Session, version: ReportVersion) -> None:
    labels = [field.label for field in version.fields]
    for edit in _edits(db, version):
        with pytest.raises(Conflict) as raised:
            edit()
        assert raised.value.message == FROZEN
    assert [field.label for field in version.fields] == labels and version.is_frozen


@pytest.mark.parametrize("fate", ["submitted", "approve", "reject", "return", "revoke"])
def test_the_submitted_version_is_frozen_for_good(db_session, fate):
    owner, reviewer = get_user(db_session, "owner"), get_user(db_session, "reviewer")
    report = _draft(db_session, "R0007")
    admission = apply_for_admission(db_session, report, owner, _application(), today=TODAY, now=NOW)
    if fate == "revoke":
        STEPS["approve"][0](db_session, admission, reviewer)
    if fate != "submitted":
        STEPS[fate][0](db_session, admission, reviewer)
    _assert_frozen(db_session, admission.version)


# --- decisions: every step from every status, every role ------------------------------


@pytest.mark.parametrize("state", list(DEMO_STATE))
@pytest.mark.parametrize("step", list(STEPS))
def test_each_decision_is_allowed_only_from_its_status(db_session, step, state):
    reviewer = get_user(db_session, "reviewer")
    admission = _admission_of(db_session, DEMO_STATE[state])
    assert admission.status == state
    take, target, verb = STEPS[step]
    trail = _trail(admission)

    if (step, state) in ALLOWED:
        take(db_session, admission, reviewer)
        assert admission.status == target
        assert _trail(admission)[:-1] == trail
        assert _trail(admission)[-1][:4] == (step, state, target, "reviewer")
    else:
        with pytest.raises(Conflict) as raised:
            take(db_session, admission, reviewer)
        assert raised.value.message == f"该申请当前状态为“{STATUS_NAMES[state]}”，不能{verb}"
        assert admission.status == state and _trail(admission) == trail


def test_an_expired_admission_can_still_be_revoked_but_not_approved(db_session):
    reviewer = get_user(db_session, "reviewer")
    expired = _admission_of(db_session, "R0003")
    assert expired.standing_on(TODAY) == "expired"
    with pytest.raises(Conflict):
        STEPS["approve"][0](db_session, expired, reviewer)
    STEPS["revoke"][0](db_session, expired, reviewer)
    assert expired.status == "revoked" and expired.standing_on(TODAY) == "revoked"


@pytest.mark.parametrize("username", ["owner", "owner2", "filler", "township"])
@pytest.mark.parametrize("step", list(STEPS))
def test_only_reviewers_decide(db_session, step, username):
    state = "approved" if step == "revoke" else "submitted"
    admission = _admission_of(db_session, DEMO_STATE[state])
    trail = _trail(admission)
    with pytest.raises(Forbidden) as raised:
        STEPS[step][0](db_session, admission, get_user(db_session, username))
    assert raised.value.message == "只有数据局审核员可以审批准入申请"
    assert admission.status == state and _trail(admission) == trail


@pytest.mark.parametrize("step", list(STEPS))
def test_nobody_decides_their_own_application(db_session, step):
    """A department clerk applies, then moves to the data bureau as a reviewer."""
    clerk = UserFactory(role="owner", department=get_or_create_department(db_session, "县民政局"))
    report = _draft(db_session, "R0007")
    admission = apply_for_admission(db_session, report, clerk, _application(), today=TODAY, now=NOW)
    if step == "revoke":
        STEPS["approve"][0](db_session, admission, get_user(db_session, "reviewer"))
    clerk.role = "reviewer"
    db_session.flush()
    status, trail = admission.status, _trail(admission)

    with pytest.raises(Forbidden) as raised:
        STEPS[step][0](db_session, admission, clerk)

    assert raised.value.message == "不能审批自己提交的申请"
    assert admission.status == status and _trail(admission) == trail


@pytest.mark.parametrize(
    ("step", "state", "message", "detail"),
    [
        ("reject", "submitted", "驳回时必须填写意见", "请填写驳回意见"),
        ("return", "submitted", "退回修改时必须填写意见", "请填写退回修改意见"),
        ("revoke", "approved", "撤销时必须填写意见", "请填写撤销意见"),
    ],
)
@pytest.mark.parametrize("blank", ["", "   \n"])
def test_reject_return_and_revoke_need_a_reason(db_session, step, state, message, detail, blank):
    reviewer = get_user(db_session, "reviewer")
    admission = _admission_of(db_session, DEMO_STATE[state])
    trail = _trail(admission)
    with pytest.raises(InvalidInput) as raised:
        if step == "revoke":
            revoke(db_session, admission, reviewer=reviewer, now=NOW, reason=blank)
        elif step == "reject":
            reject(db_session, admission, reviewer=reviewer, now=NOW, comment=blank)
        else:
            return_for_revision(db_session, admission, reviewer=reviewer, now=NOW, comment=blank)
    assert raised.value.message == message
    assert raised.value.details == {"comment": detail}
    assert admission.status == state and _trail(admission) == trail
    assert admission.revoke_reason is None or state == "revoked"


def test_approval_may_come_without_a_comment(db_session):
    admission = _admission_of(db_session, "R0005")
    approve(db_session, admission, reviewer=get_user(db_session, "reviewer"), now=NOW)
    assert admission.status == "approved" and admission.events[-1].comment == ""


# --- codes ----------------------------------------------------------------------------


def test_approval_numbers_admissions_sequentially_within_the_year(db_session):
    owner, reviewer = get_user(db_session, "owner"), get_user(db_session, "reviewer")
    first = _admission_of(db_session, "R0005")
    second = apply_for_admission(
        db_session, _draft(db_session, "R0007"), owner, _application(), today=TODAY, now=NOW
    )
    later = datetime(2031, 3, 2, 9, 0, tzinfo=UTC)  # a year nobody has approved in yet

    approve(db_session, first, reviewer=reviewer, now=later)
    approve(db_session, second, reviewer=reviewer, now=later + timedelta(hours=1))

    assert (first.code, first.display_code) == ("HN-2031-0001", "湘基准〔2031〕1号")
    assert (second.code, second.display_code) == ("HN-2031-0002", "湘基准〔2031〕2号")
    assert (first.year, first.sequence, second.sequence) == (2031, 1, 2)
    assert first.decided_by is reviewer and first.decided_at == later


def test_the_code_year_is_the_local_year_when_given(db_session):
    """Approved at 01:00 on 1 January in the county: UTC still says 31 December."""
    admission = _admission_of(db_session, "R0005")
    utc = datetime(2030, 12, 31, 17, 0, tzinfo=UTC)
    approve(db_session, admission, reviewer=get_user(db_session, "reviewer"), now=utc, year=2031)
    assert (admission.code, admission.display_code) == ("HN-2031-0001", "湘基准〔2031〕1号")
    assert admission.decided_at == utc


def test_approval_this_year_continues_after_the_demos_codes(db_session):
    admission = _admission_of(db_session, "R0005")
    year = NOW.year
    highest = db_session.scalar(select(func.max(Admission.sequence)).where(Admission.year == year))
    approve(db_session, admission, reviewer=get_user(db_session, "reviewer"), now=NOW)
    number = (highest or 0) + 1
    assert admission.code == f"HN-{year}-{number:04d}"
    assert admission.display_code == f"湘基准〔{year}〕{number}号"


def test_rejected_returned_and_revoked_applications_keep_or_get_no_new_code(db_session):
    reviewer = get_user(db_session, "reviewer")
    submitted = _admission_of(db_session, "R0005")
    return_for_revision(db_session, submitted, reviewer=reviewer, now=NOW, comment="请修改")
    assert submitted.code is None and submitted.sequence is None
    approved = _admission_of(db_session, "R0007")
    code = approved.code
    revoke(db_session, approved, reviewer=reviewer, now=NOW, reason="重复")
    assert approved.code == code and approved.revoked_at == NOW and approved.revoke_reason == "重复"


# --- revision after return, and the audit trail ----------------------------------------


def test_after_return_the_owner_revises_and_resubmits_with_new_findings(db_session):
    owner, reviewer = get_user(db_session, "owner"), get_user(db_session, "reviewer")
    first = _admission_of(db_session, "R0005")
    old_findings = first.findings
    assert {d["element"] for d in old_findings["duplicated"]} == {"POP_60", "DIBAO_HH", "DIBAO_P"}
    return_for_revision(
        db_session,
        first,
        reviewer=reviewer,
        now=NOW,
        comment="低保户数、低保人数可由民政社会救助系统共享，请删除后重新申请",
    )

    report = get_report(db_session, "R0005")
    version = new_version(db_session, report)
    for field in [f for f in version.fields if f.element and f.element.code.startswith("DIBAO")]:
        remove_field(db_session, version, field.id)
    with pytest.raises(InvalidInput):  # the revision must be confirmed first
        apply_for_admission(db_session, report, owner, _application(), today=TODAY, now=NOW)
    _confirm(db_session, version)
    second = apply_for_admission(db_session, report, owner, _application(), today=TODAY, now=NOW)

    assert second.id != first.id and second.version.number == 2 and second.status == "submitted"
    assert first.status == "returned" and first.version.number == 1 and first.version.is_frozen
    assert first.findings == old_findings
    assert [d["element"] for d in second.findings["duplicated"]] == ["POP_60"]
    assert second.findings["shareable"] == []
    assert second.findings["burden"]["fields_asked"] == 3

    approve(db_session, second, reviewer=reviewer, now=NOW, comment="同意")
    assert second.status == "approved" and first.status == "returned"


def test_every_step_is_in_the_audit_trail(db_session):
    owner, reviewer = get_user(db_session, "owner"), get_user(db_session, "reviewer")
    report = _draft(db_session, "R0007")
    times = [NOW + timedelta(minutes=minutes) for minutes in (0, 5, 10)]
    admission = apply_for_admission(
        db_session, report, owner, _application(), today=TODAY, now=times[0]
    )
    approve(db_session, admission, reviewer=reviewer, now=times[1], comment="  同意准入  ")
    revoke(db_session, admission, reviewer=reviewer, now=times[2], reason="与其他报表重复")
    db_session.expire_all()

    stored = db_session.get(Admission, admission.id)
    assert _trail(stored) == [
        ("submit", None, "submitted", "owner", ""),
        ("approve", "submitted", "approved", "reviewer", "同意准入"),
        ("revoke", "approved", "revoked", "reviewer", "与其他报表重复"),
    ]
    assert [event.at for event in stored.events] == times


def test_the_demo_trail_records_who_decided_and_why(db_session):
    returned = _admission_of(db_session, "R0006")
    assert _trail(returned) == [
        ("submit", None, "submitted", returned.applicant.username, ""),
        (
            "return",
            "submitted",
            "returned",
            "reviewer",
            "户籍人口可由公安户籍库共享，请删除后重新申请",
        ),
    ]
    rejected = _admission_of(db_session, "R0012")
    assert _trail(rejected)[-1] == (
        "reject",
        "submitted",
        "rejected",
        "reviewer",
        "与已准入报表重复，不予准入",
    )


def test_approving_a_new_version_revokes_the_earlier_admission(db_session):
    from datetime import UTC, datetime

    from sqlalchemy import select

    from admission.models import Admission
    from admission.service import ApplicationInput, apply_for_admission, approve
    from forms_registry.accounts.service import get_user
    from forms_registry.reports.service import Mapping, apply_mappings, get_report, new_version

    report = get_report(db_session, "R0008")
    old = db_session.scalar(select(Admission).where(Admission.version.has(report_id=report.id)))
    version = new_version(db_session, report)
    now = datetime.now(UTC)
    mappings = {
        f.id: Mapping(element=f.element.code if f.element else None, role=f.role)
        for f in version.fields
    }
    apply_mappings(db_session, version, mappings, expected_edit=version.edit_count, now=now)
    application = ApplicationInput(
        justification="修订",
        legal_basis="统计法",
        scope_org_code="439901000000",
        due_day=28,
        valid_from=RUN_DAY,
        valid_to=RUN_DAY.replace(year=RUN_DAY.year + 2),
    )
    owner = db_session.scalar(select(Admission).where(Admission.id == old.id)).applicant
    new = apply_for_admission(db_session, report, owner, application, today=RUN_DAY, now=now)
    approve(db_session, new, reviewer=get_user(db_session, "reviewer"), now=now)
    assert old.status == "revoked"
    assert old.revoke_reason == f"已由新版本准入替代（{new.display_code}）"
    assert old.events[-1].action == "revoke"
    assert new.status == "approved"
