from __future__ import annotations

from flask import Flask

from app.cli import demo, exports, migrate, orgs, registry, shared, users


def register_commands(app: Flask) -> None:
    app.cli.add_command(demo.demo_command)
    app.cli.add_command(migrate.db_group)
    app.cli.add_command(users.users_group)
    app.cli.add_command(orgs.orgs_group)
    app.cli.add_command(registry.elements_group)
    app.cli.add_command(registry.reports_group)
    app.cli.add_command(registry.merge_command)
    app.cli.add_command(shared.shared_group)
    app.cli.add_command(exports.export_command)
