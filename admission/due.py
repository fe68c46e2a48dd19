"""Whether an admitted report applies to an org unit: its level, within its scope."""

from __future__ import annotations

from admission.models import Admission
from forms_registry.accounts.scope import is_within
from forms_registry.orgs.models import OrgUnit


def applies_to(admission: Admission, org: OrgUnit) -> bool:
    return admission.target_level == org.level and is_within(org, admission.scope_org)
