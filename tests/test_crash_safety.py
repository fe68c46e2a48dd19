"""Crash safety (crashcheck/, `python -m crashcheck`): gunicorn workers SIGKILLed in the
middle of multi-field saves; every acknowledged save is whole in the database, no save is
partial, history and form versions agree, and the database checks clean (SQLite
integrity_check and foreign_key_check; PostgreSQL amcheck; foreign keys by query)."""

from __future__ import annotations

import sys

import pytest

pytestmark = pytest.mark.realdb
pytest.importorskip("gunicorn", reason="gunicorn (the dev extra) serves the app here")
if not sys.platform.startswith("linux"):
    pytest.skip("finds gunicorn's workers and their connections in /proc", allow_module_level=True)

from crashcheck.run import run  # noqa: E402

KILLS = 10
SEED = 20251128


def test_killing_workers_mid_save_loses_no_acknowledged_save_and_leaves_none_partial(
    real_database,
):
    report = run(real_database, rounds=KILLS, seed=SEED)
    print(report.summary())  # shown with -s, and on failure

    assert report.problems == [], report.summary()
    assert (report.partial_saves, report.missing_acknowledged) == (0, 0), report.summary()
    assert report.kills == KILLS and report.kills_mid_request > 0, report.summary()
    assert report.in_flight > 0, report.summary()  # kills cut saves off mid-request
    assert report.acknowledged > KILLS, report.summary()
    assert report.stored_saves == report.acknowledged + report.unacknowledged_stored
    assert report.ok
