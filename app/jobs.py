"""Shared data refreshes run after the request: fetching with a read session (so the hub's
slowness never holds SQLite's write lock), progress and the result recorded in short write
transactions that any worker process can read."""

from __future__ import annotations

import threading

from flask import Flask

from app.database import database
from forms_registry.db import utcnow
from forms_registry.errors import DomainError
from prefill.hub import HubSettings
from prefill.models import SharedSource
from prefill.refresh import fail_job, fetch_source, finish_job, record_progress, store_fetched


def run_refresh(
    app: Flask,
    job_id: int,
    source_id: int,
    settings: HubSettings,
    org_codes: list[str],
    period: str,
) -> None:
    db = database(app)

    def write(step) -> None:
        with db.writers() as session:
            step(session)
            session.commit()

    try:
        with db.readers() as reader:
            source = reader.get(SharedSource, source_id)
            fetched = fetch_source(
                reader,
                source,
                settings,
                org_codes=org_codes,
                period=period,
                progress=lambda done, _total: write(lambda s: record_progress(s, job_id, done)),
            )
        with db.writers() as session:
            summary = store_fetched(
                session, session.get(SharedSource, source_id), fetched, now=utcnow()
            )
            finish_job(session, job_id, summary, now=utcnow())
            session.commit()
    except DomainError as error:
        details = "；".join(f"{key}：{message}" for key, message in error.details.items())
        failure = error.message + (f"（{details}）" if details else "")
        write(lambda s: fail_job(s, job_id, message=failure, now=utcnow()))
    except Exception as error:  # a job must never stay "running" after a crash
        failure = f"更新失败：{type(error).__name__}"
        write(lambda s: fail_job(s, job_id, message=failure, now=utcnow()))
        raise


def start_in_background(app: Flask, *args) -> None:
    if app.config.get("JOBS_INLINE"):
        run_refresh(app, *args)
        return
    threading.Thread(
        target=run_refresh, args=(app, *args), daemon=True, name="shared-refresh"
    ).start()
