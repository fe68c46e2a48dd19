"""`reportonce elements …`, `reportonce reports …` and `reportonce merge`."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask.cli import AppGroup, with_appcontext

from app.cli.session import command_session
from forms_registry.elements.service import load_starter_library
from forms_registry.importers.model import FREQUENCIES, LEVELS
from forms_registry.periods import Period
from forms_registry.reports.importing import ImportOptions, import_template
from forms_registry.reports.merging import merge_versions, mergeable_versions

elements_group = AppGroup("elements", help="The data element dictionary (指标库).")
reports_group = AppGroup("reports", help="Report templates and definitions.")


@elements_group.command("load", help="Load the starter library of common grassroots data elements.")
def load_elements() -> None:
    with command_session() as session:
        added = load_starter_library(session)
    click.echo(f"已载入 {added} 个指标")


@reports_group.command("import", help="Read an XLSX template, XLSForm or JSON definition.")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="只识别，不保存")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@click.option("--owner", default=None, help="所属部门，如 县民政局")
@click.option("--frequency", type=click.Choice(FREQUENCIES), default=None)
@click.option("--level", type=click.Choice(LEVELS), default=None)
def import_command(path: Path, dry_run: bool, as_json: bool, owner, frequency, level) -> None:
    options = ImportOptions(owner=owner, frequency=frequency, level=level, dry_run=dry_run)
    with command_session() as session:
        result = import_template(session, path.read_bytes(), path.name, options)
        output = result.to_json()
    if as_json:
        click.echo(json.dumps(output, ensure_ascii=False, indent=2))
        return
    click.echo(f"{output['title']}（{'未保存' if dry_run else output['code']}）")
    for field in output["fields"]:
        meaning = field["element"] or (f"[{field['role']}]" if field["role"] else "（未匹配）")
        if field.get("derivation"):
            meaning += "（本年累计，各期相加）"
        click.echo(f"  {field['label']:<24} → {meaning}  {field['confidence']:.2f}")


@click.command("merge", help="Print the merged schema of the reports due at LEVEL in MONTH.")
@with_appcontext
@click.option("--level", type=click.Choice(LEVELS), required=True)
@click.option("--period", "month", required=True, help="参考月份，如 2025-12")
@click.option("--reports", "report_codes", default=None, help="报表编码，逗号分隔")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
def merge_command(level: str, month: str, report_codes: str | None, as_json: bool) -> None:
    codes = (
        [code.strip() for code in report_codes.split(",") if code.strip()] if report_codes else None
    )
    with command_session() as session:
        schema = merge_versions(
            mergeable_versions(session, level=level, report_codes=codes), Period.parse_month(month)
        )
        output = schema.to_json()
    if as_json:
        click.echo(json.dumps(output, ensure_ascii=False, indent=2))
        return
    stats = output["stats"]
    click.echo(f"{month}：{stats['report_fields']} 个报表字段合并为 {stats['merged_fields']} 个")
    for field in output["fields"]:
        click.echo(
            f"  {field['key']:<28} {field['label']}（{field['unit'] or '-'}）← {','.join(field['reports'])}"
        )
    for conflict in output["conflicts"]:
        click.echo(f"  冲突：{conflict['message']}")
