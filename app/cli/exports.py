"""`reportonce export REPORT_CODE --period ID --format csv|xlsx -o FILE`: a department's
report back (数据回流) as a file, in its own columns, order, sections and units."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.orm import Session

from admission.export_periods import export_period
from admission.export_writers import write_csv, write_xlsx
from admission.exports import export_rows, plan_export
from app.database import database
from forms_registry.errors import DomainError
from forms_registry.reports.service import get_report

FORMATS = ("csv", "xlsx")


@contextmanager
def _reading_session() -> Iterator[Session]:
    """A read-only session (no write lock held while a long export runs)."""
    session = database(current_app).readers()
    try:
        yield session
    except DomainError as error:
        raise click.ClickException(error.message) from error
    finally:
        session.close()


def _format_of(chosen: str | None, output: Path) -> str:
    if chosen:
        return chosen
    return "xlsx" if output.suffix.lower() == ".xlsx" else "csv"


@click.command("export", help="Export a report's collected data as the owner laid it out.")
@with_appcontext
@click.argument("report_code")
@click.option(
    "--period", "period_id", required=True, help="报表自身的周期，如 2025-03、2025Q1、2025H1、2025"
)
@click.option(
    "--format", "file_format", type=click.Choice(FORMATS), default=None, help="默认按文件扩展名"
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="输出文件",
)
def export_command(report_code: str, period_id: str, file_format: str | None, output: Path) -> None:
    file_format = _format_of(file_format, output)
    partial = output.with_name(output.name + ".part")  # the named file appears only when whole
    with _reading_session() as session:
        report = get_report(session, report_code)
        plan = plan_export(session, report, export_period(report, period_id))
        try:
            if file_format == "csv":
                with partial.open("w", encoding="utf-8", newline="") as stream:
                    count = write_csv(plan, export_rows(session, plan), stream)
            else:
                count = write_xlsx(plan, export_rows(session, plan), str(partial))
            os.replace(partial, output)
        finally:
            partial.unlink(missing_ok=True)
    click.echo(f"已导出《{report.title}》{plan.period.id}：{count} 行 → {output}")
