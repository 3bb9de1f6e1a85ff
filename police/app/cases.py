"""Case commands (validate, dismiss, assign, follow-up, compliance, escalate, close, reopen,
release of a clamped or impounded vehicle) and reading a case as it is, or as it stood at any
earlier version or moment."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from uuid import UUID

from eventsourcing.domain import DomainEventProtocol

from police.aggregates.case import Case
from police.aggregates.user import User
from police.app.base import BaseApp
from police.errors import N_, Conflict, InvalidInput, NotFound
from police.roles import Actor

_NOT_FOUND = N_("Dossier introuvable.")


class CaseCommands(BaseApp):
    def validate_case(
        self, case_id: UUID, actor_id: UUID, *, note: str = "", expected_version: int | None = None
    ) -> Case:
        return self._change_case(
            case_id, actor_id, lambda c, a: c.validate(a, note), expected_version
        )

    def dismiss_case(
        self, case_id: UUID, actor_id: UUID, *, reason: str, expected_version: int | None = None
    ) -> Case:
        return self._change_case(
            case_id, actor_id, lambda c, a: c.dismiss(a, reason), expected_version
        )

    def assign_case(
        self,
        case_id: UUID,
        actor_id: UUID,
        *,
        officer_id: UUID,
        expected_version: int | None = None,
    ) -> Case:
        return self._change_case(
            case_id, actor_id, lambda c, a: c.assign(a, self._officer(officer_id)), expected_version
        )

    def schedule_follow_up(
        self,
        case_id: UUID,
        actor_id: UUID,
        *,
        due_on: date,
        officer_id: UUID | None = None,
        expected_version: int | None = None,
    ) -> Case:
        def change(case: Case, actor: Actor) -> None:
            officer = self._officer(officer_id) if officer_id else None
            case.schedule_follow_up(actor, due_on=due_on, today=self.today(), officer=officer)

        return self._change_case(case_id, actor_id, change, expected_version)

    def record_compliance(
        self,
        case_id: UUID,
        actor_id: UUID,
        *,
        note: str = "",
        inspection_id: UUID | None = None,
        expected_version: int | None = None,
    ) -> Case:
        return self._change_case(
            case_id,
            actor_id,
            lambda c, a: c.record_compliance(a, note=note, inspection_id=inspection_id),
            expected_version,
        )

    def escalate_case(
        self, case_id: UUID, actor_id: UUID, *, reason: str, expected_version: int | None = None
    ) -> Case:
        return self._change_case(
            case_id, actor_id, lambda c, a: c.escalate(a, reason), expected_version
        )

    def close_case(
        self, case_id: UUID, actor_id: UUID, *, reason: str, expected_version: int | None = None
    ) -> Case:
        return self._change_case(
            case_id, actor_id, lambda c, a: c.close(a, reason), expected_version
        )

    def reopen_case(
        self, case_id: UUID, actor_id: UUID, *, reason: str, expected_version: int | None = None
    ) -> Case:
        return self._change_case(
            case_id, actor_id, lambda c, a: c.reopen(a, reason), expected_version
        )

    def release_vehicle(
        self,
        case_id: UUID,
        actor_id: UUID,
        *,
        released_on: date,
        released_to: str,
        expected_version: int | None = None,
    ) -> Case:
        """A clamped or impounded vehicle given back: when, to whom, by whom."""
        return self._change_case(
            case_id,
            actor_id,
            lambda c, a: c.release_vehicle(
                a, released_on=released_on, released_to=released_to, today=self.today()
            ),
            expected_version,
        )

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

    # --- helpers ---------------------------------------------------------------------------

    def _change_case(
        self,
        case_id: UUID,
        actor_id: UUID,
        change: Callable[[Case, Actor], None],
        expected_version: int | None,
    ) -> Case:
        """get -> check and change -> save, queued behind other commands on the same case.

        With ``expected_version`` (the version the user was looking at) the command applies
        only to that version: a change in between is a Conflict, never silently overridden.
        """

        def attempt() -> Case:
            actor = self.actor(actor_id)
            case = self._get(Case, case_id, _NOT_FOUND)
            if expected_version is not None and case.version != expected_version:
                raise Conflict(
                    N_(
                        "Le dossier {reference} a été modifié depuis votre lecture : "
                        "rechargez la page et vérifiez avant de recommencer."
                    ),
                    reference=case.reference,
                )
            change(case, actor)
            self.save(case)
            return case

        with self._case_locks.hold(case_id):
            return self._retrying(attempt, retry=expected_version is None)

    def _officer(self, officer_id: UUID) -> Actor:
        user = self._find(User, officer_id)
        if user is None or not user.active:
            raise InvalidInput(N_("Agent inconnu ou désactivé."), field="officer")
        return user.as_actor()
