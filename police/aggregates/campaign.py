"""A campaign: a supervisor's planned operation (cold chain in a heat wave, terraces in
summer) for one brigade, over arrondissements or a drawn zone, between two dates, with its
officers and its targets: establishments from the register, permits to check. Each target is a
visit in an officer's day (``police.aggregates.roster``); an inspection made from it ticks it
here in its own save, with whether something was found. Closed by the supervisor with a note.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from police.aggregates.base import PoliceAggregate
from police.errors import N_, InvalidInput, InvalidTransition
from police.identifiers import natural_id


class CampaignStatus(StrEnum):
    PLANNED = "planned"  # not started yet
    RUNNING = "running"
    ENDED = "ended"  # past its last day, not closed yet
    CLOSED = "closed"


class TargetKind(StrEnum):
    ESTABLISHMENT = "establishment"  # key: subject:<subject id>
    PERMIT = "permit"  # key: permit:<number>


MAX_TARGETS = 2000
# What each brigade's campaigns may target: the registry's permits are the public domain's to
# check; the register's establishments, those the hygiene and public-domain brigades visit.
TARGET_KINDS: dict[str, tuple[TargetKind, ...]] = {
    "hygiene": (TargetKind.ESTABLISHMENT,),
    "public_domain": (TargetKind.PERMIT, TargetKind.ESTABLISHMENT),
    "parking": (),
}


class Campaign(PoliceAggregate):
    class Event(PoliceAggregate.Event):
        pass

    class Created(Event, PoliceAggregate.Created):
        pass

    class Planned(Created):
        number: str
        brigade: str
        theme: str
        arrondissements: list[str]
        zone: list[list[float]] | None  # a drawn outline, [lon, lat] points; None: none drawn
        starts_on: date
        ends_on: date
        officer_ids: list[UUID]
        actor_id: UUID

    class TargetsAdded(Event):
        """Each target: key, kind, label, arrondissement, address, lat, lon."""

        actor_id: UUID
        targets: list[dict[str, Any]]

    class OfficersChanged(Event):
        actor_id: UUID
        officer_ids: list[UUID]

    class TargetVisited(Event):
        target: str
        inspection_id: UUID
        officer_id: UUID
        compliant: bool
        on: date

    class Closed(Event):
        actor_id: UUID
        note: str

    @staticmethod
    def create_id(number: str) -> UUID:
        return natural_id("campaign", number)

    @staticmethod
    def visit_key(campaign_id: UUID, target: str) -> str:
        return f"campaign:{campaign_id}:{target}"

    @event(Planned)
    def __init__(
        self,
        *,
        number: str,
        brigade: str,
        theme: str,
        arrondissements: list[str],
        zone: list[list[float]] | None,
        starts_on: date,
        ends_on: date,
        officer_ids: list[UUID],
        actor_id: UUID,
    ) -> None:
        self.number = number
        self.brigade = brigade
        self.theme = theme
        self.arrondissements = arrondissements
        self.zone = zone
        self.starts_on = starts_on
        self.ends_on = ends_on
        self.officer_ids = officer_ids
        self.planned_by = actor_id
        self.targets: dict[str, dict[str, Any]] = {}
        self.visited: dict[str, dict[str, Any]] = {}
        self.closing: str | None = None

    # --- reading ---

    def status(self, today: date) -> CampaignStatus:
        if self.closing is not None:
            return CampaignStatus.CLOSED
        if today < self.starts_on:
            return CampaignStatus.PLANNED
        return CampaignStatus.RUNNING if today <= self.ends_on else CampaignStatus.ENDED

    # --- commands ---

    def add_targets(self, actor_id: UUID, targets: list[dict[str, Any]]) -> list[str]:
        """Adds the targets not already in it; the keys of those added."""
        self._check_not_closed()
        new = [t for t in {t["key"]: t for t in targets}.values() if t["key"] not in self.targets]
        if len(self.targets) + len(new) > MAX_TARGETS:
            raise InvalidInput(
                N_("Pas plus de {count} cibles par campagne."), field="targets", count=MAX_TARGETS
            )
        if new:
            self._targets_added(actor_id=actor_id, targets=new)
        return [t["key"] for t in new]

    def change_officers(self, actor_id: UUID, officer_ids: list[UUID]) -> None:
        self._check_not_closed()
        if not officer_ids:
            raise InvalidInput(N_("Choisissez au moins un agent."), field="officers")
        if officer_ids != self.officer_ids:
            self._officers_changed(actor_id=actor_id, officer_ids=officer_ids)

    def check_target(self, target: str) -> None:
        if target not in self.targets or target in self.visited or self.closing is not None:
            raise InvalidTransition(
                N_("Cette cible de la campagne {number} n'est plus à visiter."), number=self.number
            )

    def target_visited(
        self, target: str, *, inspection_id: UUID, officer_id: UUID, compliant: bool, on: date
    ) -> None:
        self.check_target(target)
        self._target_visited(
            target=target,
            inspection_id=inspection_id,
            officer_id=officer_id,
            compliant=compliant,
            on=on,
        )

    def close(self, actor_id: UUID, note: str) -> list[str]:
        """Closes it; the keys of the targets left unvisited (their visits are withdrawn)."""
        self._check_not_closed()
        self._closed(actor_id=actor_id, note=note)
        return [k for k in self.targets if k not in self.visited]

    def _check_not_closed(self) -> None:
        if self.closing is not None:
            raise InvalidTransition(N_("La campagne {number} est close."), number=self.number)

    # --- events applied ---

    @event(TargetsAdded)
    def _targets_added(self, *, actor_id: UUID, targets: list[dict[str, Any]]) -> None:
        for target in targets:
            self.targets[target["key"]] = target

    @event(OfficersChanged)
    def _officers_changed(self, *, actor_id: UUID, officer_ids: list[UUID]) -> None:
        self.officer_ids = officer_ids

    @event(TargetVisited)
    def _target_visited(
        self, *, target: str, inspection_id: UUID, officer_id: UUID, compliant: bool, on: date
    ) -> None:
        self.visited[target] = {
            "inspection_id": inspection_id,
            "officer_id": officer_id,
            "compliant": compliant,
            "on": on,
        }

    @event(Closed)
    def _closed(self, *, actor_id: UUID, note: str) -> None:
        self.closing = note
