"""The change history of data values (prefill/value_history.py): one entry per change,
oldest first, with old and new value and source, who and when, for the wanted values only."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from admission.collection import form_plan
from forms_registry.accounts.service import get_user
from forms_registry.elements.models import DataElement
from forms_registry.orgs.models import OrgUnit
from forms_registry.periods import Period
from prefill.models import DataValue
from prefill.store import Actor, SaveRequest, save_answers
from prefill.value_history import SOURCE_NAMES, value_histories
from tests.run_day import RUN_DAY

TODAY = RUN_DAY
EARLIER = Period.containing(TODAY, "monthly").shifted(-2)  # submitted in the demo
VILLAGE, SIBLING = "439901100201", "439901100202"


def _org(session, code: str) -> OrgUnit:
    return session.scalar(select(OrgUnit).where(OrgUnit.code == code))


def _element_id(session, code: str) -> int:
    return session.scalar(select(DataElement.id).where(DataElement.code == code))


def _stored(session, org: OrgUnit, element_id: int, period: str) -> DataValue:
    return session.scalar(
        select(DataValue).where(
            DataValue.org_unit_id == org.id,
            DataValue.element_id == element_id,
            DataValue.period == period,
        )
    )


def test_a_submitted_value_has_one_entry_and_a_correction_adds_another(db_session):
    village = _org(db_session, VILLAGE)
    danger = (_element_id(db_session, "DANGER_HOUSE"), EARLIER.id)
    first = _stored(db_session, village, *danger).value
    [entry] = value_histories(db_session, village.id, [danger])[danger]
    assert (entry.old_value, entry.new_value) == (None, first)
    assert (entry.old_source, entry.new_source) == (None, "entered")
    assert entry.changed_by == "东岭村 王会计"

    plan = form_plan(db_session, village, EARLIER, TODAY)
    township = get_user(db_session, "township")
    later = datetime.now(UTC) + timedelta(minutes=1)
    corrected = str(int(first) + 1)
    save_answers(
        db_session,
        org=village,
        schema=plan.schema,
        request=SaveRequest(str(uuid.uuid4()), 1, {"DANGER_HOUSE": corrected}),
        actor=Actor(township.id, township.display_name),
        now=later,
        today=plan.due,  # still editable on its due day
        due=plan.due,
    )
    history = value_histories(db_session, village.id, [danger])[danger]
    assert [(e.old_value, e.new_value) for e in history] == [(None, first), (first, corrected)]
    assert [e.changed_by for e in history] == ["东岭村 王会计", "东岭镇 刘干事"]
    assert history[0].changed_at < history[1].changed_at


def test_shared_values_stored_on_submission_say_so(db_session):
    village = _org(db_session, VILLAGE)
    households = (_element_id(db_session, "HH_REG"), EARLIER.id)
    [entry] = value_histories(db_session, village.id, [households])[households]
    assert entry.new_source == "shared"
    assert SOURCE_NAMES[entry.new_source] == "共享数据"


def test_only_the_wanted_values_of_the_org_unit_are_read(db_session):
    village, sibling = _org(db_session, VILLAGE), _org(db_session, SIBLING)
    danger = (_element_id(db_session, "DANGER_HOUSE"), EARLIER.id)
    fixed = (_element_id(db_session, "HOUSE_FIXED"), EARLIER.id)
    never = (danger[0], EARLIER.previous().id)
    histories = value_histories(db_session, village.id, [danger, never])
    assert set(histories) == {danger}
    sibling_entry = value_histories(db_session, sibling.id, [danger])[danger][0]
    assert sibling_entry.new_value == _stored(db_session, sibling, *danger).value
    assert set(value_histories(db_session, village.id, [danger, fixed])) == {danger, fixed}
    assert value_histories(db_session, village.id, []) == {}
