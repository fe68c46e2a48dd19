"""Units of measure: spelling normalisation, families and exact Decimal conversion.

The unit table lives in `data/units.json`. Every unit belongs to one family (persons,
households, area, money, ...) and has an exact factor to its family's base unit, so a
value converts between two units of the same family by multiplying by one factor and
dividing by the other. "No unit" (None or blank) is a unit of its own: it converts only
to itself.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from decimal import Decimal, localcontext
from functools import lru_cache
from pathlib import Path

from forms_registry.errors import InvalidInput

UNITS_FILE = Path(__file__).parent / "data" / "units.json"

# Enough digits for any exact product of a value and the table's factors; a quotient
# that does not terminate (亩 -> 公顷 is 1/15) is rounded to this many digits.
_PRECISION = 34

_WHITESPACE = re.compile(r"\s+")
_UNIT_PREFIX = re.compile(r"^(?:计量单位|单位)[:：]?")
_BRACKETS = {"(": ")", "[": "]", "【": "】", "〔": "〕", "{": "}", "<": ">", "《": "》"}


class IncompatibleUnits(InvalidInput):
    """Two units cannot be converted into each other (other family, or unknown unit)."""


@dataclass(frozen=True)
class Unit:
    name: str  # canonical spelling
    family: str  # family key, e.g. "area"
    factor: Decimal  # how many base units one of this unit is


@dataclass(frozen=True)
class UnitTable:
    units: dict[str, Unit]  # canonical spelling -> unit
    spellings: dict[str, str]  # lookup key of every known spelling -> canonical spelling
    family_labels: dict[str, str]  # family key -> Chinese label
    family_bases: dict[str, str]  # family key -> canonical base unit
    # unit -> units of other families in which what it counts is also counted, one for
    # one (家 -> 户: an enterprise is one 家 or one 户; a 户 is not always a 家)
    same_as: dict[str, frozenset[str]]


def _lookup_key(text: str) -> str:
    return text.lower()


@lru_cache(maxsize=1)
def unit_table() -> UnitTable:
    """Load and check `data/units.json` once."""
    raw = json.loads(UNITS_FILE.read_text(encoding="utf-8"))
    units: dict[str, Unit] = {}
    spellings: dict[str, str] = {}
    labels: dict[str, str] = {}
    bases: dict[str, str] = {}
    same_as: dict[str, set[str]] = {}
    for family in raw["families"]:
        key = family["key"]
        if key in labels:
            raise ValueError(f"duplicate unit family {key!r}")
        labels[key] = family["label"]
        bases[key] = family["base"]
        for entry in family["units"]:
            unit = Unit(name=entry["unit"], family=key, factor=Decimal(entry["factor"]))
            if unit.factor <= 0:
                raise ValueError(f"unit {unit.name!r} needs a positive factor")
            if unit.name in units:
                raise ValueError(f"duplicate unit {unit.name!r}")
            units[unit.name] = unit
            for spelling in (unit.name, *entry.get("synonyms", ())):
                lookup = _lookup_key(_clean(spelling))
                if lookup in spellings:
                    raise ValueError(f"unit spelling {spelling!r} is listed twice")
                spellings[lookup] = unit.name
            for other in entry.get("same_as", ()):
                same_as.setdefault(unit.name, set()).add(other)
        base = units.get(family["base"])
        if base is None or base.family != key or base.factor != 1:
            raise ValueError(f"family {key!r} needs its base unit with factor 1")
    for unit, others in same_as.items():
        for other in others:
            if other not in units or units[other].family == units[unit].family:
                raise ValueError(f"{unit!r} is the same as {other!r}: no unit of another family")
            if units[other].factor != units[unit].factor:
                raise ValueError(f"{unit!r} and {other!r} must count one for one")
    return UnitTable(
        units=units,
        spellings=spellings,
        family_labels=labels,
        family_bases=bases,
        same_as={unit: frozenset(others) for unit, others in same_as.items()},
    )


def _strip_brackets(text: str) -> str:
    while len(text) >= 2 and _BRACKETS.get(text[0]) == text[-1]:
        text = text[1:-1].strip()
    return text


def _clean(text: str) -> str:
    # NFKC folds full-width forms and unit symbols: '％'->'%', '㎡'->'m2', '㏊'->'ha'.
    text = unicodedata.normalize("NFKC", text)
    text = _WHITESPACE.sub("", text)
    text = _strip_brackets(text)
    text = _UNIT_PREFIX.sub("", text)
    return _strip_brackets(text)


def normalize_unit(text: str | None) -> str | None:
    """The canonical spelling of a unit as written ('（万人）' -> '万人', '㎡' -> '平方米').

    Blank means no unit (None). A unit not in the table comes back cleaned but otherwise
    as written, so callers can still show it; `unit_family` says whether it is known.
    """
    if text is None:
        return None
    cleaned = _clean(text)
    if not cleaned:
        return None
    return unit_table().spellings.get(_lookup_key(cleaned), cleaned)


def is_known_unit(unit: str | None) -> bool:
    """True when the unit (in any known spelling) is in the unit table."""
    return unit_family(unit) is not None


def unit_family(unit: str | None) -> str | None:
    """The family key of a unit ('公顷' -> 'area'); None for no unit or an unknown one."""
    canonical = normalize_unit(unit)
    if canonical is None:
        return None
    known = unit_table().units.get(canonical)
    return known.family if known else None


def families_taken(unit: str | None, also_counted_in: Collection[str] = ()) -> frozenset[str]:
    """The families of the columns an element counted in `unit` takes: the unit's own, and
    that of a unit counting the same thing one for one, in the unit table ('家' -> count and
    households, as an enterprise is one 家 or one 户) or for this element alone
    (`also_counted_in`: 受灾人口 in 人 is also counted in 人次). Empty for no unit or an
    unknown one."""
    canonical = normalize_unit(unit)
    table = unit_table()
    known = table.units.get(canonical) if canonical else None
    if known is None:
        return frozenset()
    others = _one_for_one(known.name, {known.name: also_counted_in})
    return frozenset({known.family, *(other.family for other in others)})


def family_label(family: str) -> str:
    """The Chinese name of a family key ('area' -> '面积')."""
    return unit_table().family_labels[family]


def _display(unit: str | None) -> str:
    return f"“{unit}”" if unit else "无单位"


def _resolve(unit: str | None) -> Unit | None:
    """The unit, None for no unit; raise if a unit is given but not known."""
    canonical = normalize_unit(unit)
    if canonical is None:
        return None
    known = unit_table().units.get(canonical)
    if known is None:
        raise IncompatibleUnits(
            f"无法识别的计量单位{_display(canonical)}",
            details={"unit": f"无法识别的计量单位{_display(canonical)}"},
        )
    return known


# More pairs counting one for one than the unit table's: an element's unit -> the units
# of other families it is also counted in (受灾人口: {"人": ["人次"]}); see `_one_for_one`.
SameAs = Mapping[str | None, Collection[str]]


def _ratio(from_unit: str | None, to_unit: str | None, same_as: SameAs) -> tuple[Decimal, Decimal]:
    """(numerator, denominator): value_in_to = value_in_from * numerator / denominator."""
    source, target = _resolve(from_unit), _resolve(to_unit)
    if source is None and target is None:
        return Decimal(1), Decimal(1)
    if source is not None and target is not None and source.family != target.family:
        bridged = _bridged(source, target, same_as)
        if bridged is not None:
            return bridged
    if source is None or target is None or source.family != target.family:
        message = f"计量单位{_display(normalize_unit(from_unit))}与{_display(normalize_unit(to_unit))}不可换算"
        if source is not None and target is not None:
            message += f"（{family_label(source.family)}与{family_label(target.family)}）"
        raise IncompatibleUnits(message, details={"unit": message})
    return source.factor, target.factor


def _one_for_one(unit: str, same_as: SameAs) -> list[Unit]:
    """The units of other families counting what `unit` counts one for one: the unit
    table's and those `same_as` adds (unknown spellings in it are left out)."""
    table = unit_table()
    names = [
        *table.same_as.get(unit, ()),
        *(normalize_unit(name) for name in same_as.get(unit, ())),
    ]
    return [table.units[name] for name in names if name in table.units]


def _bridged(source: Unit, target: Unit, same_as: SameAs) -> tuple[Decimal, Decimal] | None:
    """The ratio between a unit and one of another family in which what it counts is also
    counted (家 and 户, 家 and 万户); None when they are not such a pair (户 and 个 are not)."""
    for other in _one_for_one(target.name, same_as):
        if other.family == source.family:
            return source.factor, other.factor
    for other in _one_for_one(source.name, same_as):
        if other.family == target.family:
            return other.factor, target.factor
    return None


def are_compatible(a: str | None, b: str | None, *, same_as: SameAs | None = None) -> bool:
    """True when a value in unit `a` can be converted to unit `b`."""
    try:
        _ratio(a, b, same_as or {})
    except IncompatibleUnits:
        return False
    return True


def conversion_factor(
    from_unit: str | None, to_unit: str | None, *, same_as: SameAs | None = None
) -> Decimal:
    """The factor that turns a value in `from_unit` into `to_unit` ('万元' -> '元': 10000).

    Exact whenever the ratio is a terminating decimal; otherwise (亩 -> 公顷 = 1/15) it
    is rounded to 34 significant digits, so convert values with `convert`, which divides
    last and stays exact whenever the result terminates.
    `same_as` adds an element's own one-for-one units to the table's: conversion_factor(
    '万人次', '人', same_as={'人': ['人次']}) == 10000 (受灾人口 is counted in either).
    Raises IncompatibleUnits for units of different families or an unknown unit.
    """
    numerator, denominator = _ratio(from_unit, to_unit, same_as or {})
    with localcontext() as context:
        context.prec = _PRECISION
        return _plain(numerator / denominator)


def convert(
    value: Decimal, from_unit: str | None, to_unit: str | None, *, same_as: SameAs | None = None
) -> Decimal:
    """`value` (in `from_unit`) expressed in `to_unit`, e.g. convert(Decimal('15'), '亩', '公顷') == 1.

    Exact whenever the result is a terminating decimal; only a result like 1 亩 in 公顷
    (0.0666…) is rounded, to 34 significant digits. `same_as`: see `conversion_factor`.
    """
    return converter(from_unit, to_unit, same_as=same_as)(value)


def converter(
    from_unit: str | None, to_unit: str | None, *, same_as: SameAs | None = None
) -> Callable[[Decimal], Decimal]:
    """`convert` with the units looked up once, for converting many values (exports)."""
    numerator, denominator = _ratio(from_unit, to_unit, same_as or {})

    def apply(value: Decimal) -> Decimal:
        if not isinstance(value, Decimal):
            raise TypeError("convert() takes a Decimal value, never a float")
        if numerator == denominator:
            return value
        with localcontext() as context:
            context.prec = _PRECISION
            return _plain(value * numerator / denominator)

    return apply


def _plain(number: Decimal) -> Decimal:
    """Drop trailing fractional zeros without switching to exponent notation (1E+4)."""
    if number == number.to_integral_value():
        return number.quantize(Decimal(1))
    return number.normalize()
