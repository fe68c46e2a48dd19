"""Concurrent saves of one merged form on a real database with real commits (SPEC.md
*Versions*): one winner per cell, disjoint cells all win, one submission id is stored once.
Nobody sees a 5xx or "database is locked"."""

from __future__ import annotations

import logging
import threading
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from app.database import database
from app.demo import load_demo
from forms_registry.elements.models import DataElement
from forms_registry.orgs.models import OrgUnit
from forms_registry.periods import Period
from prefill.models import DataValue, FormState, Submission, ValueChange
from tests.admitting import MANY, MANY_FIELDS_REPORT, admit
from tests.conftest import make_test_app
from tests.run_day import RUN_DAY

pytestmark = pytest.mark.realdb
WRITERS = 50
REPEATS = 100
MONTH = Period.containing(RUN_DAY, "monthly").previous()


@pytest.fixture(scope="module")
def live_app(new_database):
    app = make_test_app(new_database())
    with database(app).writers() as session:
        load_demo(session, today=RUN_DAY)
        admit(session, MANY_FIELDS_REPORT)
        session.commit()
    yield app
    database(app).engine.dispose()


@pytest.fixture(scope="module")
def tokens(live_app) -> dict[str, dict[str, str]]:
    runner = live_app.test_cli_runner()
    result = {}
    for username in ("filler", "township"):
        output = runner.invoke(args=["users", "token", username]).output.strip()
        result[username] = {"Authorization": f"Bearer {output}"}
    return result


@pytest.fixture(autouse=True)
def no_locked_database(caplog):
    caplog.set_level(logging.WARNING)
    yield
    assert "database is locked" not in caplog.text
    assert "unhandled error" not in caplog.text


def put_all(app, headers: dict, bodies: list[dict], org: str) -> list[tuple[int, dict]]:
    """Send every body at once, each from its own client and thread."""
    start = threading.Barrier(len(bodies))
    url = f"/api/v1/orgs/{org}/periods/{MONTH.id}/values"

    def send(body: dict) -> tuple[int, dict]:
        client = app.test_client()
        start.wait()
        response = client.put(url, json=body, headers=headers)
        return response.status_code, response.get_json()

    with ThreadPoolExecutor(len(bodies)) as pool:
        return list(pool.map(send, bodies))


def body(values: dict, version: int, submission_id: str | None = None) -> dict:
    return {
        "submission_id": submission_id or str(uuid.uuid4()),
        "version": version,
        "values": values,
    }


def form_version(app, org: str) -> int:
    with database(app).readers() as session:
        return (
            session.scalar(
                select(FormState.version)
                .join(OrgUnit, OrgUnit.id == FormState.org_unit_id)
                .where(OrgUnit.code == org, FormState.month == MONTH.id)
            )
            or 0
        )


def cells(app, org: str) -> dict[str, tuple[str, int]]:
    """element code → (value, history rows) of the org's answers for the month."""
    with database(app).readers() as session:
        rows = session.execute(
            select(DataElement.code, DataValue.value, func.count(ValueChange.id))
            .join(DataElement, DataElement.id == DataValue.element_id)
            .join(OrgUnit, OrgUnit.id == DataValue.org_unit_id)
            .outerjoin(ValueChange, ValueChange.data_value_id == DataValue.id)
            .where(OrgUnit.code == org, DataValue.period == MONTH.id)
            .group_by(DataElement.code, DataValue.value)
        ).all()
    return {code: (value, count) for code, value, count in rows}


def test_fifty_writers_to_one_cell_from_one_version_one_wins(live_app, tokens):
    org, headers = "439901100201", tokens["filler"]
    client = live_app.test_client()
    url = f"/api/v1/orgs/{org}/periods/{MONTH.id}/values"
    # the cell already holds an answer, so every writer has read the same stored row
    assert client.put(url, json=body({"DANGER_HOUSE": 1}, 0), headers=headers).status_code == 200
    version = form_version(live_app, org)

    results = put_all(
        live_app, headers, [body({"DANGER_HOUSE": 100 + i}, version) for i in range(WRITERS)], org
    )

    statuses = Counter(status for status, _ in results)
    assert statuses == {200: 1, 409: WRITERS - 1}
    winner = next(answer for status, answer in results if status == 200)
    assert winner["version"] == version + 1
    winning_value = next(str(100 + i) for i, (status, _) in enumerate(results) if status == 200)
    for status, answer in results:
        if status == 409:
            assert [c["element"] for c in answer["conflicts"]] == ["DANGER_HOUSE"]
            assert answer["conflicts"][0]["theirs"] == winning_value
    assert cells(live_app, org)["DANGER_HOUSE"] == (winning_value, 2)  # the first save + 1
    assert form_version(live_app, org) == version + 1


def test_fifty_writers_to_fifty_cells_from_one_version_all_succeed(live_app, tokens):
    org, headers = "439901100204", tokens["township"]
    version = form_version(live_app, org)
    keys = MANY[:WRITERS]

    results = put_all(
        live_app, headers, [body({key: i}, version) for i, key in enumerate(keys)], org
    )

    assert [status for status, _ in results] == [200] * WRITERS
    assert sorted(answer["version"] for _, answer in results) == list(
        range(version + 1, version + WRITERS + 1)
    )
    stored = cells(live_app, org)
    assert {key: stored[key] for key in keys} == {key: (str(i), 1) for i, key in enumerate(keys)}
    assert form_version(live_app, org) == version + WRITERS


def test_one_submission_id_sent_a_hundred_times_is_stored_once(live_app, tokens):
    org, headers = "439901100205", tokens["township"]
    values = {"DANGER_HOUSE": 3, "HOUSE_FIXED": 4, "TEMP_RELIEF": 5}
    submission = str(uuid.uuid4())
    version = form_version(live_app, org)

    results = put_all(live_app, headers, [body(values, version, submission)] * REPEATS, org)

    assert [status for status, _ in results] == [200] * REPEATS
    answers = [answer for _, answer in results]
    assert all(answer == answers[0] for answer in answers)
    assert (answers[0]["version"], answers[0]["changed"]) == (version + 1, 3)
    stored = cells(live_app, org)
    assert {key: stored[key] for key in values} == {
        "DANGER_HOUSE": ("3", 1),
        "HOUSE_FIXED": ("4", 1),
        "TEMP_RELIEF": ("5", 1),
    }
    assert form_version(live_app, org) == version + 1
    with database(live_app).readers() as session:
        assert session.scalar(select(func.count()).where(Submission.id == submission)) == 1
