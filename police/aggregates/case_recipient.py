"""The recipient's own access to their case, as commands of ``Case`` (a mixin of it; the events
are the case's own, declared in ``police.aggregates.case``): the private code printed on each
notice (issued with it, revoked or replaced by legal staff), and what the recipient does with it
(file a contestation, which is the appeal legal staff decide; declare they complied and ask for
the follow-up visit, which the supervisor schedules)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, Protocol

from eventsourcing.domain import DomainEvent

from police.catalogue import Workflow
from police.errors import N_, InvalidInput, InvalidTransition
from police.identifiers import clean_text
from police.private_links import matches
from police.roles import Actor, Role
from police.workflow import Action, CaseStatus, Rule, rule_for

_NO_NOTICE = N_("Aucun avis n° {number} sur ce dossier.")


class _Case(Protocol):
    reference: str
    workflow: str
    status: CaseStatus
    brigade: str
    access_codes: Mapping[str, str]
    compliance_declared: dict[str, Any] | None

    @property
    def AccessCodeIssued(self) -> type[DomainEvent]: ...
    @property
    def AccessCodeRevoked(self) -> type[DomainEvent]: ...
    @property
    def ContestationFiled(self) -> type[DomainEvent]: ...
    @property
    def ComplianceDeclared(self) -> type[DomainEvent]: ...
    @property
    def is_open(self) -> bool: ...
    @property
    def pending_appeal(self) -> dict[str, Any] | None: ...
    def notice(self, number: str) -> dict[str, Any] | None: ...
    def trigger_event(self, event_class: type[Any], **kwargs: Any) -> None: ...
    def _in_status(self, action: Action, rule: Rule) -> None: ...


class RecipientAccess:
    def opens_with(self: _Case, notice_number: str, digest: str) -> bool:
        """Whether the code whose digest is ``digest`` opens this case by that notice, in
        constant time (a revoked notice's code opens nothing)."""
        known = self.access_codes.get(notice_number)
        return matches(digest, [known] if known else [])

    def issue_access_code(self: _Case, actor: Actor, notice_number: str, digest: str) -> None:
        self.trigger_event(
            self.AccessCodeIssued, actor_id=actor.id, notice_number=notice_number, digest=digest
        )

    def revoke_access_code(
        self: _Case, actor: Actor, notice_number: str, *, reason: str, digest: str | None
    ) -> None:
        actor.require((Role.LEGAL,), self.brigade)
        if notice_number not in self.access_codes:
            raise InvalidTransition(
                N_("L'avis {number} n'a pas de code d'accès en vigueur."), number=notice_number
            )
        why = clean_text(reason, field="reason", label=N_("Motif"), required=True, max_length=500)
        self.trigger_event(
            self.AccessCodeRevoked,
            actor_id=actor.id,
            notice_number=notice_number,
            reason=why,
            digest=digest,
        )

    def check_contestable(self: _Case, notice_number: str) -> None:
        if self.notice(notice_number) is None:
            raise InvalidInput(_NO_NOTICE, field="notice", number=notice_number)
        rule = rule_for(Action.FILE_APPEAL, Workflow(self.workflow))
        if rule is None:
            raise InvalidTransition(N_("Ce dossier ne se conteste pas en ligne."))
        self._in_status(Action.FILE_APPEAL, rule)
        if self.pending_appeal is not None:
            raise InvalidTransition(
                N_("Un recours est déjà en cours sur ce dossier : le service l'examine.")
            )

    def file_contestation(
        self: _Case,
        notice_number: str,
        *,
        grounds: str,
        documents: list[dict[str, Any]],
        today: date,
    ) -> None:
        RecipientAccess.check_contestable(self, notice_number)
        self.trigger_event(
            self.ContestationFiled,
            notice_number=notice_number,
            filed_on=today,
            grounds=grounds,
            documents=documents,
        )

    def check_declarable(self: _Case) -> None:
        """A case with a deadline to comply, still open, not declared since its last visit."""
        if Workflow(self.workflow) is not Workflow.NOTICE or not self.is_open:
            raise InvalidTransition(
                N_("Ce dossier n'attend pas de mise en conformité : rien à déclarer.")
            )
        if self.compliance_declared is not None:  # until the follow-up visit is made
            raise InvalidTransition(
                N_("Votre mise en conformité est déjà déclarée : la visite est à programmer.")
            )

    def declare_compliance(
        self: _Case,
        notice_number: str,
        *,
        statement: str,
        photos: list[dict[str, Any]],
        today: date,
    ) -> None:
        if self.notice(notice_number) is None:
            raise InvalidInput(_NO_NOTICE, field="notice", number=notice_number)
        RecipientAccess.check_declarable(self)
        self.trigger_event(
            self.ComplianceDeclared,
            notice_number=notice_number,
            declared_on=today,
            statement=statement,
            photos=photos,
        )
