"""Requests per client address, in this process: failed logins (slows down guessing across
accounts; each account also locks itself after five failures, recorded on the account), and the
public pages' lookups and submissions."""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque


class Throttle:
    def __init__(self, limit: int = 20, window_seconds: float = 900) -> None:
        self.limit = limit
        self.window = window_seconds
        self._hits: defaultdict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def check(self, key: str, message: str) -> None:
        """Counts one request of ``key``; raises ``Throttled`` (a 429 page saying ``message``,
        a French template) once it is past the limit."""
        with self._lock:
            hits = self._recent(key)
            if len(hits) >= self.limit:
                raise Throttled(message)
            hits.append(time.monotonic())

    def blocked(self, key: str) -> bool:
        with self._lock:
            hits = self._recent(key)
            return len(hits) >= self.limit

    def hit(self, key: str) -> None:
        with self._lock:
            self._recent(key).append(time.monotonic())

    def _recent(self, key: str) -> deque[float]:
        hits = self._hits[key]
        while hits and time.monotonic() - hits[0] > self.window:
            hits.popleft()
        return hits


class Throttled(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
