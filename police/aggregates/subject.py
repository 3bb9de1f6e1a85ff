"""The subject (mis en cause): an establishment, a vehicle or a person, and its cases.

Its id is a name-based UUID of its normalised identifier, so two officers recording the same
plate or ICE reach the same subject; its list of cases across brigades shows repeat offences.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from police.aggregates.base import PoliceAggregate
from police.identifiers import subject_id


class Subject(PoliceAggregate):
    # --- events: each fact it records, and what the fact carries ---

    class Event(PoliceAggregate.Event):
        pass

    class Created(Event, PoliceAggregate.Created):
        pass

    class Registered(Created):
        key: str
        kind: str
        label: str
        identifiers: dict[str, str]
        details: dict[str, str]
        actor_id: UUID

    class DetailsRecorded(Event):
        actor_id: UUID
        label: str
        identifiers: dict[str, str]
        details: dict[str, str]

    class CaseLinked(Event):
        actor_id: UUID
        case_id: UUID
        reference: str
        brigade: str
        place: dict[str, Any]
        opened_on: date

    class PermitLinked(Event):
        """A permit granted to this holder (what a new one for the same place must not overlap)."""

        actor_id: UUID
        permit_id: UUID
        number: str
        kind: str

    class RiskOverridden(Event):
        """A supervisor's hygiene risk category for this establishment, with the reason
        (``category`` None: back to the computed one)."""

        actor_id: UUID
        category: str | None
        reason: str

    # --- state and commands ---

    @staticmethod
    def create_id(key: str) -> UUID:
        return subject_id(key)

    @event(Registered)
    def __init__(
        self,
        *,
        key: str,
        kind: str,
        label: str,
        identifiers: dict[str, str],
        details: dict[str, str],
        actor_id: UUID,
    ) -> None:
        self.key = key
        self.kind = kind
        self.label = label
        self.identifiers = identifiers
        self.details = details
        self.cases: list[dict[str, Any]] = []
        self.permit_ids: list[UUID] = []
        self.risk_override: dict[str, Any] | None = None

    def note_details(
        self, *, actor_id: UUID, label: str, identifiers: dict[str, str], details: dict[str, str]
    ) -> None:
        """Records what an inspection saw when it differs from what is on file."""
        merged_ids = {**self.identifiers, **{k: v for k, v in identifiers.items() if v}}
        merged = {**self.details, **{k: v for k, v in details.items() if v}}
        if (label, merged_ids, merged) != (self.label, self.identifiers, self.details):
            self._details_recorded(
                actor_id=actor_id, label=label, identifiers=merged_ids, details=merged
            )

    def cases_since(self, day: date) -> list[dict[str, Any]]:
        return [c for c in self.cases if c["opened_on"] >= day]

    @event(DetailsRecorded)
    def _details_recorded(
        self,
        *,
        actor_id: UUID,
        label: str,
        identifiers: dict[str, str],
        details: dict[str, str],
    ) -> None:
        self.label = label
        self.identifiers = identifiers
        self.details = details

    @event(CaseLinked)
    def link_case(
        self,
        *,
        actor_id: UUID,
        case_id: UUID,
        reference: str,
        brigade: str,
        place: dict[str, Any],
        opened_on: date,
    ) -> None:
        self.cases.append(
            {
                "case_id": case_id,
                "reference": reference,
                "brigade": brigade,
                "place": place,
                "opened_on": opened_on,
            }
        )

    @event(PermitLinked)
    def link_permit(self, *, actor_id: UUID, permit_id: UUID, number: str, kind: str) -> None:
        self.permit_ids.append(permit_id)

    def override_risk(self, actor_id: UUID, category: str | None, reason: str) -> None:
        current = self.risk_override["category"] if self.risk_override else None
        if category != current:
            self._risk_overridden(actor_id=actor_id, category=category, reason=reason)

    @event(RiskOverridden)
    def _risk_overridden(self, *, actor_id: UUID, category: str | None, reason: str) -> None:
        self.risk_override = (
            {"category": category, "reason": reason, "by": actor_id} if category else None
        )
