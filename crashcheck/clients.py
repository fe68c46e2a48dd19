"""The clients: threads that save their own cells of a village's form through the API, one
save after another, and keep what they sent and heard."""

from __future__ import annotations

import http.client
import json
import random
import threading
import time
import uuid
from dataclasses import dataclass

from crashcheck import CrashCheckError
from crashcheck.world import World
from tests.admitting import MANY

CLIENTS = 6  # more than the demo township's five villages: one form has two writers
FEWEST_FIELDS, MOST_FIELDS = 10, 50
RESEND_SHARE = 0.5  # of saves whose answer was lost, the share sent again under the same id
HTTP_TIMEOUT = 120.0
VALUE_BASE = 1_000_000
BROKEN_CONNECTION = (OSError, http.client.HTTPException)


class Api:
    def __init__(self, port: int, token: str, month: str) -> None:
        self.port = port
        self.headers = {
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            "Connection": "close",
        }
        self.month = month

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
        """The status and JSON answer; a broken connection raises (outcome unknown)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=HTTP_TIMEOUT)
        try:
            payload = json.dumps(body).encode() if body is not None else None
            connection.request(method, path, body=payload, headers=self.headers)
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        try:
            answer = json.loads(data) if data else {}
        except ValueError:
            answer = {"raw": data[:300].decode(errors="replace")}
        return response.status, answer

    def form(self, org: str) -> dict:
        """The merged form, asked again until a worker answers it."""
        path = f"/api/v1/orgs/{org}/periods/{self.month}/form"
        for _ in range(200):
            try:
                status, answer = self.request("GET", path)
            except BROKEN_CONNECTION:
                time.sleep(0.05)
                continue
            if status != 200:
                raise CrashCheckError(f"GET {path}: {status} {answer}")
            return answer
        raise CrashCheckError(f"GET {path}: no worker answered")

    def put(self, org: str, body: dict) -> tuple[int, dict]:
        return self.request("PUT", f"/api/v1/orgs/{org}/periods/{self.month}/values", body)


@dataclass
class Attempt:
    """One PUT: the save it carries and what became of it."""

    client: int
    org: str
    submission_id: str
    value: int
    keys: tuple[str, ...]
    outcome: str  # acknowledged | unknown | rejected | error
    status: int | None = None
    version: int | None = None  # the version a 200 answered
    detail: str = ""
    seconds: float = 0.0


class Client(threading.Thread):
    """Saves its own cells of one form, one save after another, until told to stop."""

    def __init__(
        self, number: int, org: str, keys: list[str], api: Api, stop: threading.Event, seed: int
    ) -> None:
        super().__init__(name=f"crash-client-{number}", daemon=True)
        self.number, self.org, self.keys, self.api, self.stop = number, org, keys, api, stop
        self.rng = random.Random(seed)
        self.attempts: list[Attempt] = []
        self.failure: str | None = None
        self.saves = 0

    def run(self) -> None:
        try:
            self._run()
        except Exception as error:  # reported, never swallowed
            self.failure = f"client {self.number}: {error!r}"

    def _new_save(self, keys: tuple[str, ...] | None) -> tuple[str, int, tuple[str, ...]]:
        self.saves += 1
        if keys is None:
            size = self.rng.randint(min(FEWEST_FIELDS, len(self.keys)), len(self.keys))
            keys = tuple(sorted(self.rng.sample(self.keys, size)))
        return str(uuid.uuid4()), self.number * VALUE_BASE + self.saves, keys

    def _run(self) -> None:
        version = self.api.form(self.org)["version"]
        again: tuple[str, ...] | None = None  # cells to write again after a 409
        while not self.stop.is_set():
            submission_id, value, keys = self._new_save(again)
            again = None
            body = {
                "submission_id": submission_id,
                "version": version,
                "values": dict.fromkeys(keys, value),
            }
            while True:
                attempt = Attempt(self.number, self.org, submission_id, value, keys, "unknown")
                self.attempts.append(attempt)
                sent = time.monotonic()
                try:
                    status, answer = self.api.put(self.org, body)
                except BROKEN_CONNECTION as error:
                    attempt.seconds = time.monotonic() - sent
                    attempt.detail = type(error).__name__
                    if self.rng.random() < RESEND_SHARE and not self.stop.is_set():
                        continue  # the same body under the same submission id
                    break  # given up: a 409 will tell if it landed
                attempt.status, attempt.seconds = status, time.monotonic() - sent
                if status == 200:
                    attempt.outcome, attempt.version = "acknowledged", answer["version"]
                    version = answer["version"]
                elif status == 409:
                    attempt.outcome, attempt.detail = "rejected", json.dumps(answer)[:300]
                    version, again = self.api.form(self.org)["version"], keys
                else:
                    attempt.outcome, attempt.detail = "error", json.dumps(answer)[:300]
                    version = self.api.form(self.org)["version"]
                break


@dataclass(frozen=True)
class Cell:
    org: str
    key: str


@dataclass
class Layout:
    """Which cells the run writes: key → (element, period) per form, and each client's."""

    fields: dict[str, tuple[str, str]]  # form key → (element code, period)
    versions: dict[str, int]  # org → form version before the run
    own: dict[int, tuple[str, list[str]]]  # client → (org, keys)


def lay_out(api: Api, world: World, clients: int) -> Layout:
    """Each village form's writable cells of the 50-field report, shared out among the
    clients (two clients of one form write different cells)."""
    fields: dict[str, tuple[str, str]] = {}
    versions: dict[str, int] = {}
    writable: dict[str, list[str]] = {}
    for org in world.orgs:
        form = api.form(org)
        versions[org] = form["version"]
        keys = []
        for item in form["fields"]:
            if item["element"] in MANY and not item["locked"]:
                fields[item["key"]] = (item["element"], item["period"])
                keys.append(item["key"])
        if len(keys) < FEWEST_FIELDS:
            raise CrashCheckError(f"{org}'s form has only {len(keys)} writable fields")
        writable[org] = keys
    own = {}
    for number in range(clients):
        org = world.orgs[number % len(world.orgs)]
        sharing = [n for n in range(clients) if n % len(world.orgs) == number % len(world.orgs)]
        keys = writable[org][sharing.index(number) :: len(sharing)]
        own[number] = (org, keys[:MOST_FIELDS])
    return Layout(fields, versions, own)
