"""The console script against a database of its own (real commits)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.database import database
from forms_registry.accounts.models import User
from tests.conftest import make_test_app

pytestmark = pytest.mark.realdb


@pytest.fixture
def cli_app(real_database):
    app = make_test_app(real_database)
    yield app
    database(app).engine.dispose()


def test_demo_prints_the_logins_and_is_repeatable(cli_app):
    runner = cli_app.test_cli_runner()
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "演示数据已载入" in first.output
    for line in ("reviewer   reviewer-demo", "owner      owner-demo", "filler     filler-demo"):
        assert line in first.output
    again = runner.invoke(args=["demo"])
    assert "演示数据已存在（用 --reset 重建）" in again.output
    assert "filler     filler-demo" in again.output


def test_demo_reset_rebuilds_from_empty(cli_app):
    runner = cli_app.test_cli_runner()
    runner.invoke(args=["demo"])
    runner.invoke(
        args=["users", "create", "extra", "--role", "reviewer", "--password", "extra-pass-1"]
    )
    result = runner.invoke(args=["demo", "--reset"])
    assert result.exit_code == 0, result.output
    assert "演示数据已载入" in result.output
    database(cli_app).engine.dispose()
    with database(cli_app).readers() as session:
        assert session.scalar(select(func.count(User.id)).where(User.username == "extra")) == 0
        assert session.scalar(select(func.count(User.id)).where(User.username == "reviewer")) == 1


def test_users_create_validates_input(cli_app):
    runner = cli_app.test_cli_runner()
    runner.invoke(args=["demo"])
    result = runner.invoke(
        args=["users", "create", "v2", "--role", "filler", "--password", "long-enough-1"]
    )
    assert result.exit_code == 1
    assert "填报员须绑定行政区划" in result.output
    result = runner.invoke(
        args=[
            "users",
            "create",
            "v2",
            "--role",
            "filler",
            "--org",
            "439901101201",
            "--password",
            "long-enough-1",
        ]
    )
    assert result.exit_code == 0, result.output


def test_orgs_import_command(cli_app, tmp_path):
    runner = cli_app.test_cli_runner()
    runner.invoke(args=["db", "upgrade"])
    path = tmp_path / "orgs.csv"
    path.write_text("code,name,level,parent_code\n449900000000,测试市,city,\n", encoding="utf-8")
    result = runner.invoke(args=["orgs", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "已导入 1 个行政区划" in result.output
