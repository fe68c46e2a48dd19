"""The demo: a county with townships and villages, one login per role, all dates relative
to today (SPEC.md *Clock*). Later capabilities add their data here."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.demo_admissions import load_demo_admissions, load_shared_sources
from app.demo_collection import load_shared_values, submit_earlier_month
from forms_registry.accounts.models import User
from forms_registry.accounts.service import NewUser, create_user
from forms_registry.elements.service import load_starter_library
from forms_registry.orgs.service import import_org_csv
from forms_registry.reports.importing import ImportOptions, import_template

DEMO_DATA = Path(__file__).parent / "demo_data"
DEMO_VILLAGE = "439901100201"  # 东岭村
DEMO_TOWNSHIP = "439901100000"  # 东岭镇


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    description: str


DEMO_USERS = (
    (
        NewUser("reviewer", "reviewer-demo", "reviewer", "县数据局 审核员", phone="0746-0000001"),
        "数据局审核员",
    ),
    (
        NewUser(
            "owner",
            "owner-demo",
            "owner",
            "县民政局 张科长",
            department="县民政局",
            phone="0746-0000002",
        ),
        "部门填表需求方（县民政局）",
    ),
    (
        NewUser("owner2", "owner2-demo", "owner", "县农业农村局 李科长", department="县农业农村局"),
        "部门填表需求方（县农业农村局）",
    ),
    (
        NewUser(
            "filler",
            "filler-demo",
            "filler",
            "东岭村 王会计",
            org_code=DEMO_VILLAGE,
            phone="13800000001",
        ),
        "村填报员（东岭村）",
    ),
    (
        NewUser(
            "township",
            "township-demo",
            "filler",
            "东岭镇 刘干事",
            org_code=DEMO_TOWNSHIP,
            phone="13800000002",
        ),
        "乡镇填报员（东岭镇，可代填所辖村）",
    ),
)


def demo_logins() -> list[DemoLogin]:
    return [DemoLogin(user.username, user.password, text) for user, text in DEMO_USERS]


def load_demo(session: Session, *, today: date) -> bool:
    """Load the demo into an empty database; False when it is already there."""
    if session.scalar(select(User.id).where(User.username == "reviewer")) is not None:
        return False
    import_org_csv(session, (DEMO_DATA / "orgs.csv").read_text(encoding="utf-8"))
    for new_user, _ in DEMO_USERS:
        create_user(session, new_user)
    load_starter_library(session)
    import_demo_reports(session)
    load_shared_sources(session)
    load_demo_admissions(session, today=today)
    load_shared_values(session, today=today)
    submit_earlier_month(session, today=today)
    return True


def import_demo_reports(session: Session) -> list[str]:
    """The sample county departments' templates, imported with the matcher's suggestions."""
    manifest = json.loads((DEMO_DATA / "reports.json").read_text(encoding="utf-8"))["reports"]
    codes = []
    for entry in manifest:
        path = DEMO_DATA / "templates" / entry["file"]
        options = ImportOptions(
            owner=entry["owner"], frequency=entry["frequency"], level=entry["level"]
        )
        result = import_template(session, path.read_bytes(), path.name, options)
        codes.append(result.report.code)
    return codes
