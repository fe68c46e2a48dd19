"""Revisions that change what is stored, run on a dictionary of the revision before."""

from __future__ import annotations

import json

import pytest
from alembic import command
from sqlalchemy import text

from app.database import make_engine
from app.migrations import alembic_config, drop_everything, upgrade_to_head

pytestmark = pytest.mark.realdb


def _upgrade_to(url: str, revision: str) -> None:
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            config = alembic_config(url)
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    finally:
        engine.dispose()


def test_0008_counts_disaster_figures_in_person_times_and_cremations_in_bodies_too(new_database):
    url = new_database()
    drop_everything(url)
    _upgrade_to(url, "0007")
    engine = make_engine(url)
    insert = text(
        "INSERT INTO data_element (code, name, aliases, value_type, unit, kind, stability,"
        " description, category, status, version, updated_at) VALUES (:code, :code, '[]',"
        " 'integer', :unit, 'flow', 'period', '', '', 'active', 1, '2026-01-01 00:00:00')"
    )
    with engine.begin() as connection:
        connection.execute(insert, {"code": "DISASTER_AFFECTED", "unit": "人"})
        connection.execute(insert, {"code": "EVACUATED", "unit": "万人"})  # a reviewer's unit
        connection.execute(insert, {"code": "POP_REG", "unit": "人"})
        connection.execute(insert, {"code": "CREMATIONS", "unit": "人"})
    upgrade_to_head(url)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT code, also_counted_in FROM data_element"))
        stored = {
            code: json.loads(units) if isinstance(units, str) else units for code, units in rows
        }
    engine.dispose()
    assert stored == {
        "DISASTER_AFFECTED": ["人次"],
        "EVACUATED": [],
        "POP_REG": [],
        "CREMATIONS": ["具"],
    }
