from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from app.migrations import upgrade_to_head

db_group = AppGroup("db", help="Database schema (Alembic).")


@db_group.command("upgrade", help="Apply every migration up to the newest.")
def upgrade() -> None:
    upgrade_to_head(current_app.config["DATABASE_URL"])
    click.echo("数据库已升级到最新版本")
