"""The dictionary prepared for matching: every name and alias analysed once, the gram
weights of the whole dictionary, and which element is a part of which total."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from forms_registry.matching.catalog import CatalogElement
from forms_registry.matching.normalize import Analysis, analyze
from forms_registry.matching.similarity import GramWeights, analysis_grams
from forms_registry.units import unit_family


@dataclass(frozen=True)
class IndexedAlias:
    analysis: Analysis
    grams: frozenset[str]


@dataclass(frozen=True)
class IndexedElement:
    element: CatalogElement
    family: str | None  # unit family of the element's unit; None without a unit
    aliases: tuple[IndexedAlias, ...]  # the name first, then the aliases

    @property
    def code(self) -> str:
        return self.element.code


@dataclass(frozen=True)
class CatalogIndex:
    elements: tuple[IndexedElement, ...]
    by_code: dict[str, IndexedElement]
    weights: GramWeights
    ancestors: dict[str, frozenset[str]]  # code -> codes of every total above it

    def is_part_of(self, code: str, total: str) -> bool:
        return total in self.ancestors.get(code, ())

    def related(self, first: str, second: str) -> bool:
        return self.is_part_of(first, second) or self.is_part_of(second, first)


def catalog_index(catalog: Sequence[CatalogElement]) -> CatalogIndex:
    """The index of a dictionary (built once per distinct dictionary, then cached)."""
    return _build(tuple(catalog))


@lru_cache(maxsize=8)
def _build(catalog: tuple[CatalogElement, ...]) -> CatalogIndex:
    elements = tuple(_indexed(element) for element in catalog)
    weights = GramWeights.build(
        {gram for alias in element.aliases for gram in alias.grams} for element in elements
    )
    parents = {element.code: element.parent for element in catalog}
    return CatalogIndex(
        elements=elements,
        by_code={element.code: element for element in elements},
        weights=weights,
        ancestors={code: frozenset(_ancestors(code, parents)) for code in parents},
    )


def _indexed(element: CatalogElement) -> IndexedElement:
    aliases = []
    for text in dict.fromkeys((element.name, *element.aliases)):
        analysis = analyze(text)
        aliases.append(IndexedAlias(analysis=analysis, grams=frozenset(analysis_grams(analysis))))
    return IndexedElement(element=element, family=unit_family(element.unit), aliases=tuple(aliases))


def _ancestors(code: str, parents: dict[str, str | None]) -> list[str]:
    found: list[str] = []
    parent = parents.get(code)
    while parent is not None and parent not in found and parent != code:
        found.append(parent)
        parent = parents.get(parent)
    return found
