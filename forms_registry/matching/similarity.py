"""Weighted character n-gram coverage between a label and an element name or alias.

Chinese labels are not segmented (no word list needed): each text segment yields its
characters and character bigrams, and every gram is weighted by how rare it is across the
dictionary (inverse document frequency, one document per element), so 留守 or 低保 count
far more than 人 or 数. Ages and other numbers are whole tokens of their own.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from forms_registry.matching.normalize import SEPARATOR, Analysis, rural_words

# Words of the label the alias leaves unexplained usually narrow the concept (困难退役军人 is
# not all 退役军人), while words of the alias the label leaves out are often just left
# unsaid (参保人数 under a section 城乡居民医疗保险): label coverage weighs twice as much.
BETA = 0.7
AGE_WEIGHT = 6.0  # an age band weighs more than one distinctive word
NUMBER_WEIGHT = 3.0
# The share of its weight a label's rural qualifier (农村, 乡村) keeps when the alias leaves
# it out (the matcher gives it full weight where the dictionary names the rural part of the
# same thing, as 农村常住人口 of 常住人口): 农村劳动力 is still 劳动力, 农村党员 no longer
# surely all 党员.
RURAL_WEIGHT = 0.5


def text_grams(text: str) -> set[str]:
    """Characters and character bigrams of each segment of a normalised text."""
    grams: set[str] = set()
    for segment in text.split(SEPARATOR):
        grams.update(segment)
        grams.update(segment[i : i + 2] for i in range(len(segment) - 1))
    return grams


def analysis_grams(analysis: Analysis) -> set[str]:
    """Every gram of an element name or alias, its rural qualifier included."""
    return _grams(analysis, analysis.rural or analysis.core)


def label_grams(analysis: Analysis) -> set[str]:
    """The grams of a label that count in full: all but those of its rural qualifier."""
    return _grams(analysis, analysis.core)


def rural_grams(analysis: Analysis) -> frozenset[str]:
    """The grams of the label's rural qualifier ("农", "村", "农村"), not those of the core."""
    words = rural_words(analysis)
    if not words:
        return frozenset()
    return frozenset(text_grams(SEPARATOR.join(words)) - text_grams(analysis.core))


def _grams(analysis: Analysis, core: str) -> set[str]:
    grams = text_grams(core)
    grams.update(f"age:{age}" for age in analysis.ages)
    grams.update(f"num:{number}" for number in analysis.numbers)
    return grams


@dataclass(frozen=True)
class GramWeights:
    """Inverse document frequency of every gram over the dictionary's elements."""

    document_frequency: dict[str, int]
    documents: int
    # the weight of every gram of the dictionary, worked out once (see `weight`)
    known: dict[str, float] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def build(cls, documents: Iterable[set[str]]) -> GramWeights:
        frequency: Counter[str] = Counter()
        count = 0
        for grams in documents:
            frequency.update(grams)
            count += 1
        weights = cls(document_frequency=dict(frequency), documents=count)
        weights.known.update((gram, weights._weigh(gram)) for gram in frequency)
        return weights

    def weight(self, gram: str) -> float:
        known = self.known.get(gram)
        return known if known is not None else self._weigh(gram)

    def _weigh(self, gram: str) -> float:
        if gram.startswith("age:"):
            return AGE_WEIGHT
        if gram.startswith("num:"):
            return NUMBER_WEIGHT
        seen = self.document_frequency.get(gram, 0)
        return math.log(1 + (self.documents + 1) / (seen + 1))

    def total(self, grams: Iterable[str]) -> float:
        return sum(self.weight(gram) for gram in grams)


@dataclass(frozen=True)
class Coverage:
    label: float  # share of the label's weight found in the alias
    alias: float  # share of the alias's weight found in the label or the context
    alias_from_context: float  # share of the alias's weight found only in the context

    @property
    def score(self) -> float:
        """F-beta of the two coverages, label coverage weighted (BETA < 1)."""
        beta2 = BETA * BETA
        denominator = beta2 * self.label + self.alias
        if denominator == 0:
            return 0.0
        return (1 + beta2) * self.label * self.alias / denominator

    def limited(self, label: float) -> Coverage:
        """The same coverage with label coverage at most `label`."""
        return Coverage(min(self.label, label), self.alias, self.alias_from_context)


def coverage(
    label: set[str],
    alias: set[str],
    weights: GramWeights,
    context: dict[str, float] | None = None,
    rural: frozenset[str] = frozenset(),
) -> Coverage:
    """How well `alias` and `label` explain each other. `context` maps grams of the section,
    parent field or title to how much they count (0..1) when the label lacks them; `rural`
    holds the grams of the label's rural qualifier (part of the label, RURAL_WEIGHT when
    the alias lacks them)."""
    if rural:
        missing = weights.total(rural - alias)
        label = label | rural
    else:
        missing = 0.0
    label_total = weights.total(label) - (1 - RURAL_WEIGHT) * missing
    alias_total = weights.total(alias)
    if label_total == 0 or alias_total == 0:
        return Coverage(0.0, 0.0, 0.0)
    shared = weights.total(label & alias)
    from_context = 0.0
    if context:
        from_context = sum(
            weights.weight(gram) * context[gram] for gram in alias - label if gram in context
        )
    return Coverage(
        label=shared / label_total,
        alias=(shared + from_context) / alias_total,
        alias_from_context=from_context / alias_total,
    )
