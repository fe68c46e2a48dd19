"""Identity and filler-metadata columns: they name or code the reporting unit (村名,
行政区划代码) or record who filled the form and when (填报人, 联系电话, 填报日期, 序号).
Such a column is not a data element; it gets a role instead. A column naming an agency
(派出所) or a unit the row belongs to (所属乡镇 in a village report) is filler too: it does
not identify the row.

The patterns describe the shape of such headers in general (an organisation word followed
by 名称/代码, a filler word followed by 人/电话/日期), not any particular template.
"""

from __future__ import annotations

import re
import unicodedata

from forms_registry.importers.label_parsing import parse_label
from forms_registry.units import unit_family

ORG_NAME = "org_name"
ORG_CODE = "org_code"
META = "meta"
ROLES = (ORG_NAME, ORG_CODE, META)

# Words naming an organisation or administrative area. Those of the first group name
# the reporting unit even when they stand alone ("村（社区）"); the others also name
# things a form counts (自然村, 党支部), so only "<word>名称" makes them identity columns.
_ORG_WORD = (
    r"(?:建制村|行政村|村民委员会|居民委员会|村委会|居委会|村居|村|社区"
    r"|乡镇街道|乡镇|街道办事处|街道|乡|镇|县市区|县区|县|市|区|地区|行政区划|行政区|区划"
    r"|填报单位|报送单位|单位|机构|部门)"
)
_NAMED_ONLY_WORD = (
    r"(?:自然村|村民小组|村组|网格|组织|党组织|党委|党总支|党支部|支部"
    r"|集体经济组织|(?:股份)?经济合作社)"
)
# The party organisation of a unit names that unit: "乡镇党委", "村党支部", "社区党组织".
_PARTY_ORG_OF_UNIT = r"(?:党委|党工委|党总支|党支部|党组织)"
_ORG_NAME = re.compile(
    rf"^(?:所属|所在|填报|报送)?{_ORG_WORD}+$"
    rf"|^(?:所属|所在|填报|报送)?{_ORG_WORD}+{_PARTY_ORG_OF_UNIT}$"
    rf"|^(?:所属|所在|填报|报送)?(?:{_ORG_WORD}|{_NAMED_ONLY_WORD})+(?:名称|名字|全称|简称|名)$"
    # a village of a kind, named: 移民村名称, 脱贫村名称, 示范社区名称
    r"|^[\u4e00-\u9fff]{1,3}(?:村|社区)(?:名称|名字|全称)$"
)
# 统计用区划代码 is the 统计局's name of the 行政区划代码 (统计用区划和城乡划分代码).
_ORG_CODE = re.compile(
    rf"^(?:所属|所在)?(?:{_ORG_WORD}级?|{_NAMED_ONLY_WORD})*(?:统一)?(?:统计用)?"
    r"(?:行政区划|区划|社会信用|统一社会信用|组织机构|机构|行政)?"
    r"(?:代码|编码|区划码|代号)$"
    # the code of the unit reporting as what it is: 接种单位编码, 填报单位代码
    r"|^(?:填报|报送|报告|统计|接种|申报)单位(?:代码|编码)$"
)
_PERSON_WORDS = r"(?:填报|填表|制表|统计|审核|审批|复核|核实|核对|核查|检查|录入|经办|代办|分管|主管|报送|报出|报告|填写|联系)"
# Agencies a row is served or supervised by: 派出所 of a village, 主管部门 of a unit.
_AGENCY = r"(?:公安)?(?:派出所|警务室|司法所)|(?:业务)?(?:主管|上级)(?:部门|单位)"
# What a station or office under 所属 does: 所属市场监管所, 所属水利站, 所属农技站.
_AGENCY_KIND = (
    r"(?:市场监管|财政|司法|林业|水利|农技|农经|农机|畜牧|兽医|国土|规划|统计|税务|邮政|文化)"
)
_META = re.compile(
    "|".join(
        (
            rf"^(?:所属|管辖|辖区|责任)?(?:{_AGENCY})(?:名称)?$",
            # The institution serving the row: 所属乡镇卫生院, 所属中心校 (without 所属 a
            # count of such institutions).
            rf"^(?:所属|所在|管辖|责任)(?:{_ORG_WORD}|{_AGENCY_KIND})?"
            r"(?:卫生院|卫生服务中心|中心校|学校|供电所|(?:服务|工作)?站|所)(?:名称)?$",
            r"^(?:序号|编号|顺序号|行号|备注|附注|说明|填报说明|签字|签名|盖章|签章|单位盖章)$",
            # ... and the village's own agent: 村代办员 (who files for the village).
            rf"^(?:单位|部门|填报单位|统计|村|社区)?"
            rf"(?:{_PERSON_WORDS}(?:人|员|人员|民警|干部|领导)|负责人|领导)"
            r"(?:姓名|签字|签名|签章)?$",
            # The people who keep the books or answer for the day: 会计, 值班领导.
            r"^(?:会计|出纳|报账员|记账员|(?:值班|带班)(?:领导|人员|人))(?:姓名|签字|签名)?$",
            rf"^{_PERSON_WORDS}?(?:人)?(?:及|和)?(?:联系)?(?:电话|手机|手机号|手机号码|电话号码|联系方式)$",
            rf"^{_PERSON_WORDS}?(?:日期|时间)$",
        )
    )
)
# "所属乡镇": the unit the row belongs to, and how high that unit is.
_PARENT_UNIT = re.compile(
    rf"^(?:所属|所在|隶属|上级)(?P<unit>(?:{_ORG_WORD}|{_NAMED_ONLY_WORD})+)"
    r"(?:名称|名字|全称|简称|名|代码|编码|区划代码)?$"
)
_UNIT_LEVELS = {
    **dict.fromkeys(("自然村", "村民小组", "村组", "网格"), "group"),
    **dict.fromkeys(
        ("建制村", "行政村", "村民委员会", "居民委员会", "村委会", "居委会", "村居", "村", "社区"),
        "village",
    ),
    **dict.fromkeys(("乡镇街道", "乡镇", "街道办事处", "街道", "乡", "镇"), "township"),
    **dict.fromkeys(("县市区", "县区", "县", "区"), "county"),
    **dict.fromkeys(("市", "地区"), "city"),
}
_UNIT_WORDS_LONGEST_FIRST = sorted(_UNIT_LEVELS, key=len, reverse=True)
_LEVEL_RANK = {"group": 0, "village": 1, "township": 2, "county": 3, "city": 4, "province": 5}
_COUNTED = frozenset({"count", "area", "money", "percent"})
# A bracketed hint on how to fill the column says nothing of what it holds: "行政区划代码（12位）".
_FILLING_HINT = re.compile(r"\s*[（(](?:\d+\s*位(?:数字)?|必填|选填|如有|可不填)[）)]\s*$")
# A bracketed note after a filler word says who or how: "填报人（劳动保障协理员）".
_TRAILING_NOTE = re.compile(r"\s*[（(][^（）()]*[）)]\s*$")
_BRACKETS_AND_MARKS = re.compile(r"[（）()【】\[\]〔〕“”\"'‘’《》<>:：、\s]")


def _compact(text: str) -> str:
    return _BRACKETS_AND_MARKS.sub("", unicodedata.normalize("NFKC", text))


def detect_role(label: str, name: str | None = None, unit: str | None = None) -> str | None:
    """The role of a column from its header, or None for an ordinary data column.

    `label` is the header as written; `name` the importer's name without unit and
    sub-item marker; `unit` the unit the importer found (possibly from a table-wide note).
    A header stating its own unit ("自然村（个）") or a column counted in 个/所/处 counts
    something, so it is never an identity column.
    """
    parsed = parse_label(label)
    if parsed.unit is not None or parsed.is_sub_item or unit_family(unit) in _COUNTED:
        return None
    written = name if name else parsed.name
    text = _compact(_FILLING_HINT.sub("", written))
    if not text:
        return None
    if _META.match(text) or _META.match(_compact(_TRAILING_NOTE.sub("", written))):
        return META
    if _ORG_CODE.match(text):
        return ORG_CODE
    if _ORG_NAME.match(text):
        return ORG_NAME
    return None


def names_a_unit_above(name: str, level: str | None) -> bool | None:
    """Whether an identity column ("所属乡镇") names a unit above the report's rows: True
    when the unit is higher than `level` (the report's), None when it is a 所属/所在 column
    whose height the level does not settle, False for any other column."""
    found = _PARENT_UNIT.match(_compact(name))
    if found is None:
        return False
    unit = found.group("unit")
    unit_level = next(
        (_UNIT_LEVELS[word] for word in _UNIT_WORDS_LONGEST_FIRST if unit.startswith(word)), None
    )
    if unit_level is not None and level in _LEVEL_RANK:
        return _LEVEL_RANK[unit_level] > _LEVEL_RANK[level] or None
    return None
