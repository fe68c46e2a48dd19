"""`reportonce export` against a demo database of its own (real commits)."""

from __future__ import annotations

import csv

import pytest
from openpyxl import load_workbook

from app.database import database
from forms_registry.periods import Period
from tests.conftest import make_test_app
from tests.run_day import RUN_DAY

pytestmark = pytest.mark.realdb

SUBMITTED_MONTH = Period.containing(RUN_DAY, "monthly").shifted(-2)
VILLAGES = 13  # in the demo county, all in R0007's admitted scope
R0007_LABELS = ["行政区划代码", "村（社区）名称", "低保户数（户）", "低保人数（人）"]


@pytest.fixture(scope="module")
def runner(new_database):
    """One demo database for the module: exporting never changes it."""
    app = make_test_app(new_database())
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    yield runner
    database(app).engine.dispose()


def export(runner, *args: str):
    return runner.invoke(args=["export", *args])


def test_csv_export_writes_every_village_and_says_how_many(runner, tmp_path):
    target = tmp_path / "救助.csv"

    result = export(
        runner, "R0007", "--period", SUBMITTED_MONTH.id, "--format", "csv", "-o", str(target)
    )

    assert result.exit_code == 0, result.output
    assert f"{VILLAGES} 行" in result.output
    text = target.read_text(encoding="utf-8")
    assert text.startswith("\ufeff")
    header, *rows = list(csv.reader(text[1:].splitlines()))
    assert header[:4] == R0007_LABELS
    assert len(rows) == VILLAGES
    submitted = next(row for row in rows if row[0] == "439901100201")
    assert all(cell.isdigit() for cell in submitted[2:])


def test_xlsx_export_infers_the_format_from_the_file_name(runner, tmp_path):
    target = tmp_path / "out.xlsx"

    result = export(runner, "R0007", "--period", SUBMITTED_MONTH.id, "-o", str(target))

    assert result.exit_code == 0, result.output
    rows = list(load_workbook(target).active.iter_rows(values_only=True))
    assert list(rows[0][:4]) == R0007_LABELS
    assert len(rows) == VILLAGES + 1
    assert not (tmp_path / "out.xlsx.part").exists()


def test_a_period_of_the_wrong_frequency_is_refused_in_chinese(runner, tmp_path):
    target = tmp_path / "x.csv"

    result = export(runner, "R0007", "--period", "2025Q1", "--format", "csv", "-o", str(target))

    assert result.exit_code == 1
    assert "是月报，周期应写作 2025-03 这样的形式" in result.output
    assert not target.exists()


def test_a_quarterly_report_takes_a_quarter(runner, tmp_path):
    quarter = Period.containing(RUN_DAY, "quarterly").previous()
    wrong = export(runner, "R0008", "--period", SUBMITTED_MONTH.id, "-o", str(tmp_path / "a.csv"))
    right = export(runner, "R0008", "--period", quarter.id, "-o", str(tmp_path / "b.csv"))

    assert wrong.exit_code == 1 and "是季报" in wrong.output
    assert right.exit_code == 0, right.output


def test_an_unknown_report_is_named(runner, tmp_path):
    result = export(runner, "R9999", "--period", "2025", "-o", str(tmp_path / "x.csv"))

    assert result.exit_code == 1
    assert "未找到报表：R9999" in result.output
