"""Writing many rows fast: COPY on PostgreSQL, executemany on SQLite, in batches, each
batch its own transaction. Rows carry their ids where other rows refer to them; sequences
are moved past them afterwards."""

from __future__ import annotations

import json
from collections.abc import Iterable
from itertools import islice

from sqlalchemy import Engine, Table, insert, text

BATCH = 50_000


class BulkWriter:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.postgresql = engine.dialect.name == "postgresql"

    def write(self, table: Table, rows: Iterable[dict], *, with_ids: bool = True) -> int:
        """Insert every row; the count written."""
        written = 0
        iterator = iter(rows)
        while batch := list(islice(iterator, BATCH)):
            with self.engine.begin() as connection:
                if self.postgresql:
                    self._copy(connection, table, batch)
                else:
                    connection.execute(insert(table), batch)
            written += len(batch)
        if with_ids and self.postgresql and written:
            with self.engine.begin() as connection:
                connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"(SELECT max(id) FROM {table.name}))"
                    )
                )
        return written

    @staticmethod
    def _copy(connection, table: Table, batch: list[dict]) -> None:
        columns = list(batch[0])
        cursor = connection.connection.driver_connection.cursor()
        names = ", ".join(f'"{name}"' for name in columns)
        with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
            for row in batch:
                copy.write_row(
                    [
                        json.dumps(v, ensure_ascii=False) if isinstance(v, dict) else v
                        for v in row.values()
                    ]
                )
