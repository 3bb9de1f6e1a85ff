"""The supervisors' commands on a case: validate, dismiss, assign, schedule a follow-up visit,
record compliance, escalate, close and reopen, as commands of ``Case`` (a mixin of it; the events
they trigger are the case's own, declared in ``police.aggregates.case``)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Protocol
from uuid import UUID

from eventsourcing.domain import DomainEvent

from police.aggregates.case_follow_up import note_text, reason_text
from police.errors import N_, InvalidInput, InvalidTransition
from police.roles import Actor, Brigade, Role
from police.workflow import Action


class _Case(Protocol):
    """What these commands use of the case they are part of (``Case`` satisfies it)."""

    reference: str
    brigade: str
    assignee_id: UUID | None
    inspections: list[dict[str, Any]]

    # The events these commands trigger: the case's own classes.
    @property
    def Validated(self) -> type[DomainEvent]: ...
    @property
    def Dismissed(self) -> type[DomainEvent]: ...
    @property
    def Assigned(self) -> type[DomainEvent]: ...
    @property
    def FollowUpScheduled(self) -> type[DomainEvent]: ...
    @property
    def ComplianceRecorded(self) -> type[DomainEvent]: ...
    @property
    def Escalated(self) -> type[DomainEvent]: ...
    @property
    def Closed(self) -> type[DomainEvent]: ...
    @property
    def Reopened(self) -> type[DomainEvent]: ...
    @property
    def balance(self) -> Decimal: ...
    def trigger_event(self, event_class: type[Any], **kwargs: Any) -> None: ...
    def _check(self, action: Action, actor: Actor) -> None: ...
    def _check_officer(self, officer: Actor) -> None: ...


class Supervision:
    def validate(self: _Case, actor: Actor, note: str = "") -> None:
        self._check(Action.VALIDATE, actor)
        self.trigger_event(self.Validated, actor_id=actor.id, note=note_text(note))

    def dismiss(self: _Case, actor: Actor, reason: str) -> None:
        self._check(Action.DISMISS, actor)
        self.trigger_event(self.Dismissed, actor_id=actor.id, reason=reason_text(reason))

    def assign(self: _Case, actor: Actor, officer: Actor) -> None:
        self._check(Action.ASSIGN, actor)
        self._check_officer(officer)
        if officer.id == self.assignee_id:
            raise InvalidTransition(
                N_("Le dossier {reference} est déjà affecté à {username}."),
                reference=self.reference,
                username=officer.username,
            )
        self.trigger_event(self.Assigned, actor_id=actor.id, officer_id=officer.id)

    def schedule_follow_up(
        self: _Case, actor: Actor, *, due_on: date, today: date, officer: Actor | None = None
    ) -> None:
        self._check(Action.SCHEDULE_FOLLOW_UP, actor)
        if due_on < today:
            raise InvalidInput(
                N_("La date du contrôle de suivi ({due}) est déjà passée."),
                field="due_on",
                due=due_on.strftime("%d/%m/%Y"),
            )
        if officer is not None:
            self._check_officer(officer)
        self.trigger_event(
            self.FollowUpScheduled,
            actor_id=actor.id,
            due_on=due_on,
            officer_id=officer.id if officer else None,
        )

    def record_compliance(
        self: _Case, actor: Actor, *, note: str = "", inspection_id: UUID | None = None
    ) -> None:
        self._check(Action.RECORD_COMPLIANCE, actor)
        if inspection_id is not None and not any(
            i["id"] == inspection_id and i["compliant"] for i in self.inspections
        ):
            raise InvalidInput(
                N_("Ce contrôle n'est pas un contrôle conforme du dossier {reference}."),
                field="inspection_id",
                reference=self.reference,
            )
        self.trigger_event(
            self.ComplianceRecorded,
            actor_id=actor.id,
            note=note_text(note),
            inspection_id=inspection_id,
        )

    def escalate(self: _Case, actor: Actor, reason: str) -> None:
        self._check(Action.ESCALATE, actor)
        self.trigger_event(self.Escalated, actor_id=actor.id, reason=reason_text(reason))

    def close(self: _Case, actor: Actor, reason: str) -> None:
        self._check(Action.CLOSE, actor)
        if self.balance > 0:
            raise InvalidTransition(
                N_("Le dossier {reference} ne peut être clos : {balance} MAD restent dus."),
                reference=self.reference,
                balance=f"{self.balance:.2f}",
            )
        self.trigger_event(self.Closed, actor_id=actor.id, reason=reason_text(reason))

    def reopen(self: _Case, actor: Actor, reason: str) -> None:
        self._check(Action.REOPEN, actor)
        self.trigger_event(self.Reopened, actor_id=actor.id, reason=reason_text(reason))

    def _check_officer(self: _Case, officer: Actor) -> None:
        """The one a case is given to (assigned, or sent on a follow-up visit): an officer of
        its brigade."""
        if Role.OFFICER not in officer.roles or Brigade(self.brigade) not in officer.brigades:
            raise InvalidInput(
                N_("{username} n'est pas un agent de la brigade de ce dossier."),
                field="officer",
                username=officer.username,
            )
