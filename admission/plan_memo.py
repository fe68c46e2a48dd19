"""Merged forms are read on every form load and save but change only when the reports
admitted for a unit or their elements change: one process keeps report specs and merged
schemas, keyed by the frozen versions they come from and the versions of the elements
those use (admission/collection.py), so an edited element is never served stale."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")
LIMIT = 2048


class PlanMemo:
    """A bounded, thread-safe memo; the app keeps one per process (tests get a fresh app,
    so a rolled-back test's rows never reach another test)."""

    def __init__(self, limit: int = LIMIT) -> None:
        self._items: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = threading.Lock()
        self._limit = limit

    def get(self, key: Hashable, build: Callable[[], T]) -> T:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]  # type: ignore[return-value]
        value = build()
        with self._lock:
            self._items[key] = value
            while len(self._items) > self._limit:
                self._items.popitem(last=False)
        return value
