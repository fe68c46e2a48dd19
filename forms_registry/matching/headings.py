"""What a column's upper header says about the columns under it, read over the whole
report: whether the heading's action qualifies each column, and which headings name whom
their columns count."""

from __future__ import annotations

import re
from collections.abc import Sequence

from forms_registry.importers.model import ImportedField
from forms_registry.matching.normalize import (
    BODY,
    SEPARATOR,
    analyze,
    context_text,
    fold,
    lists_topics,
    names_only_actions,
    programme_actions,
    qualifiers_in,
    without_unit,
)
from forms_registry.matching.similarity import text_grams
from forms_registry.units import unit_family

MONEY_FAMILIES = frozenset({"money", "money_per_person"})
# A rate ("参保率") restates the action of its heading without being one of its figures.
_RATE = re.compile(r"率$")


def section_qualifies(fields: Sequence[ImportedField], frequency: str | None) -> list[bool]:
    """Whether each field's section action (see `programme_actions`) qualifies it. Under
    "医疗救助资助参保" no column says 资助 again: each counts the group's people in the
    programme. Under "残疾人两项补贴" two columns name their 补贴 and a third, 持证残疾人,
    does not: the heading groups a programme's figures, its recipients and the population
    they are drawn from, and a column not naming the action is that population, unless it
    names no one at all ("本季度新增" beside "累计转移就业" under "转移就业"). A rate or
    an amount naming the action ("资助金额" beside "低保对象" under "资助参保情况") is the
    programme's, not a figure of people beside its population."""
    restating: list[frozenset[str]] = []
    for item in fields:
        name = item.name or item.label
        family = unit_family(item.unit)
        rate = family == "percent" or _RATE.search(fold(name))
        restates = bool(item.section) and not rate and family not in MONEY_FAMILIES
        restating.append(analyze(name, frequency=frequency).actions if restates else frozenset())
    result = []
    for position, item in enumerate(fields):
        if not item.section:
            result.append(True)
            continue
        imposed = programme_actions(item.section)
        # Only a column after it makes it the population its action draws from: after
        # the action's count ("签约人数", "其中：重点人群") a group is a part of that count.
        named_after = {
            action
            for later, named in zip(fields[position + 1 :], restating[position + 1 :], strict=True)
            if later.section == item.section
            for action in named
        }
        restated = imposed & named_after
        own = analyze(item.name or item.label, frequency=frequency)
        qualifies = not restated or bool(own.actions & imposed) or names_only_actions(own)
        result.append(qualifies and not _repeats_the_subject(item.section, item, imposed))
    return result


def sections_listing_actions(fields: Sequence[ImportedField], frequency: str | None) -> set[str]:
    """Headings naming several actions that their columns name apart ("参保人数" and
    "缴费金额" under "参保缴费"): such a heading lists what its columns are about, and each
    column is about the ones it names, not all of them. Under "医疗救助资助参保" no column
    names 资助 or 参保 alone, so each is about the whole programme."""
    named: dict[str, set[frozenset[str]]] = {}
    for item in fields:
        if not item.section:
            continue
        imposed = programme_actions(item.section)
        own = analyze(item.name or item.label, frequency=frequency).actions & imposed
        if len(imposed) > 1 and own:
            named.setdefault(item.section, set()).add(own)
    return {section for section, kinds in named.items() if len(kinds) > 1}


def _repeats_the_subject(section: str, item: ImportedField, actions: frozenset[str]) -> bool:
    """The column names what the heading's action is about: "驻村工作队员" under "驻村帮扶"
    are the programme's own people, not those it helps ("低保对象" under "资助参保")."""
    subject = context_text(section)
    for action in actions:
        subject = subject.replace(action, SEPARATOR)
    words = {gram for gram in text_grams(subject) if len(gram) > 1}
    return bool(words & text_grams(context_text(item.name or item.label)))


_WORKERS = re.compile(r"(?:医生|村医|员|干部|书记|教师|职工)(?:情况|队伍|基本情况)?$")


def names_workers(section: str | None) -> bool:
    """The heading names a kind of worker ("乡村医生", "网格员队伍"): a bare age band under it
    is of them, never everyone's."""
    return bool(section) and bool(_WORKERS.search(without_unit(section or "")))


def sections_naming_whom(fields: Sequence[ImportedField]) -> set[str]:
    """Headings with a column naming a group of people or kind of thing (see normalize
    `_QUALIFIERS`: "退役军人" beside "60周岁以上" under "服务对象"), as opposed to headings
    of age bands and plain counts ("年龄结构", "人口": "60岁及以上人口" there is everyone).
    A body ("社区居委会" counted beside 户籍人口) is a kind of unit, no group of people."""
    return {
        item.section
        for item in fields
        if item.section
        and not item.is_sub_item
        and not lists_topics(item.section)
        and qualifiers_in(item.name or item.label) - {BODY}
    }
