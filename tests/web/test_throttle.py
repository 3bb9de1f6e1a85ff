"""Failed logins per address: twenty in fifteen minutes slow that address down; a failure older
than fifteen minutes no longer counts."""

from __future__ import annotations

import time

import pytest

from web.throttle import Throttle


def test_failures_count_for_fifteen_minutes_then_expire(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1000.0]
    monkeypatch.setattr(time, "monotonic", lambda: now[0])
    guard = Throttle()
    for _ in range(19):
        guard.hit("203.0.113.7")
    assert not guard.blocked("203.0.113.7")
    guard.hit("203.0.113.7")
    assert guard.blocked("203.0.113.7")
    guard.hit("203.0.113.7")  # a request that was already under way
    assert guard.blocked("203.0.113.7")
    assert not guard.blocked("198.51.100.2")
    now[0] += 900
    assert guard.blocked("203.0.113.7")  # fifteen minutes on the dot: still counted
    now[0] += 0.5
    assert not guard.blocked("203.0.113.7")


def test_only_the_failures_older_than_fifteen_minutes_expire(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    now = [0.0]
    monkeypatch.setattr(time, "monotonic", lambda: now[0])
    guard = Throttle()
    for at in (0.0, 600.0):
        now[0] = at
        for _ in range(10):
            guard.hit("203.0.113.7")
    assert guard.blocked("203.0.113.7")
    now[0] = 901.0
    assert not guard.blocked("203.0.113.7")  # the ten of minute 0 are gone, the ten of 10 stay
    guard.hit("203.0.113.7")
    assert not guard.blocked("203.0.113.7")
