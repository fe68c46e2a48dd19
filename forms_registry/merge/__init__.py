"""The merge engine: admitted reports due in a month → one merged form (pure, no DB)."""

from forms_registry.merge.engine import merge_reports, schema_hash
from forms_registry.merge.model import Choice, ElementSpec, ReportFieldSpec, ReportSpec
from forms_registry.merge.schema import FieldUsage, MergeConflict, MergedField, MergedSchema
from forms_registry.merge.selection import report_period_in, reports_due_in

__all__ = [
    "Choice",
    "ElementSpec",
    "FieldUsage",
    "MergeConflict",
    "MergedField",
    "MergedSchema",
    "ReportFieldSpec",
    "ReportSpec",
    "merge_reports",
    "report_period_in",
    "reports_due_in",
    "schema_hash",
]
