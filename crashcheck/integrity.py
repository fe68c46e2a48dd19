"""The database's own integrity checks: SQLite's integrity_check and foreign_key_check,
PostgreSQL's amcheck, and on both every foreign key of the schema by query."""

from __future__ import annotations

from sqlalchemy import Engine, and_, exists, func, select, text

from app.models import metadata
from crashcheck.report import Report


def _foreign_key_orphans(connection) -> tuple[int, list[str]]:
    """Every foreign key of the schema checked by query: rows whose reference is missing."""
    checked, broken = 0, []
    for table in metadata.sorted_tables:
        for constraint in table.foreign_key_constraints:
            parent = constraint.referred_table.alias("parent")
            pairs = [
                (element.parent, parent.c[element.column.name]) for element in constraint.elements
            ]
            orphans = connection.scalar(
                select(func.count())
                .select_from(table)
                .where(
                    and_(*(child.is_not(None) for child, _ in pairs)),
                    ~exists().where(and_(*(child == referred for child, referred in pairs))),
                )
            )
            checked += 1
            if orphans:
                broken.append(f"{orphans} rows of {table.name} break {constraint.name}")
    return checked, broken


def check_database(engine: Engine, report: Report) -> None:
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            integrity = [row[0] for row in connection.exec_driver_sql("PRAGMA integrity_check")]
            report.checks.append(f"integrity_check {' '.join(integrity)}")
            if integrity != ["ok"]:
                report.problems.append(f"integrity_check: {integrity[:10]}")
            violations = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
            report.checks.append(f"foreign_key_check {len(violations)} rows")
            if violations:
                report.problems.append(f"foreign_key_check: {violations[:10]}")
        elif engine.dialect.name == "postgresql":
            _amcheck(connection, report)
        checked, broken = _foreign_key_orphans(connection)
        report.checks.append(f"{checked} foreign keys checked by query, {len(broken)} broken")
        report.problems += broken


def _amcheck(connection, report: Report) -> None:
    connection.execute(text("CREATE EXTENSION IF NOT EXISTS amcheck"))
    connection.commit()
    indexes = connection.execute(
        text(
            "SELECT c.oid, c.relname FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid "
            "JOIN pg_am a ON a.oid = c.relam "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE a.amname = 'btree' AND n.nspname = current_schema() "
            "AND i.indisvalid AND i.indisready"
        )
    ).all()
    for oid, name in indexes:
        try:
            connection.execute(
                text("SELECT bt_index_check(index => :oid, heapallindexed => true)"),
                {"oid": oid},
            )
        except Exception as error:  # amcheck reports corruption as an error
            connection.rollback()
            report.problems.append(f"bt_index_check({name}): {error}")
    tables = connection.execute(
        text(
            "SELECT c.oid, c.relname FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind = 'r' AND n.nspname = current_schema()"
        )
    ).all()
    corrupt = 0
    for oid, name in tables:
        rows = connection.execute(
            text("SELECT * FROM verify_heapam(relation => :oid)"), {"oid": oid}
        ).all()
        if rows:
            corrupt += 1
            report.problems.append(f"verify_heapam({name}): {rows[:3]}")
    report.checks.append(
        f"amcheck: bt_index_check(heapallindexed) on {len(indexes)} B-tree indexes, "
        f"verify_heapam on {len(tables)} tables, {corrupt} corrupt"
    )
