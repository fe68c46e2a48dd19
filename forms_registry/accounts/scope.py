"""Who may see and touch which org unit (SPEC.md *Roles and scope*).

Outside one's scope the answer is NotFound (existence is not revealed); an action a role
may never take is Forbidden."""

from __future__ import annotations

from collections.abc import Iterable

from forms_registry.accounts.models import User
from forms_registry.errors import Forbidden, NotFound
from forms_registry.orgs.models import OrgUnit


def ancestor_ids(org: OrgUnit) -> set[int]:
    """The unit's id and those of every unit above it."""
    ids: set[int] = set()
    node: OrgUnit | None = org
    while node is not None:
        ids.add(node.id)
        node = node.parent
    return ids


def is_within(org: OrgUnit, ancestor: OrgUnit) -> bool:
    return ancestor.id in ancestor_ids(org)


def can_read_org(user: User, org: OrgUnit) -> bool:
    """Reviewers and owners see the whole org tree; a filler sees its unit and those below."""
    if user.role in ("reviewer", "owner"):
        return True
    return user.org_unit is not None and is_within(org, user.org_unit)


def can_fill_for(user: User, org: OrgUnit) -> bool:
    """A filler writes for its own unit and, on their behalf, the units below it (代填)."""
    return user.role == "filler" and user.org_unit is not None and is_within(org, user.org_unit)


def require_role(user: User, roles: Iterable[str]) -> None:
    if user.role not in tuple(roles):
        raise Forbidden("您的角色无权执行此操作")


def require_readable_org(user: User, org: OrgUnit) -> None:
    if not can_read_org(user, org):
        raise NotFound("未找到该行政区划")
