"""Which reports belong to the merged form of a reference month (SPEC *Periods*)."""

from __future__ import annotations

from collections.abc import Iterable

from forms_registry.errors import InvalidInput
from forms_registry.merge.model import ReportSpec
from forms_registry.periods import Period


def report_period_in(report: ReportSpec, month: Period) -> Period | None:
    """The period `report` is filled for in the form of `month`, or None when it is not
    due there. A one-off report counts as a report of the month holding its reference date."""
    if report.frequency == "one_off":
        assert report.reference_date is not None  # ReportSpec guarantees it
        return month if month.contains(report.reference_date) else None
    return Period.ending_in(month, report.frequency)


def reports_due_in(reports: Iterable[ReportSpec], month: Period) -> list[tuple[ReportSpec, Period]]:
    """The reports due in the form of `month`, sorted by code, each with its period."""
    if month.frequency != "monthly":
        raise InvalidInput(f"合并表按月份生成，“{month.id}”不是月份")
    seen: set[str] = set()
    due: list[tuple[ReportSpec, Period]] = []
    for report in reports:
        if report.code in seen:
            raise InvalidInput(f"报表编码“{report.code}”重复出现")
        seen.add(report.code)
        period = report_period_in(report, month)
        if period is not None:
            due.append((report, period))
    return sorted(due, key=lambda pair: pair[0].code)
