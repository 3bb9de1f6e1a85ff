"""The access journal (law 09-08): who looked at which case, inspection, photo or notice, and
who exported which list of cases, when.

One journal per user and day, so a busy day is one short aggregate and concurrent views by other
users never collide. Views are facts like any other: immutable events.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import event

from police.aggregates.base import PoliceAggregate
from police.identifiers import natural_id


class Viewed(StrEnum):
    CASE = "case"
    INSPECTION = "inspection"
    EVIDENCE = "evidence"
    NOTICE = "notice"
    EXPORT = "export"  # a list of cases taken away (CSV, GeoJSON): the filters are the detail
    PERMIT = "permit"  # a permit's page or arrêté (its holder may be a person)
    APPLICATION = "application"  # an online application: its applicant's identity and contact
    REPORT = "report"  # a resident's report: its photos may show faces and plates


WhatWasViewed = Viewed  # the name inside AccessJournal, whose event is also called Viewed


class AccessJournal(PoliceAggregate):
    # --- events: each fact it records, and what the fact carries ---

    class Event(PoliceAggregate.Event):
        pass

    class Created(Event, PoliceAggregate.Created):
        pass

    class Opened(Created):
        user_id: UUID
        day: date

    class Viewed(Event):
        what: str
        target_id: UUID
        detail: str

    # --- state and commands ---

    @staticmethod
    def create_id(user_id: UUID, day: date) -> UUID:
        return natural_id("access", f"{user_id}:{day.isoformat()}")

    @event(Opened)
    def __init__(self, *, user_id: UUID, day: date) -> None:
        self.user_id = user_id
        self.day = day
        self.views: list[tuple[str, UUID, str]] = []

    def record(self, what: WhatWasViewed, target_id: UUID, detail: str = "") -> None:
        self._viewed(what=str(what), target_id=target_id, detail=detail[:200])

    @event(Viewed)
    def _viewed(self, *, what: str, target_id: UUID, detail: str) -> None:
        self.views.append((what, target_id, detail))
