"""Which admitted reports an org unit must fill now: the latest ended period of each,
with its due date (day N of the following month)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from admission.models import Admission
from admission.queries import valid_admissions
from forms_registry.accounts.scope import is_within
from forms_registry.orgs.models import OrgUnit
from forms_registry.periods import Period, due_date


@dataclass(frozen=True)
class DueReport:
    admission: Admission
    period: Period
    due: date


def applies_to(admission: Admission, org: OrgUnit) -> bool:
    return admission.target_level == org.level and is_within(org, admission.scope_org)


def reports_due(session: Session, org: OrgUnit, today: date) -> list[DueReport]:
    due: list[DueReport] = []
    for admission in valid_admissions(session, today):
        report = admission.report
        if not applies_to(admission, org) or report.frequency == "one_off":
            continue
        period = Period.containing(today, report.frequency).previous()
        due.append(DueReport(admission, period, due_date(period, admission.due_day)))
    return sorted(due, key=lambda item: (item.due, item.admission.report.code))
