"""`reportonce shared …`: shared data sources, file imports and hub refreshes."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.cli.session import command_session
from app.database import database
from forms_registry.db import utcnow
from forms_registry.errors import NotFound
from forms_registry.orgs.models import LEVELS, OrgUnit
from prefill.hub import HubSettings
from prefill.models import SharedSource, SharedValue
from prefill.refresh import fetch_source, store_fetched
from prefill.shared_import import import_shared_file

shared_group = AppGroup("shared", help="Shared data sources (省大数据总枢纽).")


def _source(session: Session, code: str) -> SharedSource:
    source = session.scalar(select(SharedSource).where(SharedSource.code == code.upper()))
    if source is None:
        raise NotFound(f"没有编码为 {code} 的共享数据源（可用 reportonce shared list 查看）")
    return source


@shared_group.command("list", help="List the sources, their bound elements and value counts.")
def list_command() -> None:
    with command_session() as session:
        counts = dict(
            session.execute(
                select(SharedValue.source_id, func.count(SharedValue.id)).group_by(
                    SharedValue.source_id
                )
            ).all()
        )
        sources = list(session.scalars(select(SharedSource).order_by(SharedSource.code)))
        if not sources:
            click.echo("还没有共享数据源")
        for source in sources:
            click.echo(f"{source.code}  {source.name}  已有 {counts.get(source.id, 0)} 个数据")
            for binding in sorted(source.bindings, key=lambda b: b.element.code):
                correctable = "，可更正" if binding.correctable else ""
                click.echo(
                    f"  {binding.element.code:<16} {binding.element.name}"
                    f"（源字段 {binding.source_field}{correctable}）"
                )


@shared_group.command("import", help="Import a CSV/XLSX: org_code, period, one column per element.")
@click.argument("source_code")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_command(source_code: str, path: Path) -> None:
    with command_session() as session:
        source = _source(session, source_code)
        count = import_shared_file(session, source, path.read_bytes(), path.name, now=utcnow())
        click.echo(f"已导入 {count} 个数据（{source.name}）")


@shared_group.command("refresh", help="Fetch a period's values for org units from the data hub.")
@click.argument("source_code")
@click.option("--period", required=True, help="期别，如 2025-03、2025Q1、2025")
@click.option("--url", "url_template", required=True, help="如 http://hub/{source}/{org}/{period}")
@click.option("--org", "org_codes", multiple=True, help="行政区划代码，可多次给出")
@click.option(
    "--level",
    type=click.Choice(LEVELS),
    default="village",
    show_default=True,
    help="未给出 --org 时更新这一级的全部行政区划",
)
@click.option("--timeout", type=float, default=5.0, show_default=True, help="每次请求的秒数")
@click.option("--retries", type=int, default=2, show_default=True, help="失败后重试次数")
def refresh_command(
    source_code: str,
    period: str,
    url_template: str,
    org_codes: tuple[str, ...],
    level: str,
    timeout: float,
    retries: int,
) -> None:
    with command_session() as session:
        settings = HubSettings(url_template, timeout=timeout, retries=retries)
        # Read and wait on the hub outside the write transaction: SQLite has one writer.
        with database(current_app).readers() as reading:
            source = _source(reading, source_code)
            codes = list(org_codes) or list(
                reading.scalars(
                    select(OrgUnit.code).where(OrgUnit.level == level).order_by(OrgUnit.code)
                )
            )
            with click.progressbar(
                length=len(codes), label=f"正在获取{source.name}", show_pos=True
            ) as bar:
                fetched = fetch_source(
                    reading,
                    source,
                    settings,
                    org_codes=codes,
                    period=period,
                    progress=lambda done, _total: bar.update(done - bar.pos),
                )
        summary = store_fetched(session, _source(session, source_code), fetched, now=utcnow())
    click.echo(summary.message)
