"""The case (dossier): the enforcement of one subject's infractions at one place.

Read top to bottom: first its events, each with what it carries and what it does to the case
(``apply``), which is the case's part of the record; then its state. What it reads of itself
and the workflow rules every command checks (role, brigade, status) are in
``police.aggregates.case_rules``; the supervisors' commands (validate, dismiss, assign,
follow-up, compliance, escalate, close, reopen) in ``police.aggregates.case_supervision``, the
legal follow-up (notices, service, fines, payments, appeals, release) in
``police.aggregates.case_follow_up``, the recipient's own access (the notice's code, a
contestation, a declared compliance) in ``police.aggregates.case_recipient``: each checks the
workflow's rule and its own, then triggers one event. The events live in the class body because
their stored names are ``Case.<Event>``: moving them would orphan the record's events.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from types import MappingProxyType
from typing import Any, cast
from uuid import UUID

from eventsourcing.domain import event

from police.aggregates.base import PoliceAggregate
from police.aggregates.case_follow_up import LegalFollowUp
from police.aggregates.case_recipient import RecipientAccess
from police.aggregates.case_rules import CaseRules
from police.aggregates.case_supervision import Supervision
from police.catalogue import Workflow
from police.identifiers import derived_id
from police.workflow import (
    NOTICE_RULES,
    AppealOutcome,
    CaseStatus,
    NoticeKind,
)


class Case(RecipientAccess, Supervision, LegalFollowUp, CaseRules, PoliceAggregate):
    # Set by the recipient's events; class defaults, so that a case snapshotted before they
    # existed reads as having none (each event replaces them, never mutates them in place).
    # (Not annotated: the library would make annotated class attributes fields of __init__.)
    access_codes = cast("Mapping[str, str]", MappingProxyType({}))
    compliance_declared = cast("dict[str, Any] | None", None)

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
            case.inspections.append({"id": self.inspection_id, "compliant": self.compliant})
            if self.follow_up:
                case.follow_up = None
            case.compliance_declared = None  # the visit it asked for was made

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

    # The recipient's own access (``police.aggregates.case_recipient``).

    class AccessCodeIssued(Event):
        """The private code printed on a notice, issued with it: only its digest is kept."""

        actor_id: UUID
        notice_number: str
        digest: str

        def apply(self, case: Case) -> None:
            case.access_codes = {**case.access_codes, self.notice_number: self.digest}

    class AccessCodeRevoked(Event):
        """By legal staff (a code lost, seen by others): it opens nothing any more; a new one,
        given to the recipient in person, may replace it."""

        actor_id: UUID
        notice_number: str
        reason: str
        digest: str | None

        def apply(self, case: Case) -> None:
            codes = {k: v for k, v in case.access_codes.items() if k != self.notice_number}
            case.access_codes = codes | ({self.notice_number: self.digest} if self.digest else {})

    class ContestationFiled(Event):
        """Filed by the recipient with the notice's code: the appeal the legal staff decide."""

        notice_number: str
        filed_on: date
        grounds: str
        documents: list[dict[str, Any]]

        def apply(self, case: Case) -> None:
            case.appeals.append(
                {
                    "filed_on": self.filed_on,
                    "grounds": self.grounds,
                    "against": self.notice_number,
                    "outcome": None,
                    "by_recipient": True,
                    "documents": self.documents,
                }
            )

    class ComplianceDeclared(Event):
        """The recipient says they complied and asks for the follow-up visit."""

        notice_number: str
        declared_on: date
        statement: str
        photos: list[dict[str, Any]]

        def apply(self, case: Case) -> None:
            case.compliance_declared = {
                "notice": self.notice_number,
                "on": self.declared_on,
                "statement": self.statement,
                "photos": self.photos,
            }

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
        self.inspections: list[dict[str, Any]] = [{"id": opening_inspection_id, "compliant": False}]
        self.assignee_id: UUID | None = None
        self.follow_up: dict[str, Any] | None = None
        self.status_before_end: str | None = None
        self.end_reason: str = ""
        self.notices: list[dict[str, Any]] = []
        self.fines: list[dict[str, Any]] = []
        self.payments: list[dict[str, Any]] = []
        self.appeals: list[dict[str, Any]] = []
        self.released: dict[str, Any] | None = None  # a clamped or impounded vehicle given back

    def _end(self, status: CaseStatus, reason: str) -> None:
        """What the events that end a case share."""
        self.status_before_end = self.status
        self.status = status
        self.end_reason = reason
        self.follow_up = None
