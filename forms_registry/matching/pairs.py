"""Two-part readings: a column counting those of one group who are also of another.

"其中：退役军人" under "村“两委”班子成员", "其中：村“两委”成员" under "退役军人" and
"退役军人中的村“两委”成员" all count the veterans on the village committees: each names two
things the dictionary knows (VC_MEMBERS and VETERANS) and means those who are both. When no
element says such a column in words, it is the proposal (awaiting review) whose name reads
as the same two elements, whichever words and order each department used. What a text
means alone comes from the matcher (`Reader`); it is read once per dictionary.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable, Iterator

from forms_registry.matching.index import CatalogIndex, catalog_index

# What a text names alone, in a unit, in a dictionary (None when nothing fits): the
# matcher's reading of a bare column.
Reader = Callable[[CatalogIndex, str, str | None], str | None]
Pair = frozenset[str]

# Joins a heading or a total and a label in an offered name ("河湖问题·已整改", see
# matching.proposals): the matcher reads it as a break, so no word runs across the two.
JOIN = "·"
MIN_PART = 2  # characters each part must keep
# Words joining the two parts at the cut: "签约家庭医生的持证残疾人", "党员中的退役军人".
_BEFORE_CUT = re.compile(r"(?:之中的|之中|中的|中|的)$")
_AFTER_CUT = re.compile(r"^(?:之中的|之中|中的|中|的)")


def cuts(text: str) -> Iterator[tuple[str, str]]:
    tried: set[tuple[str, str]] = set()
    for cut in range(MIN_PART, len(text) - MIN_PART + 1):
        left = _BEFORE_CUT.sub("", text[:cut])
        right = _AFTER_CUT.sub("", text[cut:])
        if len(left) >= MIN_PART and len(right) >= MIN_PART and (left, right) not in tried:
            tried.add((left, right))
            yield left, right


class PairReader:
    """Pair readings against one dictionary and its pending proposals."""

    def __init__(
        self,
        index: CatalogIndex,
        dictionary: CatalogIndex,
        read: Reader,
        readings: dict[tuple[str, str | None], str | None],
    ) -> None:
        self._dictionary = dictionary  # the same elements without the proposals
        self._read = read
        self._readings = readings  # shared by every index of the same dictionary
        self.proposed = self._proposal_pairs(index)

    def read(self, text: str, unit: str | None) -> str | None:
        key = (text, unit)
        if key not in self._readings:
            self._readings[key] = self._read(self._dictionary, text, unit)
        return self._readings[key]

    def pair(self, first: str | None, second: str | None) -> Pair | None:
        """The two elements, when both were read, differ and neither is a part of the
        other ("其中：重度" under "持证残疾人" is a part, read as it is, not a second group)."""
        if first is None or second is None or first == second:
            return None
        if self._dictionary.related(first, second):
            return None
        return frozenset({first, second})

    def split(self, text: str, unit: str | None) -> set[Pair]:
        """Every pair a cut of `text` into two parts naming an element each reads as."""
        found = (
            self.pair(self.read(left, unit), self.read(right, unit)) for left, right in cuts(text)
        )
        return {pair for pair in found if pair is not None}

    def _proposal_pairs(self, index: CatalogIndex) -> dict[str, Pair]:
        """Code -> the two elements a proposal reads as: the parts its offered name joins
        (heading or total, and label), else the one cut of its name naming two."""
        found: dict[str, Pair] = {}
        for entry in index.elements:
            element = entry.element
            if not element.proposed:
                continue
            parts = element.name.split(JOIN)
            if len(parts) >= 2:
                read = self.read(parts[-2], element.unit), self.read(parts[-1], element.unit)
                pairs = {self.pair(*read)} - {None}
            else:
                pairs = self.split(element.name, element.unit)
            if len(pairs) == 1:
                found[element.code] = pairs.pop()
        return found


_READERS: weakref.WeakKeyDictionary[CatalogIndex, PairReader | None] = weakref.WeakKeyDictionary()
_READINGS: weakref.WeakKeyDictionary[CatalogIndex, dict[tuple[str, str | None], str | None]] = (
    weakref.WeakKeyDictionary()
)


def pair_reader(index: CatalogIndex, read: Reader) -> PairReader | None:
    """The reader of a dictionary with pending proposals (None without any), built once."""
    if index in _READERS:
        return _READERS[index]
    reader = None
    if any(entry.element.proposed for entry in index.elements):
        dictionary = catalog_index(
            [entry.element for entry in index.elements if not entry.element.proposed]
        )
        readings = _READINGS.setdefault(dictionary, {})
        reader = PairReader(index, dictionary, read, readings)
    _READERS[index] = reader
    return reader
