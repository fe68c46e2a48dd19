"""Refreshing a shared source from a real loopback hub: all or nothing, progress, jobs."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.database import make_engine, writer
from forms_registry.db import utcnow
from forms_registry.elements.service import load_starter_library
from forms_registry.errors import Conflict, DomainError, InvalidInput, NotFound
from forms_registry.orgs.models import OrgUnit
from forms_registry.orgs.service import import_org_csv
from forms_registry.periods import Period
from prefill.hub import HubSettings, HubUnavailable
from prefill.models import SharedSource, SharedValue
from prefill.refresh import (
    RefreshSummary,
    fail_job,
    fetch_source,
    finish_job,
    get_job,
    record_progress,
    refresh_source,
    start_job,
    store_fetched,
)
from prefill.sources import bind_element, get_or_create_source
from tests.prefill.hub_server import Reply, running_hub, values
from tests.run_day import RUN_DAY

NOW = datetime(2025, 4, 2, 3, 0, tzinfo=UTC)
EMPTY_PERIOD = "2020-01"  # the demo has no shared values this far back


@pytest.fixture
def hub():
    with running_hub() as server:
        yield server


@pytest.fixture
def huji(db_session) -> SharedSource:
    return db_session.scalar(select(SharedSource).where(SharedSource.code == "GA_HUJI"))


@pytest.fixture
def villages(db_session) -> list[str]:
    codes = db_session.scalars(
        select(OrgUnit.code).where(OrgUnit.level == "village").order_by(OrgUnit.code)
    )
    return list(codes)[:5]


def settings_for(hub) -> HubSettings:
    return HubSettings(hub.url_template, timeout=0.3, retries=1, backoff=0)


def stored(session: Session, period: str) -> dict[tuple[str, str], SharedValue]:
    rows = session.execute(
        select(OrgUnit.code, SharedValue)
        .join(OrgUnit, OrgUnit.id == SharedValue.org_unit_id)
        .where(SharedValue.period == period)
    )
    return {(code, value.element.code): value for code, value in rows}


def test_values_are_stored_with_the_source_and_fetch_time(db_session, hub, huji, villages):
    for number, code in enumerate(villages[:3], start=1):
        hub.script(code, values(POP_REG=1000 + number, HH_REG=f"{300 + number}", DIBAO_P=9))
    calls: list[tuple[int, int]] = []
    summary = refresh_source(
        db_session,
        huji,
        settings_for(hub),
        org_codes=villages[:3],
        period=EMPTY_PERIOD,
        now=NOW,
        progress=lambda done, total: calls.append((done, total)),
    )
    assert summary == RefreshSummary(orgs=3, values=6, ignored=3)
    assert (
        summary.message == "已从共享数据平台更新 3 个行政区划的 6 个数据（忽略 3 个未绑定的指标值）"
    )
    assert calls == [(1, 3), (2, 3), (3, 3)]
    rows = stored(db_session, EMPTY_PERIOD)
    assert {key: row.value for key, row in rows.items()} == {
        (villages[0], "POP_REG"): "1001",
        (villages[0], "HH_REG"): "301",
        (villages[1], "POP_REG"): "1002",
        (villages[1], "HH_REG"): "302",
        (villages[2], "POP_REG"): "1003",
        (villages[2], "HH_REG"): "303",
    }
    assert {(row.source.code, row.fetched_at) for row in rows.values()} == {("GA_HUJI", NOW)}


def test_a_refresh_updates_values_already_there(db_session, hub, huji, villages):
    month = Period.containing(RUN_DAY, "monthly").shifted(-1).id
    before = stored(db_session, month)[(villages[0], "POP_REG")]
    row_id, new_value = before.id, str(int(before.value) + 1)
    hub.script(villages[0], values(POP_REG=new_value))
    refresh_source(
        db_session, huji, settings_for(hub), org_codes=villages[:1], period=month, now=NOW
    )
    db_session.expire_all()
    after = stored(db_session, month)[(villages[0], "POP_REG")]
    assert (after.id, after.value, after.fetched_at) == (row_id, new_value, NOW)


def test_an_org_with_no_data_counts_but_adds_nothing(db_session, hub, huji, villages):
    hub.script(villages[0], Reply(404))
    hub.script(villages[1], values(POP_REG=5))
    summary = refresh_source(
        db_session, huji, settings_for(hub), org_codes=villages[:2], period=EMPTY_PERIOD, now=NOW
    )
    assert summary == RefreshSummary(orgs=2, values=1, ignored=0)
    assert list(stored(db_session, EMPTY_PERIOD)) == [(villages[1], "POP_REG")]


def test_a_hub_failure_midway_stores_nothing(db_session, hub, huji, villages):
    month = Period.containing(RUN_DAY, "monthly").shifted(-1).id
    before = {key: row.value for key, row in stored(db_session, month).items()}
    for code in villages:
        hub.script(code, values(POP_REG=7, HH_REG=3))
    hub.script(villages[2], Reply(503))
    calls: list[tuple[int, int]] = []
    with pytest.raises(HubUnavailable) as raised:
        refresh_source(
            db_session,
            huji,
            settings_for(hub),
            org_codes=villages,
            period=month,
            now=NOW,
            progress=lambda done, total: calls.append((done, total)),
        )
    assert raised.value.message == (
        "共享数据平台暂时无法访问（公安户籍人口库：HTTP 503），本次未更新任何数据，请稍后重试"
    )
    assert calls == [(1, 5), (2, 5)]
    assert [path.split("/")[3] for path in hub.requests] == villages[:2] + [villages[2]] * 2
    db_session.expire_all()
    assert {key: row.value for key, row in stored(db_session, month).items()} == before


def test_a_bad_value_from_any_org_stores_nothing(db_session, hub, huji, villages):
    hub.script(villages[0], values(POP_REG=7))
    hub.script(villages[1], values(POP_REG="很多"))
    with pytest.raises(InvalidInput) as raised:
        refresh_source(
            db_session,
            huji,
            settings_for(hub),
            org_codes=villages[:3],
            period=EMPTY_PERIOD,
            now=NOW,
        )
    assert raised.value.message == (
        f"共享数据平台返回的数据有误（公安户籍人口库，{villages[1]}：POP_REG（户籍人口）须为数字），"
        "本次未更新任何数据"
    )
    assert len(hub.requests) == 2
    assert stored(db_session, EMPTY_PERIOD) == {}


@pytest.mark.parametrize(
    ("orgs", "period", "message"),
    [
        (["439901100201", "999999999999"], "2025-03", "未知的行政区划代码：999999999999"),
        ([], "2025-03", "没有要更新的行政区划"),
        (
            ["439901100201"],
            "2025-13",
            "无法识别的周期“2025-13”：月份应为 01–12",
        ),
    ],
)
def test_bad_requests_are_refused_before_asking_the_hub(
    db_session, hub, huji, orgs, period, message
):
    with pytest.raises(InvalidInput) as raised:
        refresh_source(db_session, huji, settings_for(hub), org_codes=orgs, period=period, now=NOW)
    assert raised.value.message == message
    assert hub.requests == []


def test_job_rows_follow_a_refresh(db_session, huji):
    job = start_job(db_session, huji, period="2025-03", total=4, now=NOW)
    assert (job.status, job.done, job.period, job.message, job.finished_at) == (
        "running",
        0,
        "2025-03",
        "",
        None,
    )
    record_progress(db_session, job.id, 3)
    assert get_job(db_session, job.id).done == 3
    finish_job(db_session, job.id, RefreshSummary(4, 8, 0), now=NOW + timedelta(seconds=5))
    job = get_job(db_session, job.id)
    assert (job.status, job.done, job.message, job.finished_at) == (
        "done",
        4,
        "已从共享数据平台更新 4 个行政区划的 8 个数据",
        NOW + timedelta(seconds=5),
    )


def test_a_failed_job_keeps_the_message(db_session, huji):
    job = start_job(db_session, huji, period="2025-03", total=4, now=NOW)
    record_progress(db_session, job.id, 2)
    fail_job(db_session, job.id, message="共享数据平台暂时无法访问", now=NOW)
    job = get_job(db_session, job.id)
    assert (job.status, job.done, job.message, job.finished_at) == (
        "failed",
        2,
        "共享数据平台暂时无法访问",
        NOW,
    )


def test_one_running_refresh_per_source(db_session, huji):
    job = start_job(db_session, huji, period="2025-03", total=4, now=NOW)
    record_progress(db_session, job.id, 1)
    with pytest.raises(Conflict) as raised:
        start_job(db_session, huji, period="2025-03", total=4, now=NOW + timedelta(minutes=1))
    assert raised.value.message == "“公安户籍人口库”正在更新（已完成 1/4），请等它完成后再试"
    later = start_job(db_session, huji, period="2025-03", total=4, now=NOW + timedelta(hours=1))
    assert later.status == "running"  # the first one was left behind by a dead process


def test_an_unknown_job_is_not_found(db_session):
    with pytest.raises(NotFound):
        get_job(db_session, 987654)


@pytest.mark.realdb
def test_another_session_watches_a_background_refresh(real_database, hub):
    """The web layer's pattern: a thread refreshes with its own sessions, a page polls."""
    engine = make_engine(real_database)
    writers = sessionmaker(bind=writer(engine), expire_on_commit=False)
    readers = sessionmaker(bind=engine, expire_on_commit=False)
    codes = [f"4499011002{n:02d}" for n in range(1, 5)]
    with writers() as setup:
        load_starter_library(setup)
        import_org_csv(
            setup, "code,name,level\n" + "".join(f"{c},村{c[-2:]},village\n" for c in codes)
        )
        source = get_or_create_source(setup, "GA_HUJI", "公安户籍人口库")
        bind_element(setup, source, "POP_REG", source_field="hjrk")
        job_id = start_job(setup, source, period="2025-03", total=len(codes), now=utcnow()).id
        setup.commit()
    for number, code in enumerate(codes):
        hub.script(code, values(hjrk=number))
    hub.script(codes[2], Reply(200, {"values": {"hjrk": 2}}, delay=0.5))  # time to look
    outcome: list[BaseException] = []

    def work() -> None:
        with writers() as jobs:
            try:
                with readers() as reading:
                    fetched = fetch_source(
                        reading,
                        reading.get(SharedSource, source.id),
                        HubSettings(hub.url_template, timeout=2, retries=0),
                        org_codes=codes,
                        period="2025-03",
                        progress=lambda done, _: (
                            record_progress(jobs, job_id, done),
                            jobs.commit(),
                        ),
                    )
                with writers() as writing:
                    summary = store_fetched(
                        writing, writing.get(SharedSource, source.id), fetched, now=utcnow()
                    )
                    finish_job(writing, job_id, summary, now=utcnow())
                    writing.commit()
            except DomainError as error:
                fail_job(jobs, job_id, message=error.message, now=utcnow())
                jobs.commit()
                outcome.append(error)

    thread = threading.Thread(target=work)
    thread.start()
    seen: list[int] = []
    with readers() as page:
        while thread.is_alive():
            seen.append(get_job(page, job_id).done)
            page.rollback()
            thread.join(0.01)
        job = get_job(page, job_id)
        assert outcome == []
        assert (job.status, job.done) == ("done", 4), job.message
        assert seen == sorted(seen) and 2 in seen  # seen while the third org was slow
        assert page.scalar(select(func.count(SharedValue.id))) == 4
    engine.dispose()
