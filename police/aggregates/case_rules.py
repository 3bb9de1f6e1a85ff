"""What the case reads of itself and the workflow rules every command of it checks, as a mixin of
``Case``: open or ended, its balance, its notices and pending appeal; the rule of an action for
its workflow, the actor's role and brigade, the status it must be in."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Protocol
from uuid import UUID

from eventsourcing.domain import DomainEvent

from police.catalogue import Workflow
from police.errors import N_, InvalidTransition
from police.roles import Actor
from police.workflow import ACTION_LABELS, ENDED, STATUS_LABELS, Action, CaseStatus, Rule, rule_for


class _Case(Protocol):
    reference: str
    brigade: str
    workflow: str
    status: CaseStatus
    follow_up: dict[str, Any] | None
    amount_due: Decimal
    amount_paid: Decimal
    inspections: list[dict[str, Any]]
    notices: list[dict[str, Any]]
    appeals: list[dict[str, Any]]

    @property
    def InspectionAdded(self) -> type[DomainEvent]: ...
    def trigger_event(self, event_class: type[Any], **kwargs: Any) -> None: ...
    def _allowed(self, action: Action, actor: Actor) -> Rule: ...
    def _in_status(self, action: Action, rule: Rule) -> None: ...
    def _check(self, action: Action, actor: Actor) -> None: ...


class CaseRules:
    # --- reading ---------------------------------------------------------------------------

    @property
    def is_open(self: _Case) -> bool:
        return self.status not in ENDED

    @property
    def balance(self: _Case) -> Decimal:
        return self.amount_due - self.amount_paid

    @property
    def inspection_ids(self: _Case) -> list[UUID]:
        return [i["id"] for i in self.inspections]

    @property
    def pending_appeal(self: _Case) -> dict[str, Any] | None:
        return next((a for a in self.appeals if a["outcome"] is None), None)

    def notice(self: _Case, number: str) -> dict[str, Any] | None:
        return next((n for n in self.notices if n["number"] == number), None)

    # --- commands: each checks, then triggers one event -------------------------------------

    def add_inspection(
        self: _Case,
        actor: Actor,
        *,
        inspection_id: UUID,
        compliant: bool,
        findings: list[dict[str, Any]],
    ) -> None:
        self._check(Action.ADD_INSPECTION, actor)
        self.trigger_event(
            self.InspectionAdded,
            actor_id=actor.id,
            inspection_id=inspection_id,
            compliant=compliant,
            findings=findings,
            follow_up=self.follow_up is not None,
        )

    def _check(self: _Case, action: Action, actor: Actor) -> None:
        self._in_status(action, self._allowed(action, actor))

    def _allowed(self: _Case, action: Action, actor: Actor) -> Rule:
        """The workflow's rule for ``action``, once the actor's role and brigade allow it."""
        rule = rule_for(action, Workflow(self.workflow))
        if rule is None:
            raise InvalidTransition(
                N_("Action « {action} » sans objet pour le dossier {reference}."),
                action=ACTION_LABELS[action],
                reference=self.reference,
            )
        actor.require(rule.roles, self.brigade)
        return rule

    def _in_status(self: _Case, action: Action, rule: Rule) -> None:
        if self.status not in rule.from_statuses:
            raise InvalidTransition(
                N_("Le dossier {reference} est « {status} » : impossible de {action}."),
                reference=self.reference,
                status=STATUS_LABELS[CaseStatus(self.status)],
                action=ACTION_LABELS[action],
            )
