"""Taking gap-free numbers (case references, tickets, notices) from their series' counters,
for every command that numbers what it records.

Commands that take numbers of a series queue behind one lock per series and year in this
process; the counter of a series this process saved last is kept in memory, so the next number
costs no read. A counter leaves memory while in use and comes back only after a successful save:
when another process moved it on, the save collides and the retry reads it afresh.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from uuid import UUID

from police.aggregates.counter import ReferenceCounter, counter_id
from police.app.locks import KeyedLocks

FindCounter = Callable[[UUID], ReferenceCounter | None]


class Numbering:
    def __init__(self, find: FindCounter) -> None:
        self._find = find
        self._locks = KeyedLocks()
        self._held: dict[UUID, ReferenceCounter] = {}

    @contextmanager
    def series(self, year: int, *names: str) -> Iterator[None]:
        """Holds the series ``names`` of ``year``: take their numbers and save inside."""
        with self._locks.hold(*(counter_id(name, year) for name in names)):
            yield

    def counter(self, series: str, year: int) -> ReferenceCounter:
        """The series' counter, from memory when this process saved it last (held series)."""
        held = self._held.pop(counter_id(series, year), None)
        return (
            held
            or self._find(counter_id(series, year))
            or ReferenceCounter(series=series, year=year)
        )

    def saved(self, counters: Iterable[ReferenceCounter]) -> None:
        """Back into memory, once the save that took their numbers succeeded."""
        self._held.update((c.id, c) for c in counters)
