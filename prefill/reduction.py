"""减填率: how much typing the merged, prefilled form saves."""

from __future__ import annotations

from collections.abc import Sequence

from forms_registry.merge import MergedSchema
from prefill.resolution import Prefilled


def reduction(schema: MergedSchema, prefilled: Sequence[Prefilled]) -> dict:
    """Fields the admitted reports ask in total, unique fields after merging, fields typed
    by hand, and the share of typing saved against filling every report separately."""
    return reduction_of_sources(schema, [item.source for item in prefilled])


def reduction_of_sources(schema: MergedSchema, sources: Sequence[str | None]) -> dict:
    """`reduction` from where each field's value comes from ("entered", "shared", …)."""
    asked = schema.stats["report_fields"]
    unique = schema.stats["merged_fields"]
    typed = sum(1 for source in sources if source == "entered")
    prefilled_count = sum(1 for source in sources if source in ("shared", "carried"))
    saved = (asked - typed) / asked if asked else 0.0
    return {
        "report_fields": asked,
        "merged_fields": unique,
        "prefilled_fields": prefilled_count,
        "typed_fields": typed,
        "saved_share": round(saved, 4),
    }
