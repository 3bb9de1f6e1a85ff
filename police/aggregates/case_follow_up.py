"""The case's legal follow-up: notices, their service, fines, payments, appeals, and the release
of a clamped or impounded vehicle, as commands of ``Case`` (a mixin of it; the events they
trigger are the case's own, declared in ``police.aggregates.case``), with the checks of the
values they take: days, amounts, reasons and notes."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol
from uuid import UUID

from eventsourcing.domain import DomainEvent

from police.errors import N_, InvalidInput, InvalidTransition
from police.identifiers import clean_text
from police.roles import Actor
from police.workflow import (
    NOTICE_RULES,
    STATUS_LABELS,
    Action,
    AppealOutcome,
    CaseStatus,
    NoticeKind,
    Rule,
    ServiceMethod,
)


class _Case(Protocol):
    """What these commands use of the case they are part of (``Case`` satisfies it)."""

    reference: str
    workflow: str
    status: CaseStatus
    notices: list[dict[str, Any]]
    payments: list[dict[str, Any]]
    measures: list[dict[str, Any]]
    released: dict[str, Any] | None
    ticket: dict[str, Any] | None
    opened_by: UUID

    # The events these commands trigger: the case's own classes.
    @property
    def NoticeIssued(self) -> type[DomainEvent]: ...
    @property
    def ServiceRecorded(self) -> type[DomainEvent]: ...
    @property
    def FineImposed(self) -> type[DomainEvent]: ...
    @property
    def PaymentRecorded(self) -> type[DomainEvent]: ...
    @property
    def AppealFiled(self) -> type[DomainEvent]: ...
    @property
    def AppealDecided(self) -> type[DomainEvent]: ...
    @property
    def VehicleReleased(self) -> type[DomainEvent]: ...
    @property
    def created_on(self) -> datetime: ...
    @property
    def balance(self) -> Decimal: ...
    @property
    def is_open(self) -> bool: ...
    @property
    def pending_appeal(self) -> dict[str, Any] | None: ...
    def notice(self, number: str) -> dict[str, Any] | None: ...
    def notice_in_force(self, kind: NoticeKind) -> dict[str, Any] | None: ...
    def check_notice(self, actor: Actor, kind: NoticeKind, replaces: str | None = None) -> None: ...
    def trigger_event(self, event_class: type[Any], **kwargs: Any) -> None: ...
    def _check(self, action: Action, actor: Actor) -> None: ...
    def _allowed(self, action: Action, actor: Actor) -> Rule: ...
    def _in_status(self, action: Action, rule: Rule) -> None: ...


class LegalFollowUp:
    def notice_in_force(self: _Case, kind: NoticeKind) -> dict[str, Any] | None:
        """The notice of ``kind`` on the case that no reissue has replaced."""
        return next((n for n in self.notices if n["kind"] == kind and not n["replaced_by"]), None)

    def check_notice(
        self: _Case, actor: Actor, kind: NoticeKind, replaces: str | None = None
    ) -> None:
        """Whether a notice of ``kind`` may be issued now (checked before it is rendered). The
        officer who issued a ticket in the street issues its avis de contravention; every other
        notice is the legal desk's."""
        on_the_spot = (
            kind is NoticeKind.AVIS_CONTRAVENTION
            and self.ticket is not None
            and actor.id == self.opened_by
            and replaces is None
        )
        if not on_the_spot:
            self._check(Action.ISSUE_NOTICE, actor)
        rule = NOTICE_RULES[kind]
        if self.workflow not in rule.workflows or self.status not in rule.statuses:
            raise InvalidTransition(
                N_("Un avis « {kind} » ne peut être émis pour le dossier {reference} ({status})."),
                kind=rule.label,
                reference=self.reference,
                status=STATUS_LABELS[CaseStatus(self.status)],
            )
        if replaces is not None:
            replaced = self.notice(replaces)
            if replaced is None or replaced["kind"] != kind or replaced["replaced_by"]:
                raise InvalidInput(
                    N_("L'avis {number} n'est pas un avis en vigueur de ce type sur ce dossier."),
                    field="replaces",
                    number=replaces,
                )
        elif self.notice_in_force(kind) is not None and kind in (
            NoticeKind.AVIS_CONTRAVENTION,
            NoticeKind.ATTESTATION_REGULARISATION,
        ):
            raise InvalidTransition(
                N_("Cet avis est déjà émis : une réédition doit dire quel avis elle remplace."),
            )

    def issue_notice(
        self: _Case,
        actor: Actor,
        *,
        notice_id: UUID,
        kind: NoticeKind,
        number: str,
        key: str,
        sha256: str,
        size: int,
        issued_on: date,
        deadline: date | None,
        replaces: str | None,
    ) -> None:
        self.check_notice(actor, kind, replaces)
        self.trigger_event(
            self.NoticeIssued,
            actor_id=actor.id,
            notice_id=notice_id,
            kind=kind,
            number=number,
            key=key,
            sha256=sha256,
            size=size,
            issued_on=issued_on,
            deadline=deadline,
            replaces=replaces,
        )

    def record_service(
        self: _Case,
        actor: Actor,
        *,
        number: str,
        method: str,
        served_on: date,
        served_to: str,
        today: date,
    ) -> None:
        self._check(Action.RECORD_SERVICE, actor)
        notice = self.notice(number)
        if notice is None:
            raise InvalidInput(
                N_("Aucun avis n° {number} sur ce dossier."), field="number", number=number
            )
        try:
            how = ServiceMethod(method)
        except ValueError:
            raise InvalidInput(N_("Mode de notification inconnu."), field="method") from None
        check_day(served_on, notice["issued_on"], today, "served_on")
        self.trigger_event(
            self.ServiceRecorded,
            actor_id=actor.id,
            number=number,
            method=how,
            served_on=served_on,
            served_to=clean_text(
                served_to, field="served_to", label=N_("Remis à"), required=True, max_length=200
            ),
        )

    def impose_fine(
        self: _Case, actor: Actor, *, amount: Decimal, reason: str, due_on: date, today: date
    ) -> None:
        self._check(Action.IMPOSE_FINE, actor)
        if not self.notices:
            raise InvalidTransition(N_("Une amende suppose un avis émis au préalable."))
        if due_on < today:
            raise InvalidInput(N_("L'échéance de paiement est déjà passée."), field="due_on")
        self.trigger_event(
            self.FineImposed,
            actor_id=actor.id,
            amount=money(amount),
            reason=reason_text(reason),
            due_on=due_on,
        )

    def record_payment(
        self: _Case,
        actor: Actor,
        *,
        amount: Decimal,
        receipt_number: str,
        paid_on: date,
        today: date,
    ) -> None:
        self._check(Action.RECORD_PAYMENT, actor)
        amount = money(amount)
        if amount > self.balance:
            raise InvalidInput(
                N_("Paiement de {amount} MAD supérieur au reste dû ({balance} MAD)."),
                field="amount",
                amount=f"{amount:.2f}",
                balance=f"{self.balance:.2f}",
            )
        receipt = clean_text(
            receipt_number,
            field="receipt_number",
            label=N_("N° de quittance"),
            required=True,
            max_length=40,
        )
        if any(p["receipt_number"] == receipt for p in self.payments):
            raise InvalidInput(
                N_("La quittance {receipt} est déjà enregistrée."),
                field="receipt_number",
                receipt=receipt,
            )
        check_day(paid_on, None, today, "paid_on")
        self.trigger_event(
            self.PaymentRecorded,
            actor_id=actor.id,
            amount=amount,
            receipt_number=receipt,
            paid_on=paid_on,
        )

    def file_appeal(
        self: _Case, actor: Actor, *, filed_on: date, grounds: str, against: str, today: date
    ) -> None:
        self._check(Action.FILE_APPEAL, actor)
        notice = self.notice(against)
        if notice is None:
            raise InvalidInput(
                N_("Aucun avis n° {number} sur ce dossier."), field="against", number=against
            )
        if self.pending_appeal is not None:
            raise InvalidTransition(N_("Un recours est déjà en cours sur ce dossier."))
        check_day(filed_on, notice["issued_on"], today, "filed_on")
        self.trigger_event(
            self.AppealFiled,
            actor_id=actor.id,
            filed_on=filed_on,
            grounds=clean_text(grounds, field="grounds", label=N_("Motifs"), required=True),
            against=against,
        )

    def decide_appeal(
        self: _Case, actor: Actor, *, outcome: str, decided_on: date, note: str, today: date
    ) -> None:
        self._check(Action.DECIDE_APPEAL, actor)
        appeal = self.pending_appeal
        if appeal is None:
            raise InvalidTransition(N_("Aucun recours en cours sur ce dossier."))
        try:
            decision = AppealOutcome(outcome)
        except ValueError:
            raise InvalidInput(N_("Décision inconnue."), field="outcome") from None
        check_day(decided_on, appeal["filed_on"], today, "decided_on")
        self.trigger_event(
            self.AppealDecided,
            actor_id=actor.id,
            outcome=decision,
            decided_on=decided_on,
            note=note_text(note),
        )

    def release_vehicle(
        self: _Case, actor: Actor, *, released_on: date, released_to: str, today: date
    ) -> None:
        # Who may release is checked first: the state of a case is not told to anyone else.
        rule = self._allowed(Action.RELEASE_VEHICLE, actor)
        if not self.measures:
            raise InvalidTransition(
                N_("Aucun sabot ni mise en fourrière sur le dossier {reference}."),
                reference=self.reference,
            )
        if self.released is not None:
            raise InvalidTransition(
                N_("Véhicule déjà restitué le {day}."),
                day=self.released["on"].strftime("%d/%m/%Y"),
            )
        if self.status not in rule.from_statuses:
            # Still open: a ticket stays open until its fine and fees are paid in full.
            raise InvalidTransition(
                N_("Restitution après paiement de l'amende et des frais : reste dû {balance} MAD."),
                balance=f"{self.balance:.2f}",
            )
        check_day(released_on, None, today, "released_on")
        if released_on < self.created_on.date():
            raise InvalidInput(
                N_("La restitution ne peut précéder le constat ({day})."),
                field="released_on",
                day=self.created_on.strftime("%d/%m/%Y"),
            )
        self.trigger_event(
            self.VehicleReleased,
            actor_id=actor.id,
            released_on=released_on,
            released_to=clean_text(
                released_to,
                field="released_to",
                label=N_("Remis à"),
                required=True,
                max_length=200,
            ),
        )


def check_day(day: date, not_before: date | None, today: date, field: str) -> None:
    if day > today:
        raise InvalidInput(N_("Cette date est dans le futur."), field=field)
    if not_before is not None and day < not_before:
        raise InvalidInput(
            N_("Cette date précède celle de l'avis ou du recours ({day})."),
            field=field,
            day=not_before.strftime("%d/%m/%Y"),
        )


def money(amount: Decimal) -> Decimal:
    try:
        value = Decimal(amount)
    except (InvalidOperation, TypeError):  # not a number; None
        value = Decimal("NaN")
    if not value.is_finite() or not Decimal("0") < value <= Decimal("10000000"):
        raise InvalidInput(N_("Montant invalide : un nombre positif est attendu."), field="amount")
    return value.quantize(Decimal("0.01"))


def reason_text(text: str) -> str:
    return clean_text(text, field="reason", label=N_("Motif"), required=True)


def note_text(text: str) -> str:
    return clean_text(text, field="note", label=N_("Observation"))
