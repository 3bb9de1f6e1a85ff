"""The installation's upkeep: each backup and each verification of the stored objects recorded,
made or failed, on the one ``Upkeep`` record; and that record read back for the system page."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from police.aggregates.upkeep import UPKEEP_ID, Upkeep
from police.app.base import BaseApp
from police.roles import Role


class UpkeepCommands(BaseApp):
    def record_backup(
        self,
        actor_id: UUID,
        *,
        target: str,
        events: int = 0,
        objects: int = 0,
        ok: bool,
        detail: str = "",
    ) -> None:
        """A backup into ``target``: made (its counts), or failed (``detail``: why)."""

        def change(upkeep: Upkeep) -> None:
            upkeep.record_backup(
                actor_id, target=target, events=events, objects=objects, ok=ok, detail=detail
            )

        self._change_upkeep(actor_id, change)

    def record_verification(
        self,
        actor_id: UUID,
        *,
        checked: int = 0,
        missing: int = 0,
        altered: int = 0,
        ok: bool,
        detail: str = "",
    ) -> None:
        """A verification of the stored objects: what it re-hashed and found missing or
        altered, or (``detail``) why it could not run."""

        def change(upkeep: Upkeep) -> None:
            upkeep.record_verification(
                actor_id, checked=checked, missing=missing, altered=altered, ok=ok, detail=detail
            )

        self._change_upkeep(actor_id, change)

    def upkeep(self) -> Upkeep | None:
        """The installation's upkeep record; None before its first backup or verification."""
        return self._find(Upkeep, UPKEEP_ID)

    def _change_upkeep(self, actor_id: UUID, change: Callable[[Upkeep], None]) -> None:
        actor = self.actor(actor_id)
        actor.require([Role.ADMIN])

        def attempt() -> None:
            upkeep = self._find(Upkeep, UPKEEP_ID) or Upkeep(actor_id=actor.id)
            change(upkeep)
            self.save(upkeep)

        self._retrying(attempt)
