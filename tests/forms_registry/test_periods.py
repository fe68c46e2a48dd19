from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from forms_registry.errors import InvalidInput
from forms_registry.importers.model import FREQUENCIES as IMPORTER_FREQUENCIES
from forms_registry.periods import (
    FREQUENCIES,
    MONTHS_PER_PERIOD,
    Period,
    due_date,
    period_length_word,
    reference_month_for,
    require_frequency,
)

PERIODIC = ("monthly", "quarterly", "half_yearly", "yearly")


@st.composite
def periods(draw: st.DrawFn, frequency: str | None = None) -> Period:
    frequency = frequency or draw(st.sampled_from(PERIODIC))
    year = draw(st.integers(min_value=1, max_value=9999))
    index = draw(st.integers(min_value=1, max_value=12 // MONTHS_PER_PERIOD[frequency]))
    return Period.of(frequency, year, index)


def test_frequencies_match_the_importers() -> None:
    assert FREQUENCIES == IMPORTER_FREQUENCIES


@pytest.mark.parametrize(
    ("text", "frequency", "start", "end", "months"),
    [
        ("2025-03", "monthly", date(2025, 3, 1), date(2025, 3, 31), 1),
        ("2024-02", "monthly", date(2024, 2, 1), date(2024, 2, 29), 1),
        ("2025-02", "monthly", date(2025, 2, 1), date(2025, 2, 28), 1),
        ("2025Q1", "quarterly", date(2025, 1, 1), date(2025, 3, 31), 3),
        ("2025Q4", "quarterly", date(2025, 10, 1), date(2025, 12, 31), 3),
        ("2025H1", "half_yearly", date(2025, 1, 1), date(2025, 6, 30), 6),
        ("2025H2", "half_yearly", date(2025, 7, 1), date(2025, 12, 31), 6),
        ("2025", "yearly", date(2025, 1, 1), date(2025, 12, 31), 12),
    ],
)
def test_parse(text: str, frequency: str, start: date, end: date, months: int) -> None:
    period = Period.parse(text)
    assert period.id == text
    assert str(period) == text
    assert period.frequency == frequency
    assert (period.start, period.end, period.months) == (start, end, months)


def test_parse_is_lenient_about_case_and_spaces_only() -> None:
    assert Period.parse(" 2025q2 ") == Period.parse("2025Q2")
    assert Period.parse("2025h2").id == "2025H2"


@pytest.mark.parametrize(
    "text",
    [
        "2025-13",
        "2025-00",
        "2025Q5",
        "2025Q0",
        "2025H3",
        "2025H0",
        "0000",
        "0000-01",
        "25-03",
        "2025-3",
        "2025/03",
        "2025M03",
        "２０２５",  # full-width digits
        "2025-03-01",
        "",
        "Q1",
        "2025年3月",
    ],
)
def test_parse_rejects_with_a_chinese_message(text: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        Period.parse(text)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in caught.value.message)


def test_parse_rejects_non_strings() -> None:
    with pytest.raises(InvalidInput):
        Period.parse(None)  # type: ignore[arg-type]


def test_parse_month() -> None:
    assert Period.parse_month("2025-03") == Period.month(2025, 3)
    with pytest.raises(InvalidInput, match="不是月份"):
        Period.parse_month("2025Q1")


def test_direct_construction_is_validated() -> None:
    with pytest.raises(InvalidInput):
        Period(2025, 2, 3)  # a quarter cannot start in February
    with pytest.raises(InvalidInput):
        Period(2025, 1, 4)
    with pytest.raises(InvalidInput):
        Period.month(2025, 13)
    with pytest.raises(InvalidInput):
        Period.of("quarterly", 2025, 5)
    with pytest.raises(InvalidInput):
        Period.of("one_off", 2025, 1)


def test_last_month() -> None:
    assert Period.parse("2025Q1").last_month == Period.parse("2025-03")
    assert Period.parse("2025H2").last_month == Period.parse("2025-12")
    assert Period.parse("2025").last_month == Period.parse("2025-12")
    assert Period.parse("2025-07").last_month == Period.parse("2025-07")


def test_previous_and_next_cross_years() -> None:
    assert Period.parse("2025-01").previous().id == "2024-12"
    assert Period.parse("2024-12").next().id == "2025-01"
    assert Period.parse("2025Q1").previous().id == "2024Q4"
    assert Period.parse("2025Q4").next().id == "2026Q1"
    assert Period.parse("2025H1").previous().id == "2024H2"
    assert Period.parse("2025").next().id == "2026"
    assert Period.parse("2025-03").shifted(-15).id == "2023-12"


def test_navigation_beyond_the_representable_range() -> None:
    with pytest.raises(InvalidInput):
        Period.parse("9999-12").next()
    with pytest.raises(InvalidInput):
        Period.parse("0001").previous()


def test_ordering() -> None:
    ids = ["2025-02", "2025", "2024Q4", "2025Q1", "2025-01", "2025H1"]
    assert [p.id for p in sorted(Period.parse(i) for i in ids)] == [
        "2024Q4",
        "2025-01",
        "2025Q1",
        "2025H1",
        "2025",
        "2025-02",
    ]
    assert Period.parse("2025-03") < Period.parse("2025-04")


def test_containing() -> None:
    day = date(2025, 8, 15)
    assert Period.containing(day, "monthly").id == "2025-08"
    assert Period.containing(day, "quarterly").id == "2025Q3"
    assert Period.containing(day, "half_yearly").id == "2025H2"
    assert Period.containing(day, "yearly").id == "2025"
    with pytest.raises(InvalidInput):
        Period.containing(day, "one_off")
    with pytest.raises(InvalidInput):
        Period.containing(day, "weekly")


@pytest.mark.parametrize(
    ("month", "frequency", "expected"),
    [
        ("2025-03", "monthly", "2025-03"),
        ("2025-03", "quarterly", "2025Q1"),
        ("2025-02", "quarterly", None),
        ("2025-06", "quarterly", "2025Q2"),
        ("2025-06", "half_yearly", "2025H1"),
        ("2025-03", "half_yearly", None),
        ("2025-12", "half_yearly", "2025H2"),
        ("2025-12", "yearly", "2025"),
        ("2025-11", "yearly", None),
        ("2025-12", "one_off", None),
    ],
)
def test_ending_in(month: str, frequency: str, expected: str | None) -> None:
    found = Period.ending_in(Period.parse(month), frequency)
    assert (found.id if found else None) == expected


def test_ending_in_needs_a_month() -> None:
    with pytest.raises(InvalidInput):
        Period.ending_in(Period.parse("2025Q1"), "quarterly")


def test_contains_and_month_periods() -> None:
    quarter = Period.parse("2025Q2")
    assert quarter.contains(date(2025, 6, 30))
    assert not quarter.contains(date(2025, 7, 1))
    assert quarter.contains(Period.parse("2025-05"))
    assert not quarter.contains(Period.parse("2025H1"))
    assert [m.id for m in quarter.month_periods()] == ["2025-04", "2025-05", "2025-06"]


@pytest.mark.parametrize(
    ("period", "due_day", "expected"),
    [
        ("2025-03", 10, date(2025, 4, 10)),
        ("2025Q1", 15, date(2025, 4, 15)),
        ("2025-01", 31, date(2025, 2, 28)),
        ("2024-01", 30, date(2024, 2, 29)),
        ("2025", 5, date(2026, 1, 5)),
        ("2025H1", 31, date(2025, 7, 31)),
        ("2025-03", 31, date(2025, 4, 30)),
    ],
)
def test_due_date(period: str, due_day: int, expected: date) -> None:
    assert due_date(Period.parse(period), due_day) == expected


@pytest.mark.parametrize("due_day", [0, 32, -1, True])
def test_due_date_rejects_impossible_days(due_day: int) -> None:
    with pytest.raises(InvalidInput, match="截止日"):
        due_date(Period.parse("2025-03"), due_day)


def test_reference_month_for() -> None:
    assert reference_month_for(Period.parse("2025Q3")).id == "2025-09"
    assert reference_month_for(Period.parse("2025-04")).id == "2025-04"
    assert reference_month_for(date(2025, 5, 20)).id == "2025-05"


def test_period_length_words() -> None:
    assert [period_length_word(f) for f in PERIODIC] == ["本月", "本季度", "本半年", "本年"]
    assert period_length_word("one_off") == "本次"
    with pytest.raises(InvalidInput):
        period_length_word("weekly")


def test_require_frequency() -> None:
    assert require_frequency("yearly") == "yearly"
    with pytest.raises(InvalidInput, match="报送频率"):
        require_frequency("daily")


@given(periods())
def test_parse_and_id_round_trip(period: Period) -> None:
    assert Period.parse(period.id) == period


@given(periods())
def test_ending_in_its_last_month_gives_the_period_back(period: Period) -> None:
    assert Period.ending_in(period.last_month, period.frequency) == period
    assert reference_month_for(period) == period.last_month


@given(periods(), st.sampled_from(PERIODIC))
def test_a_month_closes_a_period_exactly_when_it_is_that_period_s_last_month(
    period: Period, frequency: str
) -> None:
    for month in period.month_periods():
        closed = Period.ending_in(month, frequency)
        if closed is None:
            assert Period.containing(month.start, frequency).last_month != month
        else:
            assert closed.last_month == month
            assert closed.contains(month)


@given(periods(), st.integers(min_value=-50, max_value=50))
def test_next_and_previous_are_inverse(period: Period, steps: int) -> None:
    try:
        moved = period.shifted(steps)
    except InvalidInput:
        return
    assert moved.frequency == period.frequency
    assert moved.shifted(-steps) == period
    if steps > 0:
        assert moved > period
        assert moved.start > period.end


@given(st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)), st.sampled_from(PERIODIC))
def test_containing_holds_the_day(day: date, frequency: str) -> None:
    period = Period.containing(day, frequency)
    assert period.start <= day <= period.end
    assert period.frequency == frequency


@given(periods(), st.integers(min_value=1, max_value=31))
def test_due_date_is_in_the_following_month(period: Period, due_day: int) -> None:
    if period.last_month == Period.parse("9999-12"):
        return
    due = due_date(period, due_day)
    following = period.last_month.next()
    assert following.contains(due)
    assert due.day == min(due_day, following.end.day)


@given(periods())
def test_the_year_to_date_is_every_period_of_its_length_from_january_to_it(period: Period):
    so_far = period.year_to_date()
    assert so_far[0].start == date(period.year, 1, 1) and so_far[-1] == period
    assert all(each.months == period.months for each in so_far)
    assert all(later == earlier.next() for earlier, later in zip(so_far, so_far[1:], strict=False))


def test_the_year_to_date_of_a_quarter_and_of_a_year():
    assert [p.id for p in Period.parse("2025Q3").year_to_date()] == ["2025Q1", "2025Q2", "2025Q3"]
    assert [p.id for p in Period.parse("2025").year_to_date()] == ["2025"]
