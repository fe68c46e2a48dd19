"""Today and now as the app sees them: the configured time zone's calendar day (the
township's day, not the server's); without a time zone (tests), the machine's own day."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app

from forms_registry.db import utcnow


def today() -> date:
    zone = current_app.config.get("TIMEZONE")
    return datetime.now(ZoneInfo(zone)).date() if zone else date.today()


def now() -> datetime:
    return utcnow()
