"""Split a template header such as "其中：女党员（人）" into name, unit and sub-item flag.

A trailing bracket listing the two answers of a yes/no question ("通客车（是/否）",
"（是=1，否=0）", "(有/无)") says the column holds 是/否: it is no part of the name.

Units are recognised from a vocabulary of measure words (with 万/千/亿 multipliers and
"元/人" style ratios), so that trailing parentheses that qualify the name rather than
measure it ("村（社区）", "人数（含外地）") stay part of the name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from forms_registry.units import is_known_unit

_UNIT_WORDS = """
    人 户 个 家 所 座 处 间 套 台 辆 艘 架 部 张 头 只 匹 口 株 棵 条 项 件 次 名 位 例 宗 起
    份 册 本 篇 场 期 批 门 床 剂 支 箱 包 块 根 对 组 班 栋 幢 层 眼 盏 公里 千米 米 厘米
    毫米 平方米 平方公里 平方千米 立方米 亩 公顷 顷 吨 公斤 千克 克 斤 升 毫升 千瓦 千瓦时
    瓦 度 伏 元 美元 角 分 小时 天 日 周 月 年 岁 人次 户次 次数 人日 工日 人年 倍
    百分点 个百分点 % ％ ‰ ‱ km m m2 m3 km2 kg g t ha kw kwh mu
"""
_BASE_UNITS = frozenset(_UNIT_WORDS.split())
_MULTIPLIERS = ("万亿", "百万", "千万", "亿", "万", "千", "百", "十")
_RATIO_SEPARATORS = re.compile(r"[/／·•]|每")

_OPENERS = "（(【[〔"
_CLOSERS = "）)】]〕"
_TRAILING_BRACKET = re.compile(
    rf"^(?P<name>.*?)[{re.escape(_OPENERS)}](?P<inner>[^{re.escape(_OPENERS + _CLOSERS)}]*)"
    rf"[{re.escape(_CLOSERS)}]$",
    re.DOTALL,
)
_UNIT_PREFIX = re.compile(r"^(?:计量)?单位\s*[:：]\s*")
_SUB_ITEM_PREFIX = re.compile(r"^(?:其中\s*[:：,，、]?|[#＃])\s*")
# "单位：万元" in a note row; "填报单位：" / "金额单位：" (preceded by another CJK character)
# name the filler or a subset of columns, not the unit of every column.
_NOTE_UNIT = re.compile(r"(?<![\u4e00-\u9fff])(?:计量)?单位\s*[:：]\s*(?P<unit>[^\s,，;；、）)]+)")
_WHITESPACE = re.compile(r"\s+")
# The answers of a yes/no column, as a bracket after its name lists them.
_YES_NO = re.compile(
    r"^(?:填)?(?:(?:是|有)(?:\s*=\s*1)?\s*[/／、,，;；或]?\s*(?:否|无)(?:\s*=\s*0)?"
    r"|1\s*=\s*(?:是|有)\s*[/／、,，;；]?\s*0\s*=\s*(?:否|无)|Y\s*/\s*N)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ParsedLabel:
    label: str  # as written, outer whitespace trimmed
    name: str  # without unit and without the sub-item marker, inner whitespace removed
    unit: str | None
    is_sub_item: bool
    yes_no: bool = False  # the label lists 是/否 as its answers


def clean_inner_whitespace(text: str) -> str:
    """Drop line breaks and spaces inside Chinese text; keep one space between ASCII words."""

    def replace(match: re.Match[str]) -> str:
        before = text[match.start() - 1] if match.start() > 0 else ""
        after = text[match.end()] if match.end() < len(text) else ""
        if before.isascii() and after.isascii() and before.isalnum() and after.isalnum():
            return " "
        return ""

    return _WHITESPACE.sub(replace, text.strip())


def looks_like_unit(text: str) -> bool:
    """True for measure words such as 人, 万元, 公顷, 元/人, %."""
    candidate = text.strip()
    if not candidate or len(candidate) > 10:
        return False
    parts = [part.strip() for part in _RATIO_SEPARATORS.split(candidate)]
    return all(_is_simple_unit(part) for part in parts if part) and any(parts)


def _is_simple_unit(part: str) -> bool:
    lowered = part.lower()
    if lowered in _BASE_UNITS or is_known_unit(part):  # is_known_unit: 场次, ㎡, 万m2 ...
        return True
    for multiplier in _MULTIPLIERS:
        if part.startswith(multiplier) and part[len(multiplier) :] in _BASE_UNITS:
            return True
    return False


def _trailing_bracket(text: str) -> tuple[str, str] | None:
    """("户籍人口（万人）") → ("户籍人口", "万人"): a name and what its last bracket holds."""
    match = _TRAILING_BRACKET.match(text)
    if match is None or not match.group("name").strip():
        return None
    return match.group("name").strip(), match.group("inner").strip()


def split_unit(text: str) -> tuple[str, str | None]:
    """("户籍人口（万人）") → ("户籍人口", "万人"); no recognised unit → (text, None)."""
    found = _trailing_bracket(text)
    if found is None:
        return text, None
    name, inner = found
    unit = _UNIT_PREFIX.sub("", inner)
    if not looks_like_unit(unit):
        return text, None
    return name, unit


def parse_label(text: str) -> ParsedLabel:
    label = text.strip()
    cleaned = clean_inner_whitespace(label)
    without_marker = _SUB_ITEM_PREFIX.sub("", cleaned, count=1)
    is_sub_item = without_marker != cleaned and bool(without_marker)
    body = without_marker if is_sub_item else cleaned
    name, yes_no = split_yes_no(body)
    unit = None
    if not yes_no:
        name, unit = split_unit(body)
    return ParsedLabel(label=label, name=name, unit=unit, is_sub_item=is_sub_item, yes_no=yes_no)


def is_whereof_heading(text: str) -> bool:
    """A header cell saying nothing but the sub-item marker ("其中", "其中（人）"): the
    columns under it are parts of the column before them."""
    name = split_unit(clean_inner_whitespace(text))[0]
    return bool(name) and not _SUB_ITEM_PREFIX.sub("", name, count=1)


def split_yes_no(text: str) -> tuple[str, bool]:
    """("快递直达村（是/否）") → ("快递直达村", True); no yes/no bracket → (text, False)."""
    found = _trailing_bracket(text)
    if found is None or not is_yes_no(found[1]):
        return text, False
    return found[0], True


def is_yes_no(text: str) -> bool:
    """A unit cell or bracket that lists the answers 是/否 (是=1，否=0; 有/无)."""
    return bool(_YES_NO.match(text.strip()))


def is_unit_only(text: str) -> bool:
    """A header cell that holds nothing but a bracketed unit, e.g. "（万人）"."""
    cleaned = clean_inner_whitespace(text)
    if len(cleaned) < 3 or cleaned[0] not in _OPENERS or cleaned[-1] not in _CLOSERS:
        return False
    return looks_like_unit(_UNIT_PREFIX.sub("", cleaned[1:-1].strip()))


def unit_from_note(text: str) -> str | None:
    """The unit a note row states for the whole table ("单位：万元"), if any."""
    for match in _NOTE_UNIT.finditer(text):
        unit = match.group("unit")
        if looks_like_unit(unit):
            return unit
    return None
