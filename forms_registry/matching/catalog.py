"""The data elements as the matcher sees them: the starter dictionary (data/elements.json)
or, later, the database-backed dictionary producing the same dataclass."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

ELEMENTS_FILE = Path(__file__).resolve().parents[1] / "data" / "elements.json"


@dataclass(frozen=True)
class CatalogElement:
    code: str
    name: str
    aliases: tuple[str, ...]
    unit: str | None  # canonical unit; None for text, date, boolean and choice elements
    value_type: str
    kind: str  # "stock" | "flow"
    parent: str | None  # code of the total this element is a part of
    category: str | None = None
    # units of other families it is also counted in, one for one with `unit` (受灾人口 in
    # 人 is also counted in 人次, though 人次 are not 人 in general)
    also_counted_in: tuple[str, ...] = ()
    # A proposal awaiting review: its name is one department's words, no curated alias,
    # so a column matches it only by saying all of it (see matcher `_score`).
    proposed: bool = False


@lru_cache(maxsize=1)
def _starter_catalog() -> tuple[CatalogElement, ...]:
    raw = json.loads(ELEMENTS_FILE.read_text(encoding="utf-8"))
    return tuple(
        CatalogElement(
            code=entry["code"],
            name=entry["name"],
            aliases=tuple(entry.get("aliases") or ()),
            unit=entry.get("unit"),
            value_type=entry["value_type"],
            kind=entry["kind"],
            parent=entry.get("parent"),
            category=entry.get("category"),
            also_counted_in=tuple(entry.get("also_counted_in") or ()),
        )
        for entry in raw["elements"]
    )


def load_starter_catalog() -> list[CatalogElement]:
    """The starter dictionary shipped with the code (read once, then cached)."""
    return list(_starter_catalog())
