"""The label -> data element matcher: synonyms joined, near-misses kept apart, roles, and
its scores on the shared samples and the held-out sets.

Unit tests build their fields in code (not from the sample files), so they pin general
behaviour rather than particular templates.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from forms_registry.importers.label_parsing import parse_label
from forms_registry.importers.model import ImportedField, ImportedReport
from forms_registry.importers.reading import read_template
from forms_registry.matching.catalog import CatalogElement, load_starter_catalog
from forms_registry.matching.evaluation import (
    ColumnResult,
    evaluate_directory,
    pair_scores,
    role_scores,
)
from forms_registry.matching.index import CatalogIndex
from forms_registry.matching.matcher import (
    MAX_CANDIDATES,
    THRESHOLD,
    FieldMatch,
    MatchContext,
    match_field,
    match_report,
    totals_of,
)
from forms_registry.matching.normalize import analyze, canonical
from forms_registry.matching.roles import META, ORG_CODE, ORG_NAME, detect_role
from forms_registry.periods import TO_DATE
from tests.samples_path import SAMPLES

CATALOG = load_starter_catalog()
CATALOG_TYPES = {entry.code: entry.value_type for entry in CATALOG}
HELDOUT = Path(__file__).resolve().parents[1] / "data" / "heldout"
HELDOUT2 = Path(__file__).resolve().parents[1] / "data" / "heldout2"
HELDOUT3 = Path(__file__).resolve().parents[1] / "data" / "heldout3"


def make_field(label: str, *, section: str | None = None, unit: str | None = None) -> ImportedField:
    """A field as an importer would produce it from a header cell."""
    parsed = parse_label(label)
    return ImportedField(
        label=label,
        name=parsed.name,
        order=0,
        section=section,
        unit=unit if unit is not None else parsed.unit,
        is_sub_item=parsed.is_sub_item,
        value_type="boolean" if parsed.yes_no else None,
    )


def match(
    label: str,
    *,
    section: str | None = None,
    unit: str | None = None,
    title: str | None = None,
    frequency: str | None = "monthly",
) -> FieldMatch:
    context = MatchContext(title=title, frequency=frequency)
    return match_field(make_field(label, section=section, unit=unit), CATALOG, context=context)


def element(label: str, **kwargs: str | None) -> str | None:
    return match(label, **kwargs).element


def report(
    *labels: str | tuple[str, str],
    title: str = "情况表",
    frequency: str = "monthly",
    level: str | None = None,
) -> list[FieldMatch]:
    """Match a report whose fields are `labels` (a `(section, label)` pair for a field
    under a section), in order."""
    fields = []
    for order, item in enumerate(labels):
        section, label = item if isinstance(item, tuple) else (None, item)
        fields.append(dataclasses.replace(make_field(label, section=section), order=order))
    imported = ImportedReport(
        title=title, fields=fields, source_format="xlsx", frequency=frequency, level=level
    )
    return match_report(imported, CATALOG)


def outcome(found: FieldMatch) -> str | None:
    return found.element or found.role


# ---------------------------------------------------------------- the catalog


def held_out_set(number: int) -> Path:
    return Path(__file__).resolve().parents[1] / "data" / f"heldout{number}"


def assert_scores(directory: Path, *, precision: float, recall: float, roles: float = 1.0) -> None:
    """The set's pairwise scores are at least these, every column was imported and (unless
    a set not tuned on says otherwise) every identity or filler column got its role."""
    result = evaluate_directory(directory, CATALOG)
    assert result.missing == ()
    assert result.pairs.precision >= precision, result.pairs.wrong_pairs
    assert result.pairs.recall >= recall, result.pairs.wrong_pairs
    assert result.roles.accuracy >= roles, result.roles.wrong


def test_starter_catalog_is_read_once_into_frozen_elements() -> None:
    catalog = load_starter_catalog()
    assert len(catalog) >= 150
    assert all(isinstance(item, CatalogElement) for item in catalog)
    by_code = {item.code: item for item in catalog}
    assert by_code["PARTY_FEMALE"].parent == "PARTY"
    assert isinstance(by_code["DIBAO_P"].aliases, tuple)
    with pytest.raises(dataclasses.FrozenInstanceError):
        by_code["DIBAO_P"].name = "x"  # type: ignore[misc]
    assert load_starter_catalog() == catalog


def test_matcher_takes_any_catalog_of_catalog_elements() -> None:
    catalog = [
        CatalogElement("WELLS", "水井数", ("水井",), "眼", "integer", "stock", None, "基础设施"),
        CatalogElement("PONDS", "山塘数", ("山塘",), "个", "integer", "stock", None, "基础设施"),
    ]
    found = match_field(make_field("水井（眼）"), catalog)
    assert found.element == "WELLS"
    assert [candidate.element for candidate in found.candidates] == ["WELLS"]


def test_a_disaster_count_in_person_times_is_the_element_counted_in_persons() -> None:
    """受灾人口 and the like are counted in 人 and, by the disaster statistics, one for one in
    人次 (the dictionary's also_counted_in); 人次 of other elements stay apart from 人."""
    assert element("受灾人口（人次）") == "DISASTER_AFFECTED"
    assert element("受灾人口（万人次）") == "DISASTER_AFFECTED"
    assert element("紧急转移安置人口（人次）") == "EVACUATED"
    assert element("需紧急生活救助人口（人次）") == "EMERGENCY_LIVING_AID_POP"
    assert element("受灾人口（人）") == "DISASTER_AFFECTED"
    assert element("受灾人口（个）") is None
    assert element("医疗救助（人次）") == "MEDICAL_RELIEF"


def test_a_column_in_person_times_takes_no_element_not_also_counted_in_them() -> None:
    catalog = [
        dataclasses.replace(entry, also_counted_in=())
        if entry.code == "DISASTER_AFFECTED"
        else entry
        for entry in CATALOG
    ]
    assert match_field(make_field("受灾人口（人次）"), catalog).element is None
    assert match_field(make_field("受灾人口（人）"), catalog).element == "DISASTER_AFFECTED"


# ---------------------------------------------------------------- synonyms are joined


@pytest.mark.parametrize(
    ("label", "code"),
    [
        ("低保户数（户）", "DIBAO_HH"),
        ("最低生活保障户数（户）", "DIBAO_HH"),
        ("低保对象人数（人）", "DIBAO_P"),
        ("最低生活保障对象（人）", "DIBAO_P"),
        ("医保参保人数（人）", "MED_INS_TOTAL"),
        ("基本医疗保险参保人数（人）", "MED_INS_TOTAL"),
        ("城乡居民医保参保人数（人）", "MED_INS"),
        ("参加城乡居民基本医疗保险人数（人）", "MED_INS"),
        ("60周岁以上人口（人）", "POP_60"),
        ("60岁及以上人口（人）", "POP_60"),
        ("60岁以上老年人（人）", "POP_60"),
        ("60周岁及以上老人", "POP_60"),
        ("年末户籍人口（人）", "POP_REG"),
        ("户籍人口数（人）", "POP_REG"),
        ("户籍人口（万人）", "POP_REG"),
        ("期末常住人口数（人）", "POP_RES"),
        ("党员总数（名）", "PARTY"),
        ("0～6周岁儿童数(人)", "CHILD_0_6"),
        ("0-6岁儿童（人）", "CHILD_0_6"),
        ("村级集体经济收入（万元）", "COLL_INCOME"),
        ("拖拉机保有量（台）", "TRACTORS"),  # what a place has of a thing is the thing
        ("村级组织运转经费投入（万元）", "VILLAGE_ORG_FUNDING"),  # 经费投入 = 经费
        ("领取困难残疾人生活补贴（人）", "DISABLED_LIVING_SUBSIDY"),  # a subsidy's people get it
    ],
)
def test_synonyms_and_spelling_variants_are_joined(label: str, code: str) -> None:
    found = match(label)
    assert found.element == code, found.candidates
    assert found.confidence >= THRESHOLD


@pytest.mark.parametrize("unit", ["亩", "公顷", "平方米", "万亩"])
def test_a_unit_of_the_same_family_is_fine(unit: str) -> None:
    assert element(f"耕地面积（{unit}）") == "FARMLAND"


@pytest.mark.parametrize("unit", ["吨", "万元", "个", "%"])
def test_a_unit_of_another_family_never_matches(unit: str) -> None:
    found = match(f"耕地面积（{unit}）")
    assert found.element != "FARMLAND"
    assert "FARMLAND" not in [candidate.element for candidate in found.candidates]


def test_an_enterprise_counted_in_households_is_still_an_enterprise() -> None:
    """市场监管 and 农经 forms count 合作社, 家庭农场 and 企业 in 户: an element counted in 家
    takes such a column, and the cooperatives are not the farm households they bring
    along (COOP_LINKED_HH, counted in 户)."""
    title = "市场主体发展情况季报表"
    assert element("农民专业合作社（户）", title=title) == "FARMER_COOPS"
    assert element("家庭农场（户）", title=title) == "FAMILY_FARMS"
    assert element("企业（户）", title=title) == "ENTERPRISES"
    assert element("农民合作社带动农户数（户）") == "COOP_LINKED_HH"


def test_households_never_fill_an_element_counted_in_other_things() -> None:
    """Only 家 counts what 户 counts: a column in 户 is no count of things in 个 or 处."""
    found = match("农村敬老院（户）")
    assert "TEKUN_INST" not in [candidate.element for candidate in found.candidates]
    assert element("农村敬老院（个）") == "TEKUN_INST"


# ---------------------------------------------------------------- near-misses stay apart


def test_registered_and_resident_population_stay_apart() -> None:
    assert element("户籍人口（人）") == "POP_REG"
    assert element("常住人口（人）") == "POP_RES"
    assert element("户籍户数（户）") == "HH_REG"
    assert element("常住户数（户）") == "HH_RES"


def test_households_and_persons_stay_apart_by_unit() -> None:
    assert element("低保（户）") == "DIBAO_HH"
    assert element("低保（人）") == "DIBAO_P"
    assert element("户籍（户）") == "HH_REG"
    assert element("户籍（人）") == "POP_REG"


def test_households_and_persons_stay_apart_by_words() -> None:
    assert element("低保户数") == "DIBAO_HH"
    assert element("低保人数") == "DIBAO_P"


def test_words_contradicting_the_unit_match_nothing() -> None:
    assert match("低保户数（人）").candidates == []
    assert match("户籍人口（户）").candidates == []


@pytest.mark.parametrize(
    ("label", "code"),
    [
        ("60岁及以上人口（人）", "POP_60"),
        ("65岁及以上人口（人）", "POP_65"),
        ("65周岁以上老年人（人）", "POP_65"),
        ("80岁以上老人（人）", "POP_80"),
        ("60岁以上党员（人）", "PARTY_OVER_60"),
    ],
)
def test_ages_must_be_the_same(label: str, code: str) -> None:
    assert element(label) == code


def test_an_age_band_nobody_keeps_matches_nothing() -> None:
    assert element("70岁以上老人（人）") is None
    assert element("75周岁及以上人口（人）") is None


def test_an_age_restricting_a_group_is_not_the_whole_group() -> None:
    """60岁以上党员 is a part of 党员; 60岁以上留守老人 restates who 留守老人 are."""
    assert "PARTY" not in [c.element for c in match("70岁以上党员（人）").candidates]
    assert element("60岁及以上留守老人（人）") == "LEFTBEHIND_ELDER"


def test_party_members_and_probationary_members_stay_apart() -> None:
    assert element("党员（人）") == "PARTY"
    assert element("预备党员（人）") == "PARTY_PROBATION"
    assert element("正式党员人数（人）") == "PARTY_FORMAL"


def test_a_sub_item_is_never_its_parents_total() -> None:
    total, sub_item = report("党员人数（人）", "其中：党员（人）")
    assert total.element == "PARTY"
    assert sub_item.element is None
    assert "PARTY" not in [candidate.element for candidate in sub_item.candidates]


@pytest.mark.parametrize(
    ("labels", "elements"),
    [
        (
            ("党员人数（人）", "其中：女党员（人）", "其中：预备党员（人）"),
            ("PARTY", "PARTY_FEMALE", "PARTY_PROBATION"),
        ),
        (
            ("村集体经济总收入（万元）", "其中：经营收入（万元）", "其中：经营性收入（万元）"),
            ("COLL_INCOME", "COLL_BUSINESS_INCOME", "COLL_OPER_INCOME"),
        ),
    ],
)
def test_a_sub_item_matches_a_part_of_its_parent(
    labels: tuple[str, ...], elements: tuple[str, ...]
) -> None:
    assert tuple(found.element for found in report(*labels)) == elements


def test_a_sub_item_outside_its_parent_must_explain_the_parent() -> None:
    """ "其中：60岁以上" under 低保人数 counts elderly 低保 recipients (DIBAO_ELDER_P, a
    part of 低保人数), not all elderly; "其中：80岁以上" there has no element at all."""
    _, elderly = report("低保人数（人）", "其中：60周岁以上老年人（人）")
    assert elderly.element == "DIBAO_ELDER_P"
    _, oldest = report("低保人数（人）", "其中：80周岁以上老年人（人）")
    assert oldest.element is None
    _, members = report("退役军人（人）", "其中：中共党员（人）")
    assert members.element == "VETERAN_PARTY_MEMBERS"  # a part of 退役军人, never all 党员
    assert element("60周岁以上老年人（人）") == "POP_60"


def test_period_words_keep_flows_apart() -> None:
    assert element("本月生猪出栏（头）") == "HOG_SLAUGHTER"
    assert element("本季度临时救助（人次）", frequency="quarterly") == "TEMP_RELIEF"
    # a to-date total is the flow worked out from the months' figures, never the month's
    assert match("本年累计生猪出栏（头）").figure == ("HOG_SLAUGHTER", TO_DATE)
    assert match("上年同期生猪出栏（头）").element is None
    assert match("本年临时救助（人次）", frequency="monthly").figure == ("TEMP_RELIEF", TO_DATE)
    assert element("本年发展党员（人）", frequency="yearly") == "PARTY_NEW"


def test_a_target_is_not_the_actual_figure() -> None:
    assert match("应参保人数（人）", section="城乡居民基本医疗保险").element is None
    assert element("实际参保人数（人）", section="城乡居民基本医疗保险") == "MED_INS"
    assert element("应征入伍（人）") == "ENLISTED"
    assert element("应急避难场所（个）") == "EMERGENCY_SHELTERS"


def test_a_modifier_before_de_names_a_part_not_the_whole() -> None:
    """享受低保的残疾人 are 残疾人 (the words after 的), and of them those on 低保: never
    all 低保对象 nor all 残疾人."""
    assert match("享受低保的残疾人（人）").element == "DIBAO_DISABLED"
    assert "DIBAO_P" not in [c.element for c in match("享受低保的残疾人（人）").candidates]
    assert match("享受低保的脱贫人口（人）").element is None


def test_words_the_element_lacks_narrow_the_concept() -> None:
    assert element("无职党员（人）") is None
    assert element("困难党员（人）") == "POOR_PARTY_MEMBERS"
    assert element("党员（人）") == "PARTY"


# ---------------------------------------------------------------- qualifiers and defaults


@pytest.mark.parametrize(
    ("label", "code"),
    [
        ("在册党员人数（人）", "PARTY"),
        ("在册低保对象（人）", "DIBAO_P"),
        ("专兼职网格员人数（人）", "GRIDMEN"),
        ("全体党员（人）", "PARTY"),
        ("登记流动人口数（人）", "POP_FLOATING"),
        ("户籍登记人口（人）", "POP_REG"),
        ("户口登记户数（户）", "HH_REG"),
        ("村集体经济组织收入（万元）", "COLL_INCOME"),
        ("集体经济组织总收入（万元）", "COLL_INCOME"),
        ("期末实有耕地面积（亩）", "FARMLAND"),
    ],
)
def test_neutral_qualifiers_do_not_change_the_concept(label: str, code: str) -> None:
    assert element(label) == code


def test_qualifiers_that_change_the_concept_stay() -> None:
    assert element("专职网格员（人）") == "GRIDMEN_FULLTIME"
    assert element("城镇登记失业人员（人）") == "REGISTERED_UNEMPLOYED"
    assert element("流动党员（人）") == "PARTY_MOBILE"
    assert element("集体经济组织成员（人）") == "COLL_MEMBERS"
    assert element("党组织个数（个）") == "PARTY_ORGS"


def test_floating_registered_and_resident_population_stay_apart() -> None:
    assert element("流动人口（人）") == "POP_FLOATING"
    assert element("户籍人口（人）") == "POP_REG"
    assert element("常住人口（人）") == "POP_RES"
    assert element("外来人口（人）") == "POP_INFLOW"
    assert element("暂住人口（人）") == "POP_FLOATING"
    assert "POP_REG" not in [c.element for c in match("流动人口（人）").candidates]


@pytest.mark.parametrize(
    ("label", "code"),
    [
        ("总户数（户）", "HH_REG"),
        ("户数（户）", "HH_REG"),
        ("年末总户数（户）", "HH_REG"),
        ("总人口（人）", "POP_REG"),
        ("年末总人口（人）", "POP_REG"),
        ("人口（万人）", "POP_REG"),
    ],
)
def test_an_unqualified_household_or_population_count_is_the_registered_one(
    label: str, code: str
) -> None:
    for level in (None, "village", "township"):
        found = match_field(make_field(label), CATALOG, context=MatchContext(level=level))
        assert found.element == code, (level, found.candidates)


def test_the_registered_default_needs_a_bare_count_at_a_grassroots_level() -> None:
    county = MatchContext(level="county")
    assert match_field(make_field("总户数（户）"), CATALOG, context=county).element is None
    assert element("人数（人）") is None  # 人数 alone is no population word
    assert element("常住户数（户）") == "HH_RES"
    assert element("总户数（户）", section="常住人口") == "HH_RES"
    assert element("总人口（人）", section="基本情况") == "POP_REG"


@pytest.mark.parametrize(
    ("section", "label", "code"),
    [
        ("脱贫户", "户数（户）", "POVERTY_ALLEVIATED_HH"),
        ("脱贫户", "人数（人）", "POVERTY_ALLEVIATED_P"),
        ("防止返贫监测对象", "户数（户）", "MONITORED_HH"),
        ("监测对象", "人数（人）", "MONITORED_P"),
        ("农村低保", "人数（人）", "DIBAO_P"),
        ("一、低保户", "户数（户）", "DIBAO_HH"),
    ],
)
def test_the_section_names_what_a_bare_count_counts(section: str, label: str, code: str) -> None:
    assert element(label, section=section) == code


def test_sub_items_stay_apart_from_their_totals_under_the_default() -> None:
    total, registered = report("总人口（人）", "其中：户籍人口（人）")
    assert total.element == "POP_REG"
    assert registered.element is None
    households, bare = report("户籍户数（户）", "其中：户数（户）")
    assert households.element == "HH_REG"
    assert bare.element is None
    _, floating = report("户籍人口（人）", "其中：流动人口（人）")
    assert floating.element is None


@pytest.mark.parametrize(
    ("label", "blocked"),
    [
        ("低保对象参保人数（人）", "DIBAO_P"),
        ("脱贫人口参保（人）", "POVERTY_ALLEVIATED_P"),
        ("签约低保对象（人）", "DIBAO_P"),
        ("残疾人补贴人数（人）", "DISABLED"),
        ("危房改造户数（户）", "DANGER_HOUSE"),
        ("低保户危房改造户数（户）", "DIBAO_HH"),
        ("本月新增参保（人）", "MED_INS"),
        ("新增党员（人）", "PARTY"),
    ],
)
def test_an_action_the_element_does_not_name_blocks_a_match(label: str, blocked: str) -> None:
    found = match(label)
    assert found.element != blocked
    assert blocked not in [candidate.element for candidate in found.candidates]


def test_an_action_the_element_names_still_matches() -> None:
    assert element("家庭医生签约人数（人）") == "FAMILY_DOC_SIGNED"
    assert element("特困人员救助供养人数（人）") == "TEKUN_P"
    assert element("参加城乡居民基本养老保险人数（人）") == "PENSION_INS"
    assert element("危房改造完成户数（户）") == "HOUSE_FIXED"
    assert element("低保对象人数（人）") == "DIBAO_P"


def test_a_target_and_the_actual_figure_stay_apart() -> None:
    section = "城乡居民基本医疗保险"
    assert element("应参保人数（人）", section=section) is None
    assert element("参保人数（人）", section=section) == "MED_INS"
    assert element("实际参保人数（人）", section=section) == "MED_INS"
    assert "MED_INS" not in [
        c.element for c in match("应参保人数（人）", section=section).candidates
    ]


def test_migrant_workers_are_a_part_of_rural_employment() -> None:
    employed, migrants = report("乡村从业人员（人）", "其中：外出务工人员（人）")
    assert (employed.element, migrants.element) == ("RURAL_EMPLOYED", "MIGRANT")
    assert element("外出从业人员（人）") == "MIGRANT"
    assert element("乡村人口（人）") == "POP_RURAL"


# ---------------------------------------------------------------- the section's action


def test_an_action_the_section_names_must_be_one_the_element_is_about() -> None:
    """Groups under a section naming a programme are the group's people in it: 特困人员
    under 资助参保 are those whose insurance was paid for, not all 特困人员."""
    section = "资助参加城乡居民医疗保险"
    for label, blocked in (
        ("特困供养人员（人）", "TEKUN_P"),
        ("低保对象（人）", "DIBAO_P"),
    ):
        found = match(label, section=section)
        assert found.element is None
        assert blocked not in [candidate.element for candidate in found.candidates]
    # ... and the insured under it are those the programme paid for.
    found = match("城乡居民医疗保险参保人数（人）", section=section)
    assert found.element == "MED_AID_INS_SUBSIDIZED"
    assert "MED_INS" not in [candidate.element for candidate in found.candidates]
    assert element("低保户（户）", section="本月新增") == "DIBAO_NEW_HH"
    assert element("特困供养人员（人）") == "TEKUN_P"
    assert element("低保对象（人）") == "DIBAO_P"


def test_the_section_action_may_be_named_by_a_total_above_or_the_category() -> None:
    assert element("签约人数（人）", section="家庭医生签约服务") == "FAMILY_DOC_SIGNED"
    # 社会救助 and 就业 are the dictionary categories of these elements.
    assert element("低保户数（户）", section="社会救助") == "DIBAO_HH"
    assert element("特困人员（人）", section="社会救助") == "TEKUN_P"
    assert element("劳动力（人）", section="农村劳动力转移就业") == "LABOR"
    # 集中供养特困人员 is a part of 特困人员救助供养.
    total, central = report(
        ("特困人员救助供养", "供养人数（人）"), ("特困人员救助供养", "其中：集中供养（人）")
    )
    assert (total.element, central.element) == ("TEKUN_P", "TEKUN_CENTRAL")


# ---------------------------------------------------------------- labels the section completes


@pytest.mark.parametrize(
    ("section", "label", "frequency", "code"),
    [
        ("临时救助", "本月（户次）", "monthly", "TEMP_RELIEF_HH"),
        ("临时救助", "全年（户次）", "yearly", "TEMP_RELIEF_HH"),
        ("临时救助", "本季度（人次）", "quarterly", "TEMP_RELIEF"),
        ("户籍人口", "合计（人）", "monthly", "POP_REG"),
        ("60岁以上老人", "小计（人）", "monthly", "POP_60"),
        ("2024年脱贫户", "户数（户）", "yearly", "POVERTY_ALLEVIATED_HH"),
    ],
)
def test_a_period_or_total_alone_is_read_with_its_section(
    section: str, label: str, frequency: str, code: str
) -> None:
    assert element(label, section=section, frequency=frequency) == code


def test_a_period_or_total_alone_without_a_section_matches_nothing() -> None:
    assert match("合计（人）").candidates == []
    assert match("本月（人次）").candidates == []


def test_a_total_from_january_alone_under_a_section_is_the_sections_to_date_total() -> None:
    """ "本年累计" under "临时救助" in a monthly report: January's to this month's 临时救助."""
    assert match("累计（户次）", section="临时救助").figure == ("TEMP_RELIEF_HH", TO_DATE)
    assert match("本年累计（人次）", section="临时救助", frequency="monthly").figure == (
        "TEMP_RELIEF",
        TO_DATE,
    )
    assert match("本年（人次）", section="临时救助", frequency="quarterly").figure == (
        "TEMP_RELIEF",
        TO_DATE,
    )


def test_a_total_read_with_its_section_is_the_parent_of_its_sub_items() -> None:
    """其中：党员 under 退役军人 / 合计 counts veterans who are party members."""
    total, members = report(("退役军人", "合计（人）"), ("退役军人", "其中：中共党员（人）"))
    assert total.element == "VETERANS"
    assert members.element == "VETERAN_PARTY_MEMBERS"
    _, members = report(("低保", "合计（人）"), ("低保", "其中：党员（人）"))
    assert members.element is None
    total, female, probation = report(
        ("党员", "合计（名）"), ("党员", "其中：女（名）"), ("党员", "其中：预备党员（名）")
    )
    assert (total.element, female.element, probation.element) == (
        "PARTY",
        "PARTY_FEMALE",
        "PARTY_PROBATION",
    )


@pytest.mark.parametrize(
    ("section", "label", "code"),
    [
        ("0～6周岁儿童健康服务", "儿童人数（人）", "CHILD_0_6"),
        ("0-3岁", "婴幼儿（人）", "CHILD_0_3"),
        ("60岁及以上", "党员（人）", "PARTY_OVER_60"),
        ("60岁以上老年人", "65岁以上（人）", "POP_65"),  # the label's own age wins
    ],
)
def test_the_sections_age_band_qualifies_a_label_naming_none(
    section: str, label: str, code: str
) -> None:
    assert element(label, section=section) == code


def test_without_the_sections_age_band_a_group_is_not_an_age_band() -> None:
    assert element("儿童人数（人）") != "CHILD_0_6"
    assert element("党员（人）") == "PARTY"
    # 16-59岁 外出务工人员 are a part of all 外出务工人员.
    found = match("外出务工人员（人）", section="16-59岁劳动年龄人口")
    assert "MIGRANT" not in [candidate.element for candidate in found.candidates]


# ---------------------------------------------------------------- periods


@pytest.mark.parametrize(
    ("label", "frequency", "code"),
    [
        ("本月临时救助（人次）", "monthly", "TEMP_RELIEF"),
        ("当月生猪出栏（头）", "monthly", "HOG_SLAUGHTER"),
        ("全年临时救助（人次）", "yearly", "TEMP_RELIEF"),
        ("本年度生猪出栏（头）", "yearly", "HOG_SLAUGHTER"),
        ("本季度临时救助（人次）", None, "TEMP_RELIEF"),  # frequency unknown: its own
        ("本月末户籍人口（人）", "quarterly", "POP_REG"),  # a stock, read at the end
    ],
)
def test_a_period_word_naming_the_reports_own_period_names_the_plain_flow(
    label: str, frequency: str | None, code: str
) -> None:
    assert element(label, frequency=frequency) == code


@pytest.mark.parametrize(
    ("label", "frequency"),
    [
        ("本季度临时救助（人次）", "monthly"),  # the quarter so far: no total from January
        ("本月临时救助（人次）", "quarterly"),  # one month of the quarter
        ("当月生猪出栏（头）", "half_yearly"),
        ("本半年生猪出栏（头）", "quarterly"),
        ("上年末户籍人口（人）", "yearly"),
    ],
)
def test_a_period_word_naming_another_period_matches_no_plain_flow(
    label: str, frequency: str
) -> None:
    assert match(label, frequency=frequency).candidates == []


def test_a_years_period_word_in_a_shorter_report_is_the_total_from_january() -> None:
    assert match("全年临时救助（人次）", frequency="monthly").figure == ("TEMP_RELIEF", TO_DATE)


# ---------------------------------------------------------------- place qualifiers


@pytest.mark.parametrize(
    ("label", "code"),
    [
        ("辖区内常住人口（人）", "POP_RES"),
        ("本辖区户籍人口（人）", "POP_REG"),
        ("村内卫生室（个）", "CLINIC"),
        ("辖区面积（平方公里）", "AREA"),  # the unit's own area
        ("村卫生室总数（个）", "CLINIC"),
        ("劳动力资源总数（人）", "LABOR"),
        ("农村劳动力（人）", "LABOR"),
        ("乡村劳动力资源数（人）", "LABOR"),
        ("农村低保对象（人）", "DIBAO_P"),
    ],
)
def test_a_place_that_only_locates_what_is_counted_does_not_block_a_match(
    label: str, code: str
) -> None:
    assert element(label) == code


def test_a_rural_qualifier_the_dictionary_distinguishes_still_counts() -> None:
    assert element("农村常住人口（人）") == "POP_RURAL"
    assert element("农村人口（人）") == "POP_RURAL"
    found = match("农村居民人均可支配收入（元）")
    assert found.element == "INCOME_PC" and found.confidence >= 0.95
    assert element("居民人均可支配收入（元）") == "INCOME_PC_ALL"
    assert element("城镇常住人口（人）") == "POP_URBAN"
    assert element("城镇劳动力（人）") is None


# ---------------------------------------------------------------- context


def test_the_section_settles_an_ambiguous_label() -> None:
    assert element("参保人数（人）") is None
    assert element("参保人数（人）", section="城乡居民基本医疗保险") == "MED_INS"
    assert element("参保人数（人）", section="城乡居民基本养老保险") == "PENSION_INS"
    assert element("保障户数（户）", section="低保") == "DIBAO_HH"
    assert element("保障人数（人）", section="农村最低生活保障") == "DIBAO_P"


def test_the_title_settles_an_ambiguous_label() -> None:
    assert element("参保率（%）") is None
    assert element("参保率（%）", title="城乡居民基本医疗保险参保情况统计表") == "MED_INS_RATE"
    assert element("参保率（%）", title="城乡居民基本养老保险参保情况季报") == "PENSION_INS_RATE"


def test_a_label_that_says_it_all_beats_one_explained_by_the_title() -> None:
    found = match("退役军人（人）", title="退役军人服务站工作人员情况表")
    assert found.element == "VETERANS"
    assert found.confidence > 0.9


# ---------------------------------------------------------------- result shape


def test_no_element_below_the_threshold_and_the_confidence_says_so() -> None:
    found = match("无人机飞手（人）")
    assert found.element is None and found.role is None
    assert 0.0 <= found.confidence < THRESHOLD


def test_a_dead_heat_between_unrelated_elements_suggests_nothing() -> None:
    found = match("危房改造（户）")
    assert found.element is None
    assert {c.element for c in found.candidates[:2]} == {"HOUSE_FIXED", "HOUSE_RENOVATION_STARTED"}
    assert found.confidence < THRESHOLD


def test_candidates_are_ranked_best_first_and_at_most_five() -> None:
    found = match("留守儿童（人）")
    assert found.element == found.candidates[0].element == "LEFTBEHIND_CHILD"
    assert 1 <= len(found.candidates) <= MAX_CANDIDATES
    scores = [candidate.score for candidate in found.candidates]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 < score <= 1.0 for score in scores)
    assert 0.0 <= found.confidence <= 1.0


def test_every_field_gets_an_element_or_a_role_or_neither_never_both() -> None:
    matches = report("村名", "户籍人口（人）", "填报人", "行政区划代码", "无人机飞手（人）")
    assert [(m.element, m.role) for m in matches] == [
        (None, ORG_NAME),
        ("POP_REG", None),
        (None, META),
        (None, ORG_CODE),
        (None, None),
    ]


# ---------------------------------------------------------------- roles


@pytest.mark.parametrize(
    "label",
    [
        "村名",
        "村名称",
        "村（社区）名称",
        "村（社区）",
        "村（居）委会",
        "乡镇名称",
        "乡镇（街道）",
        "单位名称",
        "填报单位",
        "行政村名称",
        "所属乡镇",
        "村（社区）党组织名称",
        "乡镇党委",
        "村党支部",
        "移民村名称",  # a village of a kind, named
        "脱贫村名称",
    ],
)
def test_org_name_columns(label: str) -> None:
    assert detect_role(label) == ORG_NAME


@pytest.mark.parametrize(
    "label",
    [
        "行政区划代码",
        "统一行政区划代码",
        "区划代码",
        "统一社会信用代码",
        "组织机构代码",
        "村代码",
        "统计用区划代码",
    ],
)
def test_org_code_columns(label: str) -> None:
    assert detect_role(label) == ORG_CODE


@pytest.mark.parametrize(
    "label",
    [
        "填报人",
        "填表人",
        "联系电话",
        "联系方式",
        "手机号码",
        "联系人",
        "填报日期",
        "填表日期",
        "审核人",
        "负责人",
        "单位负责人",
        "统计负责人",
        "序号",
        "备注",
        "填报人联系电话",
    ],
)
def test_filler_metadata_columns(label: str) -> None:
    assert detect_role(label) == META


@pytest.mark.parametrize(
    "label",
    [
        "自然村（个）",
        "社区个数（个）",
        "村民小组",
        "村党组织书记姓名",
        "村委会驻地",
        "村两委换届日期",
        "户籍人口（人）",
        "党支部",
        "党委",
        "村党支部（个）",
    ],
)
def test_counted_or_described_things_are_not_roles(label: str) -> None:
    assert detect_role(label) is None


def test_every_dictionary_name_and_alias_is_an_element_not_a_role() -> None:
    for item in CATALOG:
        for text in (item.name, *item.aliases):
            assert detect_role(text, text, item.unit) is None, (item.code, text)


def test_a_column_counted_in_units_is_not_an_identity_column() -> None:
    assert detect_role("村（社区）", unit="个") is None
    assert detect_role("村（居）委会", unit="名") == ORG_NAME  # a table-wide 单位：名


@pytest.mark.parametrize("label", ["派出所", "所属派出所", "管辖派出所", "司法所", "主管部门"])
def test_an_agency_column_is_filler(label: str) -> None:
    assert detect_role(label) == META


def test_a_unit_above_the_row_is_filler_not_the_rows_name() -> None:
    village = report("所属乡镇", "村名", "户籍人口（人）", level="village")
    assert [outcome(found) for found in village] == [META, ORG_NAME, "POP_REG"]
    unknown = report("所属乡镇（街道）", "村（社区）", "户籍人口（人）")
    assert [outcome(found) for found in unknown] == [META, ORG_NAME, "POP_REG"]
    township = report("所属县（市、区）", "乡镇名称", "户籍人口（人）", level="township")
    assert [outcome(found) for found in township] == [META, ORG_NAME, "POP_REG"]


def test_a_unit_the_row_is_stays_the_rows_name() -> None:
    """A township report naming its rows by 所属乡镇 (the only identity column)."""
    for level in ("township", None):
        found = report("所属乡镇", "户籍人口（人）", level=level)
        assert [outcome(item) for item in found] == [ORG_NAME, "POP_REG"]
    assert outcome(report("所在村", "户籍人口（人）", level="village")[0]) == ORG_NAME


# ---------------------------------------------------------------- evaluation functions


def _column(
    template: str, concept: str, element: str | None, role: str | None = None
) -> ColumnResult:
    return ColumnResult(
        template=template, label=concept, concept=concept, element=element, role=role
    )


def test_pair_scores_count_pairs_of_element_columns_only() -> None:
    columns = [
        _column("a", "ORG_NAME", None, ORG_NAME),
        _column("a", "POP", "POP_REG"),
        _column("b", "POP", "POP_REG"),
        _column("c", "POP", None),  # missed twice
        _column("b", "POP_RES", "POP_REG"),  # wrongly joined with both POP_REG columns
        _column("c", "META", None, META),
    ]
    scores = pair_scores(columns)
    assert (scores.true_positives, scores.false_negatives, scores.false_positives) == (1, 2, 2)
    assert scores.precision == pytest.approx(1 / 3)
    assert scores.recall == pytest.approx(1 / 3)
    assert {pair.kind for pair in scores.wrong_pairs} == {"false_positive", "false_negative"}


def test_nothing_joined_is_full_precision_and_no_pairs_full_recall() -> None:
    scores = pair_scores([_column("a", "X", None), _column("b", "Y", None)])
    assert (scores.precision, scores.recall) == (1.0, 1.0)


def test_role_accuracy_wants_the_right_role_and_none_on_element_columns() -> None:
    columns = [
        _column("a", "ORG_NAME", None, ORG_NAME),
        _column("a", "ORG_CODE", None, ORG_NAME),  # wrong role
        _column("a", "META", None, None),  # missed role
        _column("a", "POP", None, META),  # an element column with a role
        _column("a", "POP", "POP_REG"),
    ]
    scores = role_scores(columns)
    assert (scores.correct, scores.total) == (2, 5)
    assert scores.accuracy == pytest.approx(0.4)


# ---------------------------------------------------------------- sample and held-out scores


def test_scores_on_the_shared_samples() -> None:
    result = evaluate_directory(SAMPLES / "reports", CATALOG)
    assert result.missing == ()
    assert result.pairs.precision >= 0.97, result.pairs.wrong_pairs
    assert result.pairs.recall >= 0.95, result.pairs.wrong_pairs
    assert result.roles.accuracy == 1.0, result.roles.wrong


def test_scoring_only_elements_sharing_a_gram_changes_no_match(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The matcher scores only the elements sharing a gram with the label or its total
    (index `sharing`); scoring every element of the dictionary gives the same matches,
    confidences and candidates on the shared samples and a held-out set."""
    reports = [
        read_template(path.read_bytes(), path.name)
        for directory in (SAMPLES / "reports", held_out_set(79))
        for path in sorted(directory.glob("*.xlsx"))
    ]
    shared = [match_report(imported, CATALOG) for imported in reports]
    monkeypatch.setattr(CatalogIndex, "sharing", lambda index, grams: list(index.elements))
    assert [match_report(imported, CATALOG) for imported in reports] == shared


def test_scores_on_the_held_out_set() -> None:
    """Post-tuning: the matcher's author had read this set, and its errors (年末总户数 with
    no 户籍, 外出从业人员) were fixed by general rules (the 户籍 default for a bare count) and
    the standard statistical term 外出从业人员, not by labels of this set."""
    result = evaluate_directory(HELDOUT, CATALOG)
    assert result.missing == ()
    assert result.pairs.precision == 1.0, result.pairs.wrong_pairs
    assert result.pairs.recall == 1.0, result.pairs.wrong_pairs
    assert result.roles.accuracy == 1.0, result.roles.wrong


def test_scores_on_the_second_held_out_set() -> None:
    """Post-tuning figures: this set was written blind and first scored P 0.913 R 0.750
    roles 0.982; one round of general rules and dictionary additions then looked at its
    errors, so it no longer measures templates never seen. The one pair left missed:
    持证残疾人 is a part of 残疾人 in the dictionary (DISABLED_CERT), the same in the truth."""
    result = evaluate_directory(HELDOUT2, CATALOG)
    assert result.missing == ()
    assert result.pairs.precision == 1.0, result.pairs.wrong_pairs
    assert result.pairs.recall >= 0.96, result.pairs.wrong_pairs
    assert result.roles.accuracy == 1.0, result.roles.wrong


def test_scores_on_the_third_held_out_set() -> None:
    """Post-tuning figures: this set was written blind and first scored P 0.778 R 0.778
    roles 1.000; one round of general rules (a section's action, age band, period or total
    completing its labels; period words against the report's frequency; neutral place and
    rural qualifiers; 劳动力资源 = 劳动力) then looked at its errors, so it no longer measures
    templates never seen. The dictionary has since gained 低保残疾人 (DIBAO_DISABLED), which
    joins the two columns once missed. Left: 本月救助 in a monthly and 全年临时救助 in a yearly report are both TEMP_RELIEF, each for its
    own report's period, which the pairwise truth counts as joined but different; and 本年累计
    in a monthly report (January to date) matches no element. Since the heldout15-20 rounds
    its truth's joining of 经营收入 with 经营性收入 counts as missed: in the 农经 accounts
    经营性收入 also holds 发包及上交收入 and 投资收益 (two later writers keep them apart)."""
    result = evaluate_directory(HELDOUT3, CATALOG)
    assert result.missing == ()
    assert result.pairs.precision >= 0.96, result.pairs.wrong_pairs
    assert result.pairs.recall >= 0.92, result.pairs.wrong_pairs
    assert result.roles.accuracy == 1.0, result.roles.wrong


HELDOUT4 = Path(__file__).resolve().parents[1] / "data" / "heldout4"


def test_scores_on_the_fourth_held_out_set() -> None:
    """Written blind and first scored P 0.750 R 0.545 roles 1.000 — the honest figure for
    templates never seen. Looking at its errors showed that a topic heading ("一、人口与就业")
    was read as a programme qualifying every row; after that one general fix (topic headings
    joined by 与/和/及/、 qualify nothing) it scores as asserted here, no longer unseen.
    The rules tuned on the fifth set (a heading's unit, an age-only column read with its
    heading, a sub-item of a target, 已参保, 农村劳动力转移就业) raised it to P 0.917 R 1.000,
    and those tuned on the sixth set to P 1.000: 参加城乡居民养老保险 in a 残联 report counts
    disabled people only, which the report title says (it is about that one group). Its
    one miss since the heldout15-20 rounds: 经营收入 and 经营性收入 are two elements (see the
    third set)."""
    result = evaluate_directory(HELDOUT4, CATALOG)
    assert result.missing == ()
    assert result.pairs.precision == 1.0, result.pairs.wrong_pairs
    assert result.pairs.recall >= 0.95, result.pairs.wrong_pairs
    assert result.roles.accuracy == 1.0, result.roles.wrong


HELDOUT5 = Path(__file__).resolve().parents[1] / "data" / "heldout5"


def test_scores_on_the_fifth_held_out_set() -> None:
    """Written blind (see its README) and first scored P 1.000 R 0.832 roles 0.992 — the
    honest figure for templates never seen. Its errors were then looked at: general rules
    (age thresholds such as 年满60周岁, a sex word as a whole core, a heading's unit, headings
    naming 措施, a heading's action restated by some columns only, a sub-item of the kind of
    its parent, nested age bands, a part said in full by its heading, 统计用区划代码 and
    乡镇党委 as identity columns) and common elements (失能半失能老年人, 农作物绝收面积,
    返乡入乡创业人员, 脱贫劳动力务工就业人数, 纳入低保或特困供养的监测对象, 脱贫家庭学生,
    低保老年人, 农村劳动力转移就业人数) bring it to the figures asserted here; it no longer
    measures templates never seen."""
    result = evaluate_directory(HELDOUT5, CATALOG)
    assert result.missing == ()
    assert result.pairs.precision == 1.0, result.pairs.wrong_pairs
    assert result.pairs.recall >= 0.99, result.pairs.wrong_pairs
    assert result.roles.accuracy == 1.0, result.roles.wrong


HELDOUT6 = Path(__file__).resolve().parents[1] / "data" / "heldout6"


def test_scores_on_the_sixth_held_out_set() -> None:
    """Written blind (see its README) and first scored P 0.836 R 0.836 roles 0.982 — the
    honest figure for templates never seen — by the matcher before the fifth set's rules;
    after them P 0.627 R 0.852 roles 0.986, because columns whose heading names a group
    (已参保 under 特困人员, 低保对象, 脱贫人口 ...; 60岁及以上 under 持证残疾人; 面积 under
    违法占用耕地) took the total of everyone and were joined with it and with each other.
    General rules (a heading's group restricts its columns, a report title's one group
    restricts columns naming only an action, people under a body are its members, the same
    leaf under several groups is another figure under each) bring it to the figures asserted
    here; it no longer measures templates never seen. Left: 农户数 (no element says it is
    the registered 户数), 累计 under 已参保缴费人数 in a report of unknown period, 医保参保人数
    read as all 医保 rather than 城乡居民医保, units the note row gives as 个, and 开展活动
    under 妇女儿童之家 read as the village's 文化活动."""
    result = evaluate_directory(HELDOUT6, CATALOG)
    assert result.missing == ()
    assert result.pairs.precision >= 0.98, result.pairs.wrong_pairs
    assert result.pairs.recall >= 0.85, result.pairs.wrong_pairs
    assert result.roles.accuracy >= 0.98, result.roles.wrong


@pytest.mark.parametrize(
    ("section", "label", "expected"),
    [
        ("一、人口与就业", "户籍人口", "POP_REG"),
        ("社会保障和就业服务", "常住人口", "POP_RES"),
        ("二、人口、就业", "户籍户数", "HH_REG"),
    ],
)
def test_a_topic_heading_qualifies_none_of_its_rows(
    section: str, label: str, expected: str
) -> None:
    unit = "户" if "户数" in label else "人"
    assert element(label, section=section, unit=unit) == expected


def test_a_programme_heading_still_qualifies_its_columns() -> None:
    assert element("特困人员（人）", section="医疗救助资助参保") != "TEKUN_P"
    assert element("特困人员（人）", section="一、医疗救助资助参保") != "TEKUN_P"


# ---------------------------------------------------------------- rules from the fifth set


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("年满60周岁人员（人）", "POP_60"),
        ("60周岁（含）以上老年人（人）", "POP_60"),
        ("满60岁老人（人）", "POP_60"),
        ("年满65周岁老年人（人）", "POP_65"),
    ],
)
def test_every_spelling_of_an_age_threshold_is_one_band(label: str, expected: str) -> None:
    assert element(label) == expected


def test_an_age_threshold_keeps_its_number() -> None:
    assert element("年满65周岁老年人（人）") != "POP_60"
    assert element("不满18周岁人口（人）") == "CHILD_0_17"


def test_a_sex_word_is_a_whole_core() -> None:
    """ "其中：女性人口" under 户籍人口 is "其中：女（人）", and never the men."""
    _, women = report("户籍人口（人）", "其中：女性人口（人）")
    _, men = report("户籍人口（人）", "其中：男性人口（人）")
    assert (women.element, men.element) == ("POP_REG_FEMALE", "POP_REG_MALE")
    _, resident_women = report("常住人口（人）", "其中：女性人口（人）")
    assert resident_women.element == "POP_RES_FEMALE"
    assert element("女性人口（人）") is None  # 户籍 or 常住: not said


def test_done_before_an_action_is_the_action() -> None:
    section = "城乡居民基本医疗保险"
    assert element("已参保人数（人）", section=section) == "MED_INS"
    assert element("已整改隐患（处）") == "HAZARDS_FIXED"
    # 已婚 is the status counted, not a tense.
    assert element("已婚育龄妇女（人）") == "WOMEN_CHILDBEARING_MARRIED"
    assert element("育龄妇女（人）") == "WOMEN_CHILDBEARING"


def test_a_pension_drawn_is_the_schemes_benefit() -> None:
    assert element("领取城乡居民基础养老金（人）") == "PENSION_RECEIVING"
    assert element("领取养老待遇人数（人）", section="城乡居民社会保险") == "PENSION_RECEIVING"
    assert element("参保人数（人）", section="城乡居民社会保险") != "PENSION_RECEIVING"
    assert element("城镇职工基本养老金领取人数（人）") is None


def test_a_headings_unit_is_not_one_of_its_words() -> None:
    total, central = report(
        ("特困供养人员（人）", "合计"), ("特困供养人员（人）", "集中供养"), frequency="monthly"
    )
    assert (total.element, central.element) == ("TEKUN_P", "TEKUN_CENTRAL")
    _, to_date = report(("临时救助（人次）", "本月"), ("临时救助（人次）", "本年累计"))
    assert to_date.element is None


def test_a_heading_naming_measures_qualifies_none_of_them() -> None:
    section = "帮扶措施落实"
    assert element("脱贫家庭义务教育阶段在校生（人）", section=section) == "POVERTY_STUDENTS"
    assert element("纳入低保或特困供养（人）", section=section) == "MONITORED_IN_DIBAO"
    # A programme heading still qualifies: 特困人员 there are not all 特困人员.
    assert element("特困人员（人）", section="医疗救助资助参保") != "TEKUN_P"


def test_a_heading_whose_action_some_columns_restate_does_not_qualify_the_others() -> None:
    """Under 残疾人两项补贴, 持证残疾人 is the population the two subsidies are drawn from."""
    section = "残疾人两项补贴"
    base, living, care = report(
        (section, "持证残疾人数（人）"),
        (section, "困难残疾人生活补贴（人）"),
        (section, "重度残疾人护理补贴（人）"),
    )
    assert (base.element, living.element, care.element) == (
        "DISABLED_CERT",
        "DISABLED_LIVING_SUBSIDY",
        "DISABLED_CARE_SUBSIDY",
    )
    # No column restates 资助: each is the group's people whose insurance was paid for.
    section = "医疗救助资助参保"
    tekun, dibao = report((section, "特困人员（人）"), (section, "低保对象（人）"))
    assert tekun.element != "TEKUN_P" and dibao.element != "DIBAO_P"


def test_a_sub_item_is_of_the_kind_of_its_parent() -> None:
    """A part of a target (年度改造任务) is a target, not the 低保户 there are."""
    _, task = report("年度改造任务（户）", "其中：低保户（户）")
    assert task.element is None
    _, insured = report("应参保人数（人）", "其中：低保对象（人）")
    assert insured.element is None
    _, migrants = report("转移就业人数（人）", "其中：外出务工（人）")
    assert migrants.element == "MIGRANT"
    _, lost = report("农作物受灾面积（亩）", "其中：绝收（亩）")
    assert lost.element == "CROP_LOST"


def test_an_age_band_inside_its_parents_band_is_that_band() -> None:
    _, oldest = report("65岁及以上老年人数（人）", "其中：80岁及以上（人）")
    assert oldest.element == "POP_80"
    _, infants = report("0～6岁儿童数（人）", "其中：0～3岁（人）")
    assert infants.element == "CHILD_0_3"
    # 65岁以上 is not inside 80岁以上: not a part of it.
    _, wider = report("80岁以上老人（人）", "其中：65岁以上（人）")
    assert wider.element is None


def test_a_column_naming_only_an_age_is_read_with_its_heading() -> None:
    assert element("60岁以上", section="党员情况（名）", unit="名") == "PARTY_OVER_60"
    assert element("60岁以上", section="老年人口", unit="人") == "POP_60"
    # A heading naming nothing an element knows leaves the age band alone.
    assert element("60岁以上", section="年龄结构", unit="人") == "POP_60"


def test_a_part_said_in_full_by_its_heading_beats_its_total() -> None:
    assert element("医保参保人数（人）", section="城乡居民社会保险") == "MED_INS"
    assert element("医保参保人数（人）") == "MED_INS_TOTAL"
    # A lone character of the heading is no word: 妇女 does not make 户籍人口 the women.
    assert element("户籍人口（人）", section="妇女儿童") == "POP_REG"
    # Who is counted may be left to the heading, what they did may not.
    assert element("劳动力（人）", section="农村劳动力转移就业") == "LABOR"


def test_a_group_under_a_total_is_the_totals_part_for_that_group() -> None:
    """ "其中：持证残疾人" under the insured is the disabled insured: the label names the group,
    the total names the rest, and together they say the part in full."""
    heading = "城乡居民基本养老保险"
    found = report(
        (heading, "实际参保人数（人）"),
        (heading, "其中：持证残疾人（人）"),
        title="城乡居民基本养老保险参保缴费情况季报",
    )
    assert [match.element for match in found] == ["PENSION_INS", "DISABLED_PENSION_INS"]
    # Under a total with no part for that group, the group alone names nothing sure.
    found = report("户籍人口（人）", "其中：持证残疾人（人）")
    assert found[1].element != "DISABLED_PENSION_INS"
    # A label naming an action besides the group is read as before.
    found = report((heading, "实际参保人数（人）"), (heading, "其中：新增残疾人（人）"))
    assert found[1].element != "DISABLED_PENSION_INS"


def test_the_report_title_names_no_action_for_a_column() -> None:
    title = "农村劳动力转移就业情况统计表"
    assert element("农村劳动力总数（人）", title=title) == "LABOR"
    assert element("转移就业人数（人）", title=title) == "LABOR_TRANSFERRED"
    assert element("外出务工人员（人）", title=title) == "MIGRANT"


def test_what_an_alias_counts_after_de_must_be_said() -> None:
    assert element("纳入最低生活保障的残疾人（人）") == "DIBAO_DISABLED"
    assert element("享受农村低保的老年人（人）") == "DIBAO_ELDER_P"
    assert element("纳入低保（人）") is None  # whose?


def test_a_label_word_for_word_a_total_is_that_total() -> None:
    assert element("失能、半失能老年人（人）") == "DISABLED_ELDER"
    assert element("失能半失能老人（人）") == "DISABLED_ELDER"
    assert element("半失能老年人（人）") == "DISABLED_ELDER_PARTIAL"
    assert element("失能老年人（人）") == "DISABLED_ELDER_FULL"


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("返乡入乡创业人员（人）", "RETURN_ENTREPRENEURS"),
        ("农村互助养老服务设施（个）", "ELDER_MUTUAL"),
        ("绝收面积（公顷）", "CROP_LOST"),
        ("脱贫劳动力务工就业（人）", "POVERTY_LABOR_EMPLOYED"),
        ("脱贫家庭学生（人）", "POVERTY_STUDENTS"),
        ("农村劳动力转移就业人数（人）", "LABOR_TRANSFERRED"),
        ("低保对象中的老年人（人）", "DIBAO_ELDER_P"),
    ],
)
def test_common_grassroots_elements(label: str, expected: str) -> None:
    assert element(label) == expected


def test_new_elements_keep_their_near_misses_apart() -> None:
    assert element("农作物受灾面积（亩）") == "CROP_DAMAGED"
    assert element("外出务工人员（人）") == "MIGRANT"
    # the period's new transfers (a flow), not everyone transferred (the stock)
    assert element("新增转移就业人数（人）") == "LABOR_TRANSFERRED_NEW"
    assert element("转移就业人数（人）") == "LABOR_TRANSFERRED"
    assert element("脱贫劳动力（人）") == "POVERTY_LABOR"  # not only those at work
    assert element("脱贫劳动力务工就业人数（人）") == "POVERTY_LABOR_EMPLOYED"
    assert element("脱贫人口（人）") == "POVERTY_ALLEVIATED_P"
    assert element("60周岁以上老年人（人）") == "POP_60"
    _, monitored = report(("防返贫监测对象", "人数（人）"), "其中：纳入低保或特困（人）")
    assert monitored.element == "MONITORED_IN_DIBAO"
    _, dibao_elderly = report("低保人数（人）", "其中：60周岁以上老年人（人）")
    assert dibao_elderly.element == "DIBAO_ELDER_P"


# ---------------------------------------------------------------- rules from the sixth set

MED_INS_TITLE = "城乡居民基本医疗保险参保缴费进度表"


def test_a_heading_naming_a_group_restricts_its_columns_to_it() -> None:
    """ "已参保" under "特困人员" counts insured 特困人员, "60岁及以上" under "持证残疾人"
    disabled people of that age: never the total of everyone, only an element naming the
    group (or none)."""
    assert element("已参保（人）", title=MED_INS_TITLE) == "MED_INS"
    assert element("已参保（人）", section="特困人员", title=MED_INS_TITLE) == "TEKUN_MED_INS"
    assert element("已参保（人）", section="低保对象", title=MED_INS_TITLE) == "DIBAO_MED_INS"
    assert element("已参保（人）", section="持证残疾人", title=MED_INS_TITLE) == "DISABLED_MED_INS"
    assert element("已参保（人）", section="退役军人", title=MED_INS_TITLE) is None
    assert element("60岁及以上（人）", section="一、户籍人口") == "POP_60"
    assert element("60岁及以上（人）", section="持证残疾人") == "DISABLED_CERT_60"
    assert element("60岁及以上（人）", section="退役军人") is None
    assert element("60岁以上", section="党员情况（名）", unit="名") == "PARTY_OVER_60"
    assert element("面积（亩）", section="耕地") == "FARMLAND"
    assert element("面积（亩）", section="违法占用耕地") == "ILLEGAL_FARMLAND_AREA"
    assert element("纳入最低生活保障（人）", section="持证残疾人") == "DIBAO_DISABLED"
    assert element("人数（人）", section="低保对象") == "DIBAO_P"


def test_a_label_naming_its_own_group_or_a_heading_naming_several_is_not_restricted() -> None:
    assert element("农村留守儿童（人）", section="重点关爱儿童") == "LEFTBEHIND_CHILD"
    assert element("0-17周岁（人）", section="儿童") == "CHILD_0_17"
    assert element("户籍人口（人）", section="妇女儿童") == "POP_REG"


def test_a_report_about_one_group_counts_it_in_columns_naming_only_an_action() -> None:
    """参加城乡居民养老保险 in a 残联 report are disabled people in the scheme."""
    about_the_disabled = "残疾人基本服务状况和需求统计表"
    assert element("参加城乡居民养老保险（人）", title=about_the_disabled) == "DISABLED_PENSION_INS"
    assert element("参加城乡居民养老保险（人）", title="退役军人服务保障情况统计表") is None
    assert element("纳入最低生活保障（人）", title=about_the_disabled) == "DIBAO_DISABLED"
    assert element("户籍人口（人）", title=about_the_disabled) == "POP_REG"  # no action
    # A group named after a topic joiner, or one of two, is not what the report is about.
    for title in ("村级老年健康和儿童保健服务情况半年报", "低保对象和特困人员救助情况月报"):
        assert element("参加城乡居民养老保险（人）", title=title) == "PENSION_INS"


def test_people_under_a_body_are_its_members() -> None:
    """ "党员" under "村民委员会" are the committee's members who are 党员."""
    members, party = report(("村民委员会", "成员（人）"), ("村民委员会", "党员（人）"))
    assert (members.element, party.element) == ("VC_COMMITTEE", None)
    _, cadres = report(("村“两委”班子", "成员数（人）"), ("村“两委”班子", "党员（人）"))
    assert cadres.element is None
    assert element("党员总数（人）", section="村党组织") == "PARTY"
    assert element("党员（人）", section="组织建设") == "PARTY"


def test_the_same_leaf_under_several_groups_is_another_figure_under_each() -> None:
    """Groups no rule knows still carry the meaning when the same leaf repeats under them."""
    students, retired = report(
        ("在校学生", "已参保（人）"), ("退休人员", "已参保（人）"), title=MED_INS_TITLE
    )
    assert (students.element, retired.element) == (None, None)
    assert students.confidence < THRESHOLD
    # Alone, nothing tells that the heading narrows the column.
    (alone,) = report(("在校学生", "已参保（人）"), title=MED_INS_TITLE)
    assert alone.element == "MED_INS"
    # The element naming its heading keeps it; the other does not.
    residents, workers = report(
        ("城乡居民", "已参保（人）"), ("职工", "已参保（人）"), title=MED_INS_TITLE
    )
    assert (residents.element, workers.element) == ("MED_INS", None)
    # Leaves the groups already tell apart stay as they are.
    resident, employee = report(
        ("城乡居民医保", "参保人数（人）"), ("职工医保", "参保人数（人）"), title="医疗保险参保进度"
    )
    assert (resident.element, employee.element) == ("MED_INS", "EMP_MED_INS")


HELDOUT7 = Path(__file__).resolve().parents[1] / "data" / "heldout7"


def test_scores_on_the_seventh_held_out_set() -> None:
    """Written blind (see its README) and first scored P 0.915 R 0.782 roles 1.000 — the
    honest figure for templates never seen — by the matcher before the sixth set's rules;
    after them P 0.818 R 0.818 roles 1.000. General rules (a unit from a note listing several
    may be any of them, and an amount is never a headcount; a measure heading whose rate
    column restates its action still qualifies the population names under it; a leaf under
    no heading and the same leaf under a heading are two figures; a bare age band beside a
    group is that group's) and new elements (脱贫人口, 低保对象 and 特困人员 insured or
    signed up with a family doctor) bring it to the figures asserted here; it no longer
    measures templates never seen."""
    result = evaluate_directory(HELDOUT7, CATALOG)
    assert result.missing == ()
    assert result.pairs.precision >= 0.98, result.pairs.wrong_pairs
    assert result.pairs.recall >= 0.98, result.pairs.wrong_pairs
    assert result.roles.accuracy == 1.0, result.roles.wrong


def _noted_report(notes: list[str], *fields: ImportedField) -> list[FieldMatch]:
    ordered = [dataclasses.replace(item, order=order) for order, item in enumerate(fields)]
    imported = ImportedReport(
        title="情况表",
        fields=ordered,
        source_format="xlsx",
        frequency="monthly",
        notes=notes,
    )
    return match_report(imported, CATALOG)


def test_a_unit_from_a_note_listing_several_may_be_any_of_them() -> None:
    """The importer gives a column without a unit the first a note lists ("单位：户、人");
    the note means whichever fits: 户籍总人口 counts 人."""
    households, people = _noted_report(
        ["单位：户、人"],
        make_field("户籍总户数", unit="户"),
        make_field("户籍总人口", unit="户"),
    )
    assert (households.element, people.element) == ("HH_REG", "POP_REG")
    # A unit the column states itself, or a note's only unit, is that unit.
    (own,) = _noted_report(["单位：户、人"], make_field("户籍总人口（户）"))
    assert own.element is None
    (only,) = _noted_report(["单位：户"], make_field("户籍总人口", unit="户"))
    assert only.element is None


def test_an_amount_is_never_a_headcount() -> None:
    """A label ending in a money word, or a column naming no measure under a heading naming
    money, is an amount: 特困供养金 is not 特困供养人员."""
    assert element("特困供养金") != "TEKUN_P"
    assert element("特困供养", section="本月资金支出") != "TEKUN_P"
    assert element("特困供养") == "TEKUN_P"
    assert element("低保金") == "DIBAO_FUND"
    assert element("低保金", section="本月资金支出") == "DIBAO_FUND"
    # Near-misses kept: the people, and a subsidy's recipients counted in 人.
    assert element("特困供养人员") == "TEKUN_P"
    assert element("困难残疾人生活补贴（人）") == "DISABLED_LIVING_SUBSIDY"


def test_a_measure_heading_over_populations_qualifies_them_beside_its_rate() -> None:
    """Under "重点人群参保情况" the population names count that population's insured, though
    a 参保率 column restates 参保: a rate is no figure of its own beside them."""
    section = "重点人群参保情况"
    poor, dibao, tekun, rate = report(
        (section, "脱贫人口（人）"),
        (section, "低保对象（人）"),
        (section, "特困人员（人）"),
        (section, "参保率（%）"),
        title="城乡居民基本医疗保险参保扩面进度统计表",
    )
    assert (poor.element, dibao.element, tekun.element) == (
        "POVERTY_MED_INS",
        "DIBAO_MED_INS",
        "TEKUN_MED_INS",
    )
    assert rate.element == "MED_INS_RATE"
    # Near-miss kept: under a heading naming no measure they are the populations.
    poor, dibao = report(("重点人群", "脱贫人口（人）"), ("重点人群", "低保对象（人）"))
    assert (poor.element, dibao.element) == ("POVERTY_ALLEVIATED_P", "DIBAO_P")


def test_a_leaf_under_no_heading_and_under_a_heading_are_two_figures() -> None:
    everyone, key_groups = report(
        "参保率（%）", ("重点人群参保情况", "参保率（%）"), title=MED_INS_TITLE
    )
    assert (everyone.element, key_groups.element) == ("MED_INS_RATE", None)
    # Under a heading the element names, the element fits both; but a report asks a
    # figure once, so only the surer (the one its heading names) keeps it.
    plain, residents = report(
        "参保人数（人）", ("城乡居民医保", "参保人数（人）"), title=MED_INS_TITLE
    )
    assert (plain.element, residents.element) == (None, "MED_INS")
    assert plain.candidates[0].element == "MED_INS"


def test_a_report_asks_each_element_once() -> None:
    """Two fields of one report never mean the same element: the surer keeps it, the other
    keeps its candidates for the owner to choose from."""
    key, periodic = report(
        ("优抚对象（人）", "在乡重点优抚对象"),
        ("优抚对象（人）", "享受定期抚恤补助"),
        title="退役军人帮扶援助情况半年报",
    )
    assert [key.element, periodic.element].count("SPECIAL_CARE") == 1
    assert "SPECIAL_CARE" in {candidate.element for candidate in periodic.candidates}


def test_a_bare_age_band_beside_a_group_is_that_groups() -> None:
    """ "60周岁以上" beside "退役军人" under "服务对象" counts veterans of that age."""
    section = "服务对象"
    _, aged = report((section, "退役军人（人）"), (section, "60周岁以上（人）"))
    assert aged.element is None
    # Near-miss kept: beside other age bands, or beside a count of bodies, it is everyone.
    _, aged = report(("年龄结构", "35岁以下（人）"), ("年龄结构", "60岁以上（人）"))
    assert aged.element == "POP_60"
    _, aged = report(
        ("行政区划及人口", "社区居委会（个）"), ("行政区划及人口", "60岁及以上人口（人）")
    )
    assert aged.element == "POP_60"


def test_the_poor_populations_insured_and_signed_up_are_elements() -> None:
    assert element("脱贫人口参加城乡居民养老保险（人）") == "POVERTY_PENSION_INS"
    assert element("脱贫人口参加城乡居民医保（人）") == "POVERTY_MED_INS"
    assert element("脱贫人口家庭医生签约（人）") == "POVERTY_FAMILY_DOC"
    assert (
        element("脱贫人口参保人数（人）", title="2025年城乡居民基本养老保险参保缴费进度表")
        == "POVERTY_PENSION_INS"
    )
    _, poor = report("重点人群签约（人）", "其中：脱贫人口（人）")
    assert poor.element == "POVERTY_FAMILY_DOC"
    assert element("年满60周岁户籍人口（人）") == "POP_60"
    # Near-misses kept: the population itself, another age, another insurance.
    assert element("脱贫人口（人）") == "POVERTY_ALLEVIATED_P"
    assert element("年满65周岁户籍人口（人）") != "POP_60"
    assert element("城乡居民养老保险参保人数（人）") == "PENSION_INS"


def test_a_heading_naming_a_to_date_period_makes_its_leaves_to_date_totals() -> None:
    this_month, to_date = report(
        ("本月隐患排查整治", "排查隐患（处）"), ("年初至今累计", "排查隐患（处）")
    )
    assert this_month.figure == ("HAZARDS_CHECKED", None)
    assert to_date.figure == ("HAZARDS_CHECKED", TO_DATE)  # worked out, not asked
    earlier = report(("上年同期", "排查隐患（处）"), frequency="monthly")[0]
    assert earlier.element is None


def test_an_amount_naming_the_programme_leaves_the_heading_to_qualify_its_groups() -> None:
    """An amount ("资助金额") under "资助参保情况" is the programme's money, no headcount beside the
    population: "低保对象" there are those whose insurance the programme paid."""
    dibao, tekun, amount = report(
        ("资助参保情况", "低保对象（人）"),
        ("资助参保情况", "特困人员（人）"),
        ("资助参保情况", "资助金额（万元）"),
        title="困难群众参保情况月报",
    )
    assert (dibao.element, tekun.element) == (None, None)
    assert amount.element == "MED_AID_INS_SUBSIDY_FUND"


def test_words_for_the_same_households_and_workers_away() -> None:
    assert element("户籍农户数（户）") == "HH_REG"
    assert element("污水得到有效治理的农户（户）") == "SEWAGE_TREATED_HH"
    # 农户数 alone are the farming households (农经's 汇总农户), not every registered one.
    assert outcome(report("农户数（户）", level="village")[0]) == "FARM_HH"
    assert outcome(report("农户总数（户）", level="village")[0]) == "FARM_HH"
    assert element("其中：外出从业劳动力（人）") == element("外出务工人数（人）") == "MIGRANT"
    assert element("常住户数（户）") != "HH_REG"


def test_a_filling_hint_after_an_identity_header_keeps_its_role() -> None:
    assert detect_role("行政区划代码（12位）") == ORG_CODE
    assert detect_role("统一社会信用代码(18位)") == ORG_CODE
    assert detect_role("人口数（12位）") is None


def test_scores_on_the_eighth_held_out_set() -> None:
    """Written blind: P 0.853 R 0.630 roles 0.995 by the matcher of the morning of
    2026-11-28, P 0.867 R 0.848 roles 0.995 after that day's rounds, which never looked at
    it. A later round was tuned on it (a heading's period is its leaves' period; an amount
    naming a programme leaves the heading to qualify its groups; 农户 are the households;
    外出从业 = 外出务工; new elements for new transfers to work): it no longer measures
    templates never seen."""
    assert_scores(held_out_set(8), precision=0.99, recall=0.97)


def test_scores_on_the_ninth_held_out_set() -> None:
    """Written blind (see its README). First scored P 0.885 R 0.979 roles 0.987 by the
    matcher the eighth set's round started from, and P 0.939 R 0.979 roles 0.987 by that
    round's rules before it was looked at: the honest figures for templates never seen.
    Then tuned on (a column naming only an action is read with its heading's; a heading's
    action a column does not take is not its action; 会计 and 值班领导 are filler; 脱贫劳动力
    an element). Its one remaining error was 经营收入 vs 经营性收入, which four other truth
    files join and this one and heldout20 keep apart; since the heldout15-20 rounds they are
    two elements, as in the 农经 accounts."""
    assert_scores(held_out_set(9), precision=0.97, recall=0.99)


def test_a_column_naming_only_an_action_is_read_with_its_heading() -> None:
    """Under "转移就业", beside "累计转移就业", "本季度新增" is the quarter's new transfers;
    "脱贫劳动力" beside "务工就业人数" under "脱贫人口务工就业" is every 脱贫劳动力, not
    those of them at work."""
    _, new = report(
        ("转移就业", "累计转移就业（人）"), ("转移就业", "本季度新增（人）"), frequency="quarterly"
    )
    assert new.element == "LABOR_TRANSFERRED_NEW"
    labour, employed = report(
        ("脱贫人口务工就业", "脱贫劳动力（人）"), ("脱贫人口务工就业", "务工就业人数（人）")
    )
    assert (labour.element, employed.element) == ("POVERTY_LABOR", "POVERTY_LABOR_EMPLOYED")


def test_bookkeepers_and_people_on_duty_are_filler_and_a_collective_names_the_row() -> None:
    assert detect_role("会计") == detect_role("值班领导") == detect_role("出纳姓名") == META
    assert detect_role("村集体经济组织名称") == ORG_NAME
    assert detect_role("村集体经济组织（个）") is None


def test_scores_on_the_tenth_held_out_set() -> None:
    """Written blind (see its README, and its note on the role convention). First scored
    P 0.804 R 0.881 roles 0.996 by the matcher the eighth set's round started from, and
    P 0.923 R 0.857 roles 1.000 by the rules of the eighth and ninth sets' rounds before it
    was looked at: the honest figures for templates never seen. Then tuned on (现状 says
    nothing of what is counted; 务工 is how these forms count 就业; a bracket recalling a
    former name says nothing; a group the label names must be the element's): it no longer
    measures templates never seen. A group under a total being the total's part for that
    group (`_the_totals_group`) reads "其中：重度残疾人" under 低保 as all disabled 低保
    recipients, not the severely disabled among them: one pair wrongly joined, 0.976."""
    assert_scores(held_out_set(10), precision=0.97, recall=0.95)


def test_current_state_wage_work_and_former_names_change_nothing() -> None:
    assert element("现状耕地面积（亩）") == element("耕地面积（亩）") == "FARMLAND"
    assert element("脱贫劳动力务工人数（人）") == "POVERTY_LABOR_EMPLOYED"
    total, _, _ = report(
        ("特困供养人员（原五保）", "总人数（人）"),
        ("特困供养人员（原五保）", "集中供养人数（人）"),
        ("特困供养人员（原五保）", "分散供养人数（人）"),
    )
    assert total.element == "TEKUN_P"


def test_a_heading_over_a_population_and_its_wage_workers_qualifies_neither_population() -> None:
    labour, poor, poor_at_work = report(
        ("农村劳动力转移就业", "农村劳动力（人）"),
        ("农村劳动力转移就业", "脱贫劳动力（人）"),
        ("农村劳动力转移就业", "脱贫劳动力务工人数（人）"),
        frequency="quarterly",
    )
    assert (labour.element, poor.element, poor_at_work.element) == (
        "LABOR",
        "POVERTY_LABOR",
        "POVERTY_LABOR_EMPLOYED",
    )


def test_a_group_the_label_names_must_be_named_by_the_element() -> None:
    assert element("义务教育阶段适龄儿童少年（人）") == "SCHOOL_AGE"
    assert element("义务教育阶段适龄残疾儿童少年（人）") == "DISABLED_SCHOOL_AGE"
    assert element("适龄残疾幼儿（人）") is None  # no element names disabled infants
    assert element("低保对象中的残疾人（人）") == "DIBAO_DISABLED"


def test_scores_on_the_eleventh_held_out_set() -> None:
    """Written blind. First scored P 0.837 R 0.854 roles 1.000 by the matcher the eighth
    set's round started from, and P 0.891 R 0.854 roles 1.000 by the rules of the rounds on
    the eighth to tenth sets before it was looked at: the honest figures for templates never
    seen. Then tuned on (a group within a total no element names is not the whole group;
    下辖 locates; 村（居）民小组 are 村民小组; elements for 生态护林员, 村级寄递物流服务站点
    and 村级组织运转经费). Its writer keeps flows of different period lengths apart (出生 of a
    quarter and of a half-year), which the one element BIRTHS joins."""
    assert_scores(held_out_set(11), precision=0.93, recall=0.95)


def test_a_group_within_a_total_no_element_names_is_not_the_whole_group() -> None:
    _, poor = report(("公益性岗位", "在岗人数（人）"), ("公益性岗位", "其中：脱贫人口（人）"))
    assert poor.element is None
    # Where the dictionary names that part of the total, it is that part.
    _, poor = report(("生态护林员", "在岗人数（人）"), ("生态护林员", "其中：脱贫人口（人）"))
    assert poor.element == "FOREST_RANGERS_POVERTY"
    _, farmland = report("集体土地总面积（亩）", "其中：耕地（亩）")
    assert farmland.element == "FARMLAND"  # a kind of land is read alone


def test_places_that_only_locate_and_the_village_or_residents_group() -> None:
    assert element("下辖村民小组（个）") == element("村（居）民小组数") == "GROUPS"
    assert element("居民小组数（个）") == "RESIDENT_GROUPS"


def test_scores_on_the_twelfth_held_out_set() -> None:
    """Written blind and kept blind through the eleventh set's round: P 0.857 R 0.766 roles
    1.000 by the matcher the eighth set's round started from, P 0.921 R 0.745 roles 1.000
    by the rules of the rounds on the eighth to eleventh sets — the honest figures for
    templates never seen. Then tuned on (a heading listing topics neither names whom its
    columns count nor explains a part; 出省 = 省外; 在村常住 = 常住; 重度 = 一、二级; workers
    counted as people; elements 宅基地宗数 and 畜禽规模养殖场)."""
    assert_scores(held_out_set(12), precision=0.97, recall=0.93)


def test_a_heading_listing_topics_neither_names_whom_nor_explains_a_part() -> None:
    old, poor, labour = report(
        ("人口与劳动力（人）", "60周岁及以上人口"),
        ("人口与劳动力（人）", "脱贫人口总数"),
        ("人口与劳动力（人）", "脱贫劳动力"),
    )
    assert (old.element, poor.element, labour.element) == (
        "POP_60",
        "POVERTY_ALLEVIATED_P",
        "POVERTY_LABOR",
    )


def test_more_ways_of_saying_the_same_people() -> None:
    _, away = report("外出务工劳动力（人）", "其中：出省务工劳动力（人）")
    assert away.element == "MIGRANT_OUT_PROVINCE"
    assert element("在村常住户数（户）") == "HH_RES"
    assert element("一、二级重度残疾人（人）") == element("重度残疾人（人）") == "DISABLED_SEVERE"
    assert element("农村宅基地总宗数（宗）") == "HOMESTEADS"
    assert element("规模化养殖场数量（个）") == "SCALE_FARMS"


def test_scores_on_the_thirteenth_held_out_set() -> None:
    """Written blind after the twelfth set's round and scored before it was looked at:
    P 0.745 R 0.854 roles 1.000 by the matcher the eighth set's round started from, P 0.800
    R 0.878 roles 1.000 by the rules of the rounds on the eighth to twelfth sets — the honest
    figures for templates never seen. Then tuned on (实有人口 is a population of its own; a
    column naming what its heading's programme is about is the programme's own; a column
    naming only its heading's action is read with the heading; 宫颈癌 and 乳腺癌 screening
    are parts of 两癌筛查). Its writer keeps flows of different period lengths apart (生猪出栏
    of a year and of a half-year), which the one element HOG_SLAUGHTER joins. "纳入农村低保"
    under the heading 脱贫人口 (those of them on 低保) scores at the threshold for all 低保
    recipients (0.779 before the elements of sets 60-65 moved the dictionary's weights, 0.782
    after): a group the label names lifts its heading's group, which here it narrows."""
    assert_scores(held_out_set(13), precision=0.88, recall=0.90)


def test_the_programmes_own_people_and_the_polices_actual_population() -> None:
    (team,) = report(("驻村帮扶", "驻村工作队员（人）"))
    assert team.element == "VILLAGE_WORK_TEAM"
    assert element("实有人口（人）") == "POP_ACTUAL"
    assert element("人口（人）") == "POP_REG"  # a bare count is of the register
    assert element("本期宫颈癌筛查（人）") == "CERVICAL_CANCER_SCREENING"
    assert element("两癌筛查人数（人）") == "WOMEN_CANCER_SCREENING"


def test_a_column_naming_only_its_headings_action_is_read_with_the_heading() -> None:
    temporary, medical, hazards = report(
        ("临时救助", "本月救助（人次）"),
        ("医疗救助", "救助人次（人次）"),
        ("隐患排查", "本月排查（处）"),
    )
    assert (temporary.element, medical.element, hazards.element) == (
        "TEMP_RELIEF",
        "MEDICAL_RELIEF",
        "HAZARDS_CHECKED",
    )


def test_scores_on_the_fourteenth_held_out_set() -> None:
    """Written blind after the thirteenth set's round and scored before it was looked at:
    P 0.850 R 0.872 roles 1.000 by the matcher the eighth set's round started from, P 0.854
    R 0.897 roles 1.000 by the rules of all rounds on the eighth to thirteenth sets — the
    honest figures for templates never seen (three of its six wrongly joined pairs are flows
    of a year and of a quarter, which its writer keeps apart and one flow element joins).
    Then tuned on: a bare age band within a total no element names is of that total;
    土地经营权流转面积 is 流转面积."""
    assert_scores(held_out_set(14), precision=0.90, recall=0.92)


def test_a_bare_age_band_within_a_total_no_element_names_is_of_that_total() -> None:
    _, doctors_60 = report(("乡村医生", "在岗人数（人）"), ("乡村医生", "其中：60岁以上（人）"))
    assert doctors_60.element is None
    # a band of a total an element names is read as before
    _, people_60 = report("户籍人口（人）", "其中：60岁及以上人口（人）")
    assert people_60.element == "POP_60"


def test_scores_on_the_fifteenth_to_seventeenth_held_out_sets() -> None:
    """Written blind after the fourteenth set's round, under a period convention stated to
    their writers (a concept is what is counted; a flow asked by reports of different
    frequencies is one concept, a to-date total beside the period's figure another), and
    scored before anyone looked at them. By the matcher of the fourteenth set's round:
    P 0.925 R 0.822 (15), P 0.880 R 0.647 (16), P 0.909 R 0.698 (17); by the rules made
    before each was seen — the honest figures for templates never seen: P 0.925 R 0.822,
    P 0.957 R 0.647, P 0.968 R 0.698, roles 1.000 / 1.000 / 0.996. Recall fell short mostly
    where the dictionary had no element (撂荒地, 秸秆, 森林火灾, 雨露计划, 信访, 危险水域 ...).
    Then tuned on: 34 dictionary elements, headings listing actions, later topics of a
    title, the heading decides rivals, a group after its action's count is part of it,
    dash cells of statistical forms, 所属卫生院 filler, 代缴 and 化解 as actions."""
    assert_scores(held_out_set(15), precision=1.0, recall=1.0)
    assert_scores(held_out_set(16), precision=1.0, recall=0.94)
    assert_scores(held_out_set(17), precision=1.0, recall=0.97)


def test_a_heading_listing_actions_its_columns_name_apart() -> None:
    """Under "参保缴费" the columns "参保人数" and "缴费金额" each do one of its actions:
    "参保人数" is everyone insured, not those insured who also paid."""
    insured, _paid = report(
        ("参保缴费", "参保人数（人）"),
        ("参保缴费", "缴费金额（万元）"),
        title="城乡居民基本养老保险参保缴费情况季报",
        frequency="quarterly",
    )
    assert insured.element == "PENSION_INS"
    # Near-miss kept: under "医疗救助资助参保" no column names one action alone, so each
    # group there is the programme's (insurance paid for), never the whole group.
    tekun, dibao = report(
        ("医疗救助资助参保", "特困人员（人）"),
        ("医疗救助资助参保", "低保对象（人）"),
        title="医疗救助情况月报",
    )
    assert (tekun.element, dibao.element) != ("TEKUN_P", "DIBAO_P")
    assert tekun.element != "TEKUN_P" and dibao.element != "DIBAO_P"


def test_a_group_after_the_count_of_its_action_is_a_part_of_that_count() -> None:
    """ "65岁及以上老年人" after "签约人数" under "家庭医生签约" counts the signed elderly;
    before the programme's count (under "老龄津贴") a group is the population it draws on."""
    _, signed, elderly = report(
        ("家庭医生签约", "签约目标任务（人）"),
        ("家庭医生签约", "签约人数（人）"),
        ("家庭医生签约", "65岁及以上老年人（人）"),
        title="家庭医生签约服务情况半年报",
        frequency="half_yearly",
    )
    assert signed.element == "FAMILY_DOC_SIGNED"
    assert elderly.element != "POP_65"
    aged, receiving = report(
        ("老龄津贴", "80周岁及以上老年人（人）"), ("老龄津贴", "高龄津贴享受人数（人）")
    )
    assert (aged.element, receiving.element) == ("POP_80", "ELDER_ALLOWANCE_P")


def test_a_later_topic_of_the_title_is_not_the_first_topics_group() -> None:
    """In "残疾人两项补贴和临时救助发放情况月报", "救助人次" under "本月临时救助" counts all
    临时救助, not disabled people's: the title's group is its first topic's."""
    _, relief = report(
        ("困难残疾人生活补贴", "享受人数（人）"),
        ("本月临时救助", "救助人次（人次）"),
        title="残疾人两项补贴和临时救助发放情况月报",
    )
    assert relief.element == "TEMP_RELIEF"


def test_an_element_saying_less_of_the_heading_is_no_rival() -> None:
    """ "参保人数" under "城乡居民基本养老保险": 城乡居民基本医疗保险参保人数 shares most of
    the heading's words, but says less of it than the pension element, so it does not make
    the match ambiguous."""
    assert element("参保人数（人）", section="城乡居民基本养老保险") == "PENSION_INS"
    assert element("参保人数（人）", section="城乡居民基本医疗保险") in {"MED_INS", "MED_INS_TOTAL"}


def test_an_institution_the_row_belongs_to_is_filler() -> None:
    assert detect_role("所属乡镇卫生院") == META
    assert detect_role("所在中心校") == META
    assert detect_role("乡镇卫生院（个）") is None  # a count of them


def test_orphans_are_children_and_a_village_prefix_is_the_village() -> None:
    assert element("孤儿（人）", section="儿童基本生活保障") == "ORPHAN"
    assert element("村党员数（名）") == "PARTY"
    assert element("村常住人口（人）") == "POP_RES"
    assert element("农村常住人口（人）") != "POP_RES"  # 农村 stays a qualifier


def test_in_place_and_set_up_words_do_not_change_the_count() -> None:
    assert element("已设警示标志（块）", section="防溺水") == "WATER_WARNING_SIGNS"
    assert element("已设立警示牌（块）") == "WATER_WARNING_SIGNS"


def test_scores_on_the_eighteenth_to_twentieth_held_out_sets() -> None:
    """Written blind after the fifteenth to seventeenth sets' round, under the same period
    convention, and scored before anyone looked at them. By the morning's matcher: P 1.000
    R 0.805 (18), P 0.938 R 0.698 (19), P 0.828 R 0.667 (20); by the rules of all rounds
    before them — the honest figures for templates never seen: P 1.000 R 0.805, P 1.000
    R 0.698, P 0.862 R 0.694, roles 1.000 each. Again recall fell short mostly where the
    dictionary had no element (人居环境: 保洁员, 垃圾清运, 污水治理, 黑臭水体; 乡村旅游,
    民宿; 公益性岗位; 儿童残疾筛查). Then tuned on: 31 elements, 经营收入 apart from
    经营性收入, kinds of help (就业帮扶, 兜底保障) as topic headings, 全村 headings, a
    label's measure word over a note's units, accidents as a qualifier, 未满18周岁."""
    assert_scores(held_out_set(18), precision=1.0, recall=0.92)
    assert_scores(held_out_set(19), precision=0.97, recall=0.95)
    assert_scores(held_out_set(20), precision=0.94, recall=0.91)


def test_a_kind_of_help_heads_topics_and_a_whole_village_heading_is_everyone() -> None:
    """Under "教育帮扶" the columns are outcomes of that help, no 帮扶 count of their own;
    under "全村兜底保障" in a report about 监测对象 a column counts the whole village."""
    students, _ = report(
        ("教育帮扶", "脱贫家庭在校生（人）"),
        ("教育帮扶", "雨露计划资助人数（人）"),
        title="防止返贫监测对象帮扶工作月报",
    )
    assert students.element == "POVERTY_STUDENTS"
    (relief,) = report(
        ("全村兜底保障", "临时救助人次（人次）"), title="防止返贫监测对象帮扶工作月报"
    )
    assert relief.element == "TEMP_RELIEF"


def test_a_labels_measure_word_outranks_a_note_not_listing_it() -> None:
    fields = [
        ImportedField(label="临时救助人次", name="临时救助人次", order=0, unit="户"),
        ImportedField(label="低保户数", name="低保户数", order=1, unit="户"),
    ]
    imported = ImportedReport(
        title="兜底保障情况月报",
        fields=fields,
        source_format="xlsx",
        frequency="monthly",
        notes=["单位：户、人、万元"],
    )
    relief, households = match_report(imported, CATALOG)
    assert (relief.element, households.element) == ("TEMP_RELIEF", "DIBAO_HH")


def test_deaths_under_an_accident_heading_are_accident_deaths() -> None:
    assert element("死亡人数（人）", section="生产安全事故") == "ACCIDENT_DEATHS"
    assert element("死亡人数（人）", section="人口变动") == "DEATHS"


def test_not_yet_18_is_under_18() -> None:
    assert element("未满18周岁儿童（人）") == element("0-17周岁儿童（人）") == "CHILD_0_17"


def test_scores_on_the_twenty_first_to_twenty_third_held_out_sets() -> None:
    """Written blind after the eighteenth to twentieth sets' round, while a helper who never
    saw any held-out set added 132 common elements to the dictionary; scored before anyone
    looked at them. By the morning's matcher: P 0.885 R 0.657 (21), P 1.000 R 0.707 (22),
    P 0.829 R 0.791 (23); by the rules made before each was seen — the honest figures for
    templates never seen: P 0.889 R 0.686, P 1.000 R 0.732 (22 also after the round on 21
    and 23), P 1.000 R 0.791, roles 1.000 each. Then tuned on: a bare age band under a
    heading naming workers ("乡村医生") is theirs; a label listing two groups is neither;
    0-6岁 and 6-15岁 are parts of 0-17岁, 第一书记 of the 驻村工作队; 15 elements."""
    assert_scores(held_out_set(21), precision=0.96, recall=0.82)
    assert_scores(held_out_set(22), precision=1.0, recall=0.92)  # 其中：婚姻家庭纠纷 after 调解成功
    # 脱贫劳动力（含监测对象）转移就业 is their 务工就业 to the dictionary and to sets 5, 64 and
    # 76, not to this one.
    assert_scores(held_out_set(23), precision=0.97, recall=0.90)


def test_a_bare_age_band_under_workers_is_theirs() -> None:
    _, aged = report(("乡村医生", "在岗人数（人）"), ("乡村医生", "60岁以上（人）"))
    assert aged.element is None
    assert element("60岁以上（人）", section="年龄结构") == "POP_60"


def test_a_label_listing_two_groups_is_neither() -> None:
    assert element("孤儿和事实无人抚养儿童（人）") is None
    assert element("事实无人抚养儿童（人）") == "FACT_UNSUPPORTED_CHILD"


def test_age_bands_and_the_first_secretary_are_parts_of_their_totals() -> None:
    _, young = report("0-17周岁儿童数（人）", "其中：0-6周岁（人）")
    assert young.element == "CHILD_0_6"
    _, secretaries = report("驻村工作队员（人）", "其中：第一书记（人）")
    assert secretaries.element == "FIRST_SECRETARIES"


def test_scores_on_the_twenty_fourth_to_twenty_sixth_held_out_sets() -> None:
    """Written blind after the twenty-first to twenty-third sets' round, on the reports
    county departments send most often, and scored before anyone looked at them. By the
    morning's matcher: P 1.000 R 0.686 (24), P 1.000 R 0.756 (25), P 0.879 R 0.763 (26);
    by the rules of all rounds before them — the honest figures for templates never seen:
    P 0.962 R 0.714, P 1.000 R 0.829, P 0.939 R 0.816, roles 1.000 / 1.000 / 0.997. Then
    tuned on: a heading naming the programme's own people ("驻村帮扶力量") imposes no
    action; 报出日期 is filler; 10 elements (disaster houses and losses, 退役军人党员,
    养老金发放, 新增流动人口) and aliases."""
    assert_scores(held_out_set(24), precision=0.96, recall=0.82)
    assert_scores(held_out_set(25), precision=1.0, recall=0.87)
    assert_scores(held_out_set(26), precision=0.94, recall=0.94)


def test_a_heading_naming_the_programmes_own_people_imposes_no_action() -> None:
    secretaries, members = report(
        ("驻村帮扶力量", "第一书记（人）"), ("驻村帮扶力量", "工作队员（人）")
    )
    assert (secretaries.element, members.element) == ("FIRST_SECRETARIES", "VILLAGE_WORK_TEAM")
    # Near-miss kept: under the programme itself a group is its beneficiaries.
    (helped,) = report(("驻村帮扶", "脱贫人口（人）"))
    assert helped.element != "POVERTY_ALLEVIATED_P"


def test_the_date_a_report_is_sent_is_filler() -> None:
    assert detect_role("报出日期") == META


def test_scores_on_the_twenty_seventh_to_twenty_ninth_held_out_sets() -> None:
    """Written blind after the twenty-fourth to twenty-sixth sets' round and scored by the
    rules of all rounds before them; NOT tuned on: these floors are the blind figures
    (P 1.000 R 0.952, P 1.000 R 0.907, P 0.971 R 0.791, roles 1.000 each; by 823e22f
    P 1.000 R 0.952, P 0.974 R 0.860, P 1.000 R 0.744). Until a round looks at their errors
    they still measure templates never seen."""
    assert_scores(held_out_set(27), precision=1.0, recall=0.95)
    assert_scores(held_out_set(28), precision=1.0, recall=0.90)
    assert_scores(held_out_set(29), precision=0.97, recall=0.79)


# ------------------------------------------- rules of the rounds on sets 27 to 41


def test_deaths_under_a_fire_or_in_a_safety_report_are_the_events_deaths() -> None:
    deaths, injured, loss = report(
        ("本季度火灾情况", "死亡（人）"),
        ("本季度火灾情况", "受伤（人）"),
        ("本季度火灾情况", "直接财产损失（元）"),
        frequency="quarterly",
    )
    assert (deaths.element, injured.element, loss.element) == (
        "FIRE_DEATHS",
        "FIRE_INJURED",
        "FIRE_LOSS",
    )
    (accidents,) = report(("本月", "死亡人数（人）"), title="乡镇安全生产工作情况月报")
    assert accidents.element == "ACCIDENT_DEATHS"
    # A fire heading in a safety report still means fires.
    (fire,) = report(("火灾（本月）", "死亡人数（人）"), title="乡镇安全生产检查情况月报")
    assert fire.element == "FIRE_DEATHS"
    # Near-miss kept: deaths in a population report are the population's.
    (people,) = report(("二、人口变动", "死亡人口"), title="人口变动情况抽样调查年报")
    assert people.element == "DEATHS"


def test_a_label_naming_no_thing_needs_its_context_to_name_the_elements() -> None:
    (total,) = report(
        ("本季度发放金额", "合计（万元）"),
        title="困难残疾人生活补贴和重度残疾人护理补贴发放情况季报",
        frequency="quarterly",
    )
    assert total.element is None  # no 养老金发放金额 for sharing 发放金额
    (sales,) = report(("本季农资销售", "销售额（万元）"), title="基层供销社农资供应情况季报")
    assert sales.element is None  # no 电商销售额 for sharing 销售额
    assert element("危房改造（户）") is None  # 开工 or 完成: a dead heat still


def test_a_heading_naming_targets_or_their_base_count_imposes_no_action() -> None:
    households, people = report(("帮扶对象", "脱贫户（户）"), ("帮扶对象", "脱贫人口（人）"))
    assert (households.element, people.element) == ("POVERTY_ALLEVIATED_HH", "POVERTY_ALLEVIATED_P")
    (severe,) = report(("医疗救助对象底数", "重度残疾人（人）"))
    assert severe.element == "DISABLED_SEVERE"
    # Near-miss kept: under the programme itself a group is its beneficiaries.
    (helped,) = report(("驻村帮扶", "脱贫人口（人）"))
    assert helped.element is None


def test_a_sex_the_label_names_must_be_the_elements() -> None:
    without_the_part = [item for item in CATALOG if item.code != "RESERVE_CADRES_FEMALE"]
    women = match_field(make_field("女性村级后备力量（人）"), without_the_part)
    assert women.element is None  # not all 村级后备干部
    assert match_field(make_field("村级后备力量（人）"), without_the_part).element == (
        "RESERVE_CADRES"
    )
    assert element("女性村级后备力量（人）") == "RESERVE_CADRES_FEMALE"


def test_a_sex_alone_under_a_heading_is_of_the_headings_people() -> None:
    _, men, women = report(
        ("一、人口情况", "户籍人口（人）"),
        ("一、人口情况", "其中：男性（人）"),
        ("一、人口情况", "女性（人）"),
        title="农村住户及劳动力情况季报",
    )
    assert men.element == "POP_REG_MALE"
    assert women.element != "LABOR_FEMALE"  # not the 劳动力 of the title


def test_a_label_restating_its_headings_action_takes_the_titles_subject() -> None:
    (insured,) = report(("参保情况", "参保人数"), title="城乡居民基本养老保险参保缴费情况月报")
    assert insured.element == "PENSION_INS"
    (medical,) = report(("参保情况", "参保人数（人）"), title="城乡居民基本医疗保险参保情况季报")
    assert medical.element == "MED_INS"


def test_a_population_of_an_age_band_is_everyones() -> None:
    old, women = report(
        ("三、年龄构成", "60岁及以上人口（人）"), ("三、年龄构成", "15-49岁育龄妇女（人）")
    )
    assert (old.element, women.element) == ("POP_60", "WOMEN_CHILDBEARING")
    # Near-miss kept: a bare band beside a group is the group's.
    _, veterans_60 = report(("服务对象", "退役军人（人）"), ("服务对象", "60周岁以上（人）"))
    assert veterans_60.element is None


def test_a_note_listing_a_unit_the_table_alone_uses_keeps_the_others() -> None:
    fields = [
        dataclasses.replace(make_field("自然村数", section="自然村"), unit="公里", order=0),
        dataclasses.replace(make_field("农村公路里程"), unit="公里", order=1),
    ]
    imported = ImportedReport(
        title="农村公路建设情况半年报",
        fields=fields,
        source_format="xlsx",
        frequency="half_yearly",
        notes=["计量单位：公里、人、个、条、班次"],
    )
    villages, _ = match_report(imported, CATALOG)
    assert villages.element == "NATURAL_VILLAGES"


def test_programme_and_policy_names_are_no_plans() -> None:
    students, fund = report(("雨露计划", "补助学生（人）"), ("雨露计划", "补助资金（万元）"))
    assert (students.element, fund.element) == ("YULU_STUDENTS", "YULU_FUND")
    assert element("计划培训人数（人）") == "SKILL_TRAINING_PLAN"  # a plan still is one
    assert element("实际培训人数（人）", section="职业技能培训") == "SKILL_TRAINED"


def test_families_just_above_the_dibao_line_are_not_on_it() -> None:
    (medical,) = report(
        ("专项救助", "医疗救助（人次）"), title="低保边缘家庭和刚性支出困难家庭认定情况月报"
    )
    assert medical.element == "MEDICAL_RELIEF"


def test_a_campaign_named_in_the_title_is_no_group() -> None:
    (relief,) = report(
        ("本季度", "临时救助（人次）"),
        title="巩固拓展脱贫攻坚成果同乡村振兴有效衔接情况季报",
        frequency="quarterly",
    )
    assert relief.element == "TEMP_RELIEF"


def test_a_heading_naming_the_total_an_element_is_part_of_names_its_group() -> None:
    stock, new = report(
        ("期末实有市场主体", "个体工商户（户）"), ("本季度新登记", "个体工商户（户）")
    )
    assert (stock.element, new.element) == ("INDIVIDUAL_BUSINESSES", None)


def test_a_label_saying_only_that_it_is_done_reads_with_its_heading() -> None:
    (done,) = report(("造林绿化（亩）", "本季度完成"), frequency="quarterly")
    assert done.element == "AFFORESTATION"


@pytest.mark.parametrize(
    ("label", "code"),
    [
        ("已建高标准农田（亩）", "HIGH_STD_FARMLAND"),
        ("持证重度残疾人（一、二级）", "DISABLED_SEVERE"),
        ("义务教育阶段失学辍学人数（人）", "DROPOUTS"),
        ("卫生厕所普及户数（户）", "SANITARY_TOILET_HH"),
        ("卫生厕所普及率（%）", "SANITARY_TOILET_RATE"),
        ("村（居）“两委”成员（人）", "VC_MEMBERS"),
        ("特扶金发放金额（元）", "FP_SPECIAL_FUND"),
        ("新生儿（人）", "BIRTHS"),
    ],
)
def test_wordings_read_as_they_mean(label: str, code: str) -> None:
    assert element(label) == code


def test_filler_with_a_note_on_who_fills_it() -> None:
    assert detect_role("填报人（劳动保障协理员）") == META
    assert detect_role("填报民警") == META
    assert detect_role("户籍人口（人）") is None


def test_the_station_a_row_belongs_to_is_filler_and_an_established_village_names_it() -> None:
    assert detect_role("所属市场监管所") == META
    assert detect_role("市场监管所（个）") is None  # a count of them
    assert detect_role("建制村名称") == ORG_NAME


# ------------------------------------------------ held-out sets 30 to 47 (third stop)


def test_scores_on_the_thirtieth_to_thirty_fifth_held_out_sets() -> None:
    """Written blind after the rules of the round on sets 27-29 and scored before anyone
    looked at them — the honest figures for templates never seen: P 0.974 R 0.905 (30),
    0.938 / 0.769 (31), 0.947 / 0.783 (32), 0.931 / 0.750 (33), 0.967 / 0.707 (34),
    0.920 / 0.719 (35); pooled P 0.948 R 0.775. Then tuned on: outcomes of events (火灾,
    事故, 安全生产), a label naming no thing, headings naming targets, sexes, money words,
    filler notes, 45 elements (护林员补助, 村务公开, 后备干部, 火灾伤亡 ...)."""
    assert_scores(held_out_set(30), precision=0.97, recall=0.97)
    assert_scores(held_out_set(31), precision=1.0, recall=0.89)
    assert_scores(held_out_set(32), precision=1.0, recall=0.97)
    assert_scores(held_out_set(33), precision=0.97, recall=0.91)
    assert_scores(held_out_set(34), precision=1.0, recall=0.90)
    assert_scores(held_out_set(35), precision=0.96, recall=0.78)


def test_scores_on_the_thirty_sixth_to_forty_first_held_out_sets() -> None:
    """Written blind after the round on sets 30-35 and scored by its rules (93d285c) before
    anyone looked at them: P 1.000 R 0.889 (36), 1.000 / 0.590 (37), 0.972 / 0.745 (38),
    1.000 / 0.811 (39), 0.844 / 0.792 (40: its writer keeps 公安's 出生登记, 死亡注销 and
    户口迁入 apart from births, deaths and 迁入人口), 1.000 / 0.725 (41); pooled P 0.961
    R 0.762. Then tuned on: a label restating its heading's action is read apart from it, a
    heading naming no thing lets the title count as a heading, a population of an age band,
    note unit lists, 雨露计划 and 计划生育 are no plans, 37 elements."""
    assert_scores(held_out_set(36), precision=1.0, recall=0.97)
    assert_scores(held_out_set(37), precision=1.0, recall=0.84)
    assert_scores(held_out_set(38), precision=0.97, recall=0.91)
    assert_scores(held_out_set(39), precision=1.0, recall=0.91)
    assert_scores(held_out_set(40), precision=0.86, recall=0.89)
    assert_scores(held_out_set(41), precision=1.0, recall=0.97)


def test_scores_on_the_forty_second_to_forty_seventh_held_out_sets() -> None:
    """Written blind after the round on sets 36-41 and scored by its rules (950c3a7) before
    anyone looked at them: P 1.000 R 0.636 (42), 1.000 / 0.814 (43), 1.000 / 0.812 (44),
    1.000 / 1.000 (45), 1.000 / 0.667 (46), 0.879 / 0.829 (47: its writer keeps 教育's
    孤儿 and 留守儿童 students apart from 民政's); pooled P 0.979 R 0.795 (by the morning's
    matcher 0.973 / 0.745). Then only lightly tuned on: a row of blanks to fill in above the
    header is a note (set 42's 医保 form had lost its lower header), 12 elements."""
    assert_scores(held_out_set(42), precision=1.0, recall=0.72)
    assert_scores(held_out_set(43), precision=1.0, recall=0.85)
    assert_scores(held_out_set(44), precision=1.0, recall=0.91)
    assert_scores(held_out_set(45), precision=1.0, recall=1.0)
    assert_scores(held_out_set(46), precision=1.0, recall=0.80)
    assert_scores(held_out_set(47), precision=0.87, recall=0.82)


def test_a_sub_item_after_a_split_by_sex_is_of_the_total() -> None:
    _, _, _, party = report(
        ("退役军人（人）", "总数"),
        ("退役军人（人）", "男"),
        ("退役军人（人）", "女"),
        ("退役军人（人）", "其中：党员"),
    )
    assert party.element == "VETERAN_PARTY_MEMBERS"  # not the women's
    _, women = report("党员（人）", "其中：女（人）")
    assert women.element == "PARTY_FEMALE"


def test_an_outcome_in_a_report_about_two_kinds_of_event_is_for_its_owner_to_say() -> None:
    (deaths,) = report(("本月", "死亡人数（人）"), title="安全生产和自然灾害情况月报")
    assert deaths.element is None  # neither everyone's deaths nor surely the accidents'
    fire_deaths, _ = report(
        ("本季度火灾情况", "死亡（人）"),
        ("本季度火灾情况", "受伤（人）"),
        title="村（社区）火灾情况及消防设施建设季报",
        frequency="quarterly",
    )
    assert fire_deaths.element == "FIRE_DEATHS"  # 火灾情况 is no 灾情


def test_scores_on_the_forty_eighth_to_fifty_third_held_out_sets() -> None:
    """Written blind after the round on sets 42-47 and scored by its rules (50e8fb4) before
    anyone looked at them: P 1.000 R 0.844 (48), 1.000 / 0.897 (49), 0.946 / 0.814 (50),
    1.000 / 0.811 (51), 0.939 / 0.705 (52), 0.929 / 0.812 (53); pooled P 0.970 R 0.812 (by
    the morning's matcher 0.953 / 0.758). Then tuned on: a sub-item after a split by sex
    is of the total, a report about two kinds of event, 村（居）委会, 19 elements. The
    dictionary's growth to 1,090 elements lifted 妇联's 走访慰问（人次） to 走访慰问退役军人人次
    (0.772 -> 0.785, over the threshold): the subject is in the report title only.
    受灾人口（人次） joined once 受灾人口 was also counted in 人次 (52: 0.886 -> 0.909)."""
    assert_scores(held_out_set(48), precision=1.0, recall=0.84)
    assert_scores(held_out_set(49), precision=1.0, recall=0.94)
    assert_scores(held_out_set(50), precision=0.97, recall=0.90)
    assert_scores(held_out_set(51), precision=1.0, recall=0.89)
    assert_scores(held_out_set(52), precision=0.92, recall=0.90)
    assert_scores(held_out_set(53), precision=0.92, recall=0.81)


def test_scores_on_the_fifty_fourth_to_fifty_ninth_held_out_sets() -> None:
    """Written blind after the last round and scored by its rules (07d856f); NOT tuned on,
    so these floors are the blind figures and the sets still measure templates never seen:
    P 1.000 R 0.925 (54), 0.939 / 0.738 (55), 1.000 / 0.744 (56), 0.963 / 0.765 (57, roles
    0.996: 乡镇（街道）工会 names the reporting unit), 0.967 / 0.806 (58), 1.000 / 0.886 (59);
    pooled P 0.979 R 0.809 (by the morning's matcher 0.988 / 0.717). The dictionary's growth
    to 1,090 elements moved 党员中退役军人 of set 59 under the threshold (0.783 -> 0.774): one
    pair fewer than blind. Set 55 with enterprises counted in 户 (units `same_as`): two pairs
    more, and 农资经营户数（户） joined to 农资经营网点 (its truth keeps dealers apart from
    their outlets): 0.925 / 0.881."""
    assert_scores(held_out_set(54), precision=1.0, recall=0.92)
    assert_scores(held_out_set(55), precision=0.92, recall=0.85)
    assert_scores(held_out_set(56), precision=1.0, recall=0.74)
    assert_scores(held_out_set(57), precision=0.96, recall=0.76, roles=0.99)
    assert_scores(held_out_set(58), precision=0.96, recall=0.80)
    assert_scores(held_out_set(59), precision=1.0, recall=0.85)


def test_scores_on_the_sixtieth_to_sixty_fifth_held_out_sets() -> None:
    """Written blind (topics further from the dictionary than before: 养老与慢病, 农田与粮食,
    儿童, 村务与文化, 就业帮扶, 人居环境) and scored on arrival by b2ef81d: P 0.921 R 0.875
    (60), 1.000 / 0.744 (61), 0.871 / 0.675 (62), 0.923 / 0.615 (63), 0.871 / 0.675 (64),
    1.000 / 0.820 (65); pooled P 0.935 R 0.738. Then tuned on: 30 elements (红白理事会,
    文明实践站, 中小学校, 家长学校, 消火栓, 快递网点, 种粮大户, 因旱饮水困难人口 …); people under
    a total no element names are those of the total; a note stating a 金额单位 besides the
    table's unit lets a column be money."""
    assert_scores(held_out_set(60), precision=0.92, recall=0.87)
    assert_scores(held_out_set(61), precision=1.0, recall=0.90)
    assert_scores(held_out_set(62), precision=0.89, recall=0.87)
    assert_scores(held_out_set(63), precision=0.95, recall=0.97)
    assert_scores(held_out_set(64), precision=0.94, recall=0.80)
    assert_scores(held_out_set(65), precision=1.0, recall=0.98)


def test_scores_on_the_sixty_sixth_to_sixty_ninth_held_out_sets() -> None:
    """Written blind after the round on sets 60-65 and scored by its commit (6f9cf03), not
    looked at before: P 0.902 R 0.841 (66), 1.000 / 0.800 (67), 0.962 / 0.658 (68), 0.913 /
    0.525 (69, roles 0.996: 乡镇（学区） names the reporting unit); pooled P 0.944 R 0.713 —
    by b2ef81d, the stop's start, 0.945 / 0.719: the round on 60-65 did not carry over. With
    reports proposing in turn (evaluation `proposing`) 0.947 / 0.749. Then tuned on: 10
    elements (火灾隐患, 劝导站, 民兵应急分队, 孕产妇死亡, 高校毕业生, 小型水库 …), 依法 changes
    no count. Set 69's precision floor is 0.91 since to-date totals are read: the set keeps
    公安's 出生登记 apart from 医保's 出生人数, month and year to date alike, and the matcher
    joins them both times."""
    assert_scores(held_out_set(66), precision=0.90, recall=0.84)
    assert_scores(held_out_set(67), precision=1.0, recall=0.84)
    assert_scores(held_out_set(68), precision=0.96, recall=0.78)
    assert_scores(held_out_set(69), precision=0.91, recall=0.64, roles=0.99)


def test_scores_on_the_seventieth_to_seventy_third_held_out_sets() -> None:
    """Written blind while the dictionary grew from 640 to 1,090 elements (drafted by other
    helpers per department from the national statistical systems, never from a held-out
    set). By e9bfef1 (640 elements): 0.848 / 0.812 (70), 0.964 / 0.643 (71), 1.000 / 0.800
    (72), 0.913 / 0.538 (73), pooled 0.920 / 0.701; after the growth (3e3d565) 0.922 / 0.726:
    450 more elements joined 4 more pairs of 174. Then tuned on: ages in months, 新生儿 and
    婴幼儿 are 儿童, 16 elements (乡村医生和卫生员, 中医类别医师, 病险水库, 充电桩 …).
    Set 71's precision floor is 0.95 since a short label may abbreviate its heading: "企业数"
    under "规模以上工业企业" is now those firms, and so joins the 农产品加工企业's "其中：规模以上"
    that was read as them before (read alone, a kind under a total no element names). Set
    73's is 0.91 since 在管 patients are read as those managed: "在管患者数" under 严重精神障碍
    is SMI_MGMT, and so joins the 卫健's "严重精神障碍在册患者", read as them before (在册
    changes no count, and the dictionary has no registered patients of their own)."""
    assert_scores(held_out_set(70), precision=0.84, recall=0.81)
    assert_scores(held_out_set(71), precision=0.95, recall=0.80)
    assert_scores(held_out_set(72), precision=1.0, recall=0.91)
    assert_scores(held_out_set(73), precision=0.91, recall=0.82)


def test_scores_on_the_seventy_fourth_and_seventy_fifth_held_out_sets() -> None:
    """Written blind after the dictionary's growth, scored by 3e3d565 before anyone read
    them and NOT tuned on: 0.967 / 0.806 (74), 1.000 / 0.841 (75), the same by e9bfef1 (640
    elements) and after the round on sets 70-73: on these common topics neither moved them.
    (A 乡村户籍人口 element tried in that round cost set 75 two pairs, 农村户籍户数 in a village
    report being all 户籍户数, and was dropped.)"""
    assert_scores(held_out_set(74), precision=0.96, recall=0.80)
    assert_scores(held_out_set(75), precision=1.0, recall=0.84)


def test_scores_on_the_seventy_sixth_to_seventy_ninth_held_out_sets() -> None:
    """Written blind this stop (76 社会救助/残联/公卫/医保/就业/防返贫/控辍/优抚/妇联/危房/灾情;
    77 粮食/林业/河湖/土地/集体资产/畜牧/供销/气象/面源/帮扶产业/电商; 78 党建/网格/户籍/矫正/
    村务/信访/安全生产/消防/宗教/民兵/文明实践; 79 老龄/妇幼/学校/文旅/健身/慢特病/养老服务/康复/
    居民养老/燃气/特种设备), and scored by 60a0afa before anyone read them: 0.971 / 0.829 (76),
    0.880 / 0.957 (77, roles 0.996: 基层社名称 names the reporting 供销社), 0.953 / 0.820 (78),
    1.000 / 0.744 (79); pooled 0.943 / 0.841, and 0.943 / 0.852 with reports proposing in
    turn. By 4f8e410, before this stop's 家/户 rule, the same. Not tuned on: the rules added
    after them (a group under a total is the total's part for it; proposals said in any
    order) are general, and set 79 gained one pair by them."""
    assert_scores(held_out_set(76), precision=0.97, recall=0.82)
    assert_scores(held_out_set(77), precision=0.88, recall=0.95, roles=0.99)
    assert_scores(held_out_set(78), precision=0.95, recall=0.82)
    assert_scores(held_out_set(79), precision=1.0, recall=0.76)


def test_scores_on_the_eightieth_to_eighty_third_held_out_sets() -> None:
    """Written blind in stop 14 (80 农村公路/电商物流/食品安全/环境整治/垃圾与厕所/宽带/户户通/
    电网/村邮站/供水/以工代赈; 81 团委/工会/科协/红十字/计生协/儿童福利/妇联/侨务/档案/人防/水库移民;
    82 村级运转经费/集体收益分配/村级审计/社保费/小额信贷/农业保险/农机/护林员/动物防疫/水土保持/
    衔接资金/公益性岗位; 83 家庭医生/预防接种/营养改善/农家书屋/健身设施/特困供养/居民医保/
    两项补贴/优抚/防汛/户籍), and scored by c621703 before anyone read them: 1.000 / 0.839 (80),
    1.000 / 0.925 (81, roles 0.996: 移民村名称 names the reporting village), 1.000 / 0.889 (82),
    0.976 / 0.870 (83); pooled 0.994 / 0.876. Then tuned on, by general rules only: a 是/否
    column, 经费投入 = 经费, a village of a kind named (移民村名称) is the reporting unit; and
    to-date totals read as worked out joined set 83's 本年累计 births."""
    assert_scores(held_out_set(80), precision=1.0, recall=0.83)
    assert_scores(held_out_set(81), precision=1.0, recall=0.92)
    assert_scores(held_out_set(82), precision=1.0, recall=0.88)
    assert_scores(held_out_set(83), precision=0.97, recall=0.89)


def test_scores_on_the_eighty_fourth_to_eighty_seventh_held_out_sets() -> None:
    """Written blind in stop 15 (84 人社/医保/税务/统计/防返贫/民政/残联/妇联/工会/农经/人行/
    住建; 85 耕地/林长/供水/农业/环境/灾情/气象/农村公路/消防/统计/供销/食品安全; 86 党建/网格/
    户籍治安/调解矫正/信访/救助/退役军人/民族宗教/监督执纪/档案/团委/统计; 87 公卫/疾控/控辍/
    文旅/健身/计生协/老龄/红十字/医保/残联/妇幼/统计), and scored by b7c93bb before anyone read
    them: 0.947 / 0.818 (84), 1.000 / 0.893 (85), 0.975 / 0.812 (86, roles 0.996: 填报民警 is
    who filled the form), 1.000 / 0.900 (87); pooled 0.983 / 0.859, and 0.983 / 0.879 with
    reports proposing in turn. Then tuned on, by general readings and dictionary growth: 地灾 =
    地质灾害, 在管 patients are those managed, a label naming a committee's work is not of its
    members only (调解员 under 人民调解委员会), 填报民警 files the form, a leading verb of
    choosing, receiving or setting up (选派, 接收, 建成) changes no count, a title whose first
    topic is a group (传染病与慢性病) does not restrict the others; 吸毒人员, 重点青少年,
    法人单位数, 再生资源回收网点 and 实际居住户数 = 常住户数 in the dictionary."""
    assert_scores(held_out_set(84), precision=0.94, recall=0.84)
    assert_scores(held_out_set(85), precision=1.0, recall=1.0)
    assert_scores(held_out_set(86), precision=0.97, recall=0.87)
    assert_scores(held_out_set(87), precision=1.0, recall=0.92)


def test_patients_in_care_and_abbreviated_hazards_are_read_in_full() -> None:
    assert element("在管高血压患者（人）") == "HYPERTENSION_MGMT"
    assert element("在管2型糖尿病患者（人）") == "DIABETES_MGMT"
    assert element("地灾受威胁人口（人）") == "GEO_HAZARD_THREATENED"


def test_a_leading_verb_of_choosing_receiving_or_setting_up_changes_no_count() -> None:
    assert element("选派驻村第一书记（名）") == "FIRST_SECRETARIES"
    assert element("建成儿童之家（所）") == "CHILDREN_HOMES"


def test_a_standard_term_starting_with_such_a_verb_keeps_it() -> None:
    """建成区 is the built-up area, not 建成 + 区: no 行政区域土地面积."""
    assert element("建成区面积（公顷）") is None


def test_the_old_age_populations_are_of_the_household_register() -> None:
    assert element("户籍80周岁以上老年人（人）") == "POP_80"
    assert element("户籍65岁及以上老年人（人）") == "POP_65"


def test_those_who_already_get_a_benefit_are_its_recipients() -> None:
    assert element("已享受低保人数（人）") == "DIBAO_P"
    assert match("应享受低保人数（人）").element != "DIBAO_P"


def test_a_title_listing_a_group_as_one_of_its_topics_does_not_restrict_the_others() -> None:
    """ "传染病与慢性病管理" is about two topics: 实接种剂次 under 免疫规划疫苗接种 there are all
    the doses, while a report about 传染病 alone counts within it."""
    doses = {"section": "免疫规划疫苗接种", "frequency": "half_yearly"}
    listing = match("实接种剂次", title="传染病与慢性病管理工作情况半年报", **doses)
    about_one = match("实接种剂次", title="传染病防控工作情况半年报", **doses)
    assert (listing.element, about_one.element) == ("VACCINE_DOSES", None)


def test_a_label_naming_a_committees_work_counts_all_who_do_it() -> None:
    """ "调解员" under "人民调解委员会" are the 人民调解员; "党员" under "村民委员会" are
    still the committee's members who are 党员, no count of every 党员."""
    assert match("调解员（人）", section="人民调解委员会").element == "MEDIATORS"
    assert match("党员（人）", section="村民委员会").element is None


def test_every_field_of_the_demo_templates_gets_an_element_or_a_role() -> None:
    """The demo applies for admission only for reports whose owner has nothing left to
    confirm; a rule that leaves a demo field unmatched would quietly drop a report."""
    templates = Path(__file__).resolve().parents[2] / "app" / "demo_data" / "templates"
    unmatched = []
    for path in sorted(templates.glob("*.xlsx")):
        imported = read_template(path.read_bytes(), path.name)
        for item, found in zip(imported.fields, match_report(imported, CATALOG), strict=True):
            if found.element is None and found.role is None:
                unmatched.append((path.name, item.label))
    assert unmatched == []


def test_people_under_a_total_are_those_of_the_total() -> None:
    total, returned = report(
        "电商从业人员（人）", "其中：返乡创业人员（人）", title="电子商务进农村季报"
    )
    assert (total.element, returned.element) == ("ECOM_WORKERS", None)
    assert element("返乡创业人员（人）") == "RETURN_ENTREPRENEURS"


def test_a_note_stating_a_money_unit_besides_the_tables_lets_a_column_be_money() -> None:
    fields = [
        dataclasses.replace(make_field(label, unit="人"), order=order)
        for order, label in enumerate(["村党员", "集体资产总额"])
    ]

    def matched(note: str) -> list[str | None]:
        imported = ImportedReport(
            title="村级小微权力监督季报",
            fields=fields,
            source_format="xlsx",
            frequency="quarterly",
            notes=[note],
        )
        return [found.element for found in match_report(imported, CATALOG)]

    assert matched("单位：人、项、个；金额单位：元") == ["PARTY", "COLL_ASSETS"]
    assert matched("单位：人、项、个") == ["PARTY", None]


def test_a_count_of_things_may_be_in_a_unit_a_note_listing_others_leaves_out() -> None:
    """ "单位：户、人、亩、万元" gives every column its first unit, 户; "村民小组数" counts
    groups (个) all the same, while "户籍人口" keeps to the units listed."""
    fields = [
        dataclasses.replace(make_field(label, unit="户"), order=order)
        for order, label in enumerate(["村民小组数", "户籍人口"])
    ]
    imported = ImportedReport(
        title="水库移民后期扶持半年报",
        fields=fields,
        source_format="xlsx",
        frequency="half_yearly",
        notes=["单位：户、人、亩、万元"],
    )
    assert [found.element for found in match_report(imported, CATALOG)] == ["GROUPS", "POP_REG"]


def test_a_heading_naming_people_does_not_restrict_a_count_of_things() -> None:
    """Schools under "少年儿童" are all the schools; people under a group are of it."""
    assert match("中小学校（所）", section="少年儿童").element == "PRIMARY_SECONDARY_SCHOOLS"
    assert match("人数（人）", section="留守儿童").element == "LEFTBEHIND_CHILD"


def test_those_who_did_not_are_never_those_who_did() -> None:
    """未参保 are the uninsured: no candidate for the insured, and the reverse; 未满18岁 and
    未成年人 are ages and groups, no negation."""
    insured = match("医保参保人数（人）")
    assert "MED_UNINSURED" not in [candidate.element for candidate in insured.candidates]
    uninsured = match("未参保人数（人）", title=MED_INS_TITLE)
    assert uninsured.element == "MED_UNINSURED"
    assert "MED_INS" not in [candidate.element for candidate in uninsured.candidates]
    assert element("未成年人（人）") == "CHILD_0_17"


def test_an_age_in_whole_years_of_months_is_that_age_in_years() -> None:
    assert element("0～36个月儿童（人）") == "CHILD_0_3"
    assert element("0～18个月儿童（人）") is None  # no whole year


def test_newborns_and_infants_are_children_under_a_childrens_heading() -> None:
    assert element("新生儿访视（人）", section="儿童保健") == "NEWBORN_VISITS"
    assert element("婴幼儿（人）", section="留守儿童") is None  # of them, no element


def test_a_yes_no_column_is_a_yes_no_element_never_a_count():
    assert element("是否通客车（是/否）") == "BUS_ACCESS"
    assert element("书记、主任“一肩挑”（是=1，否=0）") == "VC_ONE_SHOULDER"
    # the same words counting villages, without the answers, are the count
    assert element("通客车的行政村（个）") != "BUS_ACCESS"
    assert all(
        CATALOG_TYPES[candidate.element] in {"boolean", "choice", "multi_choice"}
        for candidate in match("是否通客车（是/否）").candidates
    )


def test_a_band_under_an_age_ends_the_year_before_it():
    """ "7岁以下" are the children under 7, those of "0-6岁"; "3岁以下" are not "0-3岁"."""
    assert element("7岁以下儿童数（人）") == element("0-6岁儿童（人）") == "CHILD_0_6"
    assert element("18周岁以下儿童数（人）") == "CHILD_0_17"
    assert element("3岁以下儿童（人）") != element("0-3岁婴幼儿（人）") == "CHILD_0_3"
    assert element("6岁以下儿童（人）") != "CHILD_0_6"


def test_a_short_label_under_a_heading_may_abbreviate_the_headings_thing():
    """ "园数" under "幼儿园" names nothing alone: it is short for 幼儿园."""
    assert element("园数（所）", section="幼儿园") == "KINDERGARTEN"
    assert element("车间数（个）", section="就业帮扶车间") == "EMPLOYMENT_WORKSHOPS"
    assert element("园数（所）") is None
    # a label that names an element itself is read as it is
    assert element("户籍人口", section="户籍人口情况") == "POP_REG"


def test_a_to_date_total_is_its_flow_worked_out_from_the_periods_figures():
    """ "本年累计临时救助人次" in a monthly report is January's to this month's 临时救助人次
    added up: the flow's element, worked out (TO_DATE), never a figure of its own."""
    report = ImportedReport(
        title="临时救助情况月报",
        fields=[
            make_field("临时救助（人次）"),
            make_field("本年累计临时救助（人次）"),
            make_field("上年同期临时救助（人次）"),
        ],
        source_format="xlsx",
        frequency="monthly",
        level="village",
    )
    found = [(m.element, m.derivation) for m in match_report(report, CATALOG)]
    assert found[:2] == [("TEMP_RELIEF", None), ("TEMP_RELIEF", TO_DATE)]
    assert found[2] == (None, None)  # an earlier period's figure is no total of this year's
    # a stock has no total over the year: 累计 there is no derivation
    assert match("累计建成卫生厕所（户）").derivation is None
    # nor has a rate, nor a total since a programme began
    assert match("本年累计遗体火化率（%）").figure == (None, None)
    assert match("截至目前累计临时救助（人次）", frequency="quarterly").figure == (None, None)
    # in a yearly report the year so far is the report's own year
    assert match("本年累计临时救助（人次）", frequency="yearly").figure == ("TEMP_RELIEF", None)


def test_scores_on_the_eighty_eighth_to_ninety_first_held_out_sets() -> None:
    """Written blind in stop 16 (88 耕地/宅基地/林业/供水/防返贫/农经/畜牧/农机/供销/气象/环境/
    统计; 89 网格/户籍治安/调解/应急/消防/村委会/信访/禁毒/退役军人/民兵/反诈/统计; 90 就业/
    医保/救助/残联/资助/危房/签约/防返贫/妇联/工会/社保费/住户调查; 91 党建/监督/文明实践/统战/
    三资/运转经费/村委会/团委/工会/妇联/档案/统计) and scored by 7b354c0 before anyone read
    them: 1.000 / 0.922 (88), 0.918 / 0.818 (89), 1.000 / 0.820 (90), 0.976 / 0.820 (91);
    pooled 0.972 / 0.845 (roles 981/990: their brief had called a bare 乡镇 column beside the
    village's filler, which every other set calls the row's identity; corrected in the
    truth). Then tuned on by general readings (see the tests after this one) and dictionary
    growth (18至22周岁男性公民, 民兵应急分队个数, 微型消防站队员, 35-64岁妇女, 新乡贤, 村规民约,
    村史馆, 非公有制企业; 党组织书记兼任村委会主任 = 一肩挑, C、D级危房 = 危房)."""
    assert_scores(held_out_set(88), precision=1.0, recall=0.96)
    assert_scores(held_out_set(89), precision=0.96, recall=0.94)
    assert_scores(held_out_set(90), precision=1.0, recall=0.84)
    assert_scores(held_out_set(91), precision=0.97, recall=0.90)


def test_scores_on_the_ninety_second_to_ninety_fifth_held_out_sets() -> None:
    """Written blind in stop 16 while the round on sets 88-91 went on (92 以工代赈/电商/农村公路/
    快递/农网/宽带/乡村旅游/市场主体/供销/税务/信用村/统计; 93 公卫/疾控/医保/养老/老龄/残联/
    两癌/计生协/中医药/红十字/改厕/人口; 94 灾情/预警/山洪/地灾/森林防火/火灾/自建房/交通/农业
    灾害/受灾救助/民兵/灾害统计; 95 控辍/青少年/留守儿童/困境儿童/关工委/残疾儿童/儿童保健/出生
    登记/未成年人/雨露计划/毕业生/统计), and scored by that round's first commit (1de5196)
    before anyone read them: 1.000 / 0.672 (92), 1.000 / 0.815 (93), 0.978 / 0.863 (94),
    0.889 / 0.690 (95); pooled 0.965 / 0.756. The 人次 of disaster counts (受灾人口,
    紧急转移安置) where the dictionary counts 人 were found once those elements were also
    counted in 人次 (94: recall 0.882 -> 0.980). Still short: 活产数 (sets disagree whether
    it is every birth), a heading that only names a period of registering (本月新登记)."""
    assert_scores(held_out_set(92), precision=1.0, recall=0.93, roles=0.99)
    assert_scores(held_out_set(93), precision=1.0, recall=0.85)
    assert_scores(held_out_set(94), precision=0.97, recall=0.98)
    assert_scores(held_out_set(95), precision=1.0, recall=0.75)


def test_a_villages_own_finances_are_its_collectives() -> None:
    found = report(
        ("辖区村级财务情况", "资产总计"),
        ("辖区村级财务情况", "负债合计"),
        title="乡镇村级财务审计情况半年报",
        frequency="half_yearly",
        level="township",
    )
    assert [match.element for match in found] == ["COLL_ASSETS", "COLL_LIABILITIES"]


def test_a_bare_township_column_beside_the_villages_names_the_row_and_a_filler_is_filler() -> None:
    found = report("乡镇（街道）", "村（社区）", "户籍人口（人）", level="village")
    assert [match.role for match in found[:2]] == [ORG_NAME, ORG_NAME]
    assert detect_role("分管领导") == detect_role("村代办员") == detect_role("报告人") == META
    assert detect_role("联系人及电话") == META
    assert detect_role("村级行政区划代码") == ORG_CODE
    assert detect_role("村干部") is None


def test_a_benefit_under_a_group_heading_is_that_groups() -> None:
    """ "享受低保" under "退役军人（人）" counts the veterans on 低保, not every 低保 recipient;
    alone it counts them all."""
    under_veterans = report(
        ("退役军人（人）", "总数"),
        ("退役军人（人）", "享受低保人数（人）"),
        ("退役军人（户）", "享受低保户数（户）"),
    )
    assert [match.element for match in under_veterans[1:]] == [None, None]
    assert element("享受低保人数（人）") == "DIBAO_P"


def test_a_running_total_of_a_stock_is_the_stock() -> None:
    """ "累计安装注册" of the 国家反诈中心APP is every registered user so far; 本年累计 of a
    stock would be the year's additions, no element."""
    found = report(
        ("国家反诈中心APP", "累计安装注册（人）"), title="反电信网络诈骗宣传防范工作月报"
    )
    assert found[0].element == "ANTI_FRAUD_APP"
    assert element("本年累计安装注册国家反诈中心APP（人）") is None
    assert element("年初至今累计安装注册国家反诈中心APP（人）") is None
    assert element("本年度累计安装注册国家反诈中心APP（人）") is None
    assert element("本月累计安装注册国家反诈中心APP（人）") is None


def test_registers_measures_and_leading_verbs_that_change_no_count() -> None:
    assert element("宗数（宗）", section="农村宅基地") == "HOMESTEADS"
    assert element("纳入名录管理的家庭农场（个）") == "FAMILY_FARMS"
    assert element("入库新乡贤（人）") == "NEW_XIANGXIAN"
    assert element("发生刑事案件（起）") == "CRIMINAL_CASES"
    assert element("受理群众来信来访（件）") is None  # 受理信访 could be 信访举报 too
    assert element("群众来信来访（件）") == "PETITIONS"


def test_words_of_the_same_thing() -> None:
    assert element("现役官兵家庭（户）") == "MILITARY_FAMILIES"
    assert element("村民小组（居民小组）") == "GROUPS"
    assert element("农产品网上销售额（万元）") == "AGRI_ONLINE_RETAIL"
    assert element("林业用地面积（亩）") == "FOREST_LAND"
    assert element("快递是否进村（是=1，否=0）") == "EXPRESS_VILLAGE"
    assert element("党组织书记兼任村（居）委会主任（是/否）") == "VC_ONE_SHOULDER"
    assert element("鉴定为C、D级危房户数（户）") == "DANGER_HOUSE"
    assert element("辖内户籍户数") == "HH_REG"


def test_the_dictionary_tells_units_from_their_members() -> None:
    assert element("民兵应急分队（个）") == "MILITIA_EMERGENCY_UNITS"
    assert element("民兵应急分队队员（人）") == "MILITIA_EMERGENCY"
    assert element("微型消防站（个）") == "MICRO_FIRE_STATIONS"
    assert element("队员（人）", section="微型消防站") == "MICRO_FIRE_STATION_MEMBERS"
    assert element("18—22周岁男性（人）") == "MILITARY_AGE_MALES"


def test_a_female_label_under_a_heading_of_women_says_whom_it_counts() -> None:
    found = report(("妇女人数（人）", "户籍女性人口"), title="妇女儿童工作年报", frequency="yearly")
    assert found[0].element == "POP_REG_FEMALE"


def test_a_group_of_children_and_its_age_band() -> None:
    """残疾儿童 is one group (disabled children of 0-17), no 儿童 beside 残疾: under it a band
    is theirs, and a name without a band never takes another band."""
    under = report(("持证残疾儿童（人）", "0-17岁合计"), ("持证残疾儿童（人）", "其中：0-6岁"))
    assert [match.element for match in under] == ["DISABLED_CHILDREN", None]
    assert element("残疾儿童数（人）") == "DISABLED_CHILDREN"
    assert element("0-6岁残疾儿童（人）") is None


def test_an_entity_of_the_market_under_a_heading_of_market_entities_is_one_kind() -> None:
    found = report(
        ("实有市场主体", "合计"),
        ("实有市场主体", "企业"),
        ("实有市场主体", "农民专业合作社"),
        ("本月新登记", "企业"),
        title="乡镇（街道）市场主体发展情况月报",
        level="township",
    )
    assert [match.element for match in found] == [
        "MARKET_ENTITIES",
        "ENTERPRISES",
        "FARMER_COOPS",
        None,
    ]


def test_an_abbreviation_must_be_of_what_the_heading_names() -> None:
    """ "入学" under "适龄残疾儿童少年入学" is no short name for 适龄残疾儿童少年."""
    assert element("实际入学人数", section="适龄残疾儿童少年入学") is None
    assert element("园数（所）", section="幼儿园") is not None


def test_carrying_out_a_named_activity_is_that_activity() -> None:
    """开展 before a named activity changes no count (开展法治宣传活动 = 法治宣传活动); "开展活动"
    names no activity and stays as written."""
    assert element("开展法治宣传活动（场次）") == "LAW_PUBLICITY"
    assert analyze("开展活动").core == "开展活动"
    assert analyze("在用液化石油气钢瓶").core == analyze("液化石油气钢瓶").core
    assert analyze("存在用电安全隐患的自建房").core != analyze("存电安全隐患的自建房").core
    assert analyze("入库税收").core == "入库税收"  # 入库 before taxes is no register


def test_mediating_and_a_village_or_community() -> None:
    """调处 is mediating a dispute; "村（社区）" is the village or community the row is."""
    assert element("调处化解（件）") == "DISPUTES_RESOLVED"
    assert element("行政村（社区）数") == "ADMIN_VILLAGES"
    assert element("辖村（社区）数（个）") == "ADMIN_VILLAGES"
    assert canonical("农村社区") == "农村社区"
    assert canonical("乡村社区") == "乡村社区"


def test_a_heading_naming_people_says_which_unit_of_a_note_its_column_is_in() -> None:
    """A note says "单位：户、人": "少数民族" under "户籍人口" counts people, as its heading
    says; "户数" under it counts households, as its own word says."""
    fields = [
        dataclasses.replace(make_field(label, section="户籍人口", unit="户"), order=order)
        for order, label in enumerate(("户数", "人数", "少数民族"))
    ]
    imported = ImportedReport(
        title="村（社区）人口管理情况季报",
        fields=fields,
        source_format="xlsx",
        frequency="quarterly",
        level="village",
        notes=["单位：户、人"],
    )
    found = [match.element for match in match_report(imported, CATALOG)]
    assert found == ["HH_REG", "POP_REG", "POP_MINORITY"]


def test_scores_on_the_ninety_sixth_to_ninety_ninth_held_out_sets() -> None:
    """Written blind in stop 17 (96 粮食/地力补贴/新型经营主体/高标准农田/农机/农险/土地流转/社会化
    服务/秸秆/农产品质量/农经年报/统计; 97 社区设施/助餐/高龄津贴/社会组织/殡葬/村务公开/物业/
    退役军人/残联/网格/民政统计/社区统计; 98 河湖长/污水/垃圾/改厕/村庄清洁/粪污/禁烧/水源地/
    林长/环保信访/农膜/村级统计; 99 村卫生室/家庭医生/慢病/老年健康/精神障碍/接种/爱卫/书屋/群众
    文化/健身/应急广播/文卫统计) and scored by that stop's first commit (bebdb75) before anyone
    read them: 0.804 / 0.804 (96), 0.907 / 0.907 (97), 0.889 / 0.769 (98), 0.935 / 0.796 (99);
    pooled 0.881 / 0.819. Still short: a total under a heading whose element names another
    period (本月完成 under 老年人健康管理), 签约人数 of a group the report title names, and words
    the sets alone call the same (惠民殡葬减免 / 补助)."""
    assert_scores(held_out_set(96), precision=1.0, recall=0.87, roles=0.99)
    assert_scores(held_out_set(97), precision=0.96, recall=0.94)
    assert_scores(held_out_set(98), precision=0.97, recall=0.90)
    assert_scores(held_out_set(99), precision=0.98, recall=0.90)


def test_deaths_in_a_report_naming_disease_only_in_a_later_topic_are_everyones() -> None:
    """ "村级预防接种及传染病报告": its first topic names no kind of event, so 死亡人数 there
    are all deaths; "火灾情况及消防基础设施建设" is about fires."""
    deaths = report("本月死亡人数（人）", title="村级预防接种及传染病报告情况月报表")[0]
    fire_deaths = report("死亡（人）", title="乡镇火灾情况及消防基础设施建设月报")[0]
    assert deaths.element == "DEATHS"
    assert fire_deaths.element == "FIRE_DEATHS"


def test_a_column_under_a_kind_of_farm_or_patient_is_theirs() -> None:
    """ "粮食播种面积" under "种粮大户" is the big growers' own, no village's total; "签约人数"
    under "高血压患者" the patients signed up, no one else; "保洁员" under "河道保洁" clean
    rivers."""
    sown, signed, cleaners = report(
        ("种粮大户", "粮食播种面积（亩）"),
        ("高血压患者", "签约人数（人）"),
        ("河道保洁", "保洁员（人）"),
        title="情况表",
        frequency="half_yearly",
    )
    assert sown.element is None  # the big growers' sown area: no element counts it
    assert signed.element == "HYPERTENSION_FAMILY_DOC"
    assert cleaners.element == "RIVER_CLEANERS"
    assert element("其中：农机专业合作社（个）") == "MACHINERY_COOPS"


def test_households_really_living_there_are_not_the_registered_ones() -> None:
    """实有户数 (网格, 公安) are the households living in the place, registered there or not;
    under "个体工商户" they are the businesses there now."""
    actual, businesses = report("实有户数（户）", ("个体工商户", "期末实有户数"), level="village")
    assert actual.element == "HH_ACTUAL"
    assert businesses.element == "INDIVIDUAL_BUSINESSES"


def test_a_label_ending_in_its_headings_action_is_the_headings_count() -> None:
    """ "本季度开展（场次）" under "群众文化活动" is the quarter's 群众文化活动; 成立红白理事会
    are the 红白理事会 in place."""
    events = report(("群众文化活动", "本季度开展（场次）"), frequency="quarterly")[0]
    assert events.element == "CULTURE_EVENTS"
    assert element("成立红白理事会（个）") == "RED_WHITE_COUNCILS"


def test_a_service_area_in_mu_times_and_a_units_own_code() -> None:
    assert element("农业社会化服务面积（万亩次）") == "AGRI_SERVICE_AREA"
    assert detect_role("接种单位编码") == ORG_CODE


def test_a_part_under_a_whereof_heading_is_of_the_total_under_none() -> None:
    """ "女性" under a heading "其中" (read as a part, no heading of its own) after columns
    breaking 持证残疾人总数 down by grade is of the total, not of the last grade; a label
    saying "其中：" itself stays a part of the column just before it."""
    fields = [
        make_field("持证残疾人总数（人）"),
        make_field("重度（一、二级）（人）", section="按残疾等级分"),
        make_field("中度和轻度（三、四级）（人）", section="按残疾等级分"),
        dataclasses.replace(make_field("女性（人）"), is_sub_item=True),
    ]
    fields = [dataclasses.replace(field, order=order) for order, field in enumerate(fields)]
    imported = ImportedReport(
        title="情况表", fields=fields, source_format="xlsx", frequency="yearly"
    )
    assert match_report(imported, CATALOG)[-1].element == "DISABLED_CERT_FEMALE"
    assert totals_of(fields, "yearly")[-1] == 0
    disabled = report(
        "村名", ("低保情况", "低保户数（户）"), ("低保情况", "低保人数（人）"), "其中：残疾人（人）"
    )[-1]
    assert disabled.element == "DIBAO_DISABLED"


def test_people_under_a_reserve_of_cadres_are_of_the_reserve() -> None:
    total, party = report(("村级后备力量", "合计（人）"), ("村级后备力量", "党员（人）"))
    assert total.element == "RESERVE_CADRES"
    assert party.element is None  # the reserve's 党员, not every 党员


def test_words_departments_write_for_the_same_people_and_things() -> None:
    # the 人数 of 老年人数 is the measure, not the 人 of 老年人
    assert element("家庭医生签约老年人数（人）") == "ELDER_FAMILY_DOC"
    # 脱贫 figures count the monitored households with them
    assert element("脱贫劳动力（含监测对象）（人）") == "POVERTY_LABOR"
    assert element("脱贫人口和监测对象务工就业人数") == "POVERTY_LABOR_EMPLOYED"
    assert element("公用充电桩（个）") == "CHARGING_PILES"
    assert element("村常住户数（户）") == "HH_RES"
    so_far = report(("新改建农村公路（公里）", "自年初累计"), frequency="quarterly")[0]
    assert (so_far.element, so_far.derivation) == ("ROAD_BUILT_LEN", TO_DATE)


def test_scores_on_the_hundredth_to_hundred_and_third_held_out_sets() -> None:
    """The stop's second blind round (100 党建/两委/村务监督/驻村/积分制/议事协商/清廉村居/人才/
    运转经费/统计; 101 居民养老/医保/低保特困/临时救助/两项补贴/转移就业/培训/公益性岗位/返乡
    创业/失业/欠薪/劳动力统计; 102 公路客运/供水/灌溉/电网/宽带5G/寄递/燃气/危房/路灯/公共设施/
    统计; 103 人口变动/流动人口/高龄津贴/老年健康/两癌/婴幼儿/留守困境儿童/残疾人/计生扶助/人口
    统计), written while the first round was tuned on and scored by that round's commit
    (7f298e9) before anyone read them: 0.865 / 0.763 (100), 1.000 / 0.712 (101), 1.000 /
    0.618 (102), 0.962 / 0.864 (103); pooled 0.949 / 0.742. Still short: 18周岁以下 of 户籍人口
    (sets disagree whether it is every child), a total's 其中 far from it, money paid under a
    programme's heading (本月发放 under 公益性岗位), plans and the year so far of works no
    element counts."""
    assert_scores(held_out_set(100), precision=0.98, recall=0.94)
    assert_scores(held_out_set(101), precision=1.0, recall=0.82)
    assert_scores(held_out_set(102), precision=1.0, recall=0.85)
    assert_scores(held_out_set(103), precision=0.96, recall=0.93)


def test_eco_rangers_are_some_of_the_rangers() -> None:
    """生态护林员 are the rangers a central programme hires (often from 脱贫 families); 护林员
    also counts those of 公益林, 天然林 and the villages' own."""
    rangers, eco = report("护林员总数（人）", "其中：生态护林员（人）")
    assert (rangers.element, eco.element) == ("FOREST_RANGERS", "ECO_FOREST_RANGERS")
    assert element("生态护林员（人）") == "ECO_FOREST_RANGERS"


def test_an_inspector_is_filler() -> None:
    assert detect_role("检查人") == META
    assert detect_role("检查人数") is None


def test_organising_what_a_label_counts_changes_no_count() -> None:
    assert element("组织开展群众文化活动（场次）") == "CULTURE_EVENTS"


def test_scores_on_the_hundred_and_fourth_to_hundred_and_seventh_held_out_sets() -> None:
    """The stop's third blind round (104 隐患排查/燃气/自建房/消防/山洪/地灾/森林防火/交通/应急
    物资/灾情/安全统计; 105 在校生/控辍/资助/书屋/文化站/非遗/电影/健身/乡村旅游/民宿/文教统计;
    106 市场主体/三小/特种设备/电商快递/消费帮扶/集贸市场/返乡创业/工业/财政/乡镇统计; 107 耕地/
    违法用地/宅基地/公益林/护林员/造林/林长/湿地/地灾/土地林业统计), written while the second
    was tuned on and scored by that round's commit (2dd4666) before anyone read them: 0.976 /
    0.719 (104), 1.000 / 0.667 (105), 1.000 / 0.769 (106), 0.870 / 0.783 (107); pooled 0.955 /
    0.734. Still short: 占用耕地 of a homestead approved vs of land used illegally (a heading
    far above says which), the gas hazards of a 燃气 form vs every hazard, a 其中 placed after a
    year-to-date total that is a part of the period's."""
    assert_scores(held_out_set(104), precision=0.96, recall=0.87, roles=1.0)
    assert_scores(held_out_set(105), precision=1.0, recall=0.86)
    assert_scores(held_out_set(106), precision=1.0, recall=0.82)
    assert_scores(held_out_set(107), precision=0.94, recall=0.84, roles=0.99)


def test_readings_hold_where_their_words_appear_in_other_words() -> None:
    """A village's 股份经济合作社 is no farmers' 合作社; 和 inside a place name (太和镇) is no
    topic joiner; 累计农户数 is still 农户数; 老年人数量 is 老年人's 数量; a 其中 after columns
    under a heading passes over an identity column to the count before."""
    assert element("经营收入（万元）", section="村股份经济合作社") == "COLL_BUSINESS_INCOME"
    deaths = report("死亡人数（人）", title="太和镇安全生产事故情况月报")[0]
    assert deaths.element == "ACCIDENT_DEATHS"
    assert report("累计农户数", frequency="yearly")[0].element == "FARM_HH"
    assert element("老年人数量") == "POP_60"
    assert element("实有户数（户）", section="人口基本情况") == "HH_ACTUAL"
    disabled = report(
        "村名", ("低保情况", "低保户数（户）"), ("低保情况", "低保人数（人）"), "其中：残疾人（人）"
    )[-1]
    assert disabled.element == "DIBAO_DISABLED"
    assert detect_role("计量单位代码") is None
    assert detect_role("填报单位代码") == ORG_CODE
    assert analyze("脱贫人口（不含监测对象）").core != analyze("脱贫人口").core


def test_scores_on_the_hundred_and_eighth_to_hundred_and_eleventh_held_out_sets() -> None:
    """The stop's last blind round (108 特色产业/联农带农/衔接资金/消费帮扶/帮扶车间/小额信贷/
    光伏/集体经济/防返贫/统计; 109 低保特困/临时救助/孤儿/困境留守儿童/留守老人/两项补贴/高龄
    津贴/居家养老/民政统计; 110 网格/矛盾调解/信访/治安/禁毒/反诈/社区矫正/重点人员/平安创建/
    统计; 111 医保参保/医疗救助/家庭医生/慢病/妇幼/接种/传染病/村医/健康教育/统计), written
    after the stop's last change and scored by it (4bb7f40) before anyone read them, and not
    tuned on: the floors are the blind figures, 0.972 / 0.614 (108), 1.000 / 0.962 (109),
    1.000 / 0.741 (110), 0.808 / 0.737 (111); pooled 0.940 / 0.760. Set 111's wrongly joined
    pairs are 签约家庭医生 of a group its report or heading names (老年人, 孕产妇) read as
    everyone's, and a band of 乡村医生 (60岁及以上) read as the population's."""
    assert_scores(held_out_set(108), precision=0.97, recall=0.61, roles=0.98)
    assert_scores(held_out_set(109), precision=1.0, recall=0.96)
    assert_scores(held_out_set(110), precision=1.0, recall=0.74)
    assert_scores(held_out_set(111), precision=0.80, recall=0.73)
