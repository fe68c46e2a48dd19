"""v0 straightforward matcher (baseline for measurement)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from forms_registry.importers.model import ImportedField, ImportedReport
from forms_registry.matching.catalog import CatalogElement
from forms_registry.matching.roles import detect_role
from forms_registry.units import unit_family

THRESHOLD = 0.7


@dataclass(frozen=True)
class Candidate:
    element: str
    score: float


@dataclass(frozen=True)
class FieldMatch:
    element: str | None
    role: str | None
    confidence: float
    candidates: list[Candidate] = field(default_factory=list)


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"[\s()（）【】\[\]“”\"]", "", text)


def match_field(f: ImportedField, catalog: Sequence[CatalogElement], *, context=None) -> FieldMatch:
    role = detect_role(f.label, f.name, f.unit)
    if role:
        return FieldMatch(None, role, 1.0, [])
    name = _norm(f.name)
    fam = unit_family(f.unit)
    scored = []
    for e in catalog:
        efam = unit_family(e.unit)
        if fam and efam and fam != efam:
            continue
        best = max(SequenceMatcher(None, name, _norm(t)).ratio() for t in (e.name, *e.aliases))
        scored.append(Candidate(e.code, best))
    scored.sort(key=lambda c: -c.score)
    top = scored[:5]
    if top and top[0].score >= THRESHOLD:
        return FieldMatch(top[0].element, None, top[0].score, top)
    return FieldMatch(None, None, top[0].score if top else 0.0, top)


def match_report(report: ImportedReport, catalog: Sequence[CatalogElement]) -> list[FieldMatch]:
    return [match_field(f, catalog) for f in report.fields]
