"""The app as production runs it: gunicorn workers on a loopback port, production config
from the environment (secrets made up for the run). Serves the load test and the crash
check (crashcheck/)."""

from __future__ import annotations

import http.client
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Mapping
from pathlib import Path

from tests.pg_server import _free_port

ROOT = Path(__file__).resolve().parent.parent
BOOT_SECONDS = 90.0  # for gunicorn, or a worker, to come up and serve


class GunicornError(RuntimeError):
    """gunicorn did not come up."""


def children(pid: int) -> list[int]:
    """Live (not zombie) child processes of `pid`, from /proc (Linux)."""
    found = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        state, parent = stat[stat.rindex(")") + 2 :].split()[:2]
        if int(parent) == pid and state != "Z":
            found.append(int(entry.name))
    return sorted(found)


class Gunicorn:
    """`gunicorn wsgi:app`: `workers` processes of `threads` threads each (gthread when more
    than one), `--preload` if asked; `environment` adds to or overrides the production
    settings; its output goes to the file `log`, or where this process's goes."""

    def __init__(
        self,
        database_url: str,
        *,
        workers: int,
        threads: int = 1,
        preload: bool = False,
        environment: Mapping[str, str] | None = None,
        log: Path | None = None,
        log_level: str = "warning",
        timeout: int = 30,
        graceful_timeout: int = 30,
    ) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.worker_count = workers
        self.log = log
        self.command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--worker-class",
            "gthread" if threads > 1 else "sync",
            "--log-level",
            log_level,
            "--timeout",
            str(timeout),
            "--graceful-timeout",
            str(graceful_timeout),
            *(["--preload"] if preload else []),
            "wsgi:app",
        ]
        self.environment = os.environ | {
            "REPORTONCE_ENV": "production",
            "DATABASE_URL": database_url,
            "SECRET_KEY": secrets.token_hex(32),
            "QR_SIGNING_KEYS": secrets.token_hex(32),
            "EXTERNAL_BASE_URL": self.base,
            **(environment or {}),
        }
        self.process: subprocess.Popen | None = None

    def start(self) -> Gunicorn:
        """Start it and wait until /healthz answers and (on Linux) every worker is up."""
        output = self.log.open("wb") if self.log is not None else None
        try:
            self.process = subprocess.Popen(
                self.command,
                cwd=ROOT,
                env=self.environment,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT if output is not None else None,
                start_new_session=True,
            )
        finally:
            if output is not None:
                output.close()
        deadline = time.monotonic() + BOOT_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise GunicornError(f"gunicorn exited at start:\n{self.log_tail()}")
            if self._all_workers_up() and self._healthy():
                return self
            time.sleep(0.1)
        self.stop()
        raise GunicornError(f"gunicorn did not come up:\n{self.log_tail()}")

    def _all_workers_up(self) -> bool:
        return not Path("/proc").is_dir() or len(self.workers()) == self.worker_count

    def _healthy(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.base}/healthz", timeout=5) as response:
                return response.status == 200
        except (OSError, http.client.HTTPException):
            return False

    def workers(self) -> list[int]:
        """The process ids of its live workers (Linux)."""
        assert self.process is not None
        return children(self.process.pid)

    def stop(self) -> None:
        """Stop gracefully (workers finish their request); kill it after 30 s."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            for worker in self.workers():
                os.kill(worker, signal.SIGKILL)
            self.process.kill()
            self.process.wait()

    def log_tail(self, lines: int = 40) -> str:
        """The last lines of its log file ("" when its output is not in a file)."""
        if self.log is None:
            return ""
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""
