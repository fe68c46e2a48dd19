"""A real HTTP stand-in for the shared data hub on 127.0.0.1, scripted per org unit."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: object = None  # a dict is sent as JSON, bytes as they are
    delay: float = 0.0  # seconds before answering


def values(**by_element: object) -> Reply:
    return Reply(200, {"values": by_element})


class FakeHub:
    """Answers GET /hub/{source}/{org}/{period}. `script(org, *replies)` queues the replies
    for that org unit (the last one repeats); unscripted org units get `default`."""

    def __init__(self) -> None:
        self.default = Reply(404)
        self.requests: list[str] = []
        self._queues: dict[str, list[Reply]] = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url_template(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}/hub/{{source}}/{{org}}/{{period}}"

    def script(self, org_code: str, *replies: Reply) -> None:
        with self._lock:
            self._queues[org_code] = list(replies)

    def _next_reply(self, path: str) -> Reply:
        parts = path.strip("/").split("/")
        with self._lock:
            self.requests.append(path)
            queue = self._queues.get(parts[2]) if len(parts) == 4 else None
            if not queue:
                return self.default
            return queue.pop(0) if len(queue) > 1 else queue[0]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        hub = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                reply = hub._next_reply(self.path)
                if reply.delay and hub._stopping.wait(reply.delay):
                    return
                body = reply.body
                data = body if isinstance(body, bytes) else json.dumps(body or {}).encode()
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass  # the client gave up (a timeout test)

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler

    def start(self) -> FakeHub:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()


@contextmanager
def running_hub() -> Iterator[FakeHub]:
    hub = FakeHub().start()
    try:
        yield hub
    finally:
        hub.stop()


@contextmanager
def refused_port() -> Iterator[int]:
    """A port bound but not listening: connecting to it is refused, with no race."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]
    finally:
        sock.close()
