"""Refresh a shared source's values from the hub, all or nothing, and the job rows that let a
page in another process follow a refresh.

The web layer runs `refresh_source` in a background thread with its own session and, for
the job row, a second session committed after each step, e.g.::

    job = start_job(jobs, source, period=p, total=len(orgs), now=now, created_by=user)
    jobs.commit()
    try:
        summary = refresh_source(work, source, settings, org_codes=orgs, period=p, now=now,
                                 progress=lambda done, _: (record_progress(jobs, job.id, done),
                                                           jobs.commit()))
        work.commit()
        finish_job(jobs, job.id, summary, now=utcnow())
    except DomainError as error:
        work.rollback()
        fail_job(jobs, job.id, message=error.message, now=utcnow())
    jobs.commit()
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
    if records:
        store_shared_values(session, source, records, now=now)
    return RefreshSummary(orgs=len(codes), values=len(records), ignored=ignored)


def _period_id(period: str) -> str:
    try:
        return Period.parse(period.strip()).id
    except InvalidInput as exc:
        raise InvalidInput(f"期别 {period!r} 无效（应如 2025-03、2025Q1、2025）") from exc


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
