"""Test set-up: a report from a JSON definition, confirmed, applied for and approved."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta

from admission.service import ApplicationInput, apply_for_admission, approve
from forms_registry.accounts.service import get_user
from forms_registry.importers.json_definition import read_json_definition
from forms_registry.matching.matcher import FieldMatch
from forms_registry.reports.importing import store_report
from forms_registry.reports.service import confirm_as_is

COUNTY = "439901000000"


def admit(session, definition: dict, *, scope: str = COUNTY, days_ago: int = 70) -> str:
    """Store a JSON definition as a report (elements and roles as given), confirm its
    mappings, apply for admission `days_ago` days ago and approve it: the report code."""
    imported = read_json_definition(json.dumps(definition, ensure_ascii=False).encode())
    report = store_report(
        session, imported, [FieldMatch(field.element, field.role, 1.0) for field in imported.fields]
    )
    started = date.today() - timedelta(days=days_ago)
    moment = datetime.combine(started, time(9), tzinfo=UTC)
    confirm_as_is(session, report.latest, now=moment)
    application = ApplicationInput(
        "测试需要", "测试依据", scope, 28, started, started + timedelta(days=1000)
    )
    admission = apply_for_admission(
        session, report, get_user(session, "owner"), application, today=started, now=moment
    )
    approve(session, admission, reviewer=get_user(session, "reviewer"), now=moment)
    session.commit()
    return report.code
