"""Today and now as the app sees them: the configured time zone's calendar day (the
township's day, not the server's)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app

from forms_registry.db import utcnow


def today() -> date:
    return datetime.now(ZoneInfo(current_app.config["TIMEZONE"])).date()


def now() -> datetime:
    return utcnow()
