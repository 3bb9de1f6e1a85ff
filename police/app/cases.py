"""The one way a case changes: a typed command (``police.commands``) applied by
``change_case``, which loads the case and the acting user, refuses a stale version, applies the
command through the case's own rules and saves, retrying a collision that is not the user's.
Also reading a case as it is, or as it stood at any earlier version or moment."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from eventsourcing.domain import DomainEvent, DomainEventProtocol

from police.aggregates.case import Case
from police.aggregates.user import User
from police.app.base import BaseApp
from police.commands import CaseCommand
from police.errors import N_, Conflict, InvalidInput, NotFound
from police.planning import VisitKind
from police.roles import Actor

_NOT_FOUND = N_("Dossier introuvable.")
STALE = N_(
    "Le dossier {reference} a été modifié depuis votre lecture : rechargez la page et "
    "vérifiez avant de recommencer."
)


class CaseCommands(BaseApp):
    def change_case(self, command: CaseCommand, actor_id: UUID) -> Case:
        """get -> check and change -> save, queued behind other commands on the same case.

        With ``expected_version`` (the version the user was looking at) the command applies
        only to that version: a change in between is a Conflict, never silently overridden,
        also when it comes from another process (the save collides, the retry sees it).
        """

        def attempt() -> Case:
            actor = self.actor(actor_id)
            case = self._get(Case, command.case_id, _NOT_FOUND)
            check_version(case, command.expected_version)
            planned = command.apply(case, actor, self) or []
            if not case.is_open:  # a follow-up still planned leaves the officer's day
                key = f"{VisitKind.FOLLOW_UP}:{case.id}"
                planned = [*planned, *self._visit_over(case.brigade, key, actor.id, done=False)]
            self.save(case, *planned)
            return case

        with self._case_locks.hold(command.case_id):
            return self._retrying(attempt)

    def officer(self, officer_id: UUID) -> Actor:
        """An active officer named by a command (assignment, follow-up)."""
        user = self._find(User, officer_id)
        if user is None or not user.active:
            raise InvalidInput(N_("Agent inconnu ou désactivé."), field="officer")
        return user.as_actor()

    # --- reading ---------------------------------------------------------------------------

    def get_case(self, case_id: UUID, *, version: int | None = None) -> Case:
        found = self._find(Case, case_id, version)
        if found is None:
            raise NotFound(_NOT_FOUND)
        return found

    def case_as_of(self, case_id: UUID, moment: datetime) -> Case:
        """The case exactly as it stood at ``moment`` (its last event at or before it)."""
        version = None
        for e in self.case_events(case_id):
            assert isinstance(e, DomainEvent)
            if e.timestamp > moment:
                break
            version = e.originator_version
        if version is None:
            raise NotFound(N_("Le dossier n'existait pas encore à cette date."))
        return self.get_case(case_id, version=version)

    def case_events(self, case_id: UUID) -> list[DomainEventProtocol[UUID]]:
        events = list(self.events.get(case_id))
        if not events or not isinstance(self.repository.get(case_id, version=1), Case):
            raise NotFound(_NOT_FOUND)
        return events


def check_version(case: Case, expected: int | None) -> None:
    """Refuses a command read from another version of the case than the one on record."""
    if expected is not None and case.version != expected:
        raise Conflict(STALE, reference=case.reference)
