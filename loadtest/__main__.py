"""`python -m loadtest`: month-end on a province. Starts PostgreSQL (durable: fsync and
synchronous commit on), generates the province, serves it with gunicorn, measures /healthz
and then merged-form submissions at the same concurrency, and prints the figures."""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import time
from datetime import date

from sqlalchemy import func, select

from app.database import make_engine
from app.migrations import upgrade_to_head
from benchmarks.__main__ import machine_facts
from loadtest import client
from loadtest.province import build_province
from loadtest.server import Gunicorn
from loadtest.shape import Shape
from prefill.models import FormState
from tests.pg_server import PostgresServer

DURABLE = "-c shared_buffers=1GB -c max_wal_size=4GB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m loadtest", description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0, help="size of the org tree")
    parser.add_argument("--seconds", type=float, default=60.0, help="length of each run")
    parser.add_argument(
        "--concurrency",
        type=lambda text: [int(part) for part in text.split(",")],
        default=[16],
        help="fillers at once; several (8,32) run one after another on the same data",
    )
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=1, help="threads per worker")
    args = parser.parse_args(argv)

    print(*machine_facts(), sep="\n")
    server = PostgresServer(DURABLE).start()
    try:
        url = server.create_database("reportonce_load")
        upgrade_to_head(url)
        engine = make_engine(url)
        started = time.perf_counter()
        province = build_province(engine, Shape.scaled(args.scale), today=date.today())
        print(f"province generated in {time.perf_counter() - started:.0f} s:")
        for name, count in province.counts.items():
            print(f"  {name:>18}: {count:,}")
        work = province.work()
        random.Random(7).shuffle(work)
        app = Gunicorn(url, workers=args.workers, threads=args.threads).start()
        try:
            for concurrency in args.concurrency:
                _month_end(engine, app, province.load_month.id, work, concurrency, args)
        finally:
            app.stop()
    finally:
        server.stop()
    return 0


def _month_end(engine, app, month: str, work: list, concurrency: int, args) -> None:
    """/healthz at `concurrency` (the baseline), then as many fillers submitting forms; the
    forms submitted leave `work`, so a later run takes fresh villages."""
    asyncio.run(client.healthz(app.base, seconds=3, concurrency=concurrency))  # warm up
    baseline = asyncio.run(
        client.healthz(app.base, seconds=args.seconds / 2, concurrency=concurrency)
    ).summary("healthz")
    before = _submitted(engine, month)
    tally = asyncio.run(
        client.month_end(app.base, month, work, seconds=args.seconds, concurrency=concurrency)
    )
    del work[: tally.summary("get form")["calls"]]
    submitted = _submitted(engine, month) - before
    print(
        f"\ngunicorn {args.workers} workers × {args.threads} threads, {concurrency} fillers "
        f"at once, {args.seconds:.0f} s; reference month {month}"
    )
    print(
        f"{'call':<12} {'calls':>7} {'per s':>8} {'errors':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
    )
    for kind, figures in [
        ("healthz", baseline),
        *((kind, tally.summary(kind)) for kind in ("get form", "submit form")),
    ]:
        print(
            f"{kind:<12} {figures['calls']:>7,} {figures['per_second']:>8.1f} "
            f"{figures['error_rate']:>7.2%} {figures['p50'] * 1000:>8.0f} "
            f"{figures['p95'] * 1000:>8.0f} {figures['p99'] * 1000:>8.0f}"
        )
    submits = tally.summary("submit form")
    fields = tally.fields_sent / max(1, submits["calls"])
    print(f"fields typed per submitted form: {fields:.0f}; statuses {submits['statuses']}")
    print(f"forms submitted in the database: {submitted:,} (acknowledged: {submits['ok']:,})")
    print(
        f"ratio: {submits['per_second']:.1f} form submissions/s ÷ {baseline['per_second']:.1f} "
        f"/healthz/s = {submits['per_second'] / baseline['per_second']:.3f}"
    )


def _submitted(engine, month: str) -> int:
    with engine.connect() as connection:
        return connection.scalar(
            select(func.count()).where(FormState.month == month, FormState.status == "submitted")
        )


if __name__ == "__main__":
    sys.exit(main())
