"""Every package's models, imported so that Base.metadata knows all tables
(Alembic's env.py and the schema check use it)."""

from __future__ import annotations

from admission import models as admission_models
from forms_registry.accounts import models as accounts_models
from forms_registry.db import Base
from forms_registry.elements import models as elements_models
from forms_registry.orgs import models as orgs_models
from forms_registry.reports import models as reports_models
from prefill import models as prefill_models

MODEL_MODULES = (
    orgs_models,
    accounts_models,
    elements_models,
    reports_models,
    prefill_models,
    admission_models,
)
metadata = Base.metadata
