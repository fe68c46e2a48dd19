"""Alembic environment: one metadata (every package's models), connection from the caller
when given (app/migrations.py), otherwise from sqlalchemy.url."""

from __future__ import annotations

from alembic import context

from app.database import make_engine
from app.models import metadata
from forms_registry.db import DecimalText, UTCDateTime

config = context.config


def render_item(type_, obj, autogen_context):
    """Render our TypeDecorators as plain SQLAlchemy types, so revisions import no app code."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    if type_ == "type" and isinstance(obj, DecimalText):
        return "sa.String(length=64)"
    return False


def run_migrations(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        run_migrations(connection)
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url"))
    with engine.begin() as connection:
        run_migrations(connection)
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported")
run_online()
