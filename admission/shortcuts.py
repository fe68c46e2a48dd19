"""A report from a JSON definition, its mappings confirmed as given, applied for and
approved in one call: for generated data (the province load set) and tests, where the owner
and reviewer steps are not what is being looked at."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time

from sqlalchemy.orm import Session

from admission.service import ApplicationInput, apply_for_admission, approve
from forms_registry.accounts.models import User
from forms_registry.importers.json_definition import read_json_definition
from forms_registry.matching.matcher import FieldMatch
from forms_registry.reports.importing import store_report
from forms_registry.reports.models import Report
from forms_registry.reports.service import confirm_as_is


def admit_definition(
    session: Session,
    definition: dict,
    *,
    owner: User,
    reviewer: User,
    scope: str,
    valid_from: date,
    valid_to: date,
    due_day: int = 28,
) -> Report:
    imported = read_json_definition(json.dumps(definition, ensure_ascii=False).encode())
    report = store_report(
        session,
        imported,
        [
            FieldMatch(field.element, field.role, 1.0, derivation=field.derivation)
            for field in imported.fields
        ],
    )
    moment = datetime.combine(valid_from, time(9), tzinfo=UTC)
    confirm_as_is(session, report.latest, now=moment)
    application = ApplicationInput(
        "按期掌握基层情况", "部门职责规定", scope, due_day, valid_from, valid_to
    )
    admission = apply_for_admission(
        session, report, owner, application, today=valid_from, now=moment
    )
    approve(session, admission, reviewer=reviewer, now=moment)
    return report
