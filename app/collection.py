"""The merged form as pages and API share it: plan + prefill + state, and saving."""

from __future__ import annotations

from dataclasses import dataclass

from admission.collection import FormPlan, form_plan
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


def load_form(org: OrgUnit, month_text: str) -> LoadedForm:
    month = Period.parse_month(month_text)
    today = clock.today()
    if month.end >= today:
        raise NotFound(f"{month.id} 尚未结束，月报等报表在期末之后才能填报")
    session = get_session()
    plan = form_plan(session, org, month, today)
    if not plan.report_codes:
        raise NotFound(f"{org.name}在 {month.id} 没有需要填报的报表")
    return LoadedForm(
        plan, prefill(session, org, plan.schema.fields), find_form(session, org, month.id)
    )


def form_json(loaded: LoadedForm) -> dict:
    return {
        "org_unit": loaded.plan.org.code,
        "period": loaded.plan.month.id,
        "version": loaded.version,
        "status": loaded.status,
        "due": loaded.plan.due,
        "reports": list(loaded.plan.report_codes),
        "fields": [
            loaded_field.field.to_json()
            | {
                "value": to_json_value(loaded_field.value, loaded_field.field.value_type),
                "source": loaded_field.source,
                "locked": loaded_field.locked,
                "labels": {usage.report: usage.label for usage in loaded_field.field.usages},
            }
            for loaded_field in loaded.prefilled
        ],
        "reduction": reduction(loaded.plan.schema, loaded.prefilled),
    }


def save_form(org: OrgUnit, month_text: str, request: SaveRequest, user: User) -> dict:
    loaded = load_form(org, month_text)
    session = get_session()
    response = save_answers(
        session,
        org=org,
        schema=loaded.plan.schema,
        request=request,
        actor=Actor(user.id, user.display_name),
        now=clock.now(),
        today=clock.today(),
        due=loaded.plan.due,
    )
    session.commit()
    return response
