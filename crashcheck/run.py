"""One whole check: prepare the world, serve it, save from client threads while killing
workers round after round, then verify what is stored and check the database."""

from __future__ import annotations

import random
import secrets
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from app.database import make_engine
from crashcheck.clients import CLIENTS, HTTP_TIMEOUT, Api, Client, lay_out
from crashcheck.integrity import check_database
from crashcheck.report import Report
from crashcheck.server import kill_a_busy_worker, log_findings, serve
from crashcheck.stored import read_stored, snapshot
from crashcheck.verify import verify
from crashcheck.world import prepare


def run(
    url: str,
    *,
    rounds: int,
    clients: int = CLIENTS,
    seed: int | None = None,
    preload: bool = True,
    progress: Callable[[str], None] | None = None,
) -> Report:
    """Prepare the database at `url`, crash workers `rounds` times, check; the report."""
    started = time.monotonic()
    seed = secrets.randbits(32) if seed is None else seed
    rng = random.Random(seed)
    say = progress or (lambda _message: None)
    world = prepare(url)
    report = Report(backend=world.backend, rounds=rounds, clients=clients)
    say(f"{world.backend}: database ready (seed {seed}); month {world.month}")
    with tempfile.TemporaryDirectory(prefix="reportonce-crash-") as workdir:
        server = serve(world, Path(workdir), preload=preload)
        stop = threading.Event()
        threads: list[Client] = []
        restart_total = 0.0
        try:
            api = Api(server.port, world.token, world.month)
            layout = lay_out(api, world, clients)
            baseline = snapshot(url, world, layout)
            threads = [
                Client(number, org, keys, api, stop, rng.randrange(2**32))
                for number, (org, keys) in layout.own.items()
            ]
            for thread in threads:
                thread.start()
            for number in range(1, rounds + 1):
                kill = kill_a_busy_worker(server, rng)
                report.kills += 1
                report.kills_mid_request += kill.mid_request
                restart_total += kill.back_after
                if number % 10 == 0 or number == rounds:
                    say(f"{world.backend}: {number}/{rounds} kills")
            time.sleep(0.5)  # the last replacement takes some saves too
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=HTTP_TIMEOUT + 30)
            server.stop()
            report.problems += log_findings(server)
        report.restart_seconds = restart_total / max(report.kills, 1)
        for thread in threads:
            if thread.failure:
                report.problems.append(thread.failure)
            if thread.is_alive():
                report.problems.append(f"client {thread.number} did not finish")
        attempts = [attempt for thread in threads for attempt in thread.attempts]
        engine = make_engine(url)
        try:
            verify(read_stored(engine, world, layout, baseline), layout, baseline, attempts, report)
            check_database(engine, report)
        finally:
            engine.dispose()
    report.seconds = time.monotonic() - started
    return report
