"""The new element offered for a column nothing in the dictionary fits (matching.proposals),
and the evaluation of reports arriving one after another, each proposing what it lacks."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from forms_registry.importers.model import ImportedReport
from forms_registry.matching.evaluation import evaluate_directory
from forms_registry.matching.matcher import CHECK_BELOW, match_report
from forms_registry.matching.pairs import cuts
from forms_registry.matching.proposals import Proposal, proposal_for_column, proposals_for
from tests.forms_registry.test_matching import CATALOG, make_field

HELD_OUT = Path(__file__).resolve().parents[1] / "data"


def imported(*labels: str | tuple[str, str], title: str = "村级基本情况月报") -> ImportedReport:
    fields = []
    for order, item in enumerate(labels):
        section, label = item if isinstance(item, tuple) else (None, item)
        fields.append(dataclasses.replace(make_field(label, section=section), order=order))
    return ImportedReport(
        title=title, fields=fields, source_format="xlsx", frequency="monthly", level="village"
    )


def offered(report: ImportedReport, catalog=CATALOG) -> dict[str, Proposal]:
    found = proposals_for(report, match_report(report, catalog), catalog)
    return {report.fields[position].label: proposal for position, proposal in found.items()}


def test_a_column_nothing_fits_is_offered_under_its_own_words_with_its_unit():
    report = imported("村名", "户籍人口（人）", "古井（口）", "古茶园面积（亩）")
    assert offered(report) == {
        "古井（口）": Proposal("古井", "口", "integer", "stock", None),
        "古茶园面积（亩）": Proposal("古茶园面积", "亩", "decimal", "stock", None),
    }


def test_a_label_naming_only_an_action_or_a_word_of_many_elements_takes_its_heading():
    report = imported(
        ("河湖问题", "已整改（个）"), ("庭院经济", "面积（亩）"), ("庭院经济", "产值")
    )
    assert {label: proposal.name for label, proposal in offered(report).items()} == {
        "已整改（个）": "河湖问题·已整改",
        "面积（亩）": "庭院经济·面积",
        "产值": "庭院经济·产值",
    }


def test_a_label_and_heading_naming_no_thing_take_the_reports_subject():
    report = imported("村名", "应参保人数（人）", title="城乡居民基本养老保险参保情况半年报")
    (proposal,) = offered(report).values()
    assert proposal.name.endswith("·应参保人数") and "养老保险" in proposal.name


def test_to_date_and_earlier_figures_are_worked_out_not_proposed():
    report = imported(("本年累计", "化解纠纷（件）"), "上年同期古井（口）", "古井（口）")
    assert list(offered(report)) == ["古井（口）"]


def test_a_sub_item_is_offered_as_a_part_of_its_totals_element():
    report = imported("帮扶车间（个）", "其中：吸纳脱贫劳动力就业（人）", title="产业帮扶情况月报")
    assert offered(report)["其中：吸纳脱贫劳动力就业（人）"].parent == "EMPLOYMENT_WORKSHOPS"


def test_a_later_report_asking_the_same_under_its_heading_is_matched_to_the_proposal():
    first = imported("古茶园面积（亩）", ("庭院经济", "面积（亩）"))
    proposals = offered(first)
    catalog = [
        *CATALOG,
        proposals["古茶园面积（亩）"].as_element("NEW_1"),
        proposals["面积（亩）"].as_element("NEW_2"),
    ]
    later = imported("古茶园面积（公顷）", ("庭院经济", "面积（公顷）"), ("违法建设", "面积"))
    matched = [found.element for found in match_report(later, catalog)]
    assert matched == ["NEW_1", "NEW_2", None]  # 违法建设's 面积 is no 庭院经济 area


def test_the_offer_for_a_column_written_without_a_unit():
    assert proposal_for_column(
        "本年新建沼气池户数", column_name="本年新建沼气池户数", unit=None, value_type=None
    ) == Proposal("本年新建沼气池户数", "户", "integer", "flow", None)
    assert proposal_for_column(
        "卫生厕所普及率", column_name="卫生厕所普及率", unit="%", value_type=None
    ) == Proposal("卫生厕所普及率", "%", "percent", "stock", None)


def test_reports_arriving_in_turn_join_what_the_dictionary_lacks():
    """Set 56 (平安建设, 信访, 司法 …): the dictionary alone joins 37 of its 43 same-concept
    pairs; with every owner proposing the offered element for what nothing fits, later
    reports join 39 (群体性事件 of 公安 and 信访, 志愿服务活动), and nothing wrongly."""
    alone = evaluate_directory(HELD_OUT / "heldout56", CATALOG).pairs
    proposing = evaluate_directory(HELD_OUT / "heldout56", CATALOG, proposing=True).pairs
    assert (alone.true_positives, alone.false_positives) == (37, 0)
    assert (proposing.true_positives, proposing.false_positives) == (39, 0)


def test_an_offer_is_never_read_as_an_element_the_dictionary_has():
    """ "防返贫监测对象" alone is MONITORED_P: offered for the part of 家庭医生签约人数 it would
    be a second one, and every later column naming them a dead heat."""
    report = imported(
        "家庭医生签约人数（人）", "其中：防返贫监测对象（人）", title="基本公共卫生服务季报"
    )
    (proposal,) = offered(report).values()
    assert proposal.name == "家庭医生签约人数·防返贫监测对象"
    assert proposal.parent == "FAMILY_DOC_SIGNED"


def test_a_column_matches_a_pending_proposal_only_by_saying_all_of_it():
    """A proposal is one department's words, no curated aliases: "温室面积" is no 连栋温室面积,
    though it would be near enough to a dictionary element of that name."""
    (proposal,) = offered(imported("连栋温室面积（亩）")).values()
    catalog = [*CATALOG, proposal.as_element("NEW_1")]
    (shorter,) = match_report(imported("温室面积（亩）"), catalog)
    (same,) = match_report(imported("连栋温室面积（公顷）"), catalog)
    assert (shorter.element, same.element) == (None, "NEW_1")


def test_a_sub_item_after_a_split_by_sex_is_offered_as_a_part_of_the_total():
    """ "男" and "女" beside a total split it: the 古井守护员 are of all 党员, as the matcher
    reads them (matcher `totals_of`), not of the 女 column."""
    report = imported("党员（人）", "男", "女", "其中：古井守护员（人）")
    assert offered(report)["其中：古井守护员（人）"].parent == "PARTY"


def test_a_column_saying_a_proposals_words_in_another_order_is_matched_to_it():
    """ "向社会开放体育场地的学校" says every word of "体育场地向社会开放的学校": the same
    schools, whatever the order the second department put the words in."""
    (proposal,) = offered(imported("体育场地向社会开放的学校（所）")).values()
    catalog = [*CATALOG, proposal.as_element("NEW_1")]
    (reordered,) = match_report(imported("向社会开放体育场地的学校数量（所）"), catalog)
    (fewer,) = match_report(imported("开放体育场地的学校（所）"), catalog)
    assert (reordered.element, fewer.element) == ("NEW_1", None)


def test_an_offer_is_read_alone_in_its_columns_unit_and_without_its_headings_number():
    """ "闲置宅基地面积" in 亩 is no count of 闲置宅基地 (宗), so it is offered under its own
    words; a heading's number ("二、") is no part of a name."""
    report = imported(("二、农村宅基地", "闲置宅基地面积（亩）"), ("三、古井", "已整改（口）"))
    assert {label: proposal.name for label, proposal in offered(report).items()} == {
        "闲置宅基地面积（亩）": "闲置宅基地面积",
        "已整改（口）": "古井·已整改",
    }


def test_a_yes_no_column_is_offered_as_a_yes_no_element_without_a_unit():
    report = imported("村名", "通天然气（是/否）", "古井（口）")
    assert offered(report) == {
        "通天然气（是/否）": Proposal("通天然气", None, "boolean", "stock", None),
        "古井（口）": Proposal("古井", "口", "integer", "stock", None),
    }


def test_money_put_into_a_thing_is_that_things_money_for_a_proposal_too():
    """ "文体活动经费投入" is the 文体活动经费 a later department asks for."""
    (proposal,) = offered(imported("文体活动经费投入（元）")).values()
    catalog = [*CATALOG, proposal.as_element("NEW_1")]
    (later,) = match_report(imported("文体活动经费（万元）"), catalog)
    assert later.element == "NEW_1"


def test_those_of_one_group_who_are_of_another_join_whatever_the_words_and_order():
    """ "其中：退役军人" under the 村“两委”班子成员 is offered as "村“两委”班子成员·退役军人":
    the veterans on the committees. A later report counting them as the committee members
    among its veterans, or in one label either way round, asks the same thing without
    saying 班子 (matching.pairs); the dictionary alone knows no such element, and households
    or women of the veterans are something else."""
    (proposal,) = offered(imported("村“两委”班子成员（人）", "其中：退役军人（人）")).values()
    assert (proposal.name, proposal.parent) == ("村“两委”班子成员·退役军人", "VC_MEMBERS")
    catalog = [*CATALOG, proposal.as_element("NEW_1")]

    def matched(*labels: str, known=catalog) -> list[str | None]:
        later = imported(*labels, title="退役军人服务保障年报")
        return [found.element for found in match_report(later, known)]

    assert matched("退役军人（人）", "其中：村“两委”成员（人）") == ["VETERANS", "NEW_1"]
    assert matched("退役军人中的村“两委”成员（人）") == ["NEW_1"]
    assert matched("村“两委”成员中的退役军人（人）") == ["NEW_1"]
    assert matched("退役军人中的村“两委”成员（人）", known=CATALOG) == [None]
    assert matched("退役军人（户）", "其中：村“两委”成员（户）") == [None, None]
    assert matched("退役军人（人）", "其中：女（人）") == ["VETERANS", None]


def _veterans_on_committees() -> list:
    (proposal,) = offered(imported("村“两委”班子成员（人）", "其中：退役军人（人）")).values()
    return [*CATALOG, proposal.as_element("NEW_1")]


def test_a_heading_saying_more_than_the_two_groups_keeps_a_column_from_their_proposal():
    """Another period, a plan, an age, a sex or a group of its own above the column narrows
    what the two groups' proposal counts; a heading naming nothing leaves it."""
    catalog = _veterans_on_committees()
    label = "退役军人中的村“两委”成员（人）"
    found = {
        heading: match_report(imported((heading, label)), catalog)[0].element
        for heading in ("本年累计", "上年同期", "计划", "女性", "60岁以上", "党员", "基本情况")
    }
    assert found == {
        "本年累计": None,
        "上年同期": None,
        "计划": None,
        "女性": None,
        "60岁以上": None,
        "党员": None,
        "基本情况": "NEW_1",
    }


def test_a_yes_no_column_is_no_count_of_the_two_groups():
    (found,) = match_report(
        imported("退役军人中的村“两委”成员（是/否）"), _veterans_on_committees()
    )
    assert found.element is None


def test_two_proposals_reading_as_the_same_two_groups_leave_the_owner_to_choose():
    first = _veterans_on_committees()
    (second,) = offered(imported("退役军人（人）", "其中：任村“两委”班子成员（人）")).values()
    catalog = [*first, second.as_element("NEW_2")]
    (found,) = match_report(imported("村“两委”成员中的退役军人（人）"), catalog)
    assert found.element is None


def test_a_two_part_reading_is_suggested_for_the_owner_to_check():
    (found,) = match_report(imported("村“两委”成员中的退役军人（人）"), _veterans_on_committees())
    assert found.element == "NEW_1"
    assert found.confidence < CHECK_BELOW


def test_words_joining_the_two_parts_are_dropped_at_the_cut_only():
    found = set(cuts("中小学生中的留守儿童"))
    assert ("中小学生", "留守儿童") in found
    assert all(not left.endswith("的") and not right.startswith("的") for left, right in found)
    assert ("党员", "退役军人") in set(cuts("党员之中的退役军人"))


def _later(proposal: Proposal, report: ImportedReport) -> str | None:
    (found,) = match_report(report, [*CATALOG, proposal.as_element("NEW_1")])
    return found.element


def test_a_few_words_of_any_topic_are_offered_with_the_topic_their_heading_names():
    """ "受教育群众" under "消防宣传" are those the fire-safety publicity reached: offered with
    its heading, it is no 受教育群众 of 禁毒宣传 in a later report. A label naming its own
    thing (大型游乐设施) is offered alone, and a later report asking it without the heading
    gets it."""
    (reached,) = offered(imported(("消防宣传", "受教育群众（人次）"))).values()
    assert reached.name == "消防宣传·受教育群众"
    assert _later(reached, imported(("禁毒宣传", "受教育群众（人次）"))) is None
    assert _later(reached, imported(("消防宣传", "受教育群众（人次）"))) == "NEW_1"
    (rides,) = offered(imported(("安全检查", "大型游乐设施（台）"))).values()
    assert rides.name == "大型游乐设施"
    assert _later(rides, imported("大型游乐设施")) == "NEW_1"


def test_a_proposal_is_said_but_for_a_common_word_never_without_one_that_narrows_it():
    """ "严重不良行为未成年人" asks what "有严重不良行为的未成年人" was proposed for (有 says
    nothing); "古井" is not every "特色古井"."""
    (minors,) = offered(imported("有严重不良行为的未成年人（人）")).values()
    assert _later(minors, imported("严重不良行为未成年人（人）")) == "NEW_1"
    (wells,) = offered(imported("特色古井（口）")).values()
    assert _later(wells, imported("古井（口）")) is None
