"""The server clock every event is stamped with.

Events take their timestamp from :func:`now`. Only the demo data generator moves it, to spread
realistic history over past weeks; nothing else may.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

_frozen: ContextVar[datetime | None] = ContextVar("police_clock_frozen", default=None)


def now() -> datetime:
    """The current server time, timezone-aware, in UTC."""
    return _frozen.get() or datetime.now(UTC)


@contextmanager
def frozen_at(moment: datetime) -> Iterator[None]:
    """Stamps events created inside the block with ``moment`` (demo data only)."""
    if moment.tzinfo is None:
        raise ValueError("moment must be timezone-aware")
    token = _frozen.set(moment.astimezone(UTC))
    try:
        yield
    finally:
        _frozen.reset(token)
