"""Whether an admitted report applies to an org unit: its level, within its scope."""

from __future__ import annotations

from forms_registry.accounts.scope import ancestor_ids
from forms_registry.orgs.models import OrgUnit


def applies_to(admission, org: OrgUnit, above: set[int] | None = None) -> bool:
    """`admission`: an Admission, or a row with its target_level and scope_org_id; `above`:
    `ancestor_ids(org)`, when the caller already has it for many admissions."""
    if admission.target_level != org.level:
        return False
    return admission.scope_org_id in (above if above is not None else ancestor_ids(org))
