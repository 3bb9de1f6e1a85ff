"""The permit (autorisation d'occupation temporaire): who may occupy which public space, how
many square metres, for which period and fee. A public-domain inspection compares the surface
it measures with the one authorised here.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from police.aggregates.base import PoliceAggregate
from police.errors import N_, InvalidTransition
from police.identifiers import natural_id


class PermitKind(StrEnum):
    TERRACE = "terrace"
    DISPLAY = "display"
    BILLBOARD = "billboard"
    WORKSITE = "worksite"
    KIOSK = "kiosk"


class Permit(PoliceAggregate):
    # --- events: each fact it records, and what the fact carries ---

    class Event(PoliceAggregate.Event):
        pass

    class Created(Event, PoliceAggregate.Created):
        pass

    class Granted(Created):
        number: str
        actor_id: UUID
        holder_subject_id: UUID
        holder_label: str
        kind: str
        location: dict[str, Any]
        surface_m2: Decimal
        valid_from: date
        valid_until: date
        fee: Decimal

    class Revoked(Event):
        actor_id: UUID
        reason: str

    # --- state and commands ---

    @staticmethod
    def create_id(number: str) -> UUID:
        return natural_id("permit", number)

    @event(Granted)
    def __init__(
        self,
        *,
        number: str,
        actor_id: UUID,
        holder_subject_id: UUID,
        holder_label: str,
        kind: str,
        location: dict[str, Any],
        surface_m2: Decimal,
        valid_from: date,
        valid_until: date,
        fee: Decimal,
    ) -> None:
        self.number = number
        self.holder_subject_id = holder_subject_id
        self.holder_label = holder_label
        self.kind = kind
        self.location = location
        self.surface_m2 = surface_m2
        self.valid_from = valid_from
        self.valid_until = valid_until
        self.fee = fee
        self.revoked = False

    def is_valid_on(self, day: date) -> bool:
        return not self.revoked and self.valid_from <= day <= self.valid_until

    def revoke(self, actor_id: UUID, reason: str) -> None:
        if self.revoked:
            raise InvalidTransition(
                N_("L'autorisation {number} est déjà retirée."), number=self.number
            )
        self._revoked(actor_id=actor_id, reason=reason)

    @event(Revoked)
    def _revoked(self, *, actor_id: UUID, reason: str) -> None:
        self.revoked = True
