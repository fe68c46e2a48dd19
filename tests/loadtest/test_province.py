"""The province generator at a few dozen villages: the shape it promises, a consistent
earlier month, and forms the app really serves and accepts, sent by the load client
through gunicorn."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from admission.models import Admission
from app.database import make_engine
from forms_registry.elements.models import DataElement
from forms_registry.orgs.models import OrgUnit
from loadtest import client
from loadtest.province import build_province
from loadtest.server import Gunicorn
from loadtest.shape import Shape
from prefill.models import DataValue, FormState, SharedValue, Submission, ValueChange
from tests.run_day import RUN_DAY

pytestmark = pytest.mark.realdb
SHAPE = Shape.scaled(0.0005)  # every city, one county, township and village each


@pytest.fixture(scope="module")
def province(new_database):
    url = new_database()
    engine = make_engine(url)
    yield url, engine, build_province(engine, SHAPE, today=RUN_DAY)
    engine.dispose()


def count(engine, statement) -> int:
    with engine.connect() as connection:
        return connection.scalar(statement)


def test_the_province_has_its_shape(province):
    _, engine, generated = province
    with engine.connect() as connection:
        levels = dict(
            connection.execute(select(OrgUnit.level, func.count()).group_by(OrgUnit.level)).all()
        )
    assert levels == {"province": 1, "city": 14, "county": 14, "township": 14, "village": 14}
    assert count(engine, select(func.count(DataElement.id))) == 1500
    assert count(engine, select(func.count()).where(Admission.status == "approved")) == 100
    assert count(engine, select(func.count(SharedValue.id))) == 14 * 20
    assert len(generated.tokens) == 14
    assert sum(len(villages) for villages in generated.villages.values()) == 14


def test_the_month_before_is_submitted_by_every_unit_with_history(province):
    _, engine, generated = province
    month = generated.load_month.previous().id
    forms = count(engine, select(func.count()).where(FormState.month == month))
    assert forms == generated.counts["forms submitted"] == 28
    assert count(engine, select(func.count()).where(FormState.status != "submitted")) == 0
    assert count(engine, select(func.count()).select_from(Submission)) == forms
    values = count(engine, select(func.count(DataValue.id)))
    assert values == generated.counts["values submitted"]
    assert count(engine, select(func.count(ValueChange.id))) == values
    shared_answers = count(engine, select(func.count()).where(DataValue.source == "shared"))
    assert 0 < shared_answers <= 14 * 20


def test_month_end_load_submits_every_form_it_is_told_of(province):
    url, engine, generated = province
    server = Gunicorn(url, workers=1, threads=1).start()
    load = client.month_end(
        server.base, generated.load_month.id, generated.work(), seconds=60, concurrency=4
    )
    try:  # in a thread of its own: an earlier test's event loop may still run in this one
        with ThreadPoolExecutor(1) as pool:
            tally = pool.submit(asyncio.run, load).result()
    finally:
        server.stop()

    submitted = tally.summary("submit form")
    assert submitted["statuses"] == {200: 14}  # every village once, then the run ends
    assert tally.summary("get form")["statuses"] == {200: 14}
    month = generated.load_month.id
    assert (
        count(
            engine,
            select(func.count()).where(FormState.month == month, FormState.status == "submitted"),
        )
        == 14
    )
    assert tally.fields_sent > 14 * 150  # merged forms of about 200 typed fields
