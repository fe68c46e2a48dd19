"""The merged form as pages and API share it: plan + prefill + state, and saving."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from admission.collection import FormPlan, form_plan
from admission.plan_memo import PlanMemo
from app import clock
from app.database import get_session
from forms_registry.accounts.models import User
from forms_registry.errors import NotFound
from forms_registry.orgs.models import OrgUnit
from forms_registry.periods import Period
from prefill.forms import find_form
from prefill.models import FormState
from prefill.reduction import reduction
from prefill.resolution import Prefilled, prefill
from prefill.store import Actor, SaveRequest, save_answers
from prefill.values import to_json_value

MEMO_KEY = "reportonce.plan_memo"


@dataclass(frozen=True)
class LoadedForm:
    plan: FormPlan
    prefilled: list[Prefilled]
    state: FormState | None

    @property
    def version(self) -> int:
        return self.state.version if self.state else 0

    @property
    def status(self) -> str:
        return self.state.status if self.state and self.state.version else "not_started"


def plan_memo() -> PlanMemo:
    """This process's memo of report specs and merged schemas."""
    return current_app.extensions[MEMO_KEY]


def _plan(org: OrgUnit, month_text: str) -> FormPlan:
    month = Period.parse_month(month_text)
    today = clock.today()
    if month.end >= today:
        raise NotFound(f"{month.id} 尚未结束，月报等报表在期末之后才能填报")
    plan = form_plan(get_session(), org, month, today, plan_memo())
    if not plan.report_codes:
        raise NotFound(f"{org.name}在 {month.id} 没有需要填报的报表")
    return plan


def load_form(org: OrgUnit, month_text: str) -> LoadedForm:
    plan = _plan(org, month_text)
    session = get_session()
    return LoadedForm(
        plan,
        prefill(session, org, plan.schema.fields, plan.elements),
        find_form(session, org, plan.month.id),
    )


def form_json(loaded: LoadedForm) -> dict:
    """The form as the API sends it (FormSchema documents it): JSON-ready as it is."""
    schema = loaded.plan.schema
    return {
        "org_unit": loaded.plan.org.code,
        "period": loaded.plan.month.id,
        "version": loaded.version,
        "status": loaded.status,
        "due": loaded.plan.due.isoformat() if loaded.plan.due else None,
        "reports": list(loaded.plan.report_codes),
        "fields": [
            schema.field_json[loaded_field.field.key]
            | {
                "value": to_json_value(loaded_field.value, loaded_field.field.value_type),
                "source": loaded_field.source,
                "locked": loaded_field.locked,
                "labels": schema.labels[loaded_field.field.key],
            }
            for loaded_field in loaded.prefilled
        ],
        "reduction": reduction(loaded.plan.schema, loaded.prefilled),
    }


def save_form(org: OrgUnit, month_text: str, request: SaveRequest, user: User) -> dict:
    plan = _plan(org, month_text)
    session = get_session()
    response = save_answers(
        session,
        org=org,
        schema=plan.schema,
        request=request,
        actor=Actor(user.id, user.display_name),
        now=clock.now(),
        today=clock.today(),
        due=plan.due,
        elements=plan.elements,
    )
    session.commit()
    return response
