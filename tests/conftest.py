"""Fixtures (shared/DESIGN.md): a session-scoped migrated database with the demo world,
a per-test transaction rolled back at the end, and `app`, `client`, `runner` bound to it.

`pytest --db=postgresql` runs the same suite on a PostgreSQL server the session starts."""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker

from app import clock, create_app
from app.config import TestingConfig
from app.database import EXTENSION_KEY, Database, make_engine
from app.demo import load_demo
from app.migrations import upgrade_to_head
from tests import factories
from tests.pg_server import PostgresServer
from tests.run_day import RUN_DAY


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--db",
        choices=("sqlite", "postgresql"),
        default=os.environ.get("REPORTONCE_TEST_DB", "sqlite"),
        help="database backend for the whole run",
    )


def pytest_report_header(config: pytest.Config) -> str:
    return f"ReportOnce test database: {config.getoption('--db')}"


@pytest.fixture(scope="session", autouse=True)
def one_calendar_day() -> Iterator[None]:
    """The app's today is the run's day (tests/run_day.py), even past midnight."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(clock, "today", lambda: RUN_DAY)
        yield


@pytest.fixture(scope="session")
def backend(request: pytest.FixtureRequest) -> str:
    return request.config.getoption("--db")


@pytest.fixture(scope="session")
def new_database(
    backend: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[[], str]]:
    """Makes empty, migrated databases of the run's backend and returns their URLs."""
    counter = itertools.count(1)
    server = PostgresServer().start() if backend == "postgresql" else None

    def make() -> str:
        number = next(counter)
        if server is not None:
            url = server.create_database(f"reportonce_test_{number}")
        else:
            url = f"sqlite:///{tmp_path_factory.mktemp(f'db{number}') / 'test.db'}"
        upgrade_to_head(url)
        return url

    yield make
    if server is not None:
        server.stop()


@pytest.fixture(scope="session")
def engine(new_database: Callable[[], str]) -> Iterator[Engine]:
    """The shared test database: migrated once, the demo world committed once."""
    engine = make_engine(new_database())
    with Session(bind=engine) as session:
        load_demo(session, today=RUN_DAY)
        session.commit()
    yield engine
    engine.dispose()


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as connection:
        transaction = connection.begin()
        yield connection
        transaction.rollback()


def _sessions_on(connection: Connection) -> sessionmaker[Session]:
    return sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )


@pytest.fixture
def db_session(connection: Connection) -> Iterator[Session]:
    session = _sessions_on(connection)()
    factories.use_session(session)
    yield session
    session.close()


def make_test_app(url: str, **overrides):
    config = TestingConfig()
    config.DATABASE_URL = url
    for key, value in overrides.items():
        setattr(config, key, value)
    return create_app(config)


@pytest.fixture
def app(engine: Engine, connection: Connection, db_session: Session):
    """The app, every request's session joined to the test's rolled-back transaction."""
    application = make_test_app(engine.url.render_as_string(hide_password=False))
    application.extensions[EXTENSION_KEY].engine.dispose()
    sessions = _sessions_on(connection)
    application.extensions[EXTENSION_KEY] = Database(
        engine=engine, readers=sessions, writers=sessions
    )
    return application


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def bearer(runner) -> Callable[[str], dict[str, str]]:
    """Authorization headers with an API token of a demo user, one token per user a test."""
    tokens: dict[str, dict[str, str]] = {}

    def headers(username: str) -> dict[str, str]:
        if username not in tokens:
            result = runner.invoke(args=["users", "token", username])
            assert result.exit_code == 0, result.output
            tokens[username] = {"Authorization": f"Bearer {result.output.strip()}"}
        return tokens[username]

    return headers


@pytest.fixture
def real_database(new_database: Callable[[], str]) -> str:
    """A database of the test's own, for tests that need real commits (concurrency, CLI,
    browser, crash); it starts migrated and empty."""
    return new_database()
