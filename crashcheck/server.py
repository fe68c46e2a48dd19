"""gunicorn serving the world (loadtest/server.py's starter), and killing its workers in
the middle of a request."""

from __future__ import annotations

import os
import random
import signal
import time
from dataclasses import dataclass
from pathlib import Path

from crashcheck import CrashCheckError
from crashcheck.clients import HTTP_TIMEOUT
from crashcheck.world import World
from loadtest.server import BOOT_SECONDS, Gunicorn, GunicornError

WORKERS = 2
ROUND_SECONDS = (0.2, 1.0)  # clients save this long (at random) before the next kill
LOG_FINDINGS = ("Traceback", "database is locked", "unhandled error")


def serve(world: World, workdir: Path, *, preload: bool = True) -> Gunicorn:
    """`gunicorn -w 2 [--preload] wsgi:app` with the production config, its instance folder
    and log in `workdir`; started."""
    server = Gunicorn(
        world.url,
        workers=WORKERS,
        preload=preload,
        environment={
            "TIMEZONE": world.timezone,
            "REPORTONCE_INSTANCE": str(workdir / "instance"),
        },
        log=workdir / "gunicorn.log",
        log_level="info",
        timeout=int(HTTP_TIMEOUT),
        graceful_timeout=10,
    )
    try:
        return server.start()
    except GunicornError as error:
        raise CrashCheckError(str(error)) from error


def log_findings(server: Gunicorn) -> list[str]:
    """Server-side failures in the log (a SIGKILLed worker is expected, not a finding)."""
    log = server.log.read_text(errors="replace") if server.log and server.log.exists() else ""
    return [
        f"gunicorn log: {line.strip()}"
        for line in log.splitlines()
        if any(finding in line for finding in LOG_FINDINGS)
    ]


def serving(pid: int, port: int) -> bool:
    """Whether process `pid` holds an established connection on the server's port: a sync
    worker does exactly while it handles a request."""
    sockets = set()
    try:
        descriptors = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return False
    for descriptor in descriptors:
        try:
            target = os.readlink(f"/proc/{pid}/fd/{descriptor}")
        except OSError:
            continue
        if target.startswith("socket:["):
            sockets.add(target[8:-1])
    for table in ("tcp", "tcp6"):
        try:
            lines = Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            parts = line.split()
            established = parts[3] == "01"
            if established and int(parts[1].rsplit(":", 1)[1], 16) == port and parts[9] in sockets:
                return True
    return False


@dataclass(frozen=True)
class Kill:
    mid_request: bool  # the worker held a client connection when it was killed
    back_after: float  # seconds until its replacement served a request


def kill_a_busy_worker(server: Gunicorn, rng: random.Random) -> Kill:
    """SIGKILL a worker in the middle of a request (or any worker if none gets one within
    5 s), then wait until gunicorn's replacement serves."""
    time.sleep(rng.uniform(*ROUND_SECONDS))
    deadline = time.monotonic() + 5
    busy: list[int] = []
    while time.monotonic() < deadline:
        busy = [pid for pid in server.workers() if serving(pid, server.port)]
        if busy:
            break
        time.sleep(0.005)
    victim = rng.choice(busy or server.workers())
    time.sleep(rng.uniform(0.0, 0.05))  # somewhere inside the request
    before = set(server.workers())
    mid_request = serving(victim, server.port)
    os.kill(victim, signal.SIGKILL)
    killed_at = time.monotonic()
    while time.monotonic() < killed_at + BOOT_SECONDS:
        workers = server.workers()
        replacements = set(workers) - before
        back = victim not in workers and len(workers) == WORKERS
        if back and any(serving(pid, server.port) for pid in replacements):
            return Kill(mid_request, time.monotonic() - killed_at)
        time.sleep(0.01)
    raise CrashCheckError(f"no replacement worker served after a kill:\n{server.log_tail()}")
