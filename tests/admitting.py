"""Test set-up: a report from a JSON definition, confirmed, applied for and approved."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from admission.models import Admission
from admission.shortcuts import admit_definition
from forms_registry.accounts.service import get_user
from tests.run_day import RUN_DAY

COUNTY = "439901000000"
# per-period counts no demo report asks: a monthly report of them gives 50+ writable cells
MANY = (
    "HAZARDS_CHECKED",
    "HAZARDS_FIXED",
    "GRID_EVENTS",
    "GRID_EVENTS_CLOSED",
    "DISPUTES_CHECKED",
    "DISPUTES_RESOLVED",
    "PETITIONS",
    "BIRTHS",
    "DEATHS",
    "MIGR_IN",
    "MIGR_OUT",
    "MEDICAL_RELIEF",
    "TEMP_RELIEF_HH",
    "PARTY_NEW",
    "SKILL_TRAINING",
    "NEW_URBAN_JOBS",
    "ENLISTED",
    "TOILET_RENOVATED",
    "CULTURE_EVENTS",
    "ACCIDENTS",
    "ACCIDENT_DEATHS",
    "FIRES",
    "DISASTER_AFFECTED",
    "EVACUATED",
    "HOG_SLAUGHTER",
    "POULTRY_SLAUGHTER",
    "TOURISTS",
    "HOUSE_RENOVATION_STARTED",
    "HOUSE_SAFETY_CHECKED",
    "ELDER_HEALTH_MGMT",
    "CHILD_HEALTH_MGMT",
    "MATERNAL_MGMT",
    "WOMEN_CANCER_SCREENING",
    "HOG_STOCK",
    "CATTLE_STOCK",
    "SHEEP_STOCK",
    "POULTRY_STOCK",
    "SOW_STOCK",
    "MARKET_ENTITIES",
    "ENTERPRISES",
    "INDIVIDUAL_BUSINESSES",
    "MONITORED_HH",
    "MONITORED_P",
    "REGISTERED_UNEMPLOYED",
    "PUBLIC_WELFARE_JOBS",
    "DROPOUTS",
    "ORPHAN",
    "DIFFICULT_CHILD",
    "LEFTBEHIND_WOMEN",
    "LEFTBEHIND_ELDER",
)
MANY_FIELDS_REPORT = {
    "title": "基层动态情况月报（并发测试）",
    "frequency": "monthly",
    "level": "village",
    "owner": "县民政局",
    "fields": [{"label": f"动态指标{i}", "element": code} for i, code in enumerate(MANY)],
}


def admit(session, definition: dict, *, scope: str = COUNTY, days_ago: int = 70) -> str:
    """Admit a JSON definition as the demo owner, approved by the demo reviewer `days_ago`
    days ago: the report code."""
    started = RUN_DAY - timedelta(days=days_ago)
    report = admit_definition(
        session,
        definition,
        owner=get_user(session, "owner"),
        reviewer=get_user(session, "reviewer"),
        scope=scope,
        valid_from=started,
        valid_to=started + timedelta(days=1000),
    )
    session.commit()
    return report.code


def backdate_admissions(session, days: int = 400) -> None:
    """Every admission begun `days` earlier: the demo's reports, admitted 70 days ago, then
    also hold the forms of earlier months (last December closes every period length)."""
    for admission in session.scalars(select(Admission)):
        admission.valid_from -= timedelta(days=days)
    session.flush()
