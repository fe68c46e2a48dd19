"""Suggest which data element a template field means (or its identity/filler role).

For each element the best of its name and aliases is scored by weighted n-gram coverage
in both directions (label by alias, alias by label plus context), after hard constraints
that keep near-misses apart:
- the field's unit (or, without one, its trailing 户数/人数/人次) must be of the element's
  unit family (公顷 and 亩 are fine, 户 and 人 are not);
- ages and other numbers must be the same (60岁 is never 65岁);
- a to-date (本年累计), earlier (上年同期), other-period (本月 in a yearly report) or target
  (应参保) figure only matches an element that says so too (see normalize: the dictionary's
  flows carry no period, so none does);
- an action or status the label names (参保, 签约, 救助, 改造, 新增 ...) must be named by the
  alias too: "低保对象参保" counts insured people, not 低保对象;
- so must an action its section names, by the element, a total above it or its category:
  "特困人员" under "医疗救助资助参保" counts 特困人员 whose insurance was paid for, not all
  特困人员, while "低保户数" under "社会救助" is the 社会救助 category's own 低保户数;
- a `其中` sub-item never matches its parent's element or a total above it, and unless the
  element is a part of the parent's element, the element must also explain the parent
  ("其中：60岁以上" under 低保人数 is not all people aged 60 and over).
The field's section, its parent (for a sub-item) and the report title are context: they
may explain words of an element's name that the label leaves out ("参保人数" under
城乡居民基本医疗保险), never the other way round. A label naming only how or when it counts
("户数", "本年累计", "合计" under 脱贫户, 临时救助, 退役军人) is read together with its
section, since alone it names nothing; and an age band of the section qualifies a label
naming none ("儿童数" under "0-6岁儿童健康管理" counts children aged 0-6).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from forms_registry.importers.model import ImportedField, ImportedReport
from forms_registry.matching.catalog import CatalogElement
from forms_registry.matching.index import CatalogIndex, IndexedAlias, IndexedElement, catalog_index
from forms_registry.matching.normalize import (
    SEPARATOR,
    Analysis,
    analyze,
    context_text,
    is_bare_measure,
    names_nothing,
    programme_actions,
)
from forms_registry.matching.roles import (
    META,
    ORG_CODE,
    ORG_NAME,
    ROLES,
    detect_role,
    names_a_unit_above,
)
from forms_registry.matching.similarity import (
    GramWeights,
    analysis_grams,
    coverage,
    label_grams,
    rural_grams,
    text_grams,
)
from forms_registry.units import is_known_unit, unit_family

THRESHOLD = 0.78  # below this best score, no element is suggested
# An unrelated runner-up closer than AMBIGUITY_MARGIN lowers the confidence by
# AMBIGUITY_PENALTY times what it lacks of the margin: a dead heat never passes.
AMBIGUITY_MARGIN = 0.05
AMBIGUITY_PENALTY = 5.0
TIE = 0.01  # scores this close are the same
HEAD_COVERAGE = 0.5  # share of the words after 的 an alias must contain
MAX_CANDIDATES = 5
SECTION_WEIGHT = 0.9
PARENT_WEIGHT = 0.9
TITLE_WEIGHT = 0.75
# A label that says it all beats one that needs its section or title to be understood.
CONTEXT_DISCOUNT = 0.95

# An unqualified 户数 / 总户数 / 人口 in a village or township report is the registered (户籍)
# figure. That is the statistical 口径 at these levels: the 统计局 township and village
# forms, the 农经 income-distribution returns and the 公安 population tables all count
# 总户数 and 总人口 from the household register, and a resident (常住) or floating (流动)
# figure always says so in its label. A report of unknown level is taken to be grassroots.
_REGISTERED = "户籍"
_REGISTER_DEFAULT_WORDS = frozenset({"户", "户数", "人口", "人口数"})
_REGISTER_DEFAULT_LEVELS = (None, "village", "township")
_ENUMERATOR_LENGTH = 1  # section segments this short say nothing ("一" of "一、基本情况")

# Words naming an age group: "60岁以上留守老人" restates who 留守老人 are, whereas
# "60岁以上党员" is a part of all 党员.
_AGE_GROUP = re.compile(r"老人|老龄|儿童|少年|婴幼儿|幼儿|青年|未成年|妇女|学龄|适龄|学生|新生儿")
_TYPE_GROUPS = {
    "integer": "number",
    "decimal": "number",
    "percent": "number",
    "text": "text",
    "date": "date",
    "boolean": "choice",
    "choice": "choice",
    "multi_choice": "choice",
}


@dataclass(frozen=True)
class Candidate:
    element: str
    score: float


@dataclass(frozen=True)
class FieldMatch:
    element: str | None
    role: str | None
    confidence: float  # 0..1; below THRESHOLD means no element was suggested
    candidates: list[Candidate] = field(default_factory=list)  # best first, at most 5


@dataclass(frozen=True)
class MatchContext:
    """What around a field helps to read it."""

    title: str | None = None  # the report title
    frequency: str | None = None  # the report's frequency ("monthly", "yearly", ...)
    level: str | None = None  # the report's level ("village", "township", ...)
    parent_label: str | None = None  # for a sub-item: the field it is a part of
    parent_element: str | None = None  # ... and the element that field matched


@dataclass(frozen=True)
class _Field:
    """A field as the scorer sees it."""

    analysis: Analysis
    grams: frozenset[str]
    rural: frozenset[str]  # grams of the label's rural qualifier (农村), see similarity
    section_actions: frozenset[str]  # actions (参保, 救助 ...) the section names
    unit_family: str | None
    has_unit: bool
    type_group: str | None
    context: dict[str, float]
    parent_element: str | None
    parent_grams: frozenset[str]  # the parent element's name, for elements outside it
    parent_ages: frozenset[str]


def match_field(
    field: ImportedField,
    catalog: Sequence[CatalogElement],
    *,
    context: MatchContext | None = None,
) -> FieldMatch:
    """The element (or role) a field most likely means, with up to five ranked candidates."""
    role = field.role if field.role in ROLES else detect_role(field.label, field.name, field.unit)
    if role is not None:
        return FieldMatch(element=None, role=role, confidence=1.0, candidates=[])
    index = catalog_index(catalog)
    seen = _prepare(field, context or MatchContext(), index)
    scored = [
        Candidate(element=entry.code, score=round(score, 4))
        for entry in index.elements
        if (score := _score(seen, entry, index)) > 0
    ]
    scored.sort(key=lambda candidate: (-candidate.score, candidate.element))
    candidates = scored[:MAX_CANDIDATES]
    if not candidates:
        return FieldMatch(element=None, role=None, confidence=0.0, candidates=[])
    best = _prefer_parts(candidates, index)
    confidence = _confidence(best, candidates, index)
    element = best.element if confidence >= THRESHOLD else None
    ranked = [best, *(candidate for candidate in candidates if candidate is not best)]
    return FieldMatch(element=element, role=None, confidence=confidence, candidates=ranked)


def _confidence(best: Candidate, candidates: list[Candidate], index: CatalogIndex) -> float:
    """The best score, lowered when an unrelated element scores nearly as well."""
    rivals = [
        candidate.score
        for candidate in candidates
        if candidate is not best and not index.related(best.element, candidate.element)
    ]
    confidence = best.score
    if rivals:
        gap = best.score - max(rivals)
        confidence -= AMBIGUITY_PENALTY * max(0.0, AMBIGUITY_MARGIN - gap)
    return max(0.0, min(1.0, confidence))


def _prefer_parts(candidates: list[Candidate], index: CatalogIndex) -> Candidate:
    """Among a total and its part scoring the same, the part: the label and its context
    said everything the part's name says, so the narrower meaning is meant."""
    best = candidates[0]
    for other in candidates[1:]:
        if candidates[0].score - other.score > TIE:
            break
        if index.is_part_of(other.element, best.element):
            best = other
    return best


def match_report(report: ImportedReport, catalog: Sequence[CatalogElement]) -> list[FieldMatch]:
    """Match every field; a `其中` sub-item is read as a part of the field before it."""
    matches: list[FieldMatch] = []
    parent: tuple[ImportedField, FieldMatch] | None = None
    for item in report.fields:
        context = MatchContext(title=report.title, frequency=report.frequency, level=report.level)
        if item.is_sub_item and parent is not None:
            parent_field, parent_match = parent
            context = MatchContext(
                title=report.title,
                frequency=report.frequency,
                level=report.level,
                parent_label=_joined(parent_field.section, parent_field.name),
                parent_element=parent_match.element,
            )
        match = match_field(item, catalog, context=context)
        matches.append(match)
        if not item.is_sub_item:
            parent = (item, match)
    return _units_above_the_row(report, matches)


def _units_above_the_row(report: ImportedReport, matches: list[FieldMatch]) -> list[FieldMatch]:
    """所属乡镇 in a village report names the township each village belongs to, not the
    village: such a column is filler (META), not the row's identity. Without a level to
    compare, it is filler when another column names the row."""
    identity = (ORG_NAME, ORG_CODE)
    verdicts: list[bool | None] = [
        names_a_unit_above(item.name or item.label, report.level)
        if match.role in identity and item.role not in ROLES
        else False
        for item, match in zip(report.fields, matches, strict=True)
    ]
    row_named = any(
        match.role in identity and verdict is False
        for match, verdict in zip(matches, verdicts, strict=True)
    )
    return [
        FieldMatch(element=None, role=META, confidence=1.0, candidates=[])
        if verdict or (verdict is None and row_named)
        else match
        for match, verdict in zip(matches, verdicts, strict=True)
    ]


def _joined(*parts: str | None) -> str:
    return "|".join(part for part in parts if part)


def _read_label(field: ImportedField, context: MatchContext) -> Analysis:
    """The label's analysis. A label naming only how or when it counts ("户数", "本年累计",
    "合计") is read with its section ("脱贫户" + "户数"), and what is still a bare count
    after that with the 户籍 default. A label naming no age takes its section's age band:
    the upper header qualifies every column under it."""
    text = field.name or field.label
    analysis = analyze(text, frequency=context.frequency)
    section = _section_words(field.section)
    if names_nothing(analysis) and section:
        text = section + text
        analysis = analyze(text, frequency=context.frequency)
    if (
        is_bare_measure(analysis)
        and not field.is_sub_item
        and analysis.core in _REGISTER_DEFAULT_WORDS
        and context.level in _REGISTER_DEFAULT_LEVELS
    ):
        return analyze(_REGISTERED + text, frequency=context.frequency)
    if not analysis.ages and field.section:
        ages = analyze(field.section).ages
        if ages:
            analysis = replace(analysis, ages=ages)
    return analysis


def _section_words(section: str | None) -> str:
    """The section's words as a prefix for a label ("一、低保户" → "低保户")."""
    if not section:
        return ""
    words = context_text(section, ages=True).split(SEPARATOR)
    return "".join(word for word in words if len(word) > _ENUMERATOR_LENGTH)


def _prepare(field: ImportedField, context: MatchContext, index: CatalogIndex) -> _Field:
    analysis = _read_label(field, context)
    weights: dict[str, float] = {}
    for text, weight in (
        (field.section, SECTION_WEIGHT),
        (context.parent_label, PARENT_WEIGHT),
        (context.title, TITLE_WEIGHT),
    ):
        if text:
            for gram in text_grams(context_text(text)):
                weights[gram] = max(weight, weights.get(gram, 0.0))
    parent_grams: frozenset[str] = frozenset()
    parent_ages: frozenset[str] = frozenset()
    parent = index.by_code.get(context.parent_element or "")
    if parent is not None:
        parent_name = parent.aliases[0]
        parent_grams, parent_ages = parent_name.grams, parent_name.analysis.ages
        for gram in parent_grams:
            weights[gram] = max(PARENT_WEIGHT, weights.get(gram, 0.0))
    if (analysis.core, analysis.ages) in index.rural_named:
        # The dictionary tells the rural part from the rest: 农村 counts in full.
        grams, rural = frozenset(analysis_grams(analysis)), frozenset()
    else:
        grams, rural = frozenset(label_grams(analysis)), rural_grams(analysis)
    return _Field(
        analysis=analysis,
        grams=grams,
        rural=rural,
        section_actions=programme_actions(field.section) if field.section else frozenset(),
        unit_family=unit_family(field.unit),
        has_unit=is_known_unit(field.unit),
        type_group=_TYPE_GROUPS.get(field.value_type or ""),
        context=weights,
        parent_element=parent.code if parent else None,
        parent_grams=parent_grams,
        parent_ages=parent_ages,
    )


def _score(seen: _Field, entry: IndexedElement, index: CatalogIndex) -> float:
    """The best score of the element's name and aliases, 0 when a constraint forbids it."""
    if not _measure_fits(seen, entry):
        return 0.0
    if seen.type_group and seen.type_group != _TYPE_GROUPS.get(entry.element.value_type):
        return 0.0
    if not seen.section_actions <= index.scope_actions[entry.code]:
        return 0.0
    grams, label_ages = seen.grams, seen.analysis.ages
    outside_parent = False
    if seen.parent_element is not None:
        parent = seen.parent_element
        if entry.code == parent or index.is_part_of(parent, entry.code):
            return 0.0  # a sub-item is never its total, nor a total above it
        if not index.is_part_of(entry.code, parent):
            # Not a part of the parent's element: it must explain the parent as well.
            outside_parent = True
            grams = grams | seen.parent_grams
            label_ages = label_ages | seen.parent_ages
    best = 0.0
    for alias in entry.aliases:
        if not _features_agree(seen.analysis, label_ages, alias.analysis):
            continue
        if not _head_covered(seen.analysis, alias, index.weights):
            continue
        alias_grams = set(alias.grams)
        direct = coverage(set(grams), alias_grams, index.weights, rural=seen.rural)
        helped = coverage(set(grams), alias_grams, index.weights, seen.context, seen.rural)
        if outside_parent:
            # ... and the sub-item's own words, which say which part it is.
            own = coverage(set(seen.grams), alias_grams, index.weights, rural=seen.rural).label
            direct, helped = direct.limited(own), helped.limited(own)
        best = max(best, direct.score, helped.score * CONTEXT_DISCOUNT)
    return best


def _measure_fits(seen: _Field, entry: IndexedElement) -> bool:
    """The unit must be of the element's family, and so must what the label's trailing
    word measures (户数, 人数, 人次); a label saying 户数 in a column of 人 fits nothing."""
    if seen.has_unit and (entry.family is None or entry.family != seen.unit_family):
        return False
    measure = seen.analysis.measure
    return not (measure and entry.family is not None and entry.family != measure)


def _head_covered(label: Analysis, alias: IndexedAlias, weights: GramWeights) -> bool:
    """In "享受低保的脱贫人口" the counted thing is 脱贫人口: the alias must name it."""
    if not label.head:
        return True
    head = text_grams(label.head)
    return weights.total(head & alias.grams) >= HEAD_COVERAGE * weights.total(head)


def _features_agree(label: Analysis, label_ages: frozenset[str], alias: Analysis) -> bool:
    if alias.ages and alias.ages != label_ages:
        return False
    if label_ages - alias.ages and not _AGE_GROUP.search(alias.core):
        return False
    if alias.numbers and alias.numbers != label.numbers:
        return False
    if not label.actions <= alias.actions:
        return False
    return (label.cumulative, label.earlier, label.target, label.other_period) == (
        alias.cumulative,
        alias.earlier,
        alias.target,
        alias.other_period,
    )
