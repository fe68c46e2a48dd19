"""One write session for a CLI command, committed once at the end."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click
from flask import current_app
from sqlalchemy.orm import Session

from app.database import database
from forms_registry.errors import DomainError


@contextmanager
def command_session() -> Iterator[Session]:
    session = database(current_app).writers()
    try:
        yield session
        session.commit()
    except DomainError as error:
        session.rollback()
        details = "".join(f"\n  {key}: {message}" for key, message in error.details.items())
        raise click.ClickException(error.message + details) from error
    finally:
        session.close()
