from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forms_registry.errors import InvalidInput
from forms_registry.merge import (
    Choice,
    ElementSpec,
    MergedSchema,
    ReportFieldSpec,
    ReportSpec,
    merge_reports,
    report_period_in,
)
from forms_registry.periods import Period

POPULATION = ElementSpec("POP_REG", "户籍人口", "integer", "人", "stock", "yearly")
FARMLAND = ElementSpec(
    "FARMLAND", "耕地面积", "decimal", "亩", "stock", "yearly", minimum=Decimal(0)
)
RELIEF = ElementSpec("TEMP_RELIEF", "临时救助人次", "integer", "人次", "flow", "period")
HAZARDS = ElementSpec("HAZARDS", "本月排查隐患数", "integer", "处", "flow", "period")
HOUSING = ElementSpec(
    "HOUSING",
    "住房类型",
    "choice",
    None,
    "stock",
    "yearly",
    choices=(Choice("1", "砖混"), Choice("2", "土木"), Choice("3", "其他")),
)
HAS_CLINIC = ElementSpec("HAS_CLINIC", "是否有卫生室", "boolean", None, "stock", "fixed")
ONE = Decimal(1)


def usage(
    element: ElementSpec,
    label: str | None = None,
    *,
    order: int = 0,
    section: str | None = None,
    unit: str | None = "same",
    factor: Decimal | None = ONE,
    required: bool = False,
    value_type: str | None = None,
    choices: tuple[Choice, ...] | None = None,
    minimum: Decimal | None = None,
    maximum: Decimal | None = None,
) -> ReportFieldSpec:
    return ReportFieldSpec(
        label=label or element.name,
        section=section,
        unit=element.unit if unit == "same" else unit,
        factor=factor,
        required=required,
        order=order,
        element=element,
        value_type=value_type,
        choices=choices,
        minimum=minimum,
        maximum=maximum,
    )


def report(
    code: str,
    frequency: str,
    *fields: ReportFieldSpec,
    reference_date: date | None = None,
) -> ReportSpec:
    return ReportSpec(
        code=code,
        title=f"{code} 报表",
        owner="某县民政局",
        frequency=frequency,
        fields=tuple(fields),
        reference_date=reference_date,
    )


def merge(month: str, *reports: ReportSpec) -> MergedSchema:
    return merge_reports(list(reports), Period.parse(month))


# --- which reports are due --------------------------------------------------------


def test_quarterly_report_is_left_out_of_a_month_that_closes_no_quarter() -> None:
    monthly = report("R_MONTH", "monthly", usage(POPULATION))
    quarterly = report("R_QUARTER", "quarterly", usage(FARMLAND))
    february = merge("2025-02", monthly, quarterly)
    assert february.reports == ("R_MONTH",)
    assert [f.key for f in february.fields] == ["POP_REG"]
    march = merge("2025-03", monthly, quarterly)
    assert march.reports == ("R_MONTH", "R_QUARTER")


@pytest.mark.parametrize(
    ("month", "due"),
    [
        ("2025-01", ["M"]),
        ("2025-03", ["M", "Q"]),
        ("2025-06", ["H", "M", "Q"]),
        ("2025-09", ["M", "Q"]),
        ("2025-12", ["H", "M", "Q", "Y"]),
    ],
)
def test_reports_due_by_frequency(month: str, due: list[str]) -> None:
    reports = [
        report(code, frequency, usage(POPULATION))
        for code, frequency in [
            ("M", "monthly"),
            ("Q", "quarterly"),
            ("H", "half_yearly"),
            ("Y", "yearly"),
        ]
    ]
    assert list(merge(month, *reports).reports) == due


def test_one_off_report_joins_the_month_holding_its_reference_date() -> None:
    survey = report("SURVEY", "one_off", usage(HAS_CLINIC), reference_date=date(2025, 5, 20))
    assert merge("2025-05", survey).reports == ("SURVEY",)
    assert merge("2025-04", survey).reports == ()
    assert merge("2025-06", survey).reports == ()
    assert report_period_in(survey, Period.parse("2025-05")) == Period.parse("2025-05")


def test_one_off_report_needs_a_reference_date() -> None:
    with pytest.raises(InvalidInput, match="参考日期"):
        report("SURVEY", "one_off", usage(HAS_CLINIC))


def test_the_reference_must_be_a_month() -> None:
    with pytest.raises(InvalidInput, match="不是月份"):
        merge_reports([report("M", "monthly", usage(POPULATION))], Period.parse("2025Q1"))


def test_report_codes_must_be_unique() -> None:
    with pytest.raises(InvalidInput, match="重复"):
        merge("2025-03", report("M", "monthly", usage(POPULATION)), report("M", "monthly"))


# --- stock and flow ----------------------------------------------------------------


def test_stock_asked_by_monthly_quarterly_and_yearly_reports_is_one_field() -> None:
    schema = merge(
        "2025-12",
        report("C_YEAR", "yearly", usage(POPULATION, "户籍人口数", section="基本情况")),
        report("A_MONTH", "monthly", usage(POPULATION, "户籍总人口")),
        report("B_QUARTER", "quarterly", usage(POPULATION, "户籍人口（人）", required=True)),
    )
    assert len(schema.fields) == 1
    field = schema.fields[0]
    assert (field.key, field.element, field.period, field.kind) == (
        "POP_REG",
        "POP_REG",
        "2025-12",
        "stock",
    )
    assert field.label == "户籍人口"
    assert field.reports == ("A_MONTH", "B_QUARTER", "C_YEAR")
    assert [u.label for u in field.usages] == ["户籍总人口", "户籍人口（人）", "户籍人口数"]
    assert field.required
    assert schema.stats == {"report_fields": 3, "merged_fields": 1}
    assert schema.conflicts == ()


def test_flow_of_monthly_and_quarterly_reports_in_march_is_two_fields() -> None:
    schema = merge(
        "2025-03",
        report("MONTHLY", "monthly", usage(RELIEF, "本月临时救助（人次）")),
        report("QUARTERLY", "quarterly", usage(RELIEF, "临时救助人次")),
        report("QUARTERLY_2", "quarterly", usage(RELIEF, "季度临时救助")),
    )
    by_key = {f.key: f for f in schema.fields}
    assert set(by_key) == {"TEMP_RELIEF", "TEMP_RELIEF@2025Q1"}
    month, quarter = by_key["TEMP_RELIEF"], by_key["TEMP_RELIEF@2025Q1"]
    assert (month.period, quarter.period) == ("2025-03", "2025Q1")
    assert month.element == quarter.element == "TEMP_RELIEF"
    assert month.reports == ("MONTHLY",)
    assert quarter.reports == ("QUARTERLY", "QUARTERLY_2")
    assert month.label == "本月临时救助人次"
    assert quarter.label == "本季度临时救助人次"
    assert schema.stats == {"report_fields": 3, "merged_fields": 2}


def test_flow_of_every_length_in_december_stays_together_shortest_first() -> None:
    schema = merge(
        "2025-12",
        report("M", "monthly", usage(HAZARDS)),
        report("Q", "quarterly", usage(HAZARDS)),
        report("H", "half_yearly", usage(HAZARDS)),
        report("Y", "yearly", usage(HAZARDS)),
    )
    assert [(f.key, f.period, f.label) for f in schema.fields] == [
        ("HAZARDS", "2025-12", "本月排查隐患数"),
        ("HAZARDS@2025Q4", "2025Q4", "本季度排查隐患数"),
        ("HAZARDS@2025H2", "2025H2", "本半年排查隐患数"),
        ("HAZARDS@2025", "2025", "本年排查隐患数"),
    ]


def test_a_flow_asked_only_for_the_month_keeps_the_element_name() -> None:
    schema = merge("2025-03", report("M", "monthly", usage(RELIEF)))
    assert [(f.key, f.label) for f in schema.fields] == [("TEMP_RELIEF", "临时救助人次")]


def test_a_flow_asked_only_quarterly_says_so() -> None:
    schema = merge("2025-03", report("Q", "quarterly", usage(RELIEF)))
    assert [(f.key, f.period, f.label) for f in schema.fields] == [
        ("TEMP_RELIEF@2025Q1", "2025Q1", "本季度临时救助人次")
    ]


# --- units -------------------------------------------------------------------------


def test_unit_conversion_factors_are_recorded_per_usage() -> None:
    schema = merge(
        "2025-03",
        report("AGRI", "monthly", usage(FARMLAND, "耕地面积（亩）")),
        report(
            "LAND",
            "quarterly",
            usage(FARMLAND, "耕地面积（公顷）", unit="公顷", factor=Decimal(15)),
        ),
    )
    (field,) = schema.fields
    assert field.unit == "亩"
    assert [(u.report, u.unit, u.factor) for u in field.usages] == [
        ("AGRI", "亩", ONE),
        ("LAND", "公顷", Decimal(15)),
    ]
    assert schema.conflicts == ()
    usages = schema.to_json()["fields"][0]["usages"]
    assert [u["factor"] for u in usages] == ["1", "15"]


def test_unconvertible_unit_is_a_unit_conflict() -> None:
    schema = merge(
        "2025-03",
        report("AGRI", "monthly", usage(FARMLAND)),
        report("ODD", "monthly", usage(FARMLAND, "耕地（块）", unit="块", factor=None)),
    )
    (conflict,) = schema.conflicts
    assert (conflict.kind, conflict.element, conflict.key, conflict.reports) == (
        "unit",
        "FARMLAND",
        "FARMLAND",
        ("ODD",),
    )
    assert "亩" in conflict.message and "块" in conflict.message
    assert conflict.detail["report_units"] == {"ODD": "块"}
    assert len(schema.fields) == 1  # still asked once; the conflict is for the reviewer


# --- types -------------------------------------------------------------------------


def test_integer_and_decimal_merge_into_decimal() -> None:
    schema = merge(
        "2025-03",
        report("A", "monthly", usage(POPULATION)),
        report(
            "B",
            "monthly",
            usage(
                POPULATION,
                "户籍人口（万人）",
                unit="万人",
                factor=Decimal(10000),
                value_type="decimal",
            ),
        ),
    )
    assert schema.fields[0].value_type == "decimal"
    assert schema.conflicts == ()


def test_numeric_versus_text_is_a_type_conflict() -> None:
    schema = merge(
        "2025-03",
        report("A", "monthly", usage(POPULATION)),
        report("B", "monthly", usage(POPULATION, "户籍人口情况", value_type="text")),
    )
    (conflict,) = schema.conflicts
    assert (conflict.kind, conflict.reports) == ("type", ("B",))
    assert "文本" in conflict.message
    assert conflict.detail["report_types"] == {"A": "integer", "B": "text"}
    assert schema.fields[0].value_type == "integer"


def test_single_versus_multiple_choice_is_a_type_conflict() -> None:
    schema = merge(
        "2025-03",
        report("A", "monthly", usage(HOUSING, value_type="multi_choice")),
    )
    assert [c.kind for c in schema.conflicts] == ["type"]


# --- choices -----------------------------------------------------------------------


def test_same_choice_values_with_other_labels_merge_quietly() -> None:
    relabelled = (Choice("1", "砖混结构"), Choice("2", "土木结构"), Choice("3", "其他结构"))
    schema = merge("2025-03", report("A", "monthly", usage(HOUSING, choices=relabelled)))
    assert schema.conflicts == ()
    assert schema.fields[0].choices == HOUSING.choices


def test_differing_choice_lists_keep_the_common_choices_and_conflict() -> None:
    schema = merge(
        "2025-03",
        report("A", "monthly", usage(HOUSING)),
        report("B", "monthly", usage(HOUSING, choices=(Choice("1", "砖混"), Choice("2", "土木")))),
        report(
            "C",
            "monthly",
            usage(HOUSING, choices=(Choice("2", "土木"), Choice("1", "砖混"), Choice("4", "钢混"))),
        ),
    )
    field = schema.fields[0]
    assert field.choices == (Choice("1", "砖混"), Choice("2", "土木"))
    (conflict,) = schema.conflicts
    assert (conflict.kind, conflict.reports) == ("choices", ("B", "C"))
    assert conflict.detail["kept"] == ["1", "2"]
    assert "砖混、土木" in conflict.message


def test_disjoint_choice_lists_conflict_and_keep_the_element_list() -> None:
    schema = merge(
        "2025-03",
        report("A", "monthly", usage(HOUSING, choices=(Choice("9", "窑洞"),))),
    )
    assert schema.fields[0].choices == HOUSING.choices
    (conflict,) = schema.conflicts
    assert conflict.kind == "choices"
    assert "没有交集" in conflict.message


def test_choices_of_an_element_without_its_own_list() -> None:
    open_element = ElementSpec("ROAD", "道路类型", "choice", None, "stock")
    schema = merge(
        "2025-03",
        report(
            "A", "monthly", usage(open_element, choices=(Choice("a", "硬化"), Choice("b", "砂石")))
        ),
        report(
            "B", "monthly", usage(open_element, choices=(Choice("b", "砂石"), Choice("a", "硬化")))
        ),
    )
    assert schema.conflicts == ()
    assert schema.fields[0].choices == (Choice("a", "硬化"), Choice("b", "砂石"))


# --- limits ------------------------------------------------------------------------


def test_strictest_limits_in_canonical_units() -> None:
    schema = merge(
        "2025-03",
        report("A", "monthly", usage(FARMLAND, maximum=Decimal(2000))),
        report(
            "B",
            "monthly",
            usage(
                FARMLAND,
                unit="公顷",
                factor=Decimal(15),
                minimum=Decimal("0.5"),
                maximum=Decimal(100),
            ),
        ),
    )
    field = schema.fields[0]
    assert (field.minimum, field.maximum) == (Decimal("7.5"), Decimal(1500))
    assert schema.conflicts == ()
    payload = schema.to_json()["fields"][0]
    assert (payload["min"], payload["max"]) == ("7.5", "1500")


def test_contradictory_limits_conflict_and_keep_the_element_limits() -> None:
    schema = merge(
        "2025-03",
        report("A", "monthly", usage(FARMLAND, maximum=Decimal(100))),
        report("B", "monthly", usage(FARMLAND, minimum=Decimal(500))),
    )
    field = schema.fields[0]
    assert (field.minimum, field.maximum) == (Decimal(0), None)
    (conflict,) = schema.conflicts
    assert (conflict.kind, conflict.reports) == ("limits", ("A", "B"))
    assert "500" in conflict.message and "100" in conflict.message


# --- order, stats, JSON, determinism ------------------------------------------------


def test_order_follows_sections_then_fields_with_reports_sorted_by_code() -> None:
    schema = merge(
        "2025-03",
        report(
            "B",
            "monthly",
            usage(RELIEF, order=0, section="救助"),
            usage(POPULATION, order=1, section="基本情况"),
            usage(HAS_CLINIC, order=2, section="设施"),
        ),
        report(
            "A",
            "monthly",
            usage(FARMLAND, order=0, section="基本情况"),
            usage(HOUSING, order=1, section="住房"),
        ),
    )
    assert [(f.section, f.key, f.order) for f in schema.fields] == [
        ("基本情况", "FARMLAND", 0),
        ("基本情况", "POP_REG", 1),
        ("住房", "HOUSING", 2),
        ("救助", "TEMP_RELIEF", 3),
        ("设施", "HAS_CLINIC", 4),
    ]


def test_stats_count_report_fields_and_merged_fields() -> None:
    schema = merge(
        "2025-03",
        report(
            "A",
            "monthly",
            usage(POPULATION, order=0),
            usage(RELIEF, order=1),
            usage(FARMLAND, order=2),
        ),
        report("B", "quarterly", usage(POPULATION, order=0), usage(RELIEF, order=1)),
        report("C", "yearly", usage(POPULATION), usage(HAZARDS, order=1)),  # not due in March
    )
    assert schema.stats == {"report_fields": 5, "merged_fields": 4}
    assert len(schema.fields) == 4


def test_empty_month() -> None:
    schema = merge("2025-02", report("Q", "quarterly", usage(POPULATION)))
    assert schema.fields == () and schema.conflicts == ()
    assert schema.stats == {"report_fields": 0, "merged_fields": 0}


def test_json_shape() -> None:
    schema = merge(
        "2025-03",
        report("A", "monthly", usage(FARMLAND, required=True, maximum=Decimal("1E+4"))),
        report(
            "B",
            "quarterly",
            usage(RELIEF),
            usage(FARMLAND, "耕地（块）", unit="块", factor=None, order=1),
        ),
    )
    payload = json.loads(json.dumps(schema.to_json(), ensure_ascii=False))
    assert set(payload) >= {"fields", "conflicts", "stats", "hash"}
    first = payload["fields"][0]
    assert {"key", "element", "period", "label", "unit", "reports"} <= set(first)
    assert first == {
        **first,
        "key": "FARMLAND",
        "element": "FARMLAND",
        "period": "2025-03",
        "label": "耕地面积",
        "unit": "亩",
        "reports": ["A", "B"],
        "type": "decimal",
        "required": True,
        "min": "0",
        "max": "10000",
    }
    assert payload["fields"][1]["key"] == "TEMP_RELIEF@2025Q1"
    assert payload["conflicts"][0]["kind"] == "unit"
    assert payload["stats"] == {"report_fields": 3, "merged_fields": 2}
    assert payload["hash"] == schema.hash and len(schema.hash) == 64


def test_hash_changes_with_the_fields() -> None:
    base = merge("2025-03", report("A", "monthly", usage(POPULATION)))
    other = merge("2025-03", report("A", "monthly", usage(POPULATION, "户籍人口数")))
    assert base.hash != other.hash
    assert base.hash == merge("2025-03", report("A", "monthly", usage(POPULATION))).hash


POOL = [
    report(
        "CIVIL",
        "monthly",
        usage(RELIEF, "临时救助（人次）", order=0, section="救助"),
        usage(POPULATION, "户籍人口", order=1, section="基本情况", required=True),
        usage(HOUSING, order=2, section="住房", choices=(Choice("1", "砖混"), Choice("2", "土木"))),
    ),
    report(
        "AGRI",
        "quarterly",
        usage(
            FARMLAND,
            "耕地（公顷）",
            order=0,
            section="基本情况",
            unit="公顷",
            factor=Decimal(15),
            maximum=Decimal(200),
        ),
        usage(RELIEF, order=1, section="救助"),
    ),
    report(
        "STATS",
        "yearly",
        usage(
            POPULATION,
            "年末户籍人口（万人）",
            order=0,
            unit="万人",
            factor=Decimal(10000),
            value_type="decimal",
        ),
        usage(FARMLAND, order=1, minimum=Decimal(10)),
        usage(HAZARDS, order=2, section="安全"),
    ),
    report(
        "SAFETY",
        "monthly",
        usage(HAZARDS, order=0, section="安全"),
        usage(HAS_CLINIC, order=1, section="设施", value_type="text"),
    ),
    report(
        "SURVEY", "one_off", usage(HAS_CLINIC, section="设施"), reference_date=date(2025, 12, 3)
    ),
    report("HALF", "half_yearly", usage(HOUSING, section="住房", choices=(Choice("3", "其他"),))),
]


@settings(max_examples=60, deadline=None)
@given(st.permutations(POOL), st.sampled_from(["2025-03", "2025-06", "2025-11", "2025-12"]))
def test_merge_does_not_depend_on_input_order(reports: list[ReportSpec], month: str) -> None:
    expected = merge_reports(sorted(POOL, key=lambda r: r.code), Period.parse(month))
    shuffled = merge_reports(reports, Period.parse(month))
    assert shuffled.hash == expected.hash
    assert [f.key for f in shuffled.fields] == [f.key for f in expected.fields]
    assert shuffled.to_json() == expected.to_json()


@st.composite
def generated_reports(draw: st.DrawFn) -> list[ReportSpec]:
    elements = [POPULATION, FARMLAND, RELIEF, HAZARDS, HOUSING, HAS_CLINIC]
    count = draw(st.integers(min_value=1, max_value=6))
    reports = []
    for number in range(count):
        chosen = draw(st.lists(st.sampled_from(elements), min_size=1, max_size=4, unique=True))
        fields = [
            usage(
                element,
                order=order,
                section=draw(st.sampled_from([None, "甲", "乙", "丙"])),
                required=draw(st.booleans()),
            )
            for order, element in enumerate(chosen)
        ]
        frequency = draw(st.sampled_from(["monthly", "quarterly", "half_yearly", "yearly"]))
        reports.append(report(f"R{number:02d}", frequency, *fields))
    return reports


@settings(max_examples=60, deadline=None)
@given(
    generated_reports(), st.randoms(use_true_random=False), st.sampled_from(["2025-06", "2025-12"])
)
def test_generated_reports_merge_the_same_in_any_order(reports, random, month: str) -> None:
    expected = merge_reports(reports, Period.parse(month))
    shuffled = list(reports)
    random.shuffle(shuffled)
    result = merge_reports(shuffled, Period.parse(month))
    assert result.hash == expected.hash
    assert result.to_json() == expected.to_json()
    assert [f.order for f in result.fields] == list(range(len(result.fields)))
    assert len({f.key for f in result.fields}) == len(result.fields)
    due_fields = sum(len(r.fields) for r in reports if r.code in result.reports)
    assert result.stats == {"report_fields": due_fields, "merged_fields": len(result.fields)}
    assert sum(len(f.usages) for f in result.fields) == due_fields
