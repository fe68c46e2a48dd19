"""A bounded asyncio load generator: `concurrency` township fillers at once, each reading a
village's merged form and submitting every field it may type (SPEC.md *Versions*), one
village after another, for `seconds`. Also a plain GET loop for the /healthz baseline."""

from __future__ import annotations

import asyncio
import random
import statistics
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Iterator
from dataclasses import dataclass, field

import aiohttp

from loadtest.answers import sample_answer


@dataclass
class Tally:
    """Latencies (seconds) of successful calls and status counts of all, per kind of call."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    statuses: dict[str, Counter] = field(default_factory=dict)
    fields_sent: int = 0
    elapsed: float = 0.0

    def record(self, kind: str, status: int, seconds: float) -> None:
        self.statuses.setdefault(kind, Counter())[status] += 1
        if status == 200:
            self.latencies.setdefault(kind, []).append(seconds)

    def summary(self, kind: str) -> dict:
        times = sorted(self.latencies.get(kind, []))
        statuses = self.statuses.get(kind, Counter())
        total = sum(statuses.values())
        return {
            "calls": total,
            "ok": len(times),
            "per_second": len(times) / self.elapsed if self.elapsed else 0.0,
            "error_rate": (total - len(times)) / total if total else 0.0,
            "p50": _percentile(times, 50),
            "p95": _percentile(times, 95),
            "p99": _percentile(times, 99),
            "statuses": dict(statuses),
        }


def _percentile(sorted_times: list[float], percent: int) -> float:
    if not sorted_times:
        return float("nan")
    if len(sorted_times) == 1:
        return sorted_times[0]
    return statistics.quantiles(sorted_times, n=100, method="inclusive")[percent - 1]


async def _timed(tally: Tally, kind: str, call: Awaitable) -> tuple[int, object]:
    started = time.perf_counter()  # the request starts when `call` is awaited, below
    try:
        status, body = await call
    except (TimeoutError, aiohttp.ClientError):
        status, body = 599, None  # connection refused, reset or timed out: counted as an error
    tally.record(kind, status, time.perf_counter() - started)
    return status, body


async def _request(session: aiohttp.ClientSession, method: str, url: str, **options):
    async with session.request(method, url, **options) as response:
        body = await response.json(content_type=None) if response.status != 204 else None
        return response.status, body


async def _filler(
    session: aiohttp.ClientSession,
    work: Iterator[tuple[str, str]],
    month: str,
    deadline: float,
    tally: Tally,
    rng: random.Random,
) -> None:
    """One filler at a time on the next village still to submit (with its township's token)."""
    for token, village in work:
        if time.perf_counter() >= deadline:
            return
        headers = {"Authorization": f"Bearer {token}"}
        url = f"/api/v1/orgs/{village}/periods/{month}"
        status, form = await _timed(
            tally, "get form", _request(session, "GET", f"{url}/form", headers=headers)
        )
        if status != 200:
            continue
        values = {
            item["key"]: sample_answer(item, rng) for item in form["fields"] if not item["locked"]
        }
        body = {
            "submission_id": str(uuid.uuid4()),
            "version": form["version"],
            "values": values,
            "submit": True,
        }
        tally.fields_sent += len(values)
        await _timed(
            tally,
            "submit form",
            _request(session, "PUT", f"{url}/values", json=body, headers=headers),
        )


async def month_end(
    base: str,
    month: str,
    work: list[tuple[str, str]],
    *,
    seconds: float,
    concurrency: int,
    seed: int = 1,
) -> Tally:
    """`concurrency` fillers at once submit the forms of `work` ((token, village) pairs)
    until all are submitted or `seconds` have passed."""
    tally = Tally()
    rng = random.Random(seed)
    queue = iter(work)  # shared: each village is taken by one filler
    connector = aiohttp.TCPConnector(limit=concurrency)
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(base, connector=connector, timeout=timeout) as session:
        started = time.perf_counter()
        deadline = started + seconds
        await asyncio.gather(
            *(_filler(session, queue, month, deadline, tally, rng) for _ in range(concurrency))
        )
        tally.elapsed = time.perf_counter() - started
    return tally


async def healthz(base: str, *, seconds: float, concurrency: int) -> Tally:
    tally = Tally()
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(base, connector=connector) as session:
        started = time.perf_counter()
        deadline = started + seconds

        async def loop() -> None:
            while time.perf_counter() < deadline:
                await _timed(tally, "healthz", _request(session, "GET", "/healthz"))

        await asyncio.gather(*(loop() for _ in range(concurrency)))
        tally.elapsed = time.perf_counter() - started
    return tally
