"""Report codes: stable ASCII ids (R0001 …) used by /due, /form, merge and export."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from forms_registry.reports.models import Report

PREFIX = "R"


def next_report_code(session: Session) -> str:
    codes = session.scalars(select(Report.code).where(Report.code.like(f"{PREFIX}%")))
    numbers = [int(code[len(PREFIX) :]) for code in codes if code[len(PREFIX) :].isdigit()]
    return f"{PREFIX}{max(numbers, default=0) + 1:04d}"
