"""The commands that change a case: one small typed value per workflow or legal action.

Each names the case and, from a form, the version of the case the user was looking at. The
application's one entry (``PoliceApp.change_case``) loads the case and the acting user, refuses a
stale version, applies the command through the case's own rules, and saves. A command only
carries what was asked; every check lives in the ``Case`` aggregate.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar, Protocol
from uuid import UUID

from police.aggregates.case import Case
from police.planning import VisitKind
from police.roles import Actor
from police.workflow import Action, NoticeKind


class CaseContext(Protocol):
    """What a command may need beyond the case: today's date, the officers it names, and the
    visit it plans (the brigade's roster, to save with the case)."""

    def today(self) -> date: ...

    def officer(self, officer_id: UUID) -> Actor: ...

    def _plan_visit(
        self,
        actor_id: UUID,
        brigade: str,
        *,
        visit: str,
        kind: VisitKind,
        label: str,
        place: dict[str, Any],
        note: str = "",
        due_on: date | None = None,
        officer_id: UUID | None = None,
        among: Sequence[UUID] = (),
    ) -> tuple[Any, UUID | None]: ...


@dataclass(frozen=True, kw_only=True)
class CaseCommand(ABC):
    case_id: UUID
    expected_version: int | None = None  # the version a form was read at; None: the latest
    action: ClassVar[Action]

    @abstractmethod
    def apply(self, case: Case, actor: Actor, context: CaseContext) -> Sequence[Any] | None:
        """Changes the case; returns what else is to be saved with it, if anything."""


@dataclass(frozen=True, kw_only=True)
class ValidateCase(CaseCommand):
    action = Action.VALIDATE
    note: str = ""

    def apply(self, case: Case, actor: Actor, context: CaseContext) -> None:
        case.validate(actor, self.note)


@dataclass(frozen=True, kw_only=True)
class DismissCase(CaseCommand):
    action = Action.DISMISS
    reason: str

    def apply(self, case: Case, actor: Actor, context: CaseContext) -> None:
        case.dismiss(actor, self.reason)


@dataclass(frozen=True, kw_only=True)
class AssignCase(CaseCommand):
    action = Action.ASSIGN
    officer_id: UUID

    def apply(self, case: Case, actor: Actor, context: CaseContext) -> None:
        case.assign(actor, context.officer(self.officer_id))


@dataclass(frozen=True, kw_only=True)
class ScheduleFollowUp(CaseCommand):
    action = Action.SCHEDULE_FOLLOW_UP
    due_on: date
    officer_id: UUID | None = None

    def apply(self, case: Case, actor: Actor, context: CaseContext) -> Sequence[Any]:
        """Without an officer named, the brigade's rule gives the visit to one."""
        if self.officer_id:
            context.officer(self.officer_id)  # an active account, checked before the roster
        roster, chosen = context._plan_visit(
            actor.id,
            case.brigade,
            visit=f"{VisitKind.FOLLOW_UP}:{case.id}",
            kind=VisitKind.FOLLOW_UP,
            label=f"{case.reference} · {case.subject_label}",
            place=case.location,
            due_on=self.due_on,
            officer_id=self.officer_id,
        )
        officer = context.officer(chosen) if chosen else None
        case.schedule_follow_up(actor, due_on=self.due_on, today=context.today(), officer=officer)
        return [roster]


@dataclass(frozen=True, kw_only=True)
class RecordCompliance(CaseCommand):
    action = Action.RECORD_COMPLIANCE
    note: str = ""
    inspection_id: UUID | None = None

    def apply(self, case: Case, actor: Actor, context: CaseContext) -> None:
        case.record_compliance(actor, note=self.note, inspection_id=self.inspection_id)


@dataclass(frozen=True, kw_only=True)
class EscalateCase(CaseCommand):
    action = Action.ESCALATE
    reason: str

    def apply(self, case: Case, actor: Actor, context: CaseContext) -> None:
        case.escalate(actor, self.reason)


@dataclass(frozen=True, kw_only=True)
class CloseCase(CaseCommand):
    action = Action.CLOSE
    reason: str

    def apply(self, case: Case, actor: Actor, context: CaseContext) -> None:
        case.close(actor, self.reason)


@dataclass(frozen=True, kw_only=True)
class ReopenCase(CaseCommand):
    action = Action.REOPEN
    reason: str

    def apply(self, case: Case, actor: Actor, context: CaseContext) -> None:
        case.reopen(actor, self.reason)


@dataclass(frozen=True, kw_only=True)
class ReleaseVehicle(CaseCommand):
    """A clamped or impounded vehicle given back: when, to whom."""

    action = Action.RELEASE_VEHICLE
    released_on: date
    released_to: str

    def apply(self, case: Case, actor: Actor, context: CaseContext) -> None:
        case.release_vehicle(
            actor, released_on=self.released_on, released_to=self.released_to, today=context.today()
        )


@dataclass(frozen=True, kw_only=True)
class RecordService(CaseCommand):
    """A notice handed over, posted or delivered: how, when, to whom."""

    action = Action.RECORD_SERVICE
    number: str
    method: str
    served_on: date
    served_to: str

    def apply(self, case: Case, actor: Actor, context: CaseContext) -> None:
        case.record_service(
            actor,
            number=self.number,
            method=self.method,
            served_on=self.served_on,
            served_to=self.served_to,
            today=context.today(),
        )


@dataclass(frozen=True, kw_only=True)
class ImposeFine(CaseCommand):
    """The fine assessed from the catalogue (with any repeat-offence surcharge) unless legal
    staff set another amount."""

    action = Action.IMPOSE_FINE
    reason: str
    due_on: date
    amount: Decimal | None = None

    def apply(self, case: Case, actor: Actor, context: CaseContext) -> None:
        case.impose_fine(
            actor,
            amount=case.fine_assessed if self.amount is None else self.amount,
            reason=self.reason,
            due_on=self.due_on,
            today=context.today(),
        )


@dataclass(frozen=True, kw_only=True)
class RecordPayment(CaseCommand):
    action = Action.RECORD_PAYMENT
    amount: Decimal
    receipt_number: str
    paid_on: date

    def apply(self, case: Case, actor: Actor, context: CaseContext) -> None:
        case.record_payment(
            actor,
            amount=self.amount,
            receipt_number=self.receipt_number,
            paid_on=self.paid_on,
            today=context.today(),
        )


@dataclass(frozen=True, kw_only=True)
class FileAppeal(CaseCommand):
    action = Action.FILE_APPEAL
    filed_on: date
    grounds: str
    against: str  # the number of the notice contested

    def apply(self, case: Case, actor: Actor, context: CaseContext) -> None:
        case.file_appeal(
            actor,
            filed_on=self.filed_on,
            grounds=self.grounds,
            against=self.against,
            today=context.today(),
        )


@dataclass(frozen=True, kw_only=True)
class DecideAppeal(CaseCommand):
    action = Action.DECIDE_APPEAL
    outcome: str
    decided_on: date
    note: str = ""

    def apply(self, case: Case, actor: Actor, context: CaseContext) -> None:
        case.decide_appeal(
            actor,
            outcome=self.outcome,
            decided_on=self.decided_on,
            note=self.note,
            today=context.today(),
        )


@dataclass(frozen=True, kw_only=True)
class IssueNotice:
    """A formal notice of ``kind`` for the case, rendered, stored, numbered, then recorded.
    ``replaces``: the number of the notice it re-issues."""

    case_id: UUID
    kind: NoticeKind
    deadline: date | None = None
    replaces: str | None = None
    expected_version: int | None = None
