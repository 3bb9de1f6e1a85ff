"""Failed logins per address: twenty in fifteen minutes slow that address down; a failure older
than fifteen minutes no longer counts."""

from __future__ import annotations

import pytest

from web import throttle
from web.throttle import Throttle


def test_failures_count_for_fifteen_minutes_then_expire(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1000.0]
    monkeypatch.setattr(throttle.time, "monotonic", lambda: now[0])
    guard = Throttle()
    for _ in range(19):
        guard.hit("203.0.113.7")
    assert not guard.blocked("203.0.113.7")
    guard.hit("203.0.113.7")
    assert guard.blocked("203.0.113.7")
    assert not guard.blocked("198.51.100.2")
    now[0] += 900
    assert guard.blocked("203.0.113.7")  # fifteen minutes on the dot: still counted
    now[0] += 0.5
    assert not guard.blocked("203.0.113.7")
