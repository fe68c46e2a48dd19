"""Demo admissions in every state, dated relative to today (SPEC.md *Clock*), and the
shared data sources that make some fields 免填."""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from admission.service import (
    ApplicationInput,
    apply_for_admission,
    approve,
    reject,
    return_for_revision,
    revoke,
)
from forms_registry.accounts.models import Department, User
from forms_registry.accounts.service import NewUser, create_user, get_user
from forms_registry.reports.service import (
    confirm_as_is,
    get_report,
    unmapped_fields,
)
from prefill.sources import bind_element, get_or_create_source

COUNTY = "439901000000"
SHARED = {
    ("GA_HUJI", "公安户籍人口库"): {"POP_REG": "hjrk", "HH_REG": "hjhs"},
    ("MZ_JIUZHU", "民政社会救助系统"): {"DIBAO_HH": "dbhs", "DIBAO_P": "dbrs", "TEKUN_P": "tkrs"},
    ("RS_SHEBAO", "人社社会保险系统"): {"PENSION_INS": "ylcb", "MED_INS": "ylbx"},
    ("TY_JUNREN", "退役军人信息系统"): {"VETERANS": "tyjr"},
}
# report code → what happens to its application (in this order, so findings see earlier ones)
STORY = [
    ("R0007", "approved"),
    ("R0008", "approved"),
    ("R0002", "approved"),
    ("R0009", "approved"),
    ("R0010", "approved"),
    ("R0011", "approved"),
    ("R0001", "approved"),
    ("R0003", "expired"),
    ("R0004", "revoked"),
    ("R0006", "returned"),
    ("R0012", "rejected"),
    ("R0005", "submitted"),
]


def _moment(day: date) -> datetime:
    return datetime.combine(day, time(9, 30), tzinfo=UTC)


def load_shared_sources(session: Session) -> None:
    for (code, name), elements in SHARED.items():
        source = get_or_create_source(session, code, name)
        for element, field in elements.items():
            bind_element(session, source, element, source_field=field)


def _owner_of(session: Session, department_id: int) -> User:
    """The department's owner login (a background account for departments the demo does
    not print a password for)."""
    user = session.scalar(
        select(User).where(User.role == "owner", User.department_id == department_id)
    )
    if user is not None:
        return user
    department = session.get(Department, department_id)
    return create_user(
        session,
        NewUser(
            f"dept{department_id}",
            secrets.token_urlsafe(16),
            "owner",
            f"{department.name} 联络员",
            department=department.name,
        ),
    )


def load_demo_admissions(session: Session, *, today: date) -> None:
    reviewer = get_user(session, "reviewer")
    for code, fate in STORY:
        report = get_report(session, code)
        version = report.latest
        if unmapped_fields(version):
            continue  # the owner still has fields to confirm
        owner = _owner_of(session, report.department_id)
        started = today - timedelta(days=420 if fate == "expired" else 70)
        confirm_as_is(session, version, now=_moment(started))
        application = ApplicationInput(
            justification=f"{report.department.name}履行职责需要按期掌握各地{report.title.removesuffix('表')}情况。",
            legal_basis="《中华人民共和国统计法》及部门职责规定",
            scope_org_code=COUNTY,
            due_day=28,  # the month just ended is due now, in the demo
            valid_from=started,
            valid_to=started + timedelta(days=365 if fate == "expired" else 365 * 3),
            data_users=f"{report.department.name}、县数据局",
        )
        admission = apply_for_admission(
            session, report, owner, application, today=started, now=_moment(started)
        )
        decided = _moment(started + timedelta(days=3))
        if fate in ("approved", "expired", "revoked"):
            approve(session, admission, reviewer=reviewer, now=decided, comment="经比对，同意准入")
        if fate == "revoked":
            revoke(
                session,
                admission,
                reviewer=reviewer,
                now=_moment(today - timedelta(days=20)),
                reason="该报表与《农村基本情况季报》重复，已并入后者",
            )
        if fate == "returned":
            return_for_revision(
                session,
                admission,
                reviewer=reviewer,
                now=decided,
                comment="户籍人口可由公安户籍库共享，请删除后重新申请",
            )
        if fate == "rejected":
            reject(
                session,
                admission,
                reviewer=reviewer,
                now=decided,
                comment="与已准入报表重复，不予准入",
            )
