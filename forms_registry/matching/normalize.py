"""Turn a label (or an element name, alias, section or title) into what the matcher compares.

Normalisation folds spelling variants that never change the meaning:
full-width/half-width forms, 周岁 → 岁, "60岁以上" = "60岁及以上", standard abbreviations
(低保 = 最低生活保障, 医保 = 基本医疗保险), stock words (年末, 期末), neutral qualifiers
(实有, 实际, 在册, 专兼职, 登记, 合计), places that only locate what is counted (辖区, 村内)
and the trailing measure words (人数, 户数, 个数, 数). What does change the meaning is kept
apart as features: ages and other numbers, the measure the trailing word implies (户数 →
households, 人数 → persons), a period other than the report's own (本年累计 in a monthly
report, 上年同期, 本月 in a yearly one), a target (应参保, 计划) and the actions a count is
about (参保, 签约). A rural qualifier (农村, 乡村) is kept apart as well: in the village and
township reports this matcher serves it seldom narrows what is counted (农村劳动力资源 is the
place's 劳动力), so it weighs half against an element that leaves it out, and an element
that names it wins (农村居民人均可支配收入, not 居民人均可支配收入).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache

from forms_registry.importers.label_parsing import split_unit
from forms_registry.periods import MONTHS_PER_PERIOD

SEPARATOR = "|"

_DROP = re.compile(r"[\s“”\"'‘’《》<>（）()【】\[\]〔〕{}]")
# A bracket recalling what the thing is or was also called: "特困供养人员（原五保）".
_FORMER_NAME = re.compile(r"\((?:原|即|简称|又称|俗称)[^()]*\)")
_SEPARATORS = re.compile(r"[、，,：:；;/／·•。.]+")
_RANGE = re.compile(r"(\d)\s*[～~〜\-—–－至到]\s*(\d)")

# Standard abbreviations and spelling variants (general domain knowledge), applied in order.
_SYNONYMS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"周岁", "岁"),
        (r"百岁(?:及以上|以上)?", "100岁及以上"),
        (r"低保", "最低生活保障"),
        (r"地灾", "地质灾害"),
        # A yes/no question's 是否 asks, it names nothing: 快递是否进村 = 是否快递进村 = 快递进村.
        (r"是否", ""),
        # 调处 is mediating a dispute: 调处化解 = 化解矛盾纠纷.
        (r"调处化解", "化解矛盾纠纷"),
        # "村（社区）" is a village or a community, the unit the row is: 行政村（社区）数 =
        # 行政村数 (a 农村社区 is a community of its own).
        (r"(?<![农乡])村社区", "村"),
        # 林业用地 is the statistical name of 林地.
        (r"林业用地", "林地"),
        # Selling on the internet: 网上销售额 = 线上销售额 = 网络销售额.
        (r"网上|线上", "网络"),
        # Letters and visits together are all petitions: 群众来信来访 = 信访 (来信 or 来访
        # alone is one way of petitioning).
        (r"(?:群众)?来信来访", "信访"),
        # Patients 在管 are those under the programme's management: 在管高血压患者 =
        # 高血压患者管理人数 (but 所在管辖区 is a place).
        (r"(?<![所存正现])在管(?!理|辖)([^|]*?患者)", r"\1管理"),
        (r"城乡医保", "城乡居民医疗保险"),
        (r"基本医保|医保", "医疗保险"),
        (r"基本医疗保险", "医疗保险"),
        (r"城乡居保|居保", "城乡居民养老保险"),
        (r"基本养老保险", "养老保险"),
        # The pension a 城乡居民养老保险 pays is its 基础养老金, the 养老待遇 its members
        # draw: 领取基础养老金 = 领取养老金 = 领取养老待遇 (the scheme's words stay).
        (r"基础养老金|基本养老金|养老保险待遇|养老待遇", "养老金"),
        (r"户口登记|户籍登记|户口", "户籍"),
        (r"中共党员|共产党员", "党员"),
        (r"公用(?!事业)", "公共"),  # 公用充电桩 = 公共充电桩
        # 脱贫劳动力（含监测对象） is how the 脱贫 figures are reported since 2021: the
        # monitored households are counted with them, no group of their own.
        (r"(?<!不)含(?:防止返贫)?监测(?:对象|户)(?:家庭)?", ""),
        (r"(?:(?<=脱贫人口)|(?<=脱贫劳动力))[和及与](?:防止返贫)?监测对象", ""),
        # 劳动力资源数 is the statistical name of the labour-force count (劳动力).
        (r"劳动力资源", "劳动力"),
        # (老年人数 counts 老人: its 人数 is the measure, not the 人 of 老人.)
        (r"老年人口数(?!量)|老年人数(?!量)", "老人人数"),
        (r"老年人口|老年人", "老人"),
        # 外出从业 (统计局) and 外出务工 (人社) name the same people: those working away.
        (r"外出从业", "外出务工"),
        # Money put into a thing is its money: 经费投入 = 经费, 资金投入 = 资金.
        (r"(?<=经费|资金)投入", ""),
        # Working for wages is how these forms count employment: 务工就业 = 务工 = 就业
        # (脱贫劳动力务工人数 = 脱贫劳动力务工就业人数).
        (r"务工就业|务工", "就业"),
        # The working ones are counted as people: 外出务工劳动力 = 外出务工人员.
        (r"(?<=就业)劳动力", "人员"),
        # 出省 / 跨省 work is work outside the province: 出省务工 = 省外务工.
        (r"出省|跨省", "省外"),
        # The residents are those living in the village: 在村常住户 = 常住户.
        (r"在村常住|常住在村", "常住"),
        # 重度 disability is grades one and two: "一、二级重度残疾人" = "重度（一、二级）" = 重度.
        (r"一\|?二级重度|重度一\|?二级", "重度"),
        (r"(重度[^|]*?)\|?一\|?二级$", r"\1"),  # "持证重度残疾人（一、二级）"
        # The households of a village or township are its 农户: 户籍农户数 = 户籍户数,
        # 污水得到有效治理的农户 its 户. (农户数 alone, the farming households, are not all
        # of them.)
        (r"(?<=[^|])农户", "户"),
        (r"村级", "村"),
        # A village's own finances, assets and debts are its collective's: 村级财务 =
        # 村集体财务.
        (r"村(?=财务|资产|负债)", "村集体"),
        # "村（居）民小组": the 村民小组 of a village (or 居民小组 of a community).
        (r"村居民", "村民"),
        # A village's name for a thing with the community's after it in brackets:
        # "村民小组（居民小组）" = 村民小组, "村委会（居委会）" = 村委会.
        (r"村(民?)([\u4e00-\u9fff]{1,4}?)居\1\2", r"村\1\2"),
        (r"村规民约居民公约", "村规民约"),
        # 官兵 are the serving officers and soldiers: 现役官兵家庭 = 现役军人家庭.
        (r"官兵", "军人"),
        # "村（居）“两委”成员": the 两委 of a village (or a community's 居委).
        (r"村居(?=两委|委员会|委会|干部|书记|主任)", "村"),
        # 控辍保学 counts children out of school, 失学 or 辍学, as one: 失学辍学 = 失辍学 = 辍学.
        (r"失学辍学|失辍学", "辍学"),
        # 计生 abbreviations: 特扶 = 特别扶助, 奖扶 = 奖励扶助.
        (r"特扶(?!贫)", "特别扶助"),
        (r"奖扶", "奖励扶助"),
        # Money is money: 补助资金 = 补助金额, 运转经费 = 运转金额.
        (r"资金|经费|款项|款额", "金额"),
        (r"女性", "女"),
        (r"男性", "男"),
        # 参保 is 参加保险: "参加城乡居民医疗保险人数" = "城乡居民医疗保险参保人数".
        (r"参加([^|]*?保险)", r"\1参保"),
        # An adjectival 性 adds nothing: 公益性岗位 = 公益岗位. But 经营性收入 (经营收入 with
        # 发包及上交收入 and 投资收益, in the 农经 accounts) is more than 经营收入.
        (r"(?<=[\u4e00-\u9fff])(?<!经营)性(?!别|质|病)", ""),
    )
)

# Ages: "60岁以上", "60岁及以上", "60岁（含）以上" and "年满60岁" are the same band (a person
# 年满60周岁 has reached 60), "60岁" and "65岁" never are. A band from birth is written
# "-N" up to N years of age included: "0-6岁", "6岁及以下" and "7岁以下" (under 7, as
# "18周岁以下" are those 未满18周岁 and "5岁以下儿童死亡率" counts under-fives) are all "-6".
_AGE_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?:不满|未满)(\d+)岁"), "<{0}"),
    (re.compile(r"(\d+)-(\d+)岁"), "{0}-{1}"),
    (re.compile(r"(?:年满|已满|满)(\d+)岁(?:及|或|含)?(?:以上)?"), "{0}+"),
    (re.compile(r"(\d+)岁(?:及|或|含)?以上"), "{0}+"),
    (re.compile(r"(\d+)岁(?:及|或|含)以下"), "-{0}"),
    (re.compile(r"(\d+)岁以下"), "<{0}"),
    (re.compile(r"(\d+)岁"), "{0}"),
)
_FROM_BIRTH = re.compile(r"^(?:0-(?P<upto>\d+)|<(?P<under>\d+))$")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")

_CUMULATIVE = re.compile(r"本年累计|自年初累计|累计|年初至今|年初以来|截至目前|截止目前")
# A running total since a programme began, not since January: 截至目前累计, 历年累计.
_SINCE_START = re.compile(r"截至目前|截止目前|截至当前|截止当前|历年|(?<!年初)以来")
_EARLIER = re.compile(r"上年末|上年底|上年同期|同期|上年|去年|上月|上季度|上季|上期|上一年")
# Period words and the length of the period they name. Data elements carry no period: a
# flow's period is the period of the report asking for it (SPEC *Stock and flow*: one
# field per period length, 本月 / 本季度 / 本年), so 本月 in a monthly report and 全年 in a
# yearly one both name the plain flow, each for its report's own period. A period word of
# another length names another figure the dictionary has no element for: a longer one in a
# shorter report is a to-date total (本年 / 本年累计 in a monthly report: January to the
# report's month, neither the month's flow nor, before December, the year's), a shorter one
# in a longer report a part of the period (本月 in a quarterly report). Neither is stored as
# the report period's flow: a total from January the matcher reads as worked out from the
# flow (`from_january`), the others stay unmatched. Without a known frequency (or in a
# one-off report) a period word is taken to be the report's own.
_YEAR_MONTHS = MONTHS_PER_PERIOD["yearly"]
_PERIOD_WORDS: tuple[tuple[re.Pattern[str], int], ...] = (
    (re.compile(r"本月|当月"), MONTHS_PER_PERIOD["monthly"]),
    (re.compile(r"本季度|当季度|本季|当季"), MONTHS_PER_PERIOD["quarterly"]),
    (re.compile(r"本半年|当半年"), MONTHS_PER_PERIOD["half_yearly"]),
    (
        re.compile(r"本年度|本年|当年|全年|年度|年(?=收入|支出|产量|产值|销售)"),
        MONTHS_PER_PERIOD["yearly"],
    ),
)
_NOT_DONE = re.compile(r"未(?!满|成年)|没有")
_OWN_PERIOD = re.compile(r"本期|当期|本报告期|报告期")
# A plan, target or what is due; not the names 雨露计划 (a programme) and 计划生育.
_TARGET = re.compile(
    r"应(?=参保|参加|缴|纳入|收|入学|享受|发放|签约|接种|检|到|保|建)"
    r"|(?<!雨露)计划(?!生育)|目标|预计|任务"
)
# Stock words (a stock is read at the period's end anyway), with the period they end.
_STOCK = re.compile(r"(?:本|当)?(?:年末|年底|期末|月末|季末|季度末|末期)")
# Qualifiers that never change what is counted: 在册党员 are the 党员 on the roll, 专兼职网格员
# are all 网格员, 依法登记的社会组织 the 社会组织 (but 实有人口 and 实有户数, the 公安's count of everyone living in a place
# whatever their register, are a population of their own), 登记流动人口 is the 流动人口 known to the register (but 户籍/户口登记 names the
# household register, and 登记失业 is its own statistic), 集体经济组织收入 is 集体经济收入.
# A leading verb of choosing, receiving or setting up says how the counted came to be, no
# more: 选派驻村第一书记 are the 驻村第一书记, 建成儿童之家 the 儿童之家, 成立红白理事会 the
# 红白理事会, 接收森林火险预警 the 森林火险预警 (but 享受基本报酬的村干部 are cadres, not their
# pay). 开展 ending a label read with its heading ("群众文化活动" + "本季度开展") says no more
# than the heading does.
# 实 before 发, 缴, 种 says the figure is the actual one, as 实际 does (实发 = 发放).
# 领取 before a subsidy or allowance says no more than its count does: those counted by a
# 补贴 or 津贴 are those who get it (领取困难残疾人生活补贴 = 困难残疾人生活补贴人数).
# 普及 before a count only says how far the thing has spread: 卫生厕所普及户数 are the
# households with one (卫生厕所户数); its 普及率 is a rate of its own.
# 已 before an action only says it has happened (已参保人数 are the 参保人数, 已整改 the
# 整改), unlike 已婚, where it is the status counted; 已设（立、置） and 已建（成） only that
# it is in place (已设警示标志 are the 警示标志, 已建高标准农田 the 高标准农田).
_NEUTRAL = re.compile(
    r"(?:^|(?<=\|))(?:选聘|选派|聘用|接收|建成(?!区)|成立|发生|(?:组织)?开展(?!活动)|涉及)|开展$|"
    r"实际|实有(?!人口|户(?!籍))|现有|现状|目前|当前|合计|总计|小计|在册|(?<![所存正现])在用|专兼职|依法|(?<!户籍)(?<!户口)登记(?!失业)"
    r"|(?<=集体经济)组织"
    # The register a kind of farm, firm or person is counted from: 纳入名录管理的家庭农场
    # are the 家庭农场, 入库新乡贤 the 新乡贤 (as 在册 patients are the patients).
    r"|(?:纳入|列入)名录(?:管理)?的?|(?:^|(?<=\|))入库(?=[^|]*?(?:乡贤|人才|企业|农场|合作社|人员))"
    r"|已设(?:立|置)?|已建成?"
    r"|已(?=参保|参加|缴费|签约|领取|整改|改造|完成|脱贫|消除|纳入|办结|享受|接种|安置)"
    r"|普及(?=户|人|数)"
    r"|领取(?=[^|]*?(?:补贴|津贴|补助|救助金|抚恤金|生活费))"
    r"|实(?=发|缴|种|接种)"
)
# What a count is about beyond a group of people or things: "低保对象参保人数" counts insured
# people, not 低保对象. A label naming one of these must be matched by an alias naming it too.
_ACTIONS = re.compile(
    r"参保|缴费|签约|救助|资助|补贴|津贴|培训|改造|就业|新增|接种|筛查|领取|安置|搬迁|整改"
    r"|排查|发放|帮扶|流转|代缴|化解"
)
# Words meaning "all of it" never narrow a concept (城乡低保对象 are all 低保对象), nor do
# places that only locate what is counted in the reporting unit itself: 辖区常住人口 and
# 村内幼儿园 are the unit's 常住人口 and 幼儿园. (辖区面积 is the area of the unit, not
# something within it: there 辖区 is what is measured.)
_WHOLE = re.compile(
    r"城乡|全体|全部|全村|全乡|全镇|本村|本乡|本镇|本社区|本辖区|辖区内|辖内|辖区(?!总?面积)"
    r"|村内|乡内|镇内|社区内|下辖|所辖|(?<![农乡])村(?=党员|常住人口|户籍人口|常住户|户籍户)"
)
# A rural qualifier: see the module docstring.
_RURAL = re.compile(r"农村|乡村")
_TOTAL = re.compile(r"总(?=人口|人数|户数|数|面积|产量|产值|收入|里程|动力|额)")

# Trailing measure words and the measure they imply (None: no hint).
_SUFFIXES: tuple[tuple[str, str | None], ...] = (
    ("人口数", "persons"),
    ("人数", "persons"),
    ("人口", "persons"),
    ("人员", "persons"),
    ("户数", "households"),
    ("人次数", "person_times"),
    ("人次", "person_times"),
    ("户次", "household_times"),
    ("个数", None),
    ("数量", None),
    # what a place has of a thing: 拖拉机保有量 are its 拖拉机
    ("保有量", None),
    ("拥有量", None),
    ("件数", None),
    # plots of land and buildings are counted in 宗 and 栋: 宅基地宗数 are the 宅基地
    ("宗数", None),
    ("栋数", None),
    ("起数", None),
    ("总数", None),
    ("数", None),
    ("户", "households"),
)
_MEASURE_WORDS = frozenset(suffix for suffix, _ in _SUFFIXES)
_MIN_CORE = 2
# One character that still says who is counted once the measure word goes: "女性人口" under
# 户籍人口 is its 女 ("其中：女（人）"), as "女党员" is 女 + 党员.
_SEX = frozenset({"男", "女"})
_OF = "的"  # "A的B" is a B: the words after the last 的 say what is counted

_TITLE_NOISE = re.compile(
    r"(?:统计|汇总|登记|调查|明细|进度|动态)?(?:月|季|年|半年)?(?:报表|报|表)$"
    r"|基本情况|情况|统计|汇总|附表|附件"
)
_DIGITS = re.compile(r"\d{4}年|\d+")
_NOT_AN_AGE = re.compile(r"\d{4}年|\d+(?![\d\-]*岁)")  # 2025年, not 60岁 or 0-6岁


@dataclass(frozen=True)
class Analysis:
    core: str  # normalised text, segments joined by SEPARATOR, measure suffix removed
    head: str  # after the last 的, what is counted ("享受低保的脱贫人口" → "脱贫"), else ""
    ages: frozenset[str]  # "60+", "6-15", "-6" (from birth to 6), "65"
    numbers: frozenset[str]  # other numbers ("2" in 2型糖尿病)
    measure: str | None  # unit family implied by the trailing word (人数 → "persons")
    cumulative: bool  # 本年累计 / 年初至今 (or 本年 in a report of a shorter period)
    earlier: bool  # 上年 / 同期 / 上月
    target: bool  # 应参保 / 计划 / 目标
    actions: frozenset[str] = frozenset()  # 参保, 签约, 救助, 改造 ... named in the text
    other_period: bool = False  # a period shorter than the report's (本月 in a yearly report)
    not_done: bool = False  # 未参保, 没有: those who did not (未满18岁, 未成年人 are ages, groups)
    # a cumulative total from the year's start (本年累计, 年初至今, 本年 in a monthly report),
    # not from a shorter period's (本季度 in a monthly report)
    from_january: bool = False
    # When a rural qualifier was taken out of `core` ("劳动力"), the core as written with it
    # ("农村劳动力"), else "". See the module docstring.
    rural: str = ""


def fold(text: str) -> str:
    """Spelling only: NFKC (full-width → half-width), lower case, no spaces, quotes or
    brackets (their content stays, unless it only recalls another name: "（原五保）"),
    punctuation as segment separators, number ranges."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = _FORMER_NAME.sub("", text)
    text = _DROP.sub("", text)
    text = _RANGE.sub(r"\1-\2", text)
    return _SEPARATORS.sub(SEPARATOR, text)


def canonical(text: str) -> str:
    """`fold` plus the standard synonyms."""
    return _synonyms(fold(text))


# Ages in whole years of months: "0～36个月儿童" are the 0-3岁 children.
_MONTHS_OLD = re.compile(r"(\d+)个月")


def _in_years(match: re.Match[str]) -> str:
    months = int(match[1])
    return f"{months // 12}岁" if months and months % 12 == 0 else match[0]


def _synonyms(text: str) -> str:
    text = _MONTHS_OLD.sub(_in_years, text)
    for pattern, replacement in _SYNONYMS:
        text = pattern.sub(replacement, text)
    return text


def _from_birth(band: str) -> str:
    """A band from birth as "-N", N the last year of age it holds ("0-6", "<7" → "-6")."""
    found = _FROM_BIRTH.match(band)
    if found is None:
        return band
    if found["upto"] is not None:
        return f"-{found['upto']}"
    return f"-{int(found['under']) - 1}"


@lru_cache(maxsize=16384)
def analyze(text: str, *, frequency: str | None = None) -> Analysis:
    """Features of a label, element name or alias. `frequency` is the report's own
    ("monthly", "yearly", ...): 本年 is the report's own period in a yearly report and a
    to-date figure in a monthly one. Cached: the heading rules, the label's reading and its
    context each ask for the same text's features (an Analysis is immutable)."""
    analysis = _analyze(fold(text), frequency)
    if not _RURAL.search(analysis.core):
        return analysis
    # A rural qualifier is kept apart only when the rest still names something: 农村人口
    # is a population of its own (乡村人口), 农村劳动力 is 劳动力 said of a rural place.
    without = _analyze(_RURAL.sub(SEPARATOR, fold(text)), frequency)
    if not without.core or is_bare_measure(without):
        return analysis
    return replace(without, rural=analysis.core)


def _analyze(text: str, frequency: str | None) -> Analysis:
    cumulative = bool(_CUMULATIVE.search(text))
    from_january = cumulative and not _SINCE_START.search(text)
    text = _CUMULATIVE.sub(SEPARATOR, text)
    earlier = bool(_EARLIER.search(text))
    text = _EARLIER.sub(SEPARATOR, text)
    text = _STOCK.sub("", text)
    other_period = False
    own = MONTHS_PER_PERIOD.get(frequency or "")
    for pattern, months in _PERIOD_WORDS:
        if own is not None and pattern.search(text):
            cumulative = cumulative or months > own
            from_january = from_january or (months > own and months == _YEAR_MONTHS)
            other_period = other_period or months < own
        text = pattern.sub("", text)
    text = _OWN_PERIOD.sub("", text)
    target = bool(_TARGET.search(text))
    text = _TARGET.sub("", text)
    text = _NEUTRAL.sub("", text)
    text = _WHOLE.sub("", _synonyms(text))
    text = _TOTAL.sub("", text)
    actions = frozenset(_ACTIONS.findall(text))

    ages: set[str] = set()
    for pattern, form in _AGE_PATTERNS:

        def take(match: re.Match[str], form: str = form) -> str:
            ages.add(_from_birth(form.format(*match.groups())))
            return SEPARATOR

        text = pattern.sub(take, text)
    numbers = set(_NUMBER.findall(text))
    text = _NUMBER.sub(SEPARATOR, text)

    text, measure = _strip_measure(text, alone=not ages and not numbers)
    modifier, _, head = text.rpartition(_OF)
    core = _tidy(text.replace(_OF, SEPARATOR))
    return Analysis(
        core=core,
        head=_tidy(head) if modifier else "",
        ages=frozenset(ages),
        numbers=frozenset(numbers),
        measure=measure,
        cumulative=cumulative,
        from_january=from_january,
        earlier=earlier,
        target=target,
        actions=actions,
        other_period=other_period,
        not_done=bool(_NOT_DONE.search(core)),
    )


def rural_words(analysis: Analysis) -> list[str]:
    """The rural qualifiers taken out of the analysis's core ("农村")."""
    return _RURAL.findall(analysis.rural)


def actions_in(text: str) -> frozenset[str]:
    """The actions (参保, 救助 ...) a section, title or category names."""
    return frozenset(_ACTIONS.findall(canonical(text)))


# Groups of people, and kinds of thing, a heading or a report title can restrict what its
# columns count to: "已参保" under "特困人员" counts insured 特困人员, "60岁及以上" under
# "持证残疾人" disabled people of that age, "面积" under "违法占用耕地" illegally used land.
# Each key is found (on the canonical text) by its pattern; an element is about a group when
# its name, an alias or a total above it names the group.
# The words of a body of members: 委员会, 两委, 班子.
BODY_WORDS = re.compile(r"委员会|委会|两委|班子|后备干部|后备力量")
_QUALIFIERS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (key, re.compile(pattern))
    for key, pattern in (
        # 低保边缘家庭 are the families just above the 低保 line, not on it.
        ("最低生活保障", r"最低生活保障(?!边缘)"),
        ("特困", r"特困|五保"),
        # 脱贫攻坚 is the campaign, not its people ("巩固拓展脱贫攻坚成果" is about everyone).
        ("脱贫", r"脱贫(?!攻坚)|建档立卡"),
        ("监测对象", r"监测对象|监测户|返贫监测"),
        ("残疾", r"残疾"),
        ("党员", r"党员"),
        ("退役军人", r"退役军人|优抚对象"),
        # 留守儿童, 困境儿童 and 残疾儿童 are one group each (留守, 困境, 残疾), 妇女儿童
        # two; 孤儿, 新生儿 and 婴幼儿 are 儿童.
        ("儿童", r"(?<!留守)(?<!困境)(?<!残疾)儿童|孤儿|新生儿|婴儿|婴幼儿"),
        ("妇女", r"(?<!留守)妇女"),
        ("留守", r"留守"),
        ("困境", r"困境"),
        ("违法", r"违法|违规|非法"),
        # Patients of a disease: "签约人数" under "高血压患者" are the patients signed up.
        ("高血压", r"高血压"),
        ("糖尿病", r"糖尿病"),
        ("精神障碍", r"精神障碍|精神病"),
        # Rivers and lakes: "保洁员" under "河道保洁" clean rivers, not villages.
        ("河湖", r"河道|河湖"),
        # Farms of a kind: "粮食播种面积" under "种粮大户" is the big growers' own.
        ("种粮大户", r"种粮大户|种植大户"),
        ("家庭农场", r"家庭农场"),
        ("合作社", r"(?<!经济)合作社"),  # not a village's 股份经济合作社
        # What happened in accidents, fires or epidemics: "死亡人数" under "生产安全事故"
        # are accident deaths, "死亡（人）" under "本季度火灾情况" fire deaths.
        ("事故", r"事故"),
        ("火灾", r"火灾"),
        ("传染病", r"传染病|疫情"),
        # A body of members: people counted under it are its members ("党员" under
        # "村民委员会" are the committee members who are 党员).
        ("班子", BODY_WORDS.pattern),
    )
)
BODY = "班子"  # the key of a body of members among the qualifiers
# The qualifiers naming farms and rivers: a sub-item naming one (其中：农机专业合作社) is a
# kind of its total, not a group of people within it.
FARM_KINDS = frozenset({"种粮大户", "家庭农场", "合作社", "河湖"})


def qualifiers_in(text: str) -> frozenset[str]:
    """The groups (低保, 特困, 残疾, 党员 ...; see `_QUALIFIERS`) a text names."""
    text = canonical(text)
    return frozenset(key for key, pattern in _QUALIFIERS if pattern.search(text))


# The number a heading is listed by ("一、", "（二）", "3."), never the number it begins
# with ("60岁以上老人").
_ORDINAL = re.compile(
    r"^\s*(?:[（(][一二三四五六七八九十百0-9]+[)）]|[一二三四五六七八九十百0-9]+[、.．])\s*"
)


def without_ordinal(heading: str) -> str:
    """The heading without the number it is listed by ("二、农村宅基地" -> "农村宅基地")."""
    return _ORDINAL.sub("", heading)


_TOPIC_JOINERS = re.compile(r"[与和及、/]")
# A heading naming measures ("帮扶措施落实") or a kind of help ("教育帮扶", "兜底保障")
# lists them: each column is one measure or its outcome.
_MEASURES = re.compile(
    r"措施|举措|(?:就业|教育|产业|健康|医疗|住房|金融|消费|技能|兜底)(?:帮扶|保障)$"
)


def lists_topics(section: str) -> bool:
    """A heading listing topics joined by 与/和/及/、 ("人口与就业", "社会保障和就业服务")
    only groups indicators by subject, and so does one naming measures ("帮扶措施落实") or
    a kind of help ("就业帮扶"): each column under it is one of them, and the heading
    qualifies none."""
    text = without_ordinal(without_unit(section))
    return bool(_TOPIC_JOINERS.search(text) or _MEASURES.search(text))


def programme_actions(section: str) -> frozenset[str]:
    """The actions a section imposes on the columns under it: a heading naming one programme
    ("医疗救助资助参保") qualifies each column; one listing topics (see `lists_topics`)
    none, nor one naming the programme's own people ("驻村帮扶力量": 第一书记 there help,
    they are not helped), nor its targets or their base count ("帮扶对象", "医疗救助对象底数":
    the groups it may help, each counted in full)."""
    text = without_ordinal(without_unit(section))
    if lists_topics(section) or _PROGRAMMES_PEOPLE.search(text):
        return frozenset()
    return actions_in(text)


_PROGRAMMES_PEOPLE = re.compile(r"(?:力量|队伍|工作队|对象|底数)$")


def section_qualifiers(section: str) -> frozenset[str]:
    """The group a heading restricts its columns to (see `_QUALIFIERS`): "特困人员",
    "持证残疾人", "违法占用耕地". A heading listing topics ("低保与特困") or measures
    restricts none, as for `programme_actions`, and nor does one naming several groups
    ("妇女儿童"): its columns may be about either."""
    if lists_topics(section):
        return frozenset()
    named = qualifiers_in(without_ordinal(without_unit(section)))
    return named if len(named) == 1 else frozenset()


def names_everyone(section: str) -> bool:
    """A heading saying it counts the whole unit ("全村兜底保障"): its columns are about
    everyone there, whatever group the report title is about."""
    return bool(_EVERYONE.search(section))


_EVERYONE = re.compile(r"全村|全乡|全镇|全社区|全体|全部")


def title_qualifiers(title: str, actions: frozenset[str] = frozenset()) -> frozenset[str]:
    """The group a report is about, when its title names one and names it before any topic
    joiner, so that it qualifies every topic: "残疾人基本服务状况和需求统计表" is about
    残疾人, "老年健康和儿童保健服务情况" only partly about 儿童, and a title naming two
    groups ("脱贫人口和防止返贫监测对象") about neither alone. A column doing what a later
    topic names (`actions`: "救助人次" in "残疾人两项补贴和临时救助发放情况月报") is of that
    topic, not the group's. A title whose first topic is only a group ("传染病与慢性病管理")
    lists topics and restricts none."""
    named = qualifiers_in(title)
    first, *rest = _TOPIC_JOINERS.split(without_ordinal(title), maxsplit=1)
    if rest and actions & actions_in(rest[0]):
        return frozenset()
    if rest and _names_only_groups(first):
        return frozenset()  # "传染病与慢性病管理": two topics, the first no group of the second
    return named if len(named) == 1 and named <= qualifiers_in(first) else frozenset()


def _names_only_groups(text: str) -> bool:
    text = canonical(text)
    for _, pattern in _QUALIFIERS:
        text = pattern.sub("", text)
    return not text


def is_bare_measure(analysis: Analysis) -> bool:
    """Nothing but a measure word ("户数", "总人口", "人数"): the text says how it counts,
    not what."""
    return analysis.core in _MEASURE_WORDS and not analysis.ages and not analysis.numbers


_DONE = "完成"


def names_nothing(analysis: Analysis) -> bool:
    """The text says how or when it counts but not what: nothing but a measure word
    ("人数"), a period ("本月", "本年累计"), a total ("合计") or that it is done ("本季度完成"
    under "造林绿化"); no age, no number."""
    return (
        (not analysis.core or analysis.core in _MEASURE_WORDS or analysis.core == _DONE)
        and not analysis.ages
        and not analysis.numbers
    )


# What an accident, a fire or an epidemic leaves behind: a column naming only this counts
# it for the event its heading or report names.
_OUTCOMES = re.compile(r"死亡|受伤|重伤|轻伤|失踪|伤亡|(?:直接)?(?:经济|财产)损失")
# Reports and headings about such events: a 安全生产 or 交通安全 report counts accidents.
_EVENTS = re.compile(r"安全生产|交通安全")
EVENTS = frozenset({"事故", "火灾", "传染病"})
_DISASTERS = re.compile(r"(?<!火)灾(?:害|情)")  # not the 灾情 of 火灾情况
_DISASTER = "灾害"


def names_only_an_outcome(analysis: Analysis) -> bool:
    """Nothing but what an event left ("死亡人数", "受伤（人）", "直接财产损失")."""
    return bool(_OUTCOMES.fullmatch(analysis.core)) and not analysis.ages


def events_in(text: str) -> frozenset[str]:
    """The kinds of event (事故, 火灾, 传染病; 灾害, which no element is restricted to) a
    heading or report title is about."""
    named = set(qualifiers_in(text) & EVENTS)
    if _EVENTS.search(canonical(text)):
        named.add("事故")
    if _DISASTERS.search(text):
        named.add(_DISASTER)
    return frozenset(named)


def title_events(title: str) -> frozenset[str]:
    """The kinds of event a report title is about: those its topics name, when its first
    topic names one ("火灾情况及消防基础设施建设": fires; "安全生产和自然灾害": two kinds). A
    title naming them only in a later topic ("村级预防接种及传染病报告") is not about them: its
    死亡人数 are not only deaths from disease."""
    # (a joiner inside a place name, 太和镇 or 和平村, leaves a fragment, no topic)
    topics = [topic for topic in _TOPIC_JOINERS.split(without_ordinal(title)) if len(topic) > 1]
    first, *rest = (events_in(topic) for topic in topics or [title])
    return first.union(*rest) if first else frozenset()


_FEMALE = re.compile(r"(?<!子)女(?!儿)")  # 女, 女性, 妇女; not 子女 or 女儿


def sexes(analysis: Analysis) -> frozenset[str]:
    """The sexes a text restricts its count to: {"女"} for "女党员" or "农村妇女"."""
    core = analysis.core
    return frozenset({"女"} if _FEMALE.search(core) else set()) | (
        {"男"} if "男" in core else set()
    )


def names_only_a_sex(analysis: Analysis) -> bool:
    """Nothing but 男 or 女 ("女性", "其中：女"): whose men or women the text leaves to its
    heading or the field it is a part of."""
    return analysis.core in _SEX and not analysis.ages and not analysis.numbers


def names_only_actions(analysis: Analysis) -> bool:
    """Nothing but what was done, and how or when it counts ("本季度新增", "已整改"): no
    group of people or kind of thing of its own."""
    core = analysis.core
    for action in analysis.actions:
        core = core.replace(action, "")
    return bool(analysis.actions) and names_nothing(replace(analysis, core=_tidy(core)))


_AMOUNT = re.compile(r"金?额$")  # 资金, 经费 and 款项 read as 金额 by then (see _SYNONYMS)
_STAGES = ("开工", "竣工", "完成")  # how far an action has got


def things_counted(analysis: Analysis) -> str:
    """What a text counts, without the actions done to it, how far they got and its money
    words: 养老金 of "养老金发放金额", 危房 of "危房改造开工户数", "" of "发放金额"."""
    segments = []
    for segment in analysis.core.split(SEPARATOR):
        for word in (*analysis.actions, *_STAGES):
            segment = segment.replace(word, SEPARATOR)
        segments.extend(_AMOUNT.sub("", part) for part in segment.split(SEPARATOR))
    return _tidy(SEPARATOR.join(segments))


def without_unit(text: str) -> str:
    """A heading without the unit it states for the columns under it: "特困供养人员（人）"
    → "特困供养人员". The unit is no word of what is counted."""
    return split_unit(text.strip())[0]


def context_text(text: str, *, ages: bool = False) -> str:
    """A section or report title as context: its unit ("（人）"), synonyms folded, form
    words (统计表, 季报, 情况), period words and numbers (2025年) dropped, and ages too
    unless `ages` is set (the age band of a section: "60岁以上老人")."""
    text = canonical(without_unit(text))
    periods = tuple(pattern for pattern, _ in _PERIOD_WORDS)
    for pattern in (_CUMULATIVE, _EARLIER, _STOCK, *periods, _OWN_PERIOD, _NEUTRAL, _WHOLE):
        text = pattern.sub(SEPARATOR, text)
    text = (_NOT_AN_AGE if ages else _DIGITS).sub(SEPARATOR, text)
    previous = None
    while previous != text:
        previous = text
        text = _TITLE_NOISE.sub(SEPARATOR, text)
    return _tidy(text)


def _strip_measure(text: str, *, alone: bool) -> tuple[str, str | None]:
    """Drop trailing measure words ("低保户数" → "低保", households). At least two
    characters stay, except that a bare measure word after an age or another segment goes
    ("60岁及以上人口" → only the age); a text that is nothing but a measure word ("户数")
    stays as it is and still says what it measures."""
    text = text.strip(SEPARATOR)
    head, _, last = text.rpartition(SEPARATOR)
    may_vanish = bool(head) or not alone
    measure = None
    stripped = True
    while stripped:
        stripped = False
        for suffix, implied in _SUFFIXES:
            if not last.endswith(suffix):
                continue
            rest = len(last) - len(suffix)
            if rest >= _MIN_CORE or (rest == 0 and may_vanish) or last[:rest] in _SEX:
                last = last[:rest]
                measure = measure or implied
                stripped = True
                break
            if rest == 0:
                measure = measure or implied
    return (f"{head}{SEPARATOR}{last}" if head else last), measure


def _tidy(text: str) -> str:
    parts = [part for part in text.split(SEPARATOR) if part]
    return SEPARATOR.join(parts)
