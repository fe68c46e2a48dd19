"""Form state rows: one per (org unit, reference month), locked while a save runs so that
concurrent saves of one form are applied one after another."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from forms_registry.orgs.models import OrgUnit
from prefill.models import FormState


def find_form(session: Session, org: OrgUnit, month: str) -> FormState | None:
    return session.scalar(
        select(FormState).where(FormState.org_unit_id == org.id, FormState.month == month)
    )


def lock_form(session: Session, org: OrgUnit, month: str, *, now: datetime) -> FormState:
    """The form's row, created if missing, locked for the rest of the transaction."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(
        insert(FormState)
        .values(org_unit_id=org.id, month=month, version=0, status="draft", updated_at=now)
        .on_conflict_do_nothing(index_elements=["org_unit_id", "month"])
    )
    return session.scalars(
        select(FormState)
        .where(FormState.org_unit_id == org.id, FormState.month == month)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
