from __future__ import annotations

import click
from flask.cli import AppGroup

from app.cli.session import command_session
from forms_registry.accounts.models import ROLES
from forms_registry.accounts.service import NewUser, create_user, get_user, issue_api_token
from forms_registry.db import utcnow

users_group = AppGroup("users", help="User accounts and API tokens.")


@users_group.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--name", "display_name", default=None, help="显示名称")
@click.option("--org", "org_code", default=None, help="填报员所属行政区划代码（12 位）")
@click.option("--department", default=None, help="需求方所属部门名称")
@click.option("--phone", default=None)
def create(username, role, password, display_name, org_code, department, phone) -> None:
    with command_session() as session:
        create_user(
            session,
            NewUser(
                username=username,
                password=password,
                role=role,
                display_name=display_name,
                org_code=org_code,
                department=department,
                phone=phone,
            ),
        )
    click.echo(f"已创建用户 {username}（{role}）")


@users_group.command("token", help="Print a new bearer token for the API.")
@click.argument("username")
def token(username: str) -> None:
    with command_session() as session:
        secret = issue_api_token(session, get_user(session, username), now=utcnow())
    click.echo(secret)
