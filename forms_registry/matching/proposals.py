"""What an owner is offered to propose (新指标) for a column nothing in the dictionary fits.

The offered name is the shortest reading of the column that names a thing, that the
matcher gives back to that column in its report, and that the dictionary does not already
read as an element: the label itself ("设施农业面积"), else the label with its heading
("河湖问题·已整改"; "庭院经济·面积", as a word many elements share names nothing of its
own), else with the field it is a part of, else with the report's subject ("应参保人数" of a
养老保险 report). Pending proposals are matched too (see `elements.catalog`), so a later
report asking the same thing is matched to the proposal rather than proposing it again. The
unit, value type, stock or flow and the total a `其中` sub-item is a part of come from the
column; the owner checks them all before proposing. A to-date or earlier figure is worked
out from the period's own and never offered.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from forms_registry.importers.model import ImportedField, ImportedReport
from forms_registry.matching.catalog import CatalogElement
from forms_registry.matching.matcher import FieldMatch, match_report, read_alone, totals_of
from forms_registry.matching.normalize import (
    analyze,
    context_text,
    lists_topics,
    names_nothing,
    things_counted,
    without_ordinal,
)
from forms_registry.matching.pairs import JOIN
from forms_registry.periods import FLOW, STOCK
from forms_registry.units import is_known_unit, normalize_unit, unit_family

NUMBER_TYPES = ("integer", "decimal", "percent")
# A column may be proposed when it holds a number or a yes/no answer ("快递直达村（是/否）").
PROPOSABLE_TYPES = (*NUMBER_TYPES, "boolean")
_COUNTED_FAMILIES = frozenset(
    {"persons", "households", "person_times", "household_times", "count", "occurrences"}
)
# A trailing measure word names the unit of a column written without one.
_MEASURE_UNITS = (("户数", "户"), ("人数", "人"), ("人次", "人次"))
# Words of a count over a period (a flow); without them a figure is read at the period's end.
_FLOW_WORDS = re.compile(
    r"本月|本季|本期|本年|当年|全年|年度|新增|减少|发生|累计|新建|完成|发放|办理"
)
GENERIC_USES = 3
_TRIAL = "__PROPOSAL_{}"  # codes of the trial elements, never stored


@dataclass(frozen=True)
class Proposal:
    name: str
    unit: str | None
    value_type: str
    kind: str  # "stock" | "flow"
    parent: str | None  # element of the field a `其中` sub-item is a part of

    def as_element(self, code: str) -> CatalogElement:
        """The proposal as the matcher sees a dictionary element."""
        return CatalogElement(
            code=code,
            name=self.name,
            aliases=(),
            unit=self.unit,
            value_type=self.value_type,
            kind=self.kind,
            parent=self.parent,
            proposed=True,
        )


def proposals_for(
    report: ImportedReport, matches: Sequence[FieldMatch], catalog: Sequence[CatalogElement]
) -> dict[int, Proposal]:
    """A proposal, by position, for each numeric column that got neither element nor role
    and has a reading the matcher gives back to it (tried shortest first)."""
    parents = totals_of(report.fields, report.frequency)
    names = _names_of(tuple(catalog))
    readings = {
        position: [
            text
            for text in _readings(
                item, _total(report.fields, parents[position]), report.title, names
            )
            if _distinct(text, item.unit, catalog)
        ]
        for position, (item, match) in enumerate(zip(report.fields, matches, strict=True))
        if match.element is None
        and match.role is None
        and (item.value_type is None or item.value_type in PROPOSABLE_TYPES)
        and not _worked_out(item, report.frequency)
    }
    found: dict[int, Proposal] = {}
    for attempt in range(max(map(len, readings.values()), default=0)):
        trials = {
            position: _proposal(texts[attempt], report.fields[position], parents[position], matches)
            for position, texts in readings.items()
            if position not in found and attempt < len(texts)
        }
        tried = [
            proposal.as_element(_TRIAL.format(position))
            for position, proposal in (found | trials).items()
        ]
        again = match_report(report, [*catalog, *tried])
        for position, proposal in trials.items():
            if again[position].element == _TRIAL.format(position):
                found[position] = proposal
    return dict(sorted(found.items()))


def _total(fields: Sequence[ImportedField], position: int | None) -> ImportedField | None:
    return fields[position] if position is not None else None


def _readings(
    item: ImportedField, parent: ImportedField | None, title: str, names: tuple[str, ...]
) -> list[str]:
    """The readings naming what is counted, shortest first: the label; with its heading; a
    sub-item with the field it is a part of (and that field's heading). The report's
    subject comes last, for a column whose label and headings name only actions, measures
    and money words ("应参保人数" of a 养老保险 report, "补助资金" of a 危房改造 one)."""
    name = item.name or item.label
    heading = without_ordinal(item.section) if item.section else None
    texts = [name]
    if heading:
        # A label naming only a word of any topic ("受教育群众", "发现问题", "开展活动") under a
        # heading naming its topic ("消防宣传", "禁毒宣传") is that topic's: the heading first.
        with_heading = JOIN.join((heading, name))
        first = _names_a_topic(heading) and _names_a_common_thing(name)
        texts = [with_heading, name] if first else [name, with_heading]
    if parent is not None:
        whole = JOIN.join((parent.name or parent.label, name))
        texts.append(whole)
        if parent.section:
            texts.append(JOIN.join((without_ordinal(parent.section), whole)))
    naming = [text for text in dict.fromkeys(texts) if _names_a_thing(text, names)]
    subject = context_text(title)
    if subject:
        naming.append(JOIN.join(part for part in (subject, heading, name) if part))
    return naming


def _names_a_topic(heading: str) -> bool:
    """The heading names what its columns are about, not a period, a unit or a list."""
    return bool(_thing_of(heading)) and not lists_topics(heading)


_FEW_WORDS = 5  # a label this short (受教育群众, 发现问题, 开展活动) may be of any topic


def _names_a_common_thing(name: str) -> bool:
    return len(analyze(context_text(name)).core) <= _FEW_WORDS


def _distinct(text: str, unit: str | None, catalog: Sequence[CatalogElement]) -> bool:
    """Read alone in the column's unit, the name is no element the dictionary has:
    "防返贫监测对象" offered for "其中：防返贫监测对象" under 家庭医生签约 would be a second
    防返贫监测对象 beside the first, and every later column naming them a dead heat between
    the two. "闲置宅基地面积" in 亩 is no count of 闲置宅基地 in 宗."""
    return read_alone(text, unit, catalog) is None


def _names_a_thing(text: str, names: tuple[str, ...]) -> bool:
    """The text names what it counts, and that is no word many elements share: "面积",
    "产值" or "女" alone could be of anything (more than GENERIC_USES names say it)."""
    if names_nothing(analyze(text)):
        return False
    thing = _thing_of(text)
    return bool(thing) and sum(thing in name for name in names) <= GENERIC_USES


def _thing_of(text: str) -> str:
    """What a name or heading counts, without its actions, measures and money words."""
    return things_counted(analyze(context_text(text)))


@lru_cache(maxsize=8)
def _names_of(catalog: tuple[CatalogElement, ...]) -> tuple[str, ...]:
    """Every name and alias of the dictionary, folded as the matcher reads them."""
    return tuple(
        analyze(text).core for element in catalog for text in (element.name, *element.aliases)
    )


def _worked_out(item: ImportedField, frequency: str | None) -> bool:
    """A to-date total or an earlier period's figure is worked out from the period's own
    figures (SPEC *Stock and flow*): no new element."""
    return any(
        analysis.cumulative or analysis.earlier
        for analysis in (
            analyze(text, frequency=frequency)
            for text in (item.name or item.label, item.section)
            if text
        )
    )


def _proposal(
    name: str, item: ImportedField, parent: int | None, matches: Sequence[FieldMatch]
) -> Proposal:
    return proposal_for_column(
        name,
        column_name=item.name or item.label,
        unit=item.unit,
        value_type=item.value_type,
        parent=matches[parent].element if parent is not None else None,
    )


def proposal_for_column(
    name: str,
    *,
    column_name: str,
    unit: str | None,
    value_type: str | None,
    parent: str | None = None,
) -> Proposal:
    """The new element named `name` for a column (its label without unit, its unit and
    value type as written): the unit a trailing 户数/人数/人次 names when it has none, a
    count's type for people, households, things and events, flow for a count over a period;
    a yes/no answer has no unit and is read at the period's end."""
    if value_type == "boolean":
        return Proposal(name=name, unit=None, value_type="boolean", kind=STOCK, parent=parent)
    known = normalize_unit(unit)
    if not (known and is_known_unit(known)):
        known = next((each for word, each in _MEASURE_UNITS if column_name.endswith(word)), None)
    return Proposal(
        name=name,
        unit=known,
        value_type=_value_type(value_type, known),
        kind=FLOW if _FLOW_WORDS.search(name) else STOCK,
        parent=parent,
    )


def _value_type(value_type: str | None, unit: str | None) -> str:
    if value_type in NUMBER_TYPES:
        return value_type
    family = unit_family(unit)
    if family == "percent":
        return "percent"
    return "integer" if family is None or family in _COUNTED_FAMILIES else "decimal"
