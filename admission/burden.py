"""The reporting burden per township and year (负担看板): admitted reports that apply there,
and over the merged forms submitted that year, the fields the reports ask in total, the
unique fields after merging, the fields typed by hand, those prefilled, and the hours saved.

Figures come from the submitted forms' merged schemas (`form_plan`, as the admissions stood
on the day of submission) and the sources of the values stored for them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from admission.collection import form_plan
from admission.due import applies_to
from admission.findings import BurdenSettings
from admission.models import Admission
from admission.plan_memo import PlanMemo
from admission.queries import valid_admissions
from forms_registry.errors import InvalidInput
from forms_registry.merge import MergedSchema
from forms_registry.orgs.models import OrgUnit
from forms_registry.periods import MAX_YEAR, MIN_YEAR, Period
from prefill.models import DataValue, FormState
from prefill.resolution import element_ids

PREFILLED_SOURCES = ("shared", "carried")


@dataclass(frozen=True)
class BurdenFigures:
    reports: int  # admitted reports in force during the year that apply here
    forms: int  # merged forms submitted
    asked: int  # fields the reports ask in total, summed over the forms
    unique: int  # fields after merging
    typed: int  # fields typed by hand
    prefilled: int  # fields filled from shared data or carried from an earlier period
    minutes_per_field: Decimal

    @property
    def not_typed(self) -> int:
        return self.asked - self.typed

    @property
    def prefilled_percent(self) -> Decimal | None:
        return _percent(self.prefilled, self.unique)

    @property
    def saved_percent(self) -> Decimal | None:
        """减填率: the share of the reports' fields nobody had to type."""
        return _percent(self.not_typed, self.asked)

    @property
    def hours_saved(self) -> Decimal:
        hours = Decimal(self.not_typed) * self.minutes_per_field / 60
        return hours.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class TownshipBurden:
    township: OrgUnit
    figures: BurdenFigures


@dataclass(frozen=True)
class BurdenDashboard:
    year: int
    years: tuple[int, ...]  # years holding submitted forms, and the one shown
    townships: tuple[TownshipBurden, ...]
    total: BurdenFigures


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def burden_years(session: Session) -> list[int]:
    months = session.scalars(
        select(FormState.month).where(FormState.status == "submitted").distinct()
    )
    return sorted({int(month[:4]) for month in months})


def burden_dashboard(
    session: Session, year: int | None, today: date, settings: BurdenSettings
) -> BurdenDashboard:
    """One row per township (its own forms and its villages'); by default the newest year
    holding submitted forms."""
    years = burden_years(session)
    if year is None:
        year = years[-1] if years else today.year
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise InvalidInput(f"年份超出范围：{year}", details={"year": "年份超出范围"})
    townships = list(
        session.scalars(select(OrgUnit).where(OrgUnit.level == "township").order_by(OrgUnit.code))
    )
    in_force = _admissions_in_force(session, year, today)
    plans = _PlanCache(session)
    rows, all_reports = [], set()
    for township in townships:
        units = [township, *township.children]
        reports = {
            admission.version.report_id
            for admission in in_force
            if any(applies_to(admission, unit) for unit in units)
        }
        all_reports |= reports
        rows.append(
            TownshipBurden(township, _figures(session, units, year, plans, len(reports), settings))
        )
    total = BurdenFigures(
        reports=len(all_reports),
        forms=sum(row.figures.forms for row in rows),
        asked=sum(row.figures.asked for row in rows),
        unique=sum(row.figures.unique for row in rows),
        typed=sum(row.figures.typed for row in rows),
        prefilled=sum(row.figures.prefilled for row in rows),
        minutes_per_field=settings.minutes_per_field,
    )
    return BurdenDashboard(
        year=year, years=tuple(sorted({*years, year})), townships=tuple(rows), total=total
    )


def _admissions_in_force(session: Session, year: int, today: date) -> list[Admission]:
    """Admissions approved at some time of the year up to today: still standing, expired
    since, or revoked since."""
    start, end = date(year, 1, 1), min(date(year, 12, 31), today)
    if end < start:
        return []  # a year still to come
    admissions = session.scalars(
        select(Admission).where(
            Admission.code.is_not(None),
            Admission.status.in_(("approved", "revoked")),
            Admission.valid_from <= end,
            Admission.valid_to >= start,
        )
    )
    return [
        admission
        for admission in admissions
        if admission.revoked_at is None or admission.revoked_at.date() >= start
    ]


class _PlanCache:
    """Merged schemas shared by the forms of one month whose units the same admissions
    apply to (every village of a county, usually), so each is merged once."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._valid: dict[date, list[Admission]] = {}
        self._schemas: dict[tuple, MergedSchema] = {}
        self._memo = PlanMemo()  # report specs, shared by the schemas merged here

    def schema(self, org: OrgUnit, month: Period, as_of: date) -> MergedSchema:
        if as_of not in self._valid:
            self._valid[as_of] = valid_admissions(self.session, as_of)
        applicable = frozenset(a.id for a in self._valid[as_of] if applies_to(a, org))
        key = (month.id, as_of, applicable)
        if key not in self._schemas:
            self._schemas[key] = form_plan(self.session, org, month, as_of, self._memo).schema
        return self._schemas[key]


def _figures(
    session: Session,
    units: list[OrgUnit],
    year: int,
    plans: _PlanCache,
    reports: int,
    settings: BurdenSettings,
) -> BurdenFigures:
    by_id = {unit.id: unit for unit in units}
    states = list(
        session.scalars(
            select(FormState).where(
                FormState.org_unit_id.in_(list(by_id)),
                FormState.status == "submitted",
                FormState.month.like(f"{year:04d}-%"),
            )
        )
    )
    sources = {
        (row.org_unit_id, row.element_id, row.period): row.source
        for row in session.scalars(
            select(DataValue).where(
                DataValue.org_unit_id.in_({state.org_unit_id for state in states}),
                DataValue.period.like(f"{year:04d}%"),
            )
        )
    }
    schemas = [
        (
            state.org_unit_id,
            plans.schema(
                by_id[state.org_unit_id],
                Period.parse_month(state.month),
                (state.submitted_at or state.updated_at).date(),
            ),
        )
        for state in states
    ]
    elements = element_ids(
        session, sorted({field.element for _, schema in schemas for field in schema.fields})
    )
    asked = unique = typed = prefilled = 0
    for org_id, schema in schemas:
        asked += schema.stats["report_fields"]
        unique += schema.stats["merged_fields"]
        found = _sources(org_id, schema, elements, sources)
        typed += sum(1 for source in found if source == "entered")
        prefilled += sum(1 for source in found if source in PREFILLED_SOURCES)
    return BurdenFigures(
        reports=reports,
        forms=len(states),
        asked=asked,
        unique=unique,
        typed=typed,
        prefilled=prefilled,
        minutes_per_field=settings.minutes_per_field,
    )


def _sources(org_id: int, schema: MergedSchema, elements, sources) -> list[str | None]:
    return [
        sources.get((org_id, elements[field.element].id, field.period))
        for field in schema.fields
        if field.element in elements
    ]
