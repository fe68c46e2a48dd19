"""Refresh a shared source's values from the hub, all or nothing, and the job rows that let a
page in another process follow a refresh.

`refresh_source` fetches and stores in one session. A long refresh should not hold a write
transaction while it waits on the network (SQLite has one writer lock), so the web layer
runs the two halves in a background thread, each with a session of its own, and commits
the job row after each step from a third::

    job_id = start_job(jobs, source, period=p, total=len(orgs), now=utcnow()).id
    jobs.commit()
    try:
        with readers() as reading:
            fetched = fetch_source(
                reading, reading.get(SharedSource, source_id), settings, org_codes=orgs,
                period=p,
                progress=lambda done, _: (record_progress(jobs, job_id, done), jobs.commit()),
            )
        with writers() as writing:
            summary = store_fetched(writing, writing.get(SharedSource, source_id), fetched,
                                    now=utcnow())
            finish_job(writing, job_id, summary, now=utcnow())
            writing.commit()
    except DomainError as error:  # also catch Exception, or a crash leaves it "running"
        fail_job(jobs, job_id, message=error.message, now=utcnow())
        jobs.commit()

A job left "running" by a dead process stops blocking new refreshes after STALE_AFTER.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from forms_registry.accounts.models import User
from forms_registry.errors import Conflict, InvalidInput, NotFound
from forms_registry.orgs.models import OrgUnit
from forms_registry.periods import Period
from prefill.hub import HubSettings, check_values, fetch
from prefill.models import RefreshJob, SharedSource
from prefill.shared_import import SharedRecord, store_shared_values

# A job still "running" after this long was left behind by a process that died.
STALE_AFTER = timedelta(minutes=30)


@dataclass(frozen=True)
class RefreshSummary:
    orgs: int
    values: int
    ignored: int  # values the hub sent for data elements not bound to the source

    @property
    def message(self) -> str:
        text = f"已从共享数据平台更新 {self.orgs} 个行政区划的 {self.values} 个数据"
        return text + (f"（忽略 {self.ignored} 个未绑定的指标值）" if self.ignored else "")


@dataclass(frozen=True)
class FetchedValues:
    """Every org unit's checked values, not stored yet."""

    records: list[SharedRecord]
    summary: RefreshSummary


def refresh_source(
    session: Session,
    source: SharedSource,
    settings: HubSettings,
    *,
    org_codes: Iterable[str],
    period: str,
    now: datetime,
    progress: Callable[[int, int], None] | None = None,
) -> RefreshSummary:
    """Fetch and check every org unit's values first; store them only if all succeeded."""
    fetched = fetch_source(
        session, source, settings, org_codes=org_codes, period=period, progress=progress
    )
    return store_fetched(session, source, fetched, now=now)


def fetch_source(
    session: Session,
    source: SharedSource,
    settings: HubSettings,
    *,
    org_codes: Iterable[str],
    period: str,
    progress: Callable[[int, int], None] | None = None,
) -> FetchedValues:
    """Ask the hub for each org unit in turn and check the answers; writes nothing.
    `progress(done, total)` is called after each org unit."""
    codes = list(dict.fromkeys(org_codes))
    period_id = _period_id(period)
    _require_orgs(session, codes)
    if not source.bindings:
        raise InvalidInput(f"共享数据源“{source.name}”还没有绑定任何指标")
    records: list[SharedRecord] = []
    ignored = 0
    for done, org_code in enumerate(codes, start=1):
        values = fetch(settings, source.code, org_code, period_id, source_name=source.name)
        checked = check_values(source, org_code, period_id, values)
        records.extend(checked.records)
        ignored += checked.ignored
        if progress is not None:
            progress(done, len(codes))
    return FetchedValues(records, RefreshSummary(len(codes), len(records), ignored))


def store_fetched(
    session: Session, source: SharedSource, fetched: FetchedValues, *, now: datetime
) -> RefreshSummary:
    if fetched.records:
        store_shared_values(session, source, fetched.records, now=now)
    return fetched.summary


def _period_id(period: str) -> str:
    return Period.parse(period.strip()).id


def _require_orgs(session: Session, codes: list[str]) -> None:
    if not codes:
        raise InvalidInput("没有要更新的行政区划")
    known = set(session.scalars(select(OrgUnit.code).where(OrgUnit.code.in_(codes))))
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise InvalidInput("未知的行政区划代码：" + "、".join(unknown[:20]))


def start_job(
    session: Session,
    source: SharedSource,
    *,
    period: str,
    total: int,
    now: datetime,
    created_by: User | None = None,
) -> RefreshJob:
    """A running job; Conflict while another recent refresh of the source is running."""
    running = session.scalar(
        select(RefreshJob)
        .where(
            RefreshJob.source_id == source.id,
            RefreshJob.status == "running",
            RefreshJob.started_at > now - STALE_AFTER,
        )
        .limit(1)
    )
    if running is not None:
        raise Conflict(
            f"“{source.name}”正在更新（已完成 {running.done}/{running.total}），请等它完成后再试"
        )
    job = RefreshJob(
        source=source,
        period=_period_id(period),
        total=total,
        done=0,
        status="running",
        message="",
        started_at=now,
        created_by=created_by,
    )
    session.add(job)
    session.flush()
    return job


def get_job(session: Session, job_id: int) -> RefreshJob:
    job = session.get(RefreshJob, job_id, populate_existing=True)
    if job is None:
        raise NotFound("没有这个更新任务")
    return job


def record_progress(session: Session, job_id: int, done: int) -> None:
    job = get_job(session, job_id)
    job.done = min(done, job.total)
    session.flush()


def finish_job(session: Session, job_id: int, summary: RefreshSummary, *, now: datetime) -> None:
    job = get_job(session, job_id)
    job.status, job.done, job.message, job.finished_at = "done", job.total, summary.message, now
    session.flush()


def fail_job(session: Session, job_id: int, *, message: str, now: datetime) -> None:
    job = get_job(session, job_id)
    job.status, job.message, job.finished_at = "failed", message, now
    session.flush()
