"""Suggest which data element a template field means (or its identity/filler role).

For each element the best of its name and aliases is scored by weighted n-gram coverage
in both directions (label by alias, alias by label plus context), after hard constraints
that keep near-misses apart:
- the field's unit (or, without one, its trailing 户数/人数/人次) must be of the element's
  unit family (公顷 and 亩 are fine, 户 and 人 are not); a unit taken from a note listing
  several ("单位：户、人") may be any of them, and an amount (a label ending in 金, 资金,
  金额; a column naming no measure under a heading naming money) is money, never a count;
- ages and other numbers must be the same (60岁 is never 65岁);
- a to-date (本年累计), earlier (上年同期), other-period (本月 in a yearly report) or target
  (应参保) figure only matches an element that says so too (see normalize: the dictionary's
  flows carry no period, so none does); but a total from the year's start is its flow's,
  worked out from the period's own figures (`FieldMatch.derivation` TO_DATE): "本年累计临时
  救助人次" in a monthly report is January's to this month's 临时救助人次 added up;
- an action or status the label names (参保, 签约, 救助, 改造, 新增 ...) must be named by the
  alias too: "低保对象参保" counts insured people, not 低保对象;
- so must an action its section names, by the element, a total above it or its category:
  "特困人员" under "医疗救助资助参保" counts 特困人员 whose insurance was paid for, not all
  特困人员, while "低保户数" under "社会救助" is the 社会救助 category's own 低保户数 (unless
  other columns under the heading restate its action and this one does not: "持证残疾人"
  beside "困难残疾人生活补贴" under "残疾人两项补贴" is the population, not recipients);
- an action an alias names must be named by the label, its section or its parent field,
  never by the report title alone ("农村劳动力总数" in a 转移就业 report is all 劳动力);
- a `其中` sub-item never matches its parent's element or a total above it, and unless the
  element is a part of the parent's element, the element must also explain the parent
  ("其中：60岁以上" under 低保人数 is not all people aged 60 and over), except that an age
  band inside the parent's band is simply that band ("其中：80岁以上" under 65岁以上); a
  sub-item naming only a group is the parent element's part for that group, the label and
  the parent's name saying it together ("其中：持证残疾人" under 城乡居民基本养老保险参保人数);
- a sub-item is of the parent's kind: a part of a target, a to-date or an earlier figure
  is one too, and it is about the parent's actions ("其中：低保户" under 年度改造任务);
- a group of people or kind of thing its section names (低保, 特困, 残疾, 党员, 违法 ...; see
  normalize `_QUALIFIERS`) must be named by the element or a total above it, unless the
  label names a group of its own: "已参保" under "特困人员" counts insured 特困人员, "面积"
  under "违法占用耕地" illegally used land, never the total of everyone; people under a body
  ("党员" under "村民委员会") are its members. A column naming only an action
  ("参加城乡居民养老保险") is restricted so by the one group its report title is about
  ("残疾人基本服务状况统计表");
- the same leaf under several sections that got one element keeps it only where the
  element names the section: the sections carry the meaning ("已参保" under five groups);
  and a report asks each element once: of two fields given one element, the surer keeps it;
- a label listing two groups ("孤儿和事实无人抚养儿童") is neither of them; a heading listing
  actions its columns name apart ("参保缴费") imposes on each only the ones it names;
- an element saying less of the column's heading than the best is no rival for it;
- a sex the label names must be the element's ("女性村级后备力量" is not all 后备干部), and
  what an alias counts, without its actions and money words, must be named by the label or
  its context ("发放金额" under "本季度发放金额" is no 养老金发放金额);
- an outcome (死亡, 受伤, 直接财产损失) under a 火灾 or 事故 heading, or in a 安全生产 report,
  is that event's; in a report about two kinds of event no element is sure of it.
The field's section, its parent (for a sub-item) and the report title are context: they
may explain words of an element's name that the label leaves out ("参保人数" under
城乡居民基本医疗保险), never the other way round. A label naming only how or when it counts
("户数", "本年累计", "合计" under 脱贫户, 临时救助, 退役军人) is read together with its
section, since alone it names nothing; and an age band of the section qualifies a label
naming none ("儿童数" under "0-6岁儿童健康管理" counts children aged 0-6), and a label naming
only an age band is read with its section when that finds an element ("60岁以上" under
"党员情况" is 60岁以上党员), else alone unless a column beside it names a group ("60周岁以上"
beside "退役军人" under "服务对象" is theirs, not everyone's). A part of the best element whose name the label and its section
say in full beats that total ("医保参保人数" under "城乡居民社会保险").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import NamedTuple, Protocol

from forms_registry.importers.label_parsing import parse_label, split_unit
from forms_registry.importers.model import ImportedField, ImportedReport
from forms_registry.matching.catalog import CatalogElement
from forms_registry.matching.headings import (
    MONEY_FAMILIES,
    names_workers,
    section_qualifies,
    sections_listing_actions,
    sections_naming_whom,
)
from forms_registry.matching.index import CatalogIndex, IndexedAlias, IndexedElement, catalog_index
from forms_registry.matching.normalize import (
    BODY,
    BODY_WORDS,
    EVENTS,
    FARM_KINDS,
    SEPARATOR,
    Analysis,
    actions_in,
    analyze,
    canonical,
    context_text,
    events_in,
    fold,
    is_bare_measure,
    lists_topics,
    names_everyone,
    names_nothing,
    names_only_a_sex,
    names_only_actions,
    names_only_an_outcome,
    programme_actions,
    qualifiers_in,
    section_qualifiers,
    sexes,
    things_counted,
    title_events,
    title_qualifiers,
    without_ordinal,
)
from forms_registry.matching.pairs import pair_reader
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
from forms_registry.periods import STOCK, TO_DATE, TO_DATE_FREQUENCIES, adds_up
from forms_registry.units import unit_family

THRESHOLD = 0.78  # below this best score, no element is suggested
CHECK_BELOW = 0.75  # a suggestion less sure than this is marked for its owner to check (请核对)
PAIR_CONFIDENCE = 0.7  # a two-part reading (see pairs): suggested, and marked to check
UNSAID_OF_A_PROPOSAL = 0.12  # the weight of a proposal's words a column may leave unsaid
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
_YEARLY = "yearly"
_ABBREVIATION_LENGTH = 2  # a label this short may abbreviate its heading ("园数")
_COUNT = "数"
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

# Money: a column counting 元 is never a count of people or households.
# A label ending in a money word ("特困供养金", "本月支出金额") is an amount, and so is a
# column without a measure of its own under a heading naming money ("本月资金支出").
_MONEY_WORD = re.compile(r"(?:金|资金|金额|经费|款项)$")
_MONEY_HEADING = re.compile(r"资金|金额|经费")
# A note row stating the table's unit, which may list several ("单位：户、人").
_NOTE_UNITS = re.compile(r"(?<![\u4e00-\u9fff])(?:计量)?单位\s*[:：]\s*(?P<units>[^\s,，;；）)]+)")
_UNIT_LIST = re.compile(r"[、/／]")
_MONEY_NOTE = re.compile(r"金额单位\s*[:：]\s*(?P<unit>[^\s,，;；）)]+)")
_POPULATION = re.compile(r"人口数?$")
_PERSONS = "persons"
_UNNAMED_TOTAL = ""  # the parent element of a sub-item whose total matched no element


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
    # TO_DATE when the field is the element's total from the year's start (本年累计): it is
    # worked out from the period's own figures, never asked
    derivation: str | None = None

    @property
    def figure(self) -> tuple[str | None, str | None]:
        """What the field reports: its element, and how it is worked out from it."""
        return self.element, self.derivation


@dataclass(frozen=True)
class MatchContext:
    """What around a field helps to read it."""

    title: str | None = None  # the report title
    frequency: str | None = None  # the report's frequency ("monthly", "yearly", ...)
    level: str | None = None  # the report's level ("village", "township", ...)
    parent_label: str | None = None  # for a sub-item: the field it is a part of
    parent_element: str | None = None  # ... and the element that field matched
    parent_name: str | None = None  # ... and that field's own words, without its section
    # False when other columns under the field's section name the section's action and
    # this one does not: see headings `section_qualifies`.
    section_qualifies: bool = True
    # True when the field's heading lists actions its columns name apart: the field is
    # about those it names (see headings `sections_listing_actions`).
    section_lists_actions: bool = False
    # The unit families a note row lists for the whole table ("单位：户、人"): a column
    # taking its unit from such a note may be of any of them. See `_unit_families`.
    note_families: frozenset[str] = frozenset()
    # False when another column under the field's heading names a group it counts within
    # ("退役军人" beside "60周岁以上" under "服务对象"): a bare age band there is of them.
    age_alone: bool = True


@dataclass(frozen=True)
class _Field:
    """A field as the scorer sees it."""

    analysis: Analysis
    grams: frozenset[str]
    rural: frozenset[str]  # grams of the label's rural qualifier (农村), see similarity
    # actions (参保, 救助 ...) the section names, or the parent a sub-item is a part of
    section_actions: frozenset[str]
    # the families the column's unit may be of (its own, its heading's or a note's; see
    # `_unit_families`); empty when it has none
    unit_families: frozenset[str]
    has_unit: bool
    type_group: str | None
    context: dict[str, float]
    parent_element: str | None
    parent_grams: frozenset[str]  # the parent element's name, for elements outside it
    parent_ages: frozenset[str]
    # grams of the section and the parent field: words a part of a total may leave to them
    local_context: frozenset[str] = frozenset()
    # actions the label, its section or its parent field name (not the report title)
    local_actions: frozenset[str] = frozenset()
    # groups (低保, 特困, 残疾 ...) the heading or title restricts the column to: see
    # `_qualifiers`
    qualifiers: frozenset[str] = frozenset()
    # groups the label itself names: an element must name them too (or a total above it)
    named_groups: frozenset[str] = frozenset()
    section: str | None = None  # the heading above the column, as written


def match_field(
    field: ImportedField,
    catalog: Sequence[CatalogElement],
    *,
    context: MatchContext | None = None,
) -> FieldMatch:
    """The element (or role) a field most likely means, with up to five ranked candidates."""
    return _match_field(field, catalog_index(catalog), context or MatchContext())


def _match_field(field: ImportedField, index: CatalogIndex, context: MatchContext) -> FieldMatch:
    role = field.role if field.role in ROLES else detect_role(field.label, field.name, field.unit)
    if role is not None:
        return FieldMatch(element=None, role=role, confidence=1.0, candidates=[])
    seen = _prepare(field, context, index, age_with_section=True)
    found = _match(seen, index)
    if (
        found.element is None
        and context.age_alone
        and _names_only_an_age(field, context)
        and not names_workers(field.section)
    ):
        # "60岁以上" under "党员情况" is 60岁以上党员; under a heading that names nothing
        # an element knows ("年龄结构") it is read alone, unless a column beside it names
        # whom the heading counts ("退役军人" under "服务对象") or the heading names a kind
        # of worker ("乡村医生"): then the band is theirs.
        found = _match(_prepare(field, context, index, age_with_section=False), index)
    if found.element is None and _counts_so_far(seen.analysis):
        plain = replace(seen.analysis, cumulative=False, from_january=False)
        so_far = _match(replace(seen, analysis=plain), index)
        entry = index.by_code.get(so_far.element or "")
        if (
            entry is not None
            and entry.element.kind == STOCK
            and _RUNNING_TOTAL.search(fold(field.name or field.label))
        ):
            # "累计安装注册" of a stock (反诈APP注册人数) is the stock itself: all so far.
            # (Under a heading "本年累计改造", "低保户" are the households done so far.)
            return so_far
        if (
            entry is not None
            and _reads_to_date(seen.analysis, context)
            and adds_up(entry.element.kind, entry.element.value_type)
        ):
            # "本年累计临时救助人次" is the year's 临时救助人次 so far: worked out from the
            # period's own figures of a flow that adds up (SPEC *Stock and flow*; no rate),
            # the same reading else. In a yearly report the year so far is the report's own.
            shorter = context.frequency in TO_DATE_FREQUENCIES
            return replace(so_far, derivation=TO_DATE if shorter else None)
    short = (
        _abbreviation(analyze(field.name or field.label), _section_words(field.section))
        if found.element is None and not field.is_sub_item
        else None
    )
    if short:
        # "园数" under "幼儿园" names nothing an element knows: it is short for the heading's,
        # which names it (园); "入学" under "适龄残疾儿童少年入学" is no 适龄残疾儿童少年.
        shortened = _match(_prepare(field, context, index, abbreviated=True), index)
        entry = index.by_code.get(shortened.element or "")
        if entry is not None and any(
            set(short) <= set(alias.analysis.core) for alias in entry.aliases
        ):
            found = shortened
    if found.element is None:
        found = _by_pair(field, context, index, seen) or found
    return found


def _by_pair(
    field: ImportedField, context: MatchContext, index: CatalogIndex, seen: _Field
) -> FieldMatch | None:
    """The one pending proposal reading as the same two elements as the column (see
    pairs): its total, or its heading, and its own words, or two parts of its words. Only
    for a column read plainly (no other period, plan, age or sex, in its label or
    heading) that the proposal may take as any element (unit, type, groups: `_admissible`).
    The owner is asked to check it."""
    reader = pair_reader(index, _read_alone)
    if reader is None or not reader.proposed or not _read_plainly(seen.analysis, field.section):
        return None
    own = field.name or field.label
    alone = reader.read(own, field.unit)
    heading = _last_heading(field.section)[0]
    above = reader.read(heading, field.unit) if heading else None
    wanted = reader.split(own, field.unit)
    for whole in (context.parent_element, above):
        pair = reader.pair(whole, alone)
        if pair is not None:
            wanted.add(pair)
    # A heading naming a thing or a group of its own narrows the two ("党员" over
    # "退役军人中的村“两委”成员"), unless it is one of them.
    wanted = {
        pair
        for pair in wanted
        if (above is None or above in pair)
        and qualifiers_in(heading) <= frozenset().union(*(index.qualifiers[code] for code in pair))
    }
    fits = [
        code
        for code, pair in reader.proposed.items()
        if pair in wanted and _admissible(seen, index.by_code[code], index)
    ]
    if len(fits) != 1:
        return None
    return FieldMatch(
        element=fits[0],
        role=None,
        confidence=PAIR_CONFIDENCE,
        candidates=[Candidate(fits[0], PAIR_CONFIDENCE)],
    )


def read_alone(text: str, unit: str | None, catalog: Sequence[CatalogElement]) -> str | None:
    """The element a bare column of these words in this unit gets, with nothing around it."""
    return _read_alone(catalog_index(catalog), text, unit)


def _read_alone(dictionary: CatalogIndex, text: str, unit: str | None) -> str | None:
    alone = ImportedField(label=text, name=text, order=0, unit=unit)
    return _match_field(alone, dictionary, MatchContext()).element


def _read_plainly(label: Analysis, section: str | None) -> bool:
    return not any(
        reading.cumulative
        or reading.earlier
        or reading.target
        or reading.other_period
        or reading.ages
        or sexes(reading)
        for reading in (label, *([analyze(section)] if section else []))
    )


def _match(seen: _Field, index: CatalogIndex) -> FieldMatch:
    # Every score needs a gram of the label (or of the name of the total a sub-item is a
    # part of) in the element's name or alias: no other element can score.
    said = seen.grams | seen.rural | seen.parent_grams
    scores = {entry.code: _score(seen, entry, index) for entry in index.sharing(said)}
    scored = [
        Candidate(element=code, score=round(found.score, 4))
        for code, found in scores.items()
        if found.score > 0
    ]
    scored.sort(key=lambda candidate: (-candidate.score, candidate.element))
    candidates = scored[:MAX_CANDIDATES]
    if not candidates:
        return FieldMatch(element=None, role=None, confidence=0.0, candidates=[])
    best = _prefer_parts(candidates, index, scores)
    best = _prefer_explained_part(best, scored, scores, index)
    if best not in candidates:
        candidates = [best, *candidates[: MAX_CANDIDATES - 1]]
    confidence = _confidence(best, candidates, index, seen.section)
    element = best.element if confidence >= THRESHOLD else None
    ranked = [best, *(candidate for candidate in candidates if candidate is not best)]
    return FieldMatch(element=element, role=None, confidence=confidence, candidates=ranked)


def _prefer_explained_part(
    best: Candidate,
    scored: list[Candidate],
    scores: dict[str, _Scored],
    index: CatalogIndex,
) -> Candidate:
    """A part of the best element whose name the label and its section (or parent field)
    say in full is meant rather than the total: "医保参保人数" under "城乡居民社会保险" is
    the 城乡居民 part of all 医保参保人数. Its score is lower only because the section's
    words count less than the label's."""
    if best.score < THRESHOLD:
        return best
    parts = [
        candidate
        for candidate in scored
        if index.is_part_of(candidate.element, best.element)
        and scores[candidate.element].explained
        and candidate.score >= THRESHOLD
    ]
    return parts[0] if parts else best


def _confidence(
    best: Candidate, candidates: list[Candidate], index: CatalogIndex, section: str | None
) -> float:
    """The best score, lowered when an unrelated element scores nearly as well. Where the
    best names the column's heading, an element saying less of it is no rival: "参保人数"
    under "城乡居民基本养老保险" is no nearer 城乡居民基本医疗保险 for their shared words."""
    said = _heading_said(index.by_code[best.element], section, index) if section else 0.0
    rivals = [
        candidate.score
        for candidate in candidates
        if candidate is not best
        and not index.related(best.element, candidate.element)
        and not (
            said >= HEAD_COVERAGE
            and _heading_said(index.by_code[candidate.element], section or "", index) < said - TIE
        )
    ]
    confidence = best.score
    if rivals:
        gap = best.score - max(rivals)
        confidence -= AMBIGUITY_PENALTY * max(0.0, AMBIGUITY_MARGIN - gap)
    return max(0.0, min(1.0, confidence))


def _prefer_parts(
    candidates: list[Candidate], index: CatalogIndex, scores: dict[str, _Scored]
) -> Candidate:
    """Among a total and its part scoring the same, the part: the label and its context
    said everything the part's name says, so the narrower meaning is meant. Unless the
    label is word for word a name of the total: "失能、半失能老年人" lists both parts, and
    its characters all being in "半失能老年人" does not make it that part."""
    best = candidates[0]
    for other in candidates[1:]:
        if candidates[0].score - other.score > TIE:
            break
        if index.is_part_of(other.element, best.element) and not (
            scores[best.element].exact and not scores[other.element].exact
        ):
            best = other
    return best


def match_report(report: ImportedReport, catalog: Sequence[CatalogElement]) -> list[FieldMatch]:
    """Match every field; a `其中` sub-item is read as a part of the field before it (and of
    the same kind: a part of a target, a to-date total or an action's count is one too)."""
    index = catalog_index(catalog)  # once: a dictionary of a thousand elements takes time to hash
    matches: list[FieldMatch] = []
    totals = totals_of(report.fields, report.frequency)
    qualifies = section_qualifies(report.fields, report.frequency)
    note_families = _note_families(report.notes)
    named = sections_naming_whom(report.fields)
    listing = sections_listing_actions(report.fields, report.frequency)
    for item, qualified, total in zip(report.fields, qualifies, totals, strict=True):
        context = MatchContext(
            age_alone=item.section not in named,
            title=report.title,
            frequency=report.frequency,
            level=report.level,
            section_qualifies=qualified,
            section_lists_actions=item.section in listing,
            note_families=note_families,
        )
        if total is not None:
            parent_field, parent_match = report.fields[total], matches[total]
            context = replace(
                context,
                parent_label=_joined(parent_field.section, parent_field.name),
                parent_element=parent_match.element,
                parent_name=parent_field.name or parent_field.label,
            )
        matches.append(_match_field(item, index, context))
    matches = _groups_carry_the_meaning(report, matches, index)
    matches = _one_field_per_element(matches)
    return _units_above_the_row(report, matches)


class Labelled(Protocol):
    """A field as written: an imported one or one stored in a report version."""

    label: str
    name: str
    section: str | None
    is_sub_item: bool


def totals_of(fields: Sequence[Labelled], frequency: str | None) -> list[int | None]:
    """For each field, the position of the field a `其中` sub-item is a part of (None for
    the others): the nearest one before it that is no sub-item, passing over "男" and "女"
    beside a total, which split it ("总数 | 男 | 女 | 其中：党员": the 党员 are of the total).
    A part under a heading "其中" (no heading of its own once read, see the importer) passes
    over columns under a heading, which break the total down another way ("持证残疾人总数 |
    按残疾等级分: 重度, 中度 | 其中: 女性": the 女性 are of the total); when the nearest
    column under no heading names the row (村名), it has none."""
    totals: list[int | None] = []
    last: int | None = None
    # the nearest field before under no heading (None when it names the row)
    last_alone: int | None = None
    for position, item in enumerate(fields):
        if not item.is_sub_item:
            totals.append(None)
        elif (
            item.section is None
            and not parse_label(item.label).is_sub_item  # "其中：残疾人" says so itself
            and last is not None
            and fields[last].section is not None
        ):
            totals.append(last_alone)
        else:
            totals.append(last)
        if not item.is_sub_item and not (last is not None and _splits_by_sex(item, frequency)):
            last = position
            if item.section is None:
                last_alone = None if detect_role(item.label, item.name) else position
    return totals


def _splits_by_sex(item: Labelled, frequency: str | None) -> bool:
    return names_only_a_sex(analyze(item.name or item.label, frequency=frequency))


def _one_field_per_element(matches: list[FieldMatch]) -> list[FieldMatch]:
    """A report asks each figure once: two of its fields meaning the same element means
    one of them was misread ("享受定期抚恤补助" beside "在乡重点优抚对象" under 优抚对象).
    The surest keeps the element (the first of equals); the others keep only their
    candidates, for the owner to choose from."""
    keeper: dict[tuple[str | None, str | None], int] = {}
    for position, match in enumerate(matches):
        if match.element is None:
            continue
        held = keeper.get(match.figure)
        if held is None or match.confidence > matches[held].confidence:
            keeper[match.figure] = position
    return [
        replace(match, element=None, derivation=None)
        if match.element is not None and keeper[match.figure] != position
        else match
        for position, match in enumerate(matches)
    ]


def _groups_carry_the_meaning(
    report: ImportedReport, matches: list[FieldMatch], index: CatalogIndex
) -> list[FieldMatch]:
    """The same leaf under two or more groups ("已参保" under 特困人员, 低保对象, 脱贫人口 ...),
    or under a group and under none ("参保率" of everyone and under "重点人群参保情况"), is
    another figure under each: the group carries the meaning, and one element cannot be
    all of them. A leaf under no heading is the figure its own words name. Where such leaves got the same element, each keeps it only if the element
    names its group (see `_names_the_group`); for the others it is a dead heat with the
    leaf's other groups, which never passes (AMBIGUITY_MARGIN)."""
    leaves: dict[tuple[str, str, str | None], list[int]] = {}
    for position, (item, match) in enumerate(zip(report.fields, matches, strict=True)):
        if match.element:
            leaf = canonical(item.name or item.label)
            leaves.setdefault((leaf, match.element, match.derivation), []).append(position)
    result = list(matches)
    for (_, code, _), positions in leaves.items():
        if len({report.fields[position].section for position in positions}) < 2:
            continue
        entry = index.by_code[code]
        for position in positions:
            section = report.fields[position].section
            # A leaf under no heading reads alone: it is the figure its words name.
            if section and not _names_the_group(entry, section, index):
                found = matches[position]
                confidence = max(0.0, found.confidence - AMBIGUITY_PENALTY * AMBIGUITY_MARGIN)
                result[position] = replace(
                    found, element=None, derivation=None, confidence=confidence
                )
    return result


def _names_the_group(entry: IndexedElement, section: str, index: CatalogIndex) -> bool:
    """The element's name or an alias says most of what the heading says (HEAD_COVERAGE of
    its weight): "城镇职工基本医疗保险" is named by 职工基本医疗保险参保人数, "特困人员" is not
    by 城乡居民基本医疗保险参保人数. So does a total the element is a part of: 个体工商户
    under "期末实有市场主体" is one kind of 市场主体. A heading naming nothing but a period
    or a unit ("本季度") names no group."""
    return any(
        _heading_said(index.by_code[code], section, index) >= HEAD_COVERAGE
        for code in (entry.code, *index.ancestors.get(entry.code, ()))
    )


def _heading_said(entry: IndexedElement, section: str, index: CatalogIndex) -> float:
    """How much of the heading's words (by weight) the element's best name says; 1 for a
    heading naming nothing but a period or a unit."""
    words = text_grams(context_text(section))
    if not words:
        return 1.0
    total = index.weights.total(words)
    return max(index.weights.total(words & alias.grams) / total for alias in entry.aliases)


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


def _names_only_an_age(field: ImportedField, context: MatchContext) -> bool:
    """A column that is nothing but an age band ("60岁以上"), not a sub-item, under a
    section naming what is counted. "60岁及以上人口" names whom it counts: everyone."""
    if field.is_sub_item or not _section_words(field.section):
        return False
    name = field.name or field.label
    analysis = analyze(name, frequency=context.frequency)
    return not analysis.core and bool(analysis.ages) and not _POPULATION.search(fold(name))


def _read_label(
    field: ImportedField,
    context: MatchContext,
    *,
    age_with_section: bool = True,
    abbreviated: bool = False,
) -> Analysis:
    """The label's analysis. A label naming only how or when it counts ("户数", "本年累计",
    "合计"), or only the action its heading names ("本月排查" under "农村自建房安全排查"), is
    read with its section ("脱贫户" + "户数"), and what is still a bare count
    after that with the 户籍 default; so is, when `age_with_section`, a column naming only
    an age band ("60岁以上" under "党员情况"). A label naming no age takes its section's
    age band: the upper header qualifies every column under it. A sub-item is of the kind
    of the field it is a part of: a part of a target (年度改造任务), a to-date total or an
    earlier period's figure is one too."""
    text = field.name or field.label
    analysis = analyze(text, frequency=context.frequency)
    section = _section_words(field.section)
    if section and _ACTUAL.search(text) and not _POPULATION_HEADING.search(section):
        # "实有户数" alone (or under "人口基本情况") are the households really living there
        # (网格, 公安), not the registered ones; under "个体工商户" the businesses there now.
        plain = analyze(_ACTUAL.sub("", text), frequency=context.frequency)
        if names_nothing(plain):
            text, analysis = _ACTUAL.sub("", text), plain
    restates = (
        names_only_actions(analysis)
        and analysis.actions & actions_in(section)
        and not context.section_lists_actions
    )
    short = _abbreviation(analysis, section) if abbreviated and section else None
    if short and short in text:
        # "园数" under "幼儿园" is "幼儿园数": the heading says what 园 is short for.
        text = text.replace(short, section, 1)
        analysis = analyze(text, frequency=context.frequency)
    elif section and (
        names_nothing(analysis)
        or restates
        or (age_with_section and _names_only_an_age(field, context))
    ):
        # A label restating its heading's action is read apart from it ("参保情况" and
        # "参保人数"), not run into it: 保参 is no word of either.
        text = section + (SEPARATOR if restates else "") + text
        analysis = analyze(text, frequency=context.frequency)
    if names_only_an_outcome(analysis) and not events_in(field.section or ""):
        # "死亡人数" in a 安全生产 report: the deaths of the one kind of event it is about.
        events = _events_of(field, context)
        if len(events) == 1:
            text = next(iter(events)) + text
            analysis = analyze(text, frequency=context.frequency)
    if field.is_sub_item and context.parent_name:
        parent = analyze(context.parent_name, frequency=context.frequency)
        analysis = replace(analysis, target=analysis.target or parent.target)
        analysis = _of_the_period_of(analysis, parent)
    if field.section:
        analysis = _of_the_period_of(analysis, analyze(field.section, frequency=context.frequency))
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


_ACTUAL = re.compile(r"实有(?=户)")
_POPULATION_HEADING = re.compile(r"人口|户籍|住户|居民")

# A running total since ever, not over a period (本年累计, 本年度累计, 本月累计 or 年初至今累计
# of a stock are the period's additions).
_RUNNING_TOTAL = re.compile(r"(?<![年月季期度今来初])累计")


def _counts_so_far(analysis: Analysis) -> bool:
    """A running total (累计, 本年累计) of nothing else: no earlier period, no target."""
    return (
        analysis.cumulative
        and not analysis.earlier
        and not analysis.target
        and not analysis.other_period
    )


def _reads_to_date(analysis: Analysis, context: MatchContext) -> bool:
    """The field, as read with its heading and total, is a total from the year's start
    ("本年累计", or under "年初至今累计"), and only that: no earlier period's, no target, no
    part of a shorter period."""
    if context.frequency not in (*TO_DATE_FREQUENCIES, _YEARLY):
        return False
    return analysis.from_january and _counts_so_far(analysis)


def _abbreviation(analysis: Analysis, section: str) -> str | None:
    """The label's few characters, when all are of its heading's words: short for what
    the heading names ("园数" under "幼儿园", "车间数" under "就业帮扶车间")."""
    core = analysis.core.removesuffix(_COUNT) or analysis.core  # 园数: too short to lose 数
    short = (
        0 < len(core) <= _ABBREVIATION_LENGTH
        and len(section) > len(core)
        and not analysis.ages
        and not analysis.actions
        and not names_only_a_sex(analysis)
        and all(char in section for char in core)
    )
    return core if short else None


def _of_the_period_of(analysis: Analysis, above: Analysis) -> Analysis:
    """The label read in the period its heading or parent field names: "排查隐患" under
    "年初至今累计" is a to-date total, under "上年同期" an earlier period's figure."""
    return replace(
        analysis,
        cumulative=analysis.cumulative or above.cumulative,
        from_january=analysis.from_january or above.from_january,
        earlier=analysis.earlier or above.earlier,
        other_period=analysis.other_period or above.other_period,
    )


def _section_words(section: str | None) -> str:
    """The section's words as a prefix for a label ("一、低保户" → "低保户")."""
    if not section:
        return ""
    words = context_text(section, ages=True).split(SEPARATOR)
    return "".join(word for word in words if len(word) > _ENUMERATOR_LENGTH)


def _prepare(
    field: ImportedField,
    context: MatchContext,
    index: CatalogIndex,
    *,
    age_with_section: bool = True,
    abbreviated: bool = False,
) -> _Field:
    analysis = _read_label(
        field, context, age_with_section=age_with_section, abbreviated=abbreviated
    )
    families = _unit_families(field, context, analysis.measure)
    weights: dict[str, float] = {}
    local: set[str] = set()
    local_actions = set(analysis.actions)
    # Under a heading whose action its other columns restate, a column not naming it is
    # the population the heading draws from (see headings `section_qualifies`), not its action's.
    section_acts = field.section if context.section_qualifies else None
    # Words a part of a total may leave to its heading, but not to a list of topics
    # ("人口与劳动力": 脱贫人口总数 there is every 脱贫人口, not their 劳动力), nor to the title.
    section_local = bool(field.section) and not lists_topics(field.section or "")
    # A column naming only a sex under a heading ("女性" under "人口情况") is of the heading's
    # people, not those the report title names (劳动力 in "农村住户及劳动力情况").
    title = None if field.section and names_only_a_sex(analysis) else context.title
    # A column whose label and heading name no thing, only what was done ("参保人数" under
    # "参保情况"), counts the thing its report is about ("城乡居民基本养老保险参保缴费情况"):
    # the title counts as much as a heading.
    title_weight = SECTION_WEIGHT if _names_no_thing(field, context) else TITLE_WEIGHT
    for text, weight, acts, is_local in (
        (field.section, SECTION_WEIGHT, section_acts, section_local),
        (context.parent_label, PARENT_WEIGHT, context.parent_label, True),
        (title, title_weight, None, False),
    ):
        if text:
            grams = text_grams(context_text(text))
            if is_local:
                local |= grams
            if acts:
                local_actions |= actions_in(acts)
            for gram in grams:
                weights[gram] = max(weight, weights.get(gram, 0.0))
    parent_grams: frozenset[str] = frozenset()
    parent_ages: frozenset[str] = frozenset()
    parent = index.by_code.get(context.parent_element or "")
    parent_code = parent.code if parent else None
    if parent is not None:
        parent_name = parent.aliases[0]
        parent_grams, parent_ages = parent_name.grams, parent_name.analysis.ages
        for gram in parent_grams:
            weights[gram] = max(PARENT_WEIGHT, weights.get(gram, 0.0))
    elif field.is_sub_item and context.parent_name and _narrows_whom(field, context):
        # A group or a bare age band within a total no element names ("其中：脱贫人口" or
        # "其中：60岁以上" of 护林员 "在岗人数") is those of the total, never the whole group
        # or age band: an element must explain the total's words too. (A kind, "其中：耕地"
        # of 集体土地, or a band of a named population, "60岁及以上人口", is read alone.)
        written = analyze(context.parent_name, frequency=context.frequency)
        parent_code, parent_grams = _UNNAMED_TOTAL, frozenset(label_grams(written))
        parent_ages = written.ages
    if (analysis.core, analysis.ages) in index.rural_named:
        # The dictionary tells the rural part from the rest: 农村 counts in full.
        grams, rural = frozenset(analysis_grams(analysis)), frozenset()
    else:
        grams, rural = frozenset(label_grams(analysis)), rural_grams(analysis)
    section_actions: frozenset[str] = frozenset()
    if field.section and context.section_qualifies:
        section_actions = programme_actions(field.section)
        if context.section_lists_actions and analysis.actions & section_actions:
            section_actions &= analysis.actions
    if field.is_sub_item and context.parent_name:
        # A part of "年度改造任务" or "转移就业人数" is about 改造 or 就业 as well.
        section_actions |= analyze(context.parent_name, frequency=context.frequency).actions
    return _Field(
        section=field.section,
        qualifiers=_qualifiers(field, context),
        named_groups=qualifiers_in(field.name or field.label) - {BODY},
        analysis=analysis,
        grams=grams,
        rural=rural,
        section_actions=section_actions,
        unit_families=families,
        has_unit=bool(families),
        type_group=_TYPE_GROUPS.get(field.value_type or ""),
        context=weights,
        parent_element=parent_code,
        parent_grams=parent_grams,
        parent_ages=parent_ages,
        local_context=frozenset(local),
        local_actions=frozenset(local_actions),
    )


def _names_no_thing(field: ImportedField, context: MatchContext) -> bool:
    """The field has a heading, and neither its label nor that heading (nor the field it is
    a part of) names what is counted, only actions, stages, measures and periods."""
    texts = (field.name or field.label, field.section, context.parent_name)
    return bool(field.section) and not any(
        things_counted(analyze(context_text(text), frequency=context.frequency))
        for text in texts
        if text
    )


def _narrows_whom(field: ImportedField, context: MatchContext) -> bool:
    """The sub-item names a group, a bare age band, or people at all: a part of a count
    of people ("其中：返乡创业人员" of 电商从业人员) is those of the total."""
    text = field.name or field.label
    if qualifiers_in(text) - FARM_KINDS:
        return True
    analysis = analyze(text, frequency=context.frequency)
    if unit_family(field.unit) == _PERSONS or analysis.measure == _PERSONS:
        return True
    return bool(analysis.ages) and not analysis.core and analysis.measure is None


def _note_families(notes: Sequence[str]) -> frozenset[str]:
    """The unit families of the first note stating the table's unit, when it lists more
    than one ("单位：户、人") or states the money columns' apart ("单位：人；金额单位：元"):
    the importer gives each column without a unit of its own the first of them, though
    the note means whichever fits the column."""
    for note in notes:
        money = frozenset(
            filter(None, (unit_family(found.group("unit")) for found in _MONEY_NOTE.finditer(note)))
        )
        for found in _NOTE_UNITS.finditer(note):
            units = [unit for unit in _UNIT_LIST.split(found.group("units")) if unit]
            families = frozenset(filter(None, (unit_family(unit) for unit in units)))
            if families:
                # A unit the table alone uses ("班次") does not void the note's others.
                return families | money if len(units) > 1 or money else frozenset()
    return frozenset()


def _unit_families(
    field: ImportedField, context: MatchContext, measure: str | None
) -> frozenset[str]:
    """The families the column's unit may be of: its own or its heading's; a note's, which
    may list several (see `_note_families`); money for an amount without a unit (a label
    ending in a money word, or one naming no measure under a heading naming money: see
    `_MONEY_WORD`); none otherwise."""
    family = unit_family(field.unit)
    if family is not None:
        heading, heading_unit = _last_heading(field.section)
        written = split_unit(field.label)[1] or heading_unit
        if written is None and family in context.note_families:
            # The label's own measure word outranks a note not listing it ("临时救助人次"
            # in a table whose note says "单位：户、人、万元").
            if measure is not None and measure not in context.note_families:
                return frozenset()
            if _COUNT_OF_THINGS.search(fold(field.name or field.label)):
                # "村民小组数" counts things, in 个 though the note lists only 户、人、亩.
                return context.note_families | {_THINGS}
            heading_measure = analyze(heading).measure
            if measure is None and heading_measure in context.note_families:
                return frozenset({heading_measure})  # "少数民族" under "户籍人口": people
            return context.note_families
        return frozenset({family})
    if field.unit is not None:
        return frozenset()  # a unit the table does not know says nothing
    name = fold(field.name or field.label)
    if _MONEY_WORD.search(name) or (
        measure is None and field.section and _MONEY_HEADING.search(field.section)
    ):
        return MONEY_FAMILIES
    return frozenset()


# Groups that also sort things (illegal buildings, fires): the others are of people only.
_THINGS_GROUPS = frozenset({"违法", "事故", "火灾", "传染病"})
_THINGS = "count"  # the unit family of things counted one by one (个, 处, 所)
_WOMEN = "妇女"  # the group of women among the qualifiers, whom a female sex names too
_FEMALE = "女"
_COUNT_OF_THINGS = re.compile(r"(?<![人户])数$")


def _last_heading(section: str | None) -> tuple[str, str | None]:
    """The lowest heading above a column, without its number, and its unit."""
    if not section:
        return "", None
    name, unit = split_unit(section.split(" / ")[-1].strip())
    return without_ordinal(name), unit


def _qualifiers(field: ImportedField, context: MatchContext) -> frozenset[str]:
    """The groups of people or kinds of thing (see normalize `_QUALIFIERS`) the column
    counts within, though its label does not say so: those its heading names ("已参保"
    under "特困人员" counts insured 特困人员, "60岁及以上" under "持证残疾人" disabled people
    of that age, "面积" under "违法占用耕地" illegally used land), or, for a column naming
    what people take part in but not who ("参加城乡居民养老保险"), the group its report
    title is about ("残疾人基本服务状况统计表"; see `title_qualifiers`). A label naming a group of its own says who it
    counts: "农村留守儿童" under "特殊群体学生" is every 留守儿童, though not which body's
    members: "党员" under "村民委员会" are the committee's members who are 党员."""
    text = field.name or field.label
    own = qualifiers_in(text)
    heading = section_qualifiers(field.section) if field.section else frozenset()
    if BODY in heading and _names_the_bodys_work(text, field.section or ""):
        heading = heading - {BODY}  # "调解员" under "人民调解委员会" are all 人民调解员
    if unit_family(field.unit) == _THINGS:
        heading = heading & _THINGS_GROUPS  # "中小学校（所）" under "少年儿童" are all schools
    analysis = analyze(text, frequency=context.frequency)
    if _WOMEN in heading and _FEMALE in sexes(analysis):
        heading = heading - {_WOMEN}  # "户籍女性人口" under "妇女人数" says who it counts
    if own and _RECEIVES.match(fold(text)):
        return heading - own  # "享受低保" under "退役军人" are the veterans on 低保
    if own:
        return (heading & {BODY}) - own
    if names_only_an_outcome(analysis):
        # "死亡人数" under "本月" in a 安全生产 report counts accident deaths; under "火灾"
        # in the same report, fire deaths (see `_read_label`). In a report about two kinds
        # of event ("安全生产和自然灾害") no element is sure: the owner says whose they are.
        events = _events_of(field, context)
        return heading | (events & EVENTS if len(events) == 1 else events)
    if heading:
        return heading
    actions = analysis.actions
    if context.title and actions and not names_everyone(field.section or ""):
        return title_qualifiers(context.title, actions)
    return frozenset()


# A label naming only a benefit received, not who receives it: those of its heading do.
_RECEIVES = re.compile(
    r"^(?:已|正在)?(?:享受|享有|领取|纳入)(?!.*(?:人员|人口|对象|户(?!数)|家庭|儿童|老人|军人))"
)


def _names_the_bodys_work(text: str, section: str) -> bool:
    """The label says what the body under which it stands does ("调解员" under "人民调解委员
    会"): it counts those doing that work, all of them members or not."""
    body = next((level for level in section.split(" / ") if BODY_WORDS.search(level)), "")
    work = BODY_WORDS.sub("", fold(without_ordinal(body)))
    label = fold(text)
    return any(work[start : start + 2] in label for start in range(len(work) - 1))


def _events_of(field: ImportedField, context: MatchContext) -> frozenset[str]:
    """The kinds of event a column naming only an outcome counts for: those its heading
    names, else those its report title names."""
    return events_in(field.section or "") or title_events(context.title or "")


class _Scored(NamedTuple):
    score: float  # the best of the element's name and aliases, 0 when a constraint forbids it
    explained: bool  # an alias is said in full by the label and its section or parent
    exact: bool  # an alias reads as the label itself (same words, same ages)


_NOTHING = _Scored(0.0, False, False)


def _score(seen: _Field, entry: IndexedElement, index: CatalogIndex) -> _Scored:
    """How well the element's name and aliases fit the field (see `_Scored`)."""
    if not _admissible(seen, entry, index):
        return _NOTHING
    grams, label_ages = seen.grams, seen.analysis.ages
    outside_parent = False
    if seen.parent_element is not None:
        parent = seen.parent_element
        if entry.code == parent or index.is_part_of(parent, entry.code):
            return _NOTHING  # a sub-item is never its total, nor a total above it
        if not index.is_part_of(entry.code, parent):
            # Not a part of the parent's element: it must explain the parent as well,
            # except for an age band the label narrows ("80岁以上" under 65岁以上老人).
            outside_parent = True
            if _within(label_ages, seen.parent_ages):
                grams = grams | {gram for gram in seen.parent_grams if not _is_age(gram)}
            else:
                grams = grams | seen.parent_grams
                label_ages = label_ages | seen.parent_ages
    best = 0.0
    explained = exact = False
    lists = _lists_things(seen.analysis.core)
    # the label said together with its total's name (see `_the_totals_group`), or nothing
    with_total = grams | seen.parent_grams if _the_totals_group(seen, entry, index) else None
    band = entry.band
    for alias in entry.aliases:
        if not _features_agree(seen.analysis, label_ages, alias.analysis):
            continue
        if band and label_ages and not alias.analysis.ages and label_ages != band:
            continue  # "残疾儿童" is short for 0-17岁残疾儿童, never "0-6岁残疾儿童"
        if lists and not _lists_things(alias.analysis.core):
            continue  # "孤儿和事实无人抚养儿童" counts both groups, not one of them
        if not _head_covered(seen.analysis, alias, index.weights):
            continue
        if not _alias_head_said(seen, grams, alias, index.weights):
            continue
        if not _object_said(seen, grams, alias, index.weights):
            continue
        said = grams | seen.context.keys()
        if entry.element.proposed and not _said_nearly_in_full(alias.grams, said, index.weights):
            continue  # a proposal is said in full: "节水灌溉面积" is no 高效节水灌溉面积
        if not alias.analysis.actions <= seen.local_actions:
            # What a count is about comes from the label or the header above it, never
            # from the report title alone: "农村劳动力总数" in a 转移就业 report is all 劳动力.
            continue
        alias_grams = set(alias.grams)
        direct = coverage(set(grams), alias_grams, index.weights, rural=seen.rural)
        helped = coverage(set(grams), alias_grams, index.weights, seen.context, seen.rural)
        if outside_parent:
            # ... and the sub-item's own words, which say which part it is.
            own = coverage(set(seen.grams), alias_grams, index.weights, rural=seen.rural).label
            direct, helped = direct.limited(own), helped.limited(own)
        best = max(best, direct.score, helped.score * CONTEXT_DISCOUNT)
        if with_total is not None:
            best = max(best, coverage(set(with_total), alias_grams, index.weights).score)
        explained = explained or _said_in_full(seen, grams, alias)
        exact = exact or (
            alias.analysis.core == seen.analysis.core and alias.analysis.ages == label_ages
        )
    return _Scored(best, explained, exact)


def _admissible(seen: _Field, entry: IndexedElement, index: CatalogIndex) -> bool:
    """The element may hold the field at all: its unit and type, the actions of the
    field's heading and the groups the heading and the label restrict it to."""
    return (
        _measure_fits(seen, entry)
        and (not seen.type_group or seen.type_group == _TYPE_GROUPS.get(entry.element.value_type))
        and seen.section_actions <= index.scope_actions[entry.code]
        # the total of everyone is not the group the heading names, and "适龄残疾儿童少年"
        # are not all 适龄儿童少年
        and seen.qualifiers <= index.qualifiers[entry.code]
        and seen.named_groups <= index.qualifiers[entry.code]
    )


_AND = re.compile(r"[\u4e00-\u9fff][和与][\u4e00-\u9fff]")


def _lists_things(core: str) -> bool:
    return bool(_AND.search(core))


def _said_in_full(seen: _Field, grams: frozenset[str], alias: IndexedAlias) -> bool:
    """The label names nothing the alias does not, and the words of the alias it leaves
    out are in its section or parent: each of their characters, and at least one whole
    word (a bigram, not a lone character; bigrams across the join of the label's words and
    the left-out ones, as 民医 of 居民+医保, are in neither). Who is counted may be left to
    the section, not what they did: "劳动力" under "农村劳动力转移就业" is all 劳动力."""
    if not grams <= alias.grams or not alias.analysis.actions <= seen.analysis.actions:
        return False
    left = alias.grams - grams
    return all(gram in seen.local_context for gram in left if len(gram) == 1) and any(
        len(gram) > 1 and gram in seen.local_context for gram in left
    )


def _is_age(gram: str) -> bool:
    return gram.startswith("age:")


_AGE_BAND = re.compile(r"^(?:(\d+)\+|(\d+)-(\d+)|-(\d+)|<(\d+)|(\d+))$")


def _age_range(age: str) -> tuple[float, float] | None:
    found = _AGE_BAND.match(age)
    if found is None:
        return None
    plus, low, high, upto, under, exact = found.groups()
    if plus:
        return float(plus), float("inf")
    if low:
        return float(low), float(high)
    if upto:
        return 0.0, float(upto)
    if under:
        return 0.0, float(under) - 1
    return float(exact), float(exact)


def _within(ages: frozenset[str], bands: frozenset[str]) -> bool:
    """Every age band of `ages` lies inside one of `bands` (80+ in 65+, 0-3 in 0-6)."""
    if not ages or not bands:
        return False
    outer = [band for band in map(_age_range, bands) if band is not None]
    for age in ages:
        inner = _age_range(age)
        if inner is None or not any(lo <= inner[0] and inner[1] <= hi for lo, hi in outer):
            return False
    return True


def _the_totals_group(seen: _Field, entry: IndexedElement, index: CatalogIndex) -> bool:
    """A sub-item naming nothing but a group ("其中：持证残疾人") under a total, and an
    element that is a part of that total's element for that group alone
    (残疾人参加城乡居民基本养老保险人数 under 城乡居民基本养老保险参保人数): the label and the
    total's name say the element together, each word at its full weight."""
    parent = seen.parent_element
    if not parent or not seen.named_groups or seen.analysis.actions:
        return False
    if not index.is_part_of(entry.code, parent):
        return False
    return index.qualifiers[entry.code] - index.qualifiers[parent] == seen.named_groups


def _said_nearly_in_full(alias: frozenset[str], said: frozenset[str], weights: GramWeights) -> bool:
    """The label and its context say all a proposal's words but a few of little weight (有
    of 有严重不良行为的未成年人): at most UNSAID_OF_A_PROPOSAL of their weight, which a word
    narrowing it (特色 of 特色古井) outweighs."""
    words = _words_of(alias)
    return weights.total(words - said) <= UNSAID_OF_A_PROPOSAL * weights.total(words)


def _words_of(grams: frozenset[str]) -> frozenset[str]:
    """The characters, ages and numbers of a text's grams, without the bigrams: a text
    says all another does when it has all of these, in whatever order ("向社会开放体育场地的
    学校" says all of "体育场地向社会开放的学校")."""
    return frozenset(gram for gram in grams if len(gram) == 1 or ":" in gram)


def _measure_fits(seen: _Field, entry: IndexedElement) -> bool:
    """The unit must be of the element's family, and so must what the label's trailing
    word measures (户数, 人数, 人次); a label saying 户数 in a column of 人 fits nothing."""
    if seen.has_unit and entry.families.isdisjoint(seen.unit_families):
        return False
    measure = seen.analysis.measure
    return not (measure and entry.families and measure not in entry.families)


def _alias_head_said(
    seen: _Field, grams: frozenset[str], alias: IndexedAlias, weights: GramWeights
) -> bool:
    """The other way round: an alias "纳入低保的残疾人" counts 残疾人, so the label or its
    context must name them; "纳入低保" alone does not say whose."""
    if not alias.analysis.head:
        return True
    head = text_grams(alias.analysis.head)
    said = grams | seen.context.keys()
    return weights.total(head & said) >= HEAD_COVERAGE * weights.total(head)


def _object_said(
    seen: _Field, grams: frozenset[str], alias: IndexedAlias, weights: GramWeights
) -> bool:
    """What an alias counts, without its actions, stages and money words, must be named by
    the label or its context: "发放金额" under "本季度发放金额" is no 养老金发放金额, "销售额"
    under "农资销售" no 电商销售额, whatever their words share."""
    thing = alias.thing
    if not thing:
        return True
    said = grams | seen.context.keys()
    return weights.total(thing & said) >= HEAD_COVERAGE * weights.total(thing)


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
    if not sexes(label) <= sexes(alias):
        return False  # "女性村级后备力量" are not all 村级后备干部
    if label.not_done != alias.not_done:
        return False  # "参保人数" are not those "未参保"
    return (label.cumulative, label.earlier, label.target, label.other_period) == (
        alias.cumulative,
        alias.earlier,
        alias.target,
        alias.other_period,
    )
