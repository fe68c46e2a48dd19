"""Timing a workload against its baseline with `time.perf_counter` and a median.

Each sample repeats the call enough times to last `min_sample_seconds`, so fast baselines
are measured well above the clock's resolution. Subject and baseline samples alternate,
so a slow patch of the machine (another process, frequency scaling) hits both alike.
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable

MIN_SAMPLE_SECONDS = 0.05


def calls_per_sample(workload: Callable[[], object], min_sample_seconds: float) -> int:
    """How many calls make one sample last at least `min_sample_seconds` (also warms up)."""
    number = 1
    while True:
        elapsed = _sample(workload, number)
        if elapsed >= min_sample_seconds:
            return number
        # Aim a little past the target from what we saw, at most x10 per round.
        guess = int(number * min_sample_seconds * 1.2 / max(elapsed, 1e-9)) + 1
        number = max(number + 1, min(guess, number * 10))


def time_alternately(
    workloads: list[Callable[[], object]],
    *,
    repeats: int,
    min_sample_seconds: float | None = None,
) -> tuple[float, ...]:
    """Median seconds per call of each workload (in order) over `repeats` alternating samples;
    samples last MIN_SAMPLE_SECONDS (read at call time, so tests can lower it) by default."""
    if min_sample_seconds is None:
        min_sample_seconds = MIN_SAMPLE_SECONDS
    gc.collect()  # start clean; within the run, collection is part of the work measured
    numbers = [calls_per_sample(workload, min_sample_seconds) for workload in workloads]
    per_call: list[list[float]] = [[] for _ in workloads]
    for _ in range(max(1, repeats)):
        for index, workload in enumerate(workloads):
            per_call[index].append(_sample(workload, numbers[index]) / numbers[index])
    return tuple(statistics.median(times) for times in per_call)


def _sample(workload: Callable[[], object], number: int) -> float:
    start = time.perf_counter()
    for _ in range(number):
        workload()
    return time.perf_counter() - start
