"""The installation's upkeep record: each backup of the record (``police backup``) and each
verification of the stored objects (``police verify``), made or failed, by whom, with what it
counted. One per installation, so the administration's system page reads the last of each.

A failed run is a fact like a successful one: it is recorded with its reason, so a backup that
stopped working is seen, not silently missing.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from police.aggregates.base import PoliceAggregate
from police.identifiers import natural_id

UPKEEP_ID = natural_id("upkeep", "record")
DETAIL_LENGTH = 500  # a reason is an error message: its start says what went wrong


class Upkeep(PoliceAggregate):
    # --- events: each fact it records, and what the fact carries ---

    class Event(PoliceAggregate.Event):
        pass

    class Created(Event, PoliceAggregate.Created):
        pass

    class Started(Created):
        actor_id: UUID

    class BackupMade(Event):
        actor_id: UUID
        target: str  # the folder it was written to
        events: int
        objects: int
        ok: bool
        detail: str  # why it failed; empty when it was made

        def apply(self, upkeep: Upkeep) -> None:
            upkeep.last_backup = _entry(self, "target", "events", "objects")

    class ObjectsVerified(Event):
        actor_id: UUID
        checked: int
        missing: int
        altered: int
        ok: bool
        detail: str  # why it could not run (the store unreachable); empty otherwise

        def apply(self, upkeep: Upkeep) -> None:
            upkeep.last_verification = _entry(self, "checked", "missing", "altered")

    # --- state and commands ---

    @staticmethod
    def create_id() -> UUID:
        return UPKEEP_ID

    @event(Started)
    def __init__(self, *, actor_id: UUID) -> None:
        self.last_backup: dict[str, Any] | None = None
        self.last_verification: dict[str, Any] | None = None

    def record_backup(
        self, actor_id: UUID, *, target: str, events: int, objects: int, ok: bool, detail: str
    ) -> None:
        self.trigger_event(
            self.BackupMade,
            actor_id=actor_id,
            target=target[:DETAIL_LENGTH],
            events=events,
            objects=objects,
            ok=ok,
            detail=detail[:DETAIL_LENGTH],
        )

    def record_verification(
        self, actor_id: UUID, *, checked: int, missing: int, altered: int, ok: bool, detail: str
    ) -> None:
        self.trigger_event(
            self.ObjectsVerified,
            actor_id=actor_id,
            checked=checked,
            missing=missing,
            altered=altered,
            ok=ok,
            detail=detail[:DETAIL_LENGTH],
        )


def _entry(recorded: Any, *counts: str) -> dict[str, Any]:
    """The last run of a kind, as the system page shows it: when, by whom, what it counted."""
    return {
        "at": recorded.timestamp,
        "actor_id": recorded.actor_id,
        "ok": recorded.ok,
        "detail": recorded.detail,
        **{name: getattr(recorded, name) for name in counts},
    }
