"""The admission workflow: apply, approve, reject, return for revision, revoke.

Every step is kept in the audit trail; a transition the current status does not allow is a
Conflict (409); a role that may never take the step, or a reviewer deciding their own
application, is Forbidden (403)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from admission.codes import CodeStyle, next_sequence
from admission.findings import BurdenSettings, compute_findings
from admission.models import STATUS_NAMES, Admission, AdmissionEvent
from forms_registry.accounts.models import User
from forms_registry.errors import Conflict, Forbidden, InvalidInput, NotFound
from forms_registry.orgs.counting import count_within
from forms_registry.orgs.models import LEVELS, OrgUnit
from forms_registry.orgs.service import get_org
from forms_registry.reports.models import Report
from forms_registry.reports.service import freeze

DEFAULT_BURDEN = BurdenSettings()
DEFAULT_STYLE = CodeStyle()


@dataclass(frozen=True)
class ApplicationInput:
    justification: str
    legal_basis: str
    scope_org_code: str
    due_day: int
    valid_from: date
    valid_to: date
    data_users: str = ""


def _validate(data: ApplicationInput, report: Report, today: date) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not data.justification.strip():
        errors["justification"] = "请填写必要性说明"
    if not data.legal_basis.strip():
        errors["legal_basis"] = "请填写法律或政策依据"
    if not 1 <= data.due_day <= 28:
        errors["due_day"] = "报送截止日须在每月 1 至 28 日之间"
    if data.valid_from > data.valid_to:
        errors["valid_to"] = "有效期截止日不能早于起始日"
    elif data.valid_to < today:
        errors["valid_to"] = "有效期截止日不能早于今天"
    return errors


def _scope(session: Session, code: str) -> OrgUnit | None:
    """The org unit the report will go to; None (a field error, not a 404) when unknown."""
    try:
        return get_org(session, code) if code else None
    except NotFound:
        return None


def _record(
    admission: Admission, actor: User, action: str, to_status: str, comment: str, now: datetime
) -> None:
    admission.events.append(
        AdmissionEvent(
            actor=actor,
            action=action,
            from_status=admission.status if admission.id else None,
            to_status=to_status,
            comment=comment,
            at=now,
        )
    )
    admission.status = to_status


def apply_for_admission(
    session: Session,
    report: Report,
    applicant: User,
    data: ApplicationInput,
    *,
    today: date,
    now: datetime,
    burden: BurdenSettings = DEFAULT_BURDEN,
) -> Admission:
    """Freeze the report's draft version and submit it with its review findings."""
    if applicant.role != "owner" or applicant.department_id != report.department_id:
        raise Forbidden("只有报表所属部门可以申请准入")
    version = report.latest
    if version.is_frozen:
        raise Conflict("该版本已提交过准入申请；如需修改，请新建版本后再申请")
    pending = session.scalar(
        select(Admission.id)
        .join(Admission.version)
        .where(Admission.status == "submitted", Admission.version.has(report_id=report.id))
    )
    if pending is not None:
        raise Conflict("该报表已有待审核的准入申请")
    errors = _validate(data, report, today)
    scope = _scope(session, data.scope_org_code)
    if scope is None or LEVELS.index(scope.level) > LEVELS.index(report.level):
        errors["scope_org_code"] = "填报范围须为报表填报层级或其上级的行政区划"
    if errors:
        raise InvalidInput("准入申请信息有误", details=errors)
    freeze(session, version, now=now)
    respondents = count_within(session, scope, report.level)
    admission = Admission(
        version=version,
        applicant=applicant,
        justification=data.justification.strip(),
        legal_basis=data.legal_basis.strip(),
        target_level=report.level,
        scope_org=scope,
        respondents=respondents,
        due_day=data.due_day,
        valid_from=data.valid_from,
        valid_to=data.valid_to,
        data_users=data.data_users.strip(),
        findings=compute_findings(
            session, version, respondents=respondents, today=today, settings=burden
        ),
        submitted_at=now,
    )
    _record(admission, applicant, "submit", "submitted", "", now)
    session.add(admission)
    session.flush()
    return admission


def _decide(
    admission: Admission, reviewer: User, allowed_from: tuple[str, ...], action: str
) -> None:
    if reviewer.role != "reviewer":
        raise Forbidden("只有数据局审核员可以审批准入申请")
    if reviewer.id == admission.applicant_id:
        raise Forbidden("不能审批自己提交的申请")
    if admission.status not in allowed_from:
        raise Conflict(f"该申请当前状态为“{STATUS_NAMES[admission.status]}”，不能{action}")


def approve(
    session: Session,
    admission: Admission,
    *,
    reviewer: User,
    now: datetime,
    comment: str = "",
    style: CodeStyle = DEFAULT_STYLE,
    year: int | None = None,
) -> Admission:
    """`year` is the local calendar year of the approval (the code's 〔year〕); `now` is UTC,
    whose year is still the old one for the first hours of a new year east of Greenwich."""
    _decide(admission, reviewer, ("submitted",), "批准")
    admission.year = year or now.year
    admission.sequence = next_sequence(session, admission.year)
    admission.code = style.code(admission.year, admission.sequence)
    admission.display_code = style.display(admission.year, admission.sequence)
    admission.decided_by, admission.decided_at = reviewer, now
    _record(admission, reviewer, "approve", "approved", comment.strip(), now)
    _retire_earlier_versions(session, admission, reviewer, now)
    session.flush()
    return admission


def _retire_earlier_versions(
    session: Session, admission: Admission, reviewer: User, now: datetime
) -> None:
    """One report, one standing admission: approving a new version revokes the old one."""
    earlier = session.scalars(
        select(Admission).where(
            Admission.status == "approved",
            Admission.id != admission.id,
            Admission.version.has(report_id=admission.version.report_id),
        )
    )
    for old in earlier:
        old.revoke_reason = f"已由新版本准入替代（{admission.display_code}）"
        old.revoked_at = now
        _record(old, reviewer, "revoke", "revoked", old.revoke_reason, now)


def _require_comment(comment: str, what: str) -> str:
    if not comment.strip():
        raise InvalidInput(f"{what}时必须填写意见", details={"comment": f"请填写{what}意见"})
    return comment.strip()


def _close(
    session: Session, admission: Admission, reviewer: User, now: datetime, comment: str, step: str
) -> Admission:
    """Reject or return a submitted application; either needs the reviewer's reasons."""
    action, status, verb, what = {
        "reject": ("reject", "rejected", "驳回", "驳回"),
        "return": ("return", "returned", "退回", "退回修改"),
    }[step]
    _decide(admission, reviewer, ("submitted",), verb)
    text = _require_comment(comment, what)
    admission.decided_by, admission.decided_at = reviewer, now
    _record(admission, reviewer, action, status, text, now)
    session.flush()
    return admission


def reject(
    session: Session, admission: Admission, *, reviewer: User, now: datetime, comment: str
) -> Admission:
    return _close(session, admission, reviewer, now, comment, "reject")


def return_for_revision(
    session: Session, admission: Admission, *, reviewer: User, now: datetime, comment: str
) -> Admission:
    return _close(session, admission, reviewer, now, comment, "return")


def revoke(
    session: Session, admission: Admission, *, reviewer: User, now: datetime, reason: str
) -> Admission:
    _decide(admission, reviewer, ("approved",), "撤销")
    admission.revoke_reason = _require_comment(reason, "撤销")
    admission.revoked_at = now
    _record(admission, reviewer, "revoke", "revoked", admission.revoke_reason, now)
    session.flush()
    return admission
