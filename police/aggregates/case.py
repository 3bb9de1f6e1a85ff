"""The case (dossier): the enforcement of one subject's infractions at one place.

Read top to bottom: first its events, each with what it carries and what it does to the case
(``apply``), which is the case's part of the record; then its state; then its commands, each of
which checks the workflow's rule and its own, then triggers one event. The events live in the
class body because their stored names are ``Case.<Event>``: moving them would orphan the
record's events, which is why this module is longer than the others.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from police.aggregates.base import PoliceAggregate
from police.catalogue import Workflow
from police.errors import N_, InvalidInput, InvalidTransition
from police.identifiers import clean_text, derived_id
from police.roles import Actor, Brigade, Role
from police.workflow import (
    ACTION_LABELS,
    ENDED,
    NOTICE_RULES,
    STATUS_LABELS,
    Action,
    AppealOutcome,
    CaseStatus,
    NoticeKind,
    Rule,
    ServiceMethod,
    rule_for,
)


class Case(PoliceAggregate):
    # --- events: each fact it records, what the fact carries and what it does ---

    class Event(PoliceAggregate.Event):
        pass

    class Created(Event, PoliceAggregate.Created):
        pass

    class Opened(Created):
        opening_inspection_id: UUID
        actor_id: UUID
        reference: str
        brigade: str
        workflow: str
        subject_id: UUID
        subject_label: str
        location: dict[str, Any]
        findings: list[dict[str, Any]]
        catalogue_version: str
        fine_assessed: Decimal
        amount_due: Decimal
        compliance_due: date | None
        ticket: dict[str, Any] | None
        measures: list[dict[str, Any]]
        prior_case_ids: list[UUID]

    class InspectionAdded(Event):
        actor_id: UUID
        inspection_id: UUID
        compliant: bool
        findings: list[dict[str, Any]]
        follow_up: bool

        def apply(self, case: Case) -> None:
            case.inspections.append(
                {"id": self.inspection_id, "compliant": self.compliant, "by": self.actor_id}
            )
            if self.follow_up:
                case.follow_up = None

    class Validated(Event):
        actor_id: UUID
        note: str

        def apply(self, case: Case) -> None:
            case.status = CaseStatus.VALIDATED

    class Dismissed(Event):
        actor_id: UUID
        reason: str

        def apply(self, case: Case) -> None:
            case._end(CaseStatus.DISMISSED, self.reason)

    class Assigned(Event):
        actor_id: UUID
        officer_id: UUID

        def apply(self, case: Case) -> None:
            case.assignee_id = self.officer_id

    class FollowUpScheduled(Event):
        actor_id: UUID
        due_on: date
        officer_id: UUID | None

        def apply(self, case: Case) -> None:
            case.follow_up = {"due_on": self.due_on, "officer_id": self.officer_id}
            if self.officer_id is not None:
                case.assignee_id = self.officer_id

    class ComplianceRecorded(Event):
        actor_id: UUID
        note: str
        inspection_id: UUID | None

        def apply(self, case: Case) -> None:
            case._end(CaseStatus.RESOLVED, self.note)

    class Escalated(Event):
        actor_id: UUID
        reason: str

        def apply(self, case: Case) -> None:
            case.status = CaseStatus.ESCALATED

    class Closed(Event):
        actor_id: UUID
        reason: str

        def apply(self, case: Case) -> None:
            case._end(CaseStatus.CLOSED, self.reason)

    class Reopened(Event):
        actor_id: UUID
        reason: str

        def apply(self, case: Case) -> None:
            case.status = CaseStatus(case.status_before_end or CaseStatus.OPENED)
            case.status_before_end = None
            case.end_reason = ""

    class NoticeIssued(Event):
        actor_id: UUID
        notice_id: UUID
        kind: str
        number: str
        key: str
        sha256: str
        size: int
        issued_on: date
        deadline: date | None
        replaces: str | None

        def apply(self, case: Case) -> None:
            for earlier in case.notices:
                if earlier["number"] == self.replaces:
                    earlier["replaced_by"] = self.number
            case.notices.append(
                {
                    "notice_id": self.notice_id,
                    "kind": self.kind,
                    "number": self.number,
                    "key": self.key,
                    "sha256": self.sha256,
                    "issued_on": self.issued_on,
                    "deadline": self.deadline,
                    "replaced_by": None,
                    "served": [],
                }
            )
            if NOTICE_RULES[NoticeKind(self.kind)].notifies:
                case.status = CaseStatus.NOTIFIED
                case.compliance_due = self.deadline
                case.follow_up = None

    class ServiceRecorded(Event):
        actor_id: UUID
        number: str
        method: str
        served_on: date
        served_to: str

        def apply(self, case: Case) -> None:
            notice = case.notice(self.number)
            assert notice is not None
            notice["served"].append(
                {"method": self.method, "on": self.served_on, "to": self.served_to}
            )

    class FineImposed(Event):
        actor_id: UUID
        amount: Decimal
        reason: str
        due_on: date

        def apply(self, case: Case) -> None:
            case.fines.append({"amount": self.amount, "reason": self.reason, "due_on": self.due_on})
            case.amount_due += self.amount

    class PaymentRecorded(Event):
        actor_id: UUID
        amount: Decimal
        receipt_number: str
        paid_on: date

        def apply(self, case: Case) -> None:
            case.payments.append(
                {
                    "amount": self.amount,
                    "receipt_number": self.receipt_number,
                    "on": self.paid_on,
                }
            )
            case.amount_paid += self.amount
            if case.balance <= 0:
                case._end(CaseStatus.CLOSED, "")  # paid in full: the case is closed by the payment

    class AppealFiled(Event):
        actor_id: UUID
        filed_on: date
        grounds: str
        against: str

        def apply(self, case: Case) -> None:
            case.appeals.append(
                {
                    "filed_on": self.filed_on,
                    "grounds": self.grounds,
                    "against": self.against,
                    "outcome": None,
                }
            )

    class AppealDecided(Event):
        actor_id: UUID
        outcome: str
        decided_on: date
        note: str

        def apply(self, case: Case) -> None:
            appeal = case.pending_appeal
            assert appeal is not None
            appeal.update(outcome=self.outcome, decided_on=self.decided_on)
            if AppealOutcome(self.outcome) is AppealOutcome.CANCELLED:
                case.amount_due = case.amount_paid  # nothing more is owed
                case._end(CaseStatus.CANCELLED, self.note)

    class VehicleReleased(Event):
        actor_id: UUID
        released_on: date
        released_to: str

        def apply(self, case: Case) -> None:
            case.released = {"on": self.released_on, "to": self.released_to, "by": self.actor_id}

    # --- state and commands ---

    @staticmethod
    def create_id(opening_inspection_id: UUID) -> UUID:
        return derived_id(opening_inspection_id, "case")

    @event(Opened)
    def __init__(
        self,
        *,
        opening_inspection_id: UUID,
        actor_id: UUID,
        reference: str,
        brigade: str,
        workflow: str,
        subject_id: UUID,
        subject_label: str,
        location: dict[str, Any],
        findings: list[dict[str, Any]],
        catalogue_version: str,
        fine_assessed: Decimal,
        amount_due: Decimal,
        compliance_due: date | None,
        ticket: dict[str, Any] | None,
        measures: list[dict[str, Any]],
        prior_case_ids: list[UUID],
    ) -> None:
        self.reference = reference
        self.brigade = brigade
        self.workflow = workflow
        self.subject_id = subject_id
        self.subject_label = subject_label
        self.location = location
        self.findings = findings
        self.catalogue_version = catalogue_version
        self.fine_assessed = fine_assessed
        self.amount_due = amount_due
        self.amount_paid = Decimal("0")
        self.compliance_due = compliance_due
        self.ticket = ticket
        self.measures = measures
        self.prior_case_ids = prior_case_ids
        self.opened_by = actor_id
        self.status = CaseStatus.NOTIFIED if workflow == Workflow.TICKET else CaseStatus.OPENED
        self.inspections: list[dict[str, Any]] = [
            {"id": opening_inspection_id, "compliant": False, "by": actor_id}
        ]
        self.assignee_id: UUID | None = None
        self.follow_up: dict[str, Any] | None = None
        self.status_before_end: str | None = None
        self.end_reason: str = ""
        self.notices: list[dict[str, Any]] = []
        self.fines: list[dict[str, Any]] = []
        self.payments: list[dict[str, Any]] = []
        self.appeals: list[dict[str, Any]] = []
        self.released: dict[str, Any] | None = None  # a clamped or impounded vehicle given back

    # --- reading ---------------------------------------------------------------------------

    @property
    def is_open(self) -> bool:
        return self.status not in ENDED

    @property
    def balance(self) -> Decimal:
        return self.amount_due - self.amount_paid

    @property
    def inspection_ids(self) -> list[UUID]:
        return [i["id"] for i in self.inspections]

    @property
    def pending_appeal(self) -> dict[str, Any] | None:
        return next((a for a in self.appeals if a["outcome"] is None), None)

    def notice(self, number: str) -> dict[str, Any] | None:
        return next((n for n in self.notices if n["number"] == number), None)

    # --- commands: each checks, then triggers one event -------------------------------------

    def add_inspection(
        self, actor: Actor, *, inspection_id: UUID, compliant: bool, findings: list[dict[str, Any]]
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

    def validate(self, actor: Actor, note: str = "") -> None:
        self._check(Action.VALIDATE, actor)
        self.trigger_event(self.Validated, actor_id=actor.id, note=_note(note))

    def dismiss(self, actor: Actor, reason: str) -> None:
        self._check(Action.DISMISS, actor)
        self.trigger_event(self.Dismissed, actor_id=actor.id, reason=_reason(reason))

    def assign(self, actor: Actor, officer: Actor) -> None:
        self._check(Action.ASSIGN, actor)
        if Role.OFFICER not in officer.roles or Brigade(self.brigade) not in officer.brigades:
            raise InvalidInput(
                N_("{username} n'est pas un agent de la brigade de ce dossier."),
                field="officer",
                username=officer.username,
            )
        if officer.id == self.assignee_id:
            raise InvalidTransition(
                N_("Le dossier {reference} est déjà affecté à {username}."),
                reference=self.reference,
                username=officer.username,
            )
        self.trigger_event(self.Assigned, actor_id=actor.id, officer_id=officer.id)

    def schedule_follow_up(
        self, actor: Actor, *, due_on: date, today: date, officer: Actor | None = None
    ) -> None:
        self._check(Action.SCHEDULE_FOLLOW_UP, actor)
        if due_on < today:
            raise InvalidInput(
                N_("La date du contrôle de suivi ({due}) est déjà passée."),
                field="due_on",
                due=due_on.strftime("%d/%m/%Y"),
            )
        if officer is not None and (
            Role.OFFICER not in officer.roles or Brigade(self.brigade) not in officer.brigades
        ):
            raise InvalidInput(
                N_("{username} n'est pas un agent de la brigade de ce dossier."),
                field="officer",
                username=officer.username,
            )
        self.trigger_event(
            self.FollowUpScheduled,
            actor_id=actor.id,
            due_on=due_on,
            officer_id=officer.id if officer else None,
        )

    def record_compliance(
        self, actor: Actor, *, note: str = "", inspection_id: UUID | None = None
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
            note=_note(note),
            inspection_id=inspection_id,
        )

    def escalate(self, actor: Actor, reason: str) -> None:
        self._check(Action.ESCALATE, actor)
        self.trigger_event(self.Escalated, actor_id=actor.id, reason=_reason(reason))

    def close(self, actor: Actor, reason: str) -> None:
        self._check(Action.CLOSE, actor)
        if self.balance > 0:
            raise InvalidTransition(
                N_("Le dossier {reference} ne peut être clos : {balance} MAD restent dus."),
                reference=self.reference,
                balance=f"{self.balance:.2f}",
            )
        self.trigger_event(self.Closed, actor_id=actor.id, reason=_reason(reason))

    def reopen(self, actor: Actor, reason: str) -> None:
        self._check(Action.REOPEN, actor)
        self.trigger_event(self.Reopened, actor_id=actor.id, reason=_reason(reason))

    # --- legal follow-up: notices, service, fines, payments, appeals ---------------------------

    def check_notice(self, actor: Actor, kind: NoticeKind, replaces: str | None = None) -> None:
        """Whether a notice of ``kind`` may be issued now (checked before it is rendered)."""
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
        elif any(n["kind"] == kind and not n["replaced_by"] for n in self.notices) and kind in (
            NoticeKind.AVIS_CONTRAVENTION,
            NoticeKind.ATTESTATION_REGULARISATION,
        ):
            raise InvalidTransition(
                N_("Cet avis est déjà émis : une réédition doit dire quel avis elle remplace."),
            )

    def issue_notice(
        self,
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
        self,
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
        _check_day(served_on, notice["issued_on"], today, "served_on")
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
        self, actor: Actor, *, amount: Decimal, reason: str, due_on: date, today: date
    ) -> None:
        self._check(Action.IMPOSE_FINE, actor)
        if not self.notices:
            raise InvalidTransition(N_("Une amende suppose un avis émis au préalable."))
        if due_on < today:
            raise InvalidInput(N_("L'échéance de paiement est déjà passée."), field="due_on")
        self.trigger_event(
            self.FineImposed,
            actor_id=actor.id,
            amount=_money(amount),
            reason=_reason(reason),
            due_on=due_on,
        )

    def record_payment(
        self, actor: Actor, *, amount: Decimal, receipt_number: str, paid_on: date, today: date
    ) -> None:
        self._check(Action.RECORD_PAYMENT, actor)
        amount = _money(amount)
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
        _check_day(paid_on, None, today, "paid_on")
        self.trigger_event(
            self.PaymentRecorded,
            actor_id=actor.id,
            amount=amount,
            receipt_number=receipt,
            paid_on=paid_on,
        )

    def file_appeal(
        self, actor: Actor, *, filed_on: date, grounds: str, against: str, today: date
    ) -> None:
        self._check(Action.FILE_APPEAL, actor)
        notice = self.notice(against)
        if notice is None:
            raise InvalidInput(
                N_("Aucun avis n° {number} sur ce dossier."), field="against", number=against
            )
        if self.pending_appeal is not None:
            raise InvalidTransition(N_("Un recours est déjà en cours sur ce dossier."))
        _check_day(filed_on, notice["issued_on"], today, "filed_on")
        self.trigger_event(
            self.AppealFiled,
            actor_id=actor.id,
            filed_on=filed_on,
            grounds=clean_text(grounds, field="grounds", label=N_("Motifs"), required=True),
            against=against,
        )

    def decide_appeal(
        self, actor: Actor, *, outcome: str, decided_on: date, note: str, today: date
    ) -> None:
        self._check(Action.DECIDE_APPEAL, actor)
        appeal = self.pending_appeal
        if appeal is None:
            raise InvalidTransition(N_("Aucun recours en cours sur ce dossier."))
        try:
            decision = AppealOutcome(outcome)
        except ValueError:
            raise InvalidInput(N_("Décision inconnue."), field="outcome") from None
        _check_day(decided_on, appeal["filed_on"], today, "decided_on")
        self.trigger_event(
            self.AppealDecided,
            actor_id=actor.id,
            outcome=decision,
            decided_on=decided_on,
            note=_note(note),
        )

    def release_vehicle(
        self, actor: Actor, *, released_on: date, released_to: str, today: date
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
        if self.is_open and self.balance > 0:
            raise InvalidTransition(
                N_("Restitution après paiement de l'amende et des frais : reste dû {balance} MAD."),
                balance=f"{self.balance:.2f}",
            )
        self._in_status(Action.RELEASE_VEHICLE, rule)
        _check_day(released_on, None, today, "released_on")
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

    def _check(self, action: Action, actor: Actor) -> None:
        self._in_status(action, self._allowed(action, actor))

    def _allowed(self, action: Action, actor: Actor) -> Rule:
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

    def _in_status(self, action: Action, rule: Rule) -> None:
        if self.status not in rule.from_statuses:
            raise InvalidTransition(
                N_("Le dossier {reference} est « {status} » : impossible de {action}."),
                reference=self.reference,
                status=STATUS_LABELS[CaseStatus(self.status)],
                action=ACTION_LABELS[action],
            )

    # --- events ----------------------------------------------------------------------------

    def _end(self, status: CaseStatus, reason: str) -> None:
        self.status_before_end = self.status
        self.status = status
        self.end_reason = reason
        self.follow_up = None


def _check_day(day: date, not_before: date | None, today: date, field: str) -> None:
    if day > today:
        raise InvalidInput(N_("Cette date est dans le futur."), field=field)
    if not_before is not None and day < not_before:
        raise InvalidInput(
            N_("Cette date précède celle de l'avis ou du recours ({day})."),
            field=field,
            day=not_before.strftime("%d/%m/%Y"),
        )


def _money(amount: Decimal) -> Decimal:
    try:
        value = Decimal(amount)
    except (InvalidOperation, TypeError, ValueError):
        value = Decimal("NaN")
    if not value.is_finite() or not Decimal("0") < value <= Decimal("10000000"):
        raise InvalidInput(N_("Montant invalide : un nombre positif est attendu."), field="amount")
    return value.quantize(Decimal("0.01"))


def _reason(text: str) -> str:
    return clean_text(text, field="reason", label=N_("Motif"), required=True)


def _note(text: str) -> str:
    return clean_text(text, field="note", label=N_("Observation"))
