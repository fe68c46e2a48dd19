"""The world a check runs in: a new database, migrated, with the demo, the 50-field
monthly report admitted and an API token for the township filler."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from app import clock, create_app
from app.config import Config, TestingConfig
from app.database import database
from app.demo import DEMO_TOWNSHIP, load_demo
from app.migrations import upgrade_to_head
from crashcheck import CrashCheckError
from forms_registry.accounts.service import get_user, issue_api_token
from forms_registry.db import utcnow
from forms_registry.orgs.models import OrgUnit
from forms_registry.periods import Period
from tests.admitting import MANY_FIELDS_REPORT, admit
from tests.pg_server import PostgresServer

FILLER = "township"  # fills 东岭镇 and, on their behalf, its villages


@dataclass(frozen=True)
class World:
    url: str
    backend: str
    month: str
    token: str
    orgs: tuple[str, ...]
    timezone: str


def prepare(url: str) -> World:
    """Migrate the database, load the demo and admit the 50-field report; a filler token."""
    upgrade_to_head(url)
    config = TestingConfig()
    config.DATABASE_URL = url
    config.TIMEZONE = Config.TIMEZONE  # the server's calendar day (production config)
    app = create_app(config)
    db = database(app)
    try:
        with app.app_context():
            today = clock.today()
        with db.writers() as session:
            if not load_demo(session, today=today):
                raise CrashCheckError(f"{url} already holds data: give a new, empty database")
            admit(session, MANY_FIELDS_REPORT)
            token = issue_api_token(session, get_user(session, FILLER), now=utcnow())
            township = session.scalar(select(OrgUnit).where(OrgUnit.code == DEMO_TOWNSHIP))
            orgs = tuple(child.code for child in township.children if child.level == "village")
            session.commit()
    finally:
        db.engine.dispose()
    return World(
        url=url,
        backend=db.engine.dialect.name,
        month=Period.containing(today, "monthly").previous().id,
        token=token,
        orgs=orgs,
        timezone=Config.TIMEZONE or "",
    )


@contextmanager
def fresh_database(backend: str) -> Iterator[str]:
    """A new database of `backend`: a SQLite file in a temporary directory, or a database on
    a throw-away PostgreSQL server."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="reportonce-crash-db-") as directory:
            yield f"sqlite:///{Path(directory) / 'crash.db'}"
        return
    server = PostgresServer().start()
    try:
        yield server.create_database("reportonce_crash")
    finally:
        server.stop()
