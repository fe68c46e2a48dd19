from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from app import clock
from app.cli.session import command_session
from app.database import database
from app.demo import demo_logins, load_demo
from app.migrations import drop_everything, upgrade_to_head


@click.command(
    "demo", help="Create the database, apply migrations, load the demo, print the logins."
)
@with_appcontext
@click.option("--reset", is_flag=True, help="先清空数据库再重建演示数据")
def demo_command(reset: bool) -> None:
    url = current_app.config["DATABASE_URL"]
    if reset:
        database(current_app).engine.dispose()  # no pooled connection may outlive the drop
        drop_everything(url)
    upgrade_to_head(url)
    with command_session() as session:
        loaded = load_demo(session, today=clock.today())
    click.echo("演示数据已载入" if loaded else "演示数据已存在（用 --reset 重建）")
    click.echo(f"数据库：{url}")
    click.echo("演示账号（用户名 / 密码）：")
    for login in demo_logins():
        click.echo(f"  {login.username:<10} {login.password:<15} {login.description}")
