"""Review findings for an admission application (statistical-survey approval practice):
what is already collected, what shared data provides, the new burden, frequency flags and
conflicts. Computed once at submission and stored with the application."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy.orm import Session

from admission.queries import valid_admissions
from forms_registry.merge import merge_reports
from forms_registry.periods import Period
from forms_registry.reports.merging import asked_fields, report_spec
from forms_registry.reports.models import FREQUENCY_NAMES, ReportVersion
from prefill.sources import shared_provisions

PERIODS_PER_YEAR = {"monthly": 12, "quarterly": 4, "half_yearly": 2, "yearly": 1, "one_off": 1}
SLOW_STABILITY = {"fixed": "基本不变", "yearly": "每年才变化一次"}


@dataclass(frozen=True)
class BurdenSettings:
    minutes_per_field: Decimal = Decimal("2")


def compute_findings(
    session: Session,
    version: ReportVersion,
    *,
    respondents: int,
    today: date,
    settings: BurdenSettings | None = None,
) -> dict:
    settings = settings or BurdenSettings()
    report = version.report
    admitted = [
        a
        for a in valid_admissions(session, today, with_definitions=True)
        if a.version.report_id != report.id
    ]
    provided = shared_provisions(session)
    uses: dict[str, list[dict]] = {}
    for admission in admitted:
        for field in asked_fields(admission.version):
            uses.setdefault(field.element.code, []).append(
                {
                    "report": admission.report.code,
                    "title": admission.report.title,
                    "owner": admission.report.department.name,
                    "label": field.label,
                    "admission": admission.code,
                }
            )
    duplicated, shareable, new, flags = [], [], [], []
    asked = asked_fields(version)
    for field in asked:
        element = field.element
        entry = {"element": element.code, "name": element.name, "label": field.label}
        if element.code in uses:
            duplicated.append(entry | {"used_by": uses[element.code]})
        if element.code in provided:
            source = provided[element.code]
            shareable.append(
                entry | {"source": source.source_code, "source_name": source.source_name}
            )
        if element.code not in uses and element.code not in provided:
            new.append(entry)
        if PERIODS_PER_YEAR[report.frequency] > 1 and element.stability in SLOW_STABILITY:
            flags.append(
                entry
                | {
                    "stability": element.stability,
                    "message": f"“{field.label}”{SLOW_STABILITY[element.stability]}，"
                    f"按{FREQUENCY_NAMES[report.frequency]}收集会让基层重复填报",
                }
            )
    return {
        "duplicated": duplicated,
        "shareable": shareable,
        "new": new,
        "frequency_flags": flags,
        "conflicts": _conflicts(version, [a.version for a in admitted], today),
        "burden": _burden(report.frequency, len(asked), len(new), respondents, settings),
    }


def _conflicts(version: ReportVersion, admitted: list[ReportVersion], today: date) -> list[dict]:
    """Run the merge engine over this report and the admitted ones at its level, in a month
    that closes every period length, and keep the conflicts this report takes part in."""
    code = version.report.code
    same_level = [v for v in admitted if v.report.level == version.report.level]
    december = Period.parse_month(f"{today.year}-12")
    schema = merge_reports([report_spec(v) for v in [version, *same_level]], december)
    return [conflict.to_json() for conflict in schema.conflicts if code in conflict.reports]


def _burden(
    frequency: str, asked: int, new: int, respondents: int, settings: BurdenSettings
) -> dict:
    """Hours a year = fields × respondents × periods a year × minutes a field ÷ 60."""
    periods = PERIODS_PER_YEAR[frequency]

    def hours(fields: int) -> str:
        total = Decimal(fields * respondents * periods) * settings.minutes_per_field / 60
        return str(total.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))

    return {
        "respondents": respondents,
        "periods_per_year": periods,
        "minutes_per_field": str(settings.minutes_per_field),
        "fields_asked": asked,
        "fields_new": new,
        "hours_asked": hours(asked),
        "hours_new": hours(new),
    }
