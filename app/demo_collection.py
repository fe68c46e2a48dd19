"""Demo shared data for every village and an earlier month already submitted, so the demo
form opens mostly filled (SPEC.md *Clock*: months relative to today)."""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, date, datetime, time
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from admission.collection import form_plan
from forms_registry.accounts.service import get_user
from forms_registry.orgs.models import OrgUnit
from forms_registry.periods import Period
from prefill.models import SharedSource
from prefill.resolution import prefill
from prefill.shared_import import SharedRecord, store_shared_values
from prefill.store import Actor, SaveRequest, save_answers

SHARED_RANGES = {
    "POP_REG": (800, 3200),
    "HH_REG": (250, 900),
    "DIBAO_HH": (8, 40),
    "DIBAO_P": (15, 80),
    "TEKUN_P": (1, 12),
    "PENSION_INS": (400, 1800),
    "MED_INS": (700, 3000),
    "VETERANS": (5, 40),
}
SUBMITTED_VILLAGES = ("439901100201", "439901100202", "439901100203")


def _number(*parts: str, low: int, high: int) -> int:
    digest = hashlib.sha256("/".join(parts).encode()).digest()
    return low + int.from_bytes(digest[:4], "big") % (high - low + 1)


def load_shared_values(session: Session, *, today: date) -> None:
    villages = list(session.scalars(select(OrgUnit).where(OrgUnit.level == "village")))
    month = Period.containing(today, "monthly")
    months = [month.shifted(-back) for back in range(1, 5)]
    sources = {
        binding.element.code: source
        for source in session.scalars(select(SharedSource))
        for binding in source.bindings
    }
    now = datetime.combine(today, time(2, 0), tzinfo=UTC)
    for code, source in sources.items():
        low, high = SHARED_RANGES.get(code, (1, 100))
        records = [
            SharedRecord(
                village.code, m.id, code, str(_number(village.code, code, m.id, low=low, high=high))
            )
            for village in villages
            for m in months
        ]
        store_shared_values(session, source, records, now=now)


def _demo_answer(field, org: OrgUnit) -> object:
    if field.value_type in ("integer", "decimal", "percent"):
        value = Decimal(_number(org.code, field.key, low=1, high=60))
        if field.maximum is not None and value > field.maximum:
            value = field.maximum
        return value if field.value_type != "integer" else int(value)
    if field.value_type == "boolean":
        return True
    if field.value_type in ("choice", "multi_choice") and field.choices:
        return field.choices[0].value if field.value_type == "choice" else [field.choices[0].value]
    if field.value_type == "date":
        return Period.parse(field.period).end.isoformat()
    return "无"


def submit_earlier_month(session: Session, *, today: date) -> None:
    """The month before last, submitted by the village fillers of three villages."""
    month = Period.containing(today, "monthly").shifted(-2)
    filler = get_user(session, "filler")
    township = get_user(session, "township")
    for code in SUBMITTED_VILLAGES:
        org = session.scalar(select(OrgUnit).where(OrgUnit.code == code))
        plan = form_plan(session, org, month, today)
        if not plan.report_codes:
            continue
        user = filler if org.id == filler.org_unit_id else township
        values = {
            item.field.key: _demo_answer(item.field, org)
            for item in prefill(session, org, plan.schema.fields)
            if not item.locked and item.value is None
        }
        moment = datetime.combine(plan.due or today, time(1, 0), tzinfo=UTC)
        save_answers(
            session,
            org=org,
            schema=plan.schema,
            request=SaveRequest(str(uuid.uuid4()), 0, values, submit=True),
            actor=Actor(user.id, user.display_name),
            now=min(moment, datetime.now(UTC)),
            today=today,
            due=plan.due,
        )
