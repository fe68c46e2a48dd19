"""Which period of a report an export or a progress page asks for: the report's own period
form (2025-03 for a monthly report, 2025Q1 quarterly, 2025H1 half-yearly, 2025 yearly; a
one-off report's reference month), and the recent ones an owner picks from."""

from __future__ import annotations

from datetime import date

from forms_registry.errors import InvalidInput, NotFound
from forms_registry.periods import FREQUENCY_LABELS, Period
from forms_registry.reports.models import Report

PERIOD_FORMS = {
    "monthly": "2025-03",
    "quarterly": "2025Q1",
    "half_yearly": "2025H1",
    "yearly": "2025",
}
RECENT_PERIODS = 12


def _invalid(message: str) -> InvalidInput:
    return InvalidInput(message, details={"period": message})


def _reference_month(report: Report) -> Period | None:
    if report.reference_date is None:
        return None
    return Period.containing(report.reference_date, "monthly")


def export_period(report: Report, text: str | None) -> Period:
    """The period `text` names, when it is one of `report`'s; else InvalidInput in Chinese."""
    if text is None or not text.strip():
        raise _invalid("请选择要导出的周期")
    period = Period.parse(text)
    name = f"《{report.title}》（{report.code}）"
    if report.frequency == "one_off":
        month = _reference_month(report)
        if month is None or period != month:
            expected = f"其参考日期所在的月份 {month.id}" if month else "其参考日期所在的月份"
            raise _invalid(f"{name}是一次性报表，周期应为{expected}，而不是“{text.strip()}”")
        return period
    if period.frequency != report.frequency:
        raise _invalid(
            f"{name}是{FREQUENCY_LABELS[report.frequency]}，周期应写作 "
            f"{PERIOD_FORMS[report.frequency]} 这样的形式，而不是“{text.strip()}”"
        )
    return period


def report_period(report: Report, text: str | None, today: date) -> Period:
    """The period asked for, in the report's own form; by default the latest ended one."""
    if text and text.strip():
        return export_period(report, text)
    recent = recent_periods(report, today, 1)
    if not recent:
        raise NotFound(f"《{report.title}》还没有已结束的期次")
    return recent[0]


def recent_periods(report: Report, today: date, count: int = RECENT_PERIODS) -> list[Period]:
    """The report's last `count` periods that have ended by `today`, newest first."""
    if report.frequency == "one_off":
        month = _reference_month(report)
        return [month] if month is not None and month.end < today else []
    current = Period.containing(today, report.frequency)
    return [current.shifted(-step) for step in range(1, count + 1)]


def period_label(period: Period) -> str:
    """2025年3月, 2025年第1季度, 2025年上半年, 2025年."""
    match period.frequency:
        case "monthly":
            return f"{period.year}年{period.first_month}月"
        case "quarterly":
            return f"{period.year}年第{period.index}季度"
        case "half_yearly":
            return f"{period.year}年{'上' if period.index == 1 else '下'}半年"
        case _:
            return f"{period.year}年"
