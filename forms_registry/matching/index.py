"""The dictionary prepared for matching: every name and alias analysed once, the gram
weights of the whole dictionary, which element is a part of which total, and the actions
each element is about."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from forms_registry.matching.catalog import CatalogElement
from forms_registry.matching.normalize import (
    Analysis,
    actions_in,
    analyze,
    qualifiers_in,
    things_counted,
)
from forms_registry.matching.similarity import GramWeights, analysis_grams, text_grams
from forms_registry.units import families_taken


@dataclass(frozen=True)
class IndexedAlias:
    analysis: Analysis
    grams: frozenset[str]
    # grams of what the alias counts, without its actions, stages and money words
    # (normalize `things_counted`): see matcher `_object_said`
    thing: frozenset[str] = frozenset()


@dataclass(frozen=True)
class IndexedElement:
    element: CatalogElement
    # the unit families of the columns it takes: its unit's, and that of a unit counting
    # the same thing (an element counted in 家 takes columns in 户, 受灾人口 in 人 those in
    # 人次; see units `families_taken`); empty without a unit
    families: frozenset[str]
    aliases: tuple[IndexedAlias, ...]  # the name first, then the aliases
    # the age band its names give it (0-17岁残疾儿童), which a name without one is short for
    band: frozenset[str] = frozenset()

    @property
    def code(self) -> str:
        return self.element.code


@dataclass(frozen=True, eq=False)  # one per distinct dictionary (see `catalog_index`)
class CatalogIndex:
    elements: tuple[IndexedElement, ...]
    by_code: dict[str, IndexedElement]
    weights: GramWeights
    ancestors: dict[str, frozenset[str]]  # code -> codes of every total above it
    # code -> the actions (救助, 参保 ...) the element is about: named by its name or an
    # alias, by a total it is a part of (集中供养特困人员 are 特困人员救助供养), or by its
    # category (低保户 are counted under 社会救助, 劳动力 under 就业).
    scope_actions: dict[str, frozenset[str]]
    # (core, ages) of every name or alias with a rural qualifier (农村常住人口 → 常住): for
    # a label of the same core the dictionary makes the distinction, so 农村 counts in full.
    rural_named: frozenset[tuple[str, frozenset[str]]]
    # code -> the groups (低保, 残疾 ...) the element counts within: named by its name, an
    # alias or a total it is a part of (低保老年人 are 低保对象 and 老年人).
    qualifiers: dict[str, frozenset[str]]
    # gram -> positions in `elements` of the elements with that gram in a name or alias
    by_gram: dict[str, tuple[int, ...]]

    def sharing(self, grams: frozenset[str]) -> list[IndexedElement]:
        """The elements with a gram of `grams` in a name or alias, in dictionary order."""
        positions: set[int] = set()
        for gram in grams:
            positions.update(self.by_gram.get(gram, ()))
        return [self.elements[position] for position in sorted(positions)]

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
    ancestors = {code: frozenset(_ancestors(code, parents)) for code in parents}
    own_actions = {
        element.code: frozenset().union(
            *(alias.analysis.actions for alias in element.aliases),
            actions_in(element.element.category or ""),
        )
        for element in elements
    }
    own_qualifiers = {element.code: _own_qualifiers(element) for element in catalog}
    return CatalogIndex(
        elements=elements,
        by_code={element.code: element for element in elements},
        weights=weights,
        ancestors=ancestors,
        scope_actions={
            code: own.union(*(own_actions.get(total, frozenset()) for total in ancestors[code]))
            for code, own in own_actions.items()
        },
        rural_named=frozenset(
            (alias.analysis.core, alias.analysis.ages)
            for element in elements
            for alias in element.aliases
            if alias.analysis.rural
        ),
        qualifiers={
            code: own.union(*(own_qualifiers.get(total, frozenset()) for total in ancestors[code]))
            for code, own in own_qualifiers.items()
        },
        by_gram=_by_gram(elements),
    )


def _by_gram(elements: tuple[IndexedElement, ...]) -> dict[str, tuple[int, ...]]:
    found: dict[str, list[int]] = {}
    for position, element in enumerate(elements):
        for gram in frozenset().union(*(alias.grams for alias in element.aliases)):
            found.setdefault(gram, []).append(position)
    return {gram: tuple(positions) for gram, positions in found.items()}


# An element is analysed once, however many dictionaries it is in: a report's proposals
# are tried in dictionaries of the same elements and a few more (see matching.proposals).
@lru_cache(maxsize=16384)
def _own_qualifiers(element: CatalogElement) -> frozenset[str]:
    return frozenset().union(*(qualifiers_in(text) for text in (element.name, *element.aliases)))


@lru_cache(maxsize=16384)
def _indexed(element: CatalogElement) -> IndexedElement:
    aliases = []
    for text in dict.fromkeys((element.name, *element.aliases)):
        analysis = analyze(text)
        aliases.append(
            IndexedAlias(
                analysis=analysis,
                grams=frozenset(analysis_grams(analysis)),
                thing=frozenset(text_grams(things_counted(analysis))),
            )
        )
    return IndexedElement(
        element=element,
        families=families_taken(element.unit, element.also_counted_in),
        aliases=tuple(aliases),
        band=frozenset().union(*(alias.analysis.ages for alias in aliases)),
    )


def _ancestors(code: str, parents: dict[str, str | None]) -> list[str]:
    found: list[str] = []
    parent = parents.get(code)
    while parent is not None and parent not in found and parent != code:
        found.append(parent)
        parent = parents.get(parent)
    return found
