"""The base of every aggregate: events stamped by the server clock."""

from __future__ import annotations

from datetime import datetime

from eventsourcing.domain import Aggregate

from police import clock


class PoliceAggregate(Aggregate):
    class Event(Aggregate.Event):
        @staticmethod
        def create_timestamp() -> datetime:
            return clock.now()

    class Created(Event, Aggregate.Created):
        pass
