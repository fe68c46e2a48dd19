from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from app.cli.session import command_session
from forms_registry.orgs.service import import_org_csv

orgs_group = AppGroup("orgs", help="Org units (administrative divisions).")


@orgs_group.command("import", help="Import org units from a CSV: code,name,level,parent_code.")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_command(path: Path) -> None:
    with command_session() as session:
        count = import_org_csv(session, path.read_text(encoding="utf-8-sig"))
    click.echo(f"已导入 {count} 个行政区划")
