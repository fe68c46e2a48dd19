"""Engines and one SQLAlchemy session per request (closed on teardown).

SQLite runs in WAL mode with a busy timeout, and a write request begins its transaction
with BEGIN IMMEDIATE, so it waits for the write lock up front instead of failing with
"database is locked" when it later tries to write."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

EXTENSION_KEY = "reportonce.db"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
SQLITE_BUSY_TIMEOUT_MS = 30_000


def _json_dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)  # Chinese stays searchable with LIKE


def make_engine(url: str, **kwargs) -> Engine:
    kwargs.setdefault("json_serializer", _json_dumps)
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        kwargs.setdefault("pool_pre_ping", True)
        return create_engine(url, **kwargs)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, **kwargs)
    _configure_sqlite(engine)
    return engine


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection) -> None:
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")


def writer(engine: Engine) -> Engine:
    """The same engine, but transactions take SQLite's write lock at BEGIN."""
    return engine.execution_options(sqlite_begin="IMMEDIATE")


@dataclass
class Database:
    engine: Engine
    readers: sessionmaker[Session]
    writers: sessionmaker[Session]


def bind(engine: Engine) -> Database:
    return Database(
        engine=engine,
        readers=sessionmaker(bind=engine, expire_on_commit=False),
        writers=sessionmaker(bind=writer(engine), expire_on_commit=False),
    )


def register_db(app: Flask) -> None:
    app.extensions[EXTENSION_KEY] = bind(make_engine(app.config["DATABASE_URL"]))
    app.teardown_appcontext(_close_session)


def database(app: Flask) -> Database:
    return app.extensions[EXTENSION_KEY]


def get_session() -> Session:
    """The request's session; a request that may write gets a write transaction."""
    if "db_session" not in g:
        db = database(current_app)
        wants_write = not has_request_context() or request.method not in SAFE_METHODS
        g.db_session = (db.writers if wants_write else db.readers)()
    return g.db_session


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()
