"""Concurrent writers on a real database (real commits): SQLite's WAL + BEGIN IMMEDIATE
means nobody ever sees "database is locked"; PostgreSQL simply works."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select, text

from app.database import database
from app.demo import load_demo
from forms_registry.accounts.models import Department
from tests.conftest import make_test_app
from tests.helpers import login
from tests.run_day import RUN_DAY

pytestmark = pytest.mark.realdb
THREADS = 16
WRITES_PER_THREAD = 10


@pytest.fixture
def live_app(real_database):
    app = make_test_app(real_database)
    with database(app).writers() as session:
        load_demo(session, today=RUN_DAY)
        session.commit()
    yield app
    database(app).engine.dispose()


def test_sqlite_runs_in_wal_mode(live_app, backend):
    if backend != "sqlite":
        pytest.skip("SQLite only")
    with database(live_app).engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000


def test_read_then_write_transactions_never_see_a_locked_database(live_app):
    """Each transaction reads, then writes: in SQLite's default deferred mode two of these
    at once fail with "database is locked"; a write transaction here takes the lock first."""
    writers = database(live_app).writers

    def work(thread: int) -> None:
        for index in range(WRITES_PER_THREAD):
            with writers() as session:
                count = session.scalar(select(func.count(Department.id)))
                session.add(Department(name=f"并发测试局-{thread}-{index}-{count}"))
                session.commit()

    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(work, range(THREADS)))
    with writers() as session:
        stored = session.scalar(
            select(func.count(Department.id)).where(Department.name.like("并发测试局-%"))
        )
    assert stored == THREADS * WRITES_PER_THREAD


def test_concurrent_logins_all_succeed(live_app):
    def sign_in(_: int) -> int:
        return login(live_app.test_client(), "filler").status_code

    with ThreadPoolExecutor(THREADS) as pool:
        statuses = list(pool.map(sign_in, range(THREADS * 2)))
    assert statuses == [302] * (THREADS * 2)


def test_foreign_keys_are_enforced(live_app):
    from sqlalchemy.exc import IntegrityError

    with database(live_app).writers() as session, pytest.raises(IntegrityError):
        session.execute(
            text(
                "INSERT INTO org_unit (code, name, level, parent_id) VALUES ('111111111111', 'x', 'city', 987654)"
            )
        )
        session.flush()
