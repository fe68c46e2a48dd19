"""The per-process memo of merged forms: the same form is built once, an edited element or a
newly admitted report is never served stale, and the memo stays bounded."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from admission.collection import form_plan
from admission.plan_memo import PlanMemo
from forms_registry.elements.service import ElementInput, get_element, update_element
from forms_registry.orgs.service import get_org
from forms_registry.periods import Period
from tests.admitting import admit
from tests.run_day import RUN_DAY

VILLAGE = "439901100201"
MONTH = Period.containing(RUN_DAY, "monthly").previous()


def plan(db_session, memo):
    return form_plan(db_session, get_org(db_session, VILLAGE), MONTH, RUN_DAY, memo)


def field(schema, key):
    return next(item for item in schema.fields if item.key == key)


def test_the_same_form_is_merged_once(db_session):
    memo = PlanMemo()
    assert plan(db_session, memo).schema is plan(db_session, memo).schema


def test_an_edited_element_is_merged_again(db_session):
    memo = PlanMemo()
    before = field(plan(db_session, memo).schema, "DANGER_HOUSE")
    element = get_element(db_session, "DANGER_HOUSE")
    edited = replace(ElementInput.from_mapping(_as_mapping(element)), maximum=Decimal(7))

    update_element(db_session, "DANGER_HOUSE", edited, expected_version=element.version)

    after = field(plan(db_session, memo).schema, "DANGER_HOUSE")
    assert (before.maximum, after.maximum) == (None, Decimal(7))


def test_a_newly_admitted_report_joins_the_form(db_session):
    memo = PlanMemo()
    assert "POULTRY_STOCK" not in {f.key for f in plan(db_session, memo).schema.fields}

    code = admit(
        db_session,
        {
            "title": "家禽存栏月报",
            "frequency": "monthly",
            "level": "village",
            "owner": "县民政局",
            "fields": [{"label": "家禽存栏（只）", "element": "POULTRY_STOCK"}],
        },
    )

    after = plan(db_session, memo)
    assert code in after.report_codes
    assert "POULTRY_STOCK" in {f.key for f in after.schema.fields}


def test_the_memo_forgets_the_least_recently_used_beyond_its_limit():
    memo = PlanMemo(limit=2)
    memo.get("a", lambda: 1)
    memo.get("b", lambda: 2)
    memo.get("a", lambda: 0)  # a is used again, b is now the oldest
    memo.get("c", lambda: 3)
    assert (memo.get("a", lambda: 0), memo.get("b", lambda: 0)) == (1, 0)


def _as_mapping(element) -> dict:
    return {
        "code": element.code,
        "name": element.name,
        "value_type": element.value_type,
        "kind": element.kind,
        "stability": element.stability,
        "unit": element.unit,
        "aliases": element.aliases,
        "choices": element.choices,
        "min": element.minimum,
        "max": element.maximum,
        "category": element.category,
    }
