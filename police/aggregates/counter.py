"""Reference counters: gap-free numbers per series and year (HYG-2026-000042, AC-2026-000007).

A number is taken in the same atomic save as the case or notice that carries it, so a number
is never skipped (a failed save takes none) and never given twice (two saves from the same
counter version collide).
"""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import event

from police.aggregates.base import PoliceAggregate
from police.identifiers import natural_id


def counter_id(series: str, year: int) -> UUID:
    return natural_id("counter", f"{series}/{year}")


class ReferenceCounter(PoliceAggregate):
    # --- events: each fact it records, and what the fact carries ---

    class Event(PoliceAggregate.Event):
        pass

    class Created(Event, PoliceAggregate.Created):
        pass

    class Started(Created):
        series: str
        year: int

    class Allocated(Event):
        number: int
        for_id: UUID

    # --- state and commands ---

    @staticmethod
    def create_id(series: str, year: int) -> UUID:
        return counter_id(series, year)

    @event(Started)
    def __init__(self, *, series: str, year: int) -> None:
        self.series = series
        self.year = year
        self.last = 0

    def take(self, for_id: UUID) -> str:
        """The next reference, recorded as given to ``for_id``."""
        self._allocated(number=self.last + 1, for_id=for_id)
        return self.format(self.last)

    def format(self, number: int) -> str:
        return f"{self.series}-{self.year}-{number:06d}"

    @event(Allocated)
    def _allocated(self, *, number: int, for_id: UUID) -> None:
        self.last = number
