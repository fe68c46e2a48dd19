"""What there is a lot of, written in bulk: every village's shared values and the month
before the load month as submitted (forms, submission records, answers, history)."""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from itertools import islice

from sqlalchemy import select
from sqlalchemy.orm import Session

from admission.collection import form_plan
from forms_registry.accounts.models import User
from forms_registry.elements.models import DataElement
from forms_registry.merge import MergedField
from forms_registry.orgs.models import OrgUnit
from forms_registry.periods import Period
from loadtest.answers import sample_answer
from loadtest.bulk import BATCH, BulkWriter
from prefill.models import DataValue, FormState, SharedValue, Submission, ValueChange
from prefill.store import rules_for_field
from prefill.values import canonical


def shared_values(
    session: Session,
    bulk: BulkWriter,
    orgs: list[dict],
    shared: dict[str, int],
    today: date,
    rng: random.Random,
) -> int:
    """Last year's figure of every shared element for every village."""
    ids = dict(session.execute(select(DataElement.code, DataElement.id)).all())
    year = Period.containing(today, "yearly").previous().id
    session.commit()
    fetched = datetime.now(UTC)
    rows = (
        {
            "source_id": source_id,
            "org_unit_id": org["id"],
            "period": year,
            "element_id": ids[code],
            "value": str(rng.randint(0, 3000)),
            "fetched_at": fetched,
        }
        for org in orgs
        if org["level"] == "village"
        for code, source_id in shared.items()
    )
    return bulk.write(SharedValue.__table__, rows, with_ids=False)


def earlier_month(
    session: Session,
    bulk: BulkWriter,
    orgs: list[dict],
    month: Period,
    today: date,
    rng: random.Random,
) -> dict[str, int]:
    """Every village's and township's form of `month` as submitted: the form and its
    submission record, then each answer (entered, or the shared value as submission stores
    it) with its history row, streamed in batches (a full province is millions of answers)."""
    filler_of = dict(
        session.execute(select(User.org_unit_id, User.id).where(User.role == "filler")).all()
    )
    ids = dict(session.execute(select(DataElement.code, DataElement.id)).all())
    shared = {
        (org_id, element_id): value
        for org_id, element_id, value in session.execute(
            select(SharedValue.org_unit_id, SharedValue.element_id, SharedValue.value)
        )
    }
    at = datetime.combine(today.replace(day=1) - timedelta(days=20), time(10), tzinfo=UTC)
    groups = list(_forms_by_schema(session, orgs, month, today))
    session.commit()
    questions = {  # per merged form: what answering each field needs, worked out once
        id(fields): [
            (field.period, ids[field.element], field.to_json(), rules_for_field(field))
            for field in fields
        ]
        for fields, _ in groups
    }
    forms = [
        (org, filler_of[org["id"] if org["level"] == "township" else org["parent_id"]], fields)
        for fields, group in groups
        for org in group
    ]
    submissions = [str(uuid.UUID(int=rng.getrandbits(128))) for _ in forms]
    bulk.write(
        FormState.__table__,
        (
            {"id": number, "org_unit_id": org["id"], "month": month.id, "version": 1}
            | {"status": "submitted", "submitted_at": at, "submitted_by_id": filler}
            | {"updated_at": at}
            for number, (org, filler, _) in enumerate(forms, start=1)
        ),
    )
    bulk.write(
        Submission.__table__,
        (
            {"id": submission, "form_id": number, "body_hash": "0" * 64, "status_code": 200}
            | {"response": {"version": 1, "status": "submitted"}, "created_at": at}
            for number, submission in enumerate(submissions, start=1)
        ),
        with_ids=False,
    )

    def answers() -> Iterator[tuple[dict, dict]]:
        value_id = 0
        for (org, filler, fields), submission in zip(forms, submissions, strict=True):
            written = {"changed_by_id": filler, "changed_at": at, "form_version": 1}
            written["submission_id"] = submission
            for period, element_id, question, rules in questions[id(fields)]:
                value_id += 1
                text = shared.get((org["id"], element_id))
                source = "shared" if text else "entered"
                text = text or canonical(sample_answer(question, rng), rules)
                yield (
                    {"id": value_id, "org_unit_id": org["id"], "period": period}
                    | {"element_id": element_id, "value": text, "source": source}
                    | written,
                    {"data_value_id": value_id, "new_value": text, "new_source": source} | written,
                )

    stored = 0
    stream = answers()
    while batch := list(islice(stream, BATCH)):
        stored += bulk.write(DataValue.__table__, (value for value, _ in batch))
        bulk.write(ValueChange.__table__, (change for _, change in batch), with_ids=False)
    return {"forms submitted": len(forms), "values submitted": stored}


def _forms_by_schema(
    session: Session, orgs: list[dict], month: Period, today: date
) -> Iterator[tuple[list[MergedField], list[dict]]]:
    """The org units grouped by their merged form (which depends on the city and level
    only), with that form's fields, merged by the same code the app uses."""
    groups: dict[tuple[str, str], list[dict]] = {}
    for org in orgs:
        if org["level"] in ("village", "township"):
            groups.setdefault((org["code"][:4], org["level"]), []).append(org)
    for group in groups.values():
        sample = session.get(OrgUnit, group[0]["id"])
        yield list(form_plan(session, sample, month, today).schema.fields), group
