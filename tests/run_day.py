"""The test run's calendar day, read once when the run starts.

Every test and the app under test (through the session fixture pinning `app.clock.today`)
read this one day, so a run that crosses midnight still sees a single calendar: a page
rendered after midnight shows the same default dates as a module set up before it."""

from __future__ import annotations

from datetime import date

RUN_DAY: date = date.today()
