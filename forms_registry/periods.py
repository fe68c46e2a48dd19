"""Reporting periods: months, quarters, half-years and years, and how they meet the
reference month of a merged form (SPEC *Periods*).

A period id is `2025-03` (month), `2025Q1`, `2025H1` or `2025` (year). One-off reports
have no period of their own: they join the form of the month holding their reference
date (`reference_month_for(date)`).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from forms_registry.errors import InvalidInput

FREQUENCIES = ("monthly", "quarterly", "half_yearly", "yearly", "one_off")
MONTHS_PER_PERIOD = {"monthly": 1, "quarterly": 3, "half_yearly": 6, "yearly": 12}
FREQUENCY_LABELS = {
    "monthly": "月报",
    "quarterly": "季报",
    "half_yearly": "半年报",
    "yearly": "年报",
    "one_off": "一次性报表",
}
PERIOD_LENGTH_WORDS = {
    "monthly": "本月",
    "quarterly": "本季度",
    "half_yearly": "本半年",
    "yearly": "本年",
    "one_off": "本次",
}
# A figure worked out from an element rather than asked: its total from the year's start
# to the report's period (本年累计, 年初至今累计), the sum of the period's own figures.
TO_DATE = "to_date"
# Reports whose period is shorter than the year: a yearly report's 本年 is its own period.
TO_DATE_FREQUENCIES = ("monthly", "quarterly", "half_yearly")
# Values that add up over periods: counts and amounts, not rates, text or choices.
ADDITIVE_TYPES = ("integer", "decimal")
# An element's kind (SPEC *Stock and flow*): a figure as it stands at a date, or over a period.
STOCK = "stock"
FLOW = "flow"


def adds_up(kind: str, value_type: str) -> bool:
    """A figure whose periods add up to a total from January: a flow of counts or amounts."""
    return kind == FLOW and value_type in ADDITIVE_TYPES


MIN_YEAR = 1
MAX_YEAR = 9999

_FREQUENCY_BY_MONTHS = {months: freq for freq, months in MONTHS_PER_PERIOD.items()}
# [0-9] rather than \d: \d also matches full-width and other Unicode digits.
_MONTH_ID = re.compile(r"([0-9]{4})-([0-9]{2})")
_QUARTER_ID = re.compile(r"([0-9]{4})Q([0-9])")
_HALF_ID = re.compile(r"([0-9]{4})H([0-9])")
_YEAR_ID = re.compile(r"([0-9]{4})")
_FORMAT_HINT = "应为 2025-03（月）、2025Q1（季度）、2025H1（半年）或 2025（年）"


def require_frequency(frequency: str) -> str:
    """Return `frequency` when it is one of FREQUENCIES, else raise InvalidInput."""
    if frequency not in FREQUENCIES:
        raise InvalidInput(
            f"未知的报送频率“{frequency}”：应为月报、季报、半年报、年报或一次性报表",
            details={"frequency": "未知的报送频率"},
        )
    return frequency


def _months_per_period(frequency: str) -> int:
    require_frequency(frequency)
    if frequency == "one_off":
        raise InvalidInput(
            "一次性报表没有固定周期，请使用其参考日期所在的月份",
            details={"frequency": "一次性报表没有固定周期"},
        )
    return MONTHS_PER_PERIOD[frequency]


@dataclass(frozen=True, order=True)
class Period:
    """A calendar month, quarter, half-year or year.

    Ordered by start month, then by length (`2025-01 < 2025Q1 < 2025H1 < 2025 < 2025-02`).
    """

    year: int
    first_month: int  # 1..12
    months: int  # 1, 3, 6 or 12

    def __post_init__(self) -> None:
        if self.months not in _FREQUENCY_BY_MONTHS:
            raise InvalidInput(f"周期长度应为 1、3、6 或 12 个月，而不是 {self.months}")
        if not MIN_YEAR <= self.year <= MAX_YEAR:
            raise InvalidInput(f"年份超出范围：{self.year}")
        if not 1 <= self.first_month <= 12 or (self.first_month - 1) % self.months:
            raise InvalidInput(f"{self.months} 个月的周期不能从 {self.first_month} 月开始")

    # --- construction -------------------------------------------------------------

    @classmethod
    def of(cls, frequency: str, year: int, index: int = 1) -> Period:
        """The `index`-th (1-based) period of `frequency` in `year`: of("quarterly", 2025, 1)."""
        months = _months_per_period(frequency)
        if not 1 <= index <= 12 // months:
            raise InvalidInput(f"{FREQUENCY_LABELS[frequency]}的序号超出范围：{index}")
        return cls(year, (index - 1) * months + 1, months)

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        if not 1 <= month <= 12:
            raise InvalidInput(f"月份应在 1–12 之间，而不是 {month}")
        return cls(year, month, 1)

    @classmethod
    def parse(cls, text: str) -> Period:
        """Read a period id (`2025-03`, `2025Q1`, `2025H1`, `2025`); raise InvalidInput."""
        if not isinstance(text, str):
            raise InvalidInput(f"无法识别的周期：{_FORMAT_HINT}", details={"period": _FORMAT_HINT})
        cleaned = text.strip().upper()
        if m := _MONTH_ID.fullmatch(cleaned):
            year, number, frequency, what = int(m[1]), int(m[2]), "monthly", "月份应为 01–12"
        elif m := _QUARTER_ID.fullmatch(cleaned):
            year, number, frequency, what = int(m[1]), int(m[2]), "quarterly", "季度应为 Q1–Q4"
        elif m := _HALF_ID.fullmatch(cleaned):
            year, number, frequency, what = int(m[1]), int(m[2]), "half_yearly", "半年应为 H1 或 H2"
        elif m := _YEAR_ID.fullmatch(cleaned):
            year, number, frequency, what = int(m[1]), 1, "yearly", ""
        else:
            message = f"无法识别的周期“{text}”：{_FORMAT_HINT}"
            raise InvalidInput(message, details={"period": message})
        if not MIN_YEAR <= year <= MAX_YEAR:
            message = f"周期“{text}”的年份超出范围"
            raise InvalidInput(message, details={"period": message})
        if not 1 <= number <= 12 // MONTHS_PER_PERIOD[frequency]:
            message = f"无法识别的周期“{text}”：{what}"
            raise InvalidInput(message, details={"period": message})
        return cls.of(frequency, year, number)

    @classmethod
    def parse_month(cls, text: str) -> Period:
        """Like parse, but only a month (`2025-03`) is accepted: a merged form's reference."""
        period = cls.parse(text)
        if period.frequency != "monthly":
            message = f"“{text}”不是月份：参考月份应写作 2025-03 这样的形式"
            raise InvalidInput(message, details={"period": message})
        return period

    @classmethod
    def containing(cls, day: date, frequency: str) -> Period:
        """The period of `frequency` that holds `day`."""
        months = _months_per_period(frequency)
        return cls(day.year, (day.month - 1) // months * months + 1, months)

    @classmethod
    def ending_in(cls, month: Period, frequency: str) -> Period | None:
        """The period of `frequency` that closes with `month`, or None when `month` closes
        none (quarterly for 2025-03 is 2025Q1; for 2025-02 it is None). One-off: None."""
        if month.frequency != "monthly":
            raise InvalidInput(f"“{month.id}”不是月份")
        if require_frequency(frequency) == "one_off":
            return None
        months = MONTHS_PER_PERIOD[frequency]
        if month.first_month % months:
            return None
        return cls(month.year, month.first_month - months + 1, months)

    # --- properties ---------------------------------------------------------------

    @property
    def frequency(self) -> str:
        return _FREQUENCY_BY_MONTHS[self.months]

    @property
    def index(self) -> int:
        """1-based position within the year (the 1 of 2025Q1, the 3 of 2025-03)."""
        return (self.first_month - 1) // self.months + 1

    @property
    def id(self) -> str:
        year = f"{self.year:04d}"
        match self.frequency:
            case "monthly":
                return f"{year}-{self.first_month:02d}"
            case "quarterly":
                return f"{year}Q{self.index}"
            case "half_yearly":
                return f"{year}H{self.index}"
            case _:
                return year

    @property
    def start(self) -> date:
        return date(self.year, self.first_month, 1)

    @property
    def end(self) -> date:
        last = self.first_month + self.months - 1
        return date(self.year, last, calendar.monthrange(self.year, last)[1])

    @property
    def last_month(self) -> Period:
        return Period(self.year, self.first_month + self.months - 1, 1)

    @property
    def first_month_period(self) -> Period:
        return Period(self.year, self.first_month, 1)

    # --- navigation ---------------------------------------------------------------

    def shifted(self, steps: int) -> Period:
        """The period `steps` periods of the same length later (earlier when negative)."""
        month_number = self.year * 12 + (self.first_month - 1) + steps * self.months
        year, month0 = divmod(month_number, 12)
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise InvalidInput(f"周期超出可表示的范围（{MIN_YEAR:04d}–{MAX_YEAR}年）")
        return Period(year, month0 + 1, self.months)

    def next(self) -> Period:
        return self.shifted(1)

    def previous(self) -> Period:
        return self.shifted(-1)

    def contains(self, other: Period | date) -> bool:
        """Whether a date, or a whole (shorter or equal) period, lies inside this one."""
        if isinstance(other, Period):
            return self.start <= other.start and other.end <= self.end
        return self.start <= other <= self.end

    def year_to_date(self) -> tuple[Period, ...]:
        """The periods of this length from the year's start to this one, in order: what a
        to-date total (本年累计) of a flow adds up (2025Q3 → 2025Q1, 2025Q2, 2025Q3)."""
        return tuple(
            Period.of(self.frequency, self.year, index) for index in range(1, self.index + 1)
        )

    def month_periods(self) -> tuple[Period, ...]:
        """The months this period is made of, in order."""
        return tuple(
            Period(self.year, m, 1)
            for m in range(self.first_month, self.last_month.first_month + 1)
        )

    def __str__(self) -> str:
        return self.id


def due_date(period: Period, due_day: int) -> date:
    """Day `due_day` of the month after `period` ends, clamped to that month's length."""
    if isinstance(due_day, bool) or not isinstance(due_day, int) or not 1 <= due_day <= 31:
        raise InvalidInput(
            f"截止日应为 1–31 之间的整数，而不是 {due_day}",
            details={"due_day": "截止日应为 1–31 之间的整数"},
        )
    following = period.last_month.next()
    last_day = calendar.monthrange(following.year, following.first_month)[1]
    return date(following.year, following.first_month, min(due_day, last_day))


def reference_month_for(period_or_date: Period | date) -> Period:
    """The reference month of the merged form a report joins: the last month of its
    period, or for a one-off report the month holding its reference date."""
    if isinstance(period_or_date, Period):
        return period_or_date.last_month
    return Period.containing(period_or_date, "monthly")


def period_length_word(frequency: str) -> str:
    """本月 / 本季度 / 本半年 / 本年 (本次 for one-off), for field labels."""
    return PERIOD_LENGTH_WORDS[require_frequency(frequency)]
