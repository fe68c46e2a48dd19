"""Two-part readings: a column counting those of one group who are also of another.

"其中：退役军人" under "村“两委”班子", "其中：村“两委”成员" under "退役军人" and
"退役军人中的村“两委”成员" all count the veterans on the village committees: each names two
things the dictionary knows (VC_MEMBERS and VETERANS) and means those who are both. When no
element says such a column in words, it is the proposal (awaiting review) whose name reads
as the same two elements, whichever words and order each department used. Everything here
is pure: what a text means alone comes from the caller (`Reader`).
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable, Iterator

from forms_registry.matching.index import CatalogIndex

# What a text names alone, in a unit (None when nothing fits): the matcher's reading of a
# bare column, against the dictionary without proposals.
Reader = Callable[[str, str | None], str | None]
Related = Callable[[str, str], bool]
Pair = frozenset[str]

# Joins a heading or a total and a label in an offered name ("河湖问题·已整改", see
# matching.proposals): the matcher reads it as a break, so no word runs across the two.
JOIN = "·"
MIN_PART = 2  # characters each part must keep
# Words joining the two parts: "签约家庭医生的持证残疾人", "党员中的退役军人".
_CONNECTOR = re.compile(r"^(?:中的|之中|中|的)|(?:中的|中|的)$")


def pair_of(first: str | None, second: str | None, related: Related) -> Pair | None:
    """The two elements, when both were read, differ and neither is a part of the other
    ("其中：重度" under "持证残疾人" is a part, read as it is, not a second group)."""
    if first is None or second is None or first == second or related(first, second):
        return None
    return frozenset({first, second})


def _cuts(text: str) -> Iterator[tuple[str, str]]:
    for cut in range(MIN_PART, len(text) - MIN_PART + 1):
        left = _CONNECTOR.sub("", text[:cut])
        right = _CONNECTOR.sub("", text[cut:])
        if len(left) >= MIN_PART and len(right) >= MIN_PART:
            yield left, right


class PairReader:
    """Pair readings against one dictionary: what each text names alone is read once
    (every column's words are tried, and most in many cuts), and its proposals' pairs."""

    def __init__(
        self,
        index: CatalogIndex,
        read: Reader,
        related: Related,
        known: dict[tuple[str, str | None], str | None],
    ) -> None:
        self._read = read
        self.related = related
        self._known = known  # shared by every dictionary of the same elements and proposals
        self.proposed = self._proposal_pairs(index)

    def read(self, text: str, unit: str | None) -> str | None:
        key = (text, unit)
        if key not in self._known:
            self._known[key] = self._read(text, unit)
        return self._known[key]

    def pair(self, first: str | None, second: str | None) -> Pair | None:
        return pair_of(first, second, self.related)

    def split(self, text: str, unit: str | None) -> Pair | None:
        """The first cut of `text` into two parts that each name an element alone."""
        for left, right in _cuts(text):
            found = self.pair(self.read(left, unit), self.read(right, unit))
            if found is not None:
                return found
        return None

    def _proposal_pairs(self, index: CatalogIndex) -> dict[str, Pair]:
        """Code -> the two elements each proposal reads as: the parts its offered name
        joins (heading or total, and label), else a cut of its name."""
        found: dict[str, Pair] = {}
        for entry in index.elements:
            element = entry.element
            if not element.proposed:
                continue
            parts = element.name.split(JOIN)
            if len(parts) >= 2:
                pair = self.pair(
                    self.read(parts[-2], element.unit), self.read(parts[-1], element.unit)
                )
            else:
                pair = self.split(element.name, element.unit)
            if pair is not None:
                found[element.code] = pair
        return found


# id of an index -> its reader, and id of the index without proposals -> what texts name
# alone in it (a report's proposals are tried in many dictionaries of the same elements);
# each dropped with its index
_READERS: dict[int, PairReader] = {}
_READINGS: dict[int, dict[tuple[str, str | None], str | None]] = {}


def pair_reader(index: CatalogIndex, dictionary: CatalogIndex, read: Reader) -> PairReader:
    """The reader of `index`, reading texts alone with `read` against `dictionary` (the
    same elements without the proposals)."""
    reader = _READERS.get(id(index))
    if reader is None:
        known = _READINGS.get(id(dictionary))
        if known is None:
            known = _READINGS[id(dictionary)] = {}
            weakref.finalize(dictionary, _READINGS.pop, id(dictionary), None)
        reader = _READERS[id(index)] = PairReader(index, read, dictionary.related, known)
        weakref.finalize(index, _READERS.pop, id(index), None)
    return reader
