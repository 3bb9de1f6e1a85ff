"""Recording who viewed what: every case page, inspection receipt, photo and notice shown."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from uuid import UUID

from police.aggregates.access import AccessJournal, Viewed
from police.app.base import BaseApp


class AccessCommands(BaseApp):
    def record_view(self, actor_id: UUID, what: Viewed, target_id: UUID, detail: str = "") -> None:
        self.record_views(actor_id, what, [(target_id, detail)])

    def record_views(
        self, actor_id: UUID, what: Viewed, targets: Sequence[tuple[UUID, str]]
    ) -> None:
        """Several things seen at once (a printed batch of notices), in one save."""
        today = self.today()
        journal_id = AccessJournal.create_id(actor_id, today)

        def attempt() -> None:
            journal = self._find(AccessJournal, journal_id) or AccessJournal(
                user_id=actor_id, day=today
            )
            for target_id, detail in targets:
                journal.record(what, target_id, detail)
            self.save(journal)

        self._retrying(attempt)

    def views_by(self, user_id: UUID, day: date) -> list[tuple[str, UUID, str]]:
        journal = self._find(AccessJournal, AccessJournal.create_id(user_id, day))
        return list(journal.views) if journal else []
