"""A billboard's structure (the identifier painted on it): which permit it stands under now.

Its id is a name-based UUID of the identifier, so two permits granted at once for the same
structure collide in the event store instead of both recording it.
"""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import event

from police.aggregates.base import PoliceAggregate
from police.identifiers import natural_id


class BillboardStructure(PoliceAggregate):
    # --- events: each fact it records, and what the fact carries ---

    class Event(PoliceAggregate.Event):
        pass

    class Created(Event, PoliceAggregate.Created):
        pass

    class Registered(Created):
        structure_id: str
        permit_id: UUID
        permit_number: str
        actor_id: UUID

    class PermitChanged(Event):
        """A new permit for a structure whose earlier one ended (expired or revoked)."""

        permit_id: UUID
        permit_number: str
        actor_id: UUID

    # --- state and commands ---

    @staticmethod
    def create_id(structure_id: str) -> UUID:
        return natural_id("billboard-structure", structure_id)

    @event(Registered)
    def __init__(
        self, *, structure_id: str, permit_id: UUID, permit_number: str, actor_id: UUID
    ) -> None:
        self.structure_id = structure_id
        self.permit_id = permit_id
        self.permit_number = permit_number

    @event(PermitChanged)
    def stand_under(self, *, permit_id: UUID, permit_number: str, actor_id: UUID) -> None:
        self.permit_id = permit_id
        self.permit_number = permit_number
