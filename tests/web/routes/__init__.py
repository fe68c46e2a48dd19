"""Who may call each route: every area's module here defines EXPECTED (endpoint, method) →
status per actor for (own scope, other scope), and optionally ARGUMENTS: blueprint name →
function(rule, db_session) giving the URL arguments (own scope, other scope); blueprints
without one use core.arguments."""

from __future__ import annotations

from forms_registry.periods import Period
from tests.run_day import RUN_DAY

OWN_ORG, OTHER_ORG = "439901100201", "439901101201"
OWN_REPORT, OTHER_REPORT = "R0005", "R0008"  # 县民政局 / 县农业农村局
DUE_MONTH = Period.containing(RUN_DAY, "monthly").previous().id
ACTORS = ("anonymous", "reviewer", "owner", "filler", "township")
LOGIN = 302  # anonymous page visitors are sent to the login page
ROLES = ACTORS[1:]


def statuses(anonymous: int, **by_actor: int | tuple[int, int]) -> dict[str, tuple[int, int]]:
    """Status per actor for (own scope, other scope); one int when scope makes no difference."""
    table = {"anonymous": (anonymous, anonymous)}
    for actor in ROLES:
        value = by_actor[actor]
        table[actor] = value if isinstance(value, tuple) else (value, value)
    return table


def everyone(status: int, anonymous: int | None = None):
    return statuses(status if anonymous is None else anonymous, **dict.fromkeys(ROLES, status))


def only(roles: dict[str, int | tuple[int, int]], anonymous: int = LOGIN):
    return statuses(anonymous, **({actor: 403 for actor in ROLES} | roles))
