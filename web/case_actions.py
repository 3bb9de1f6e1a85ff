"""The forms of a case's actions, workflow and legal alike: how each one's fields become its
command (``police.commands``). The case page draws a form for each action the rules allow;
``POST /cases/{id}/{action}`` parses it here and hands the command to the application."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypedDict
from uuid import UUID

from police.commands import (
    AssignCase,
    CaseCommand,
    CloseCase,
    DecideAppeal,
    DismissCase,
    EscalateCase,
    FileAppeal,
    ImposeFine,
    RecordCompliance,
    RecordPayment,
    RecordService,
    ReleaseVehicle,
    ReopenCase,
    ScheduleFollowUp,
    ValidateCase,
)
from police.errors import N_, NotFound
from police.workflow import Action, AppealOutcome, ServiceMethod
from web.form_parsing import Fields


class Target(TypedDict):
    case_id: UUID
    expected_version: int


_OFFICER = N_("Choisissez un agent.")
_FOLLOW_UP_DAY = N_("Date du contrôle de suivi invalide.")

FORMS: dict[Action, Callable[[Target, Fields], CaseCommand]] = {
    Action.VALIDATE: lambda t, f: ValidateCase(**t, note=f.text("reason")),
    Action.DISMISS: lambda t, f: DismissCase(**t, reason=f.text("reason")),
    Action.ASSIGN: lambda t, f: AssignCase(**t, officer_id=f.id("officer_id", _OFFICER)),
    Action.SCHEDULE_FOLLOW_UP: lambda t, f: ScheduleFollowUp(
        **t,
        due_on=f.day("due_on", _FOLLOW_UP_DAY),
        officer_id=f.optional_id("officer_id", _OFFICER),
    ),
    Action.RECORD_COMPLIANCE: lambda t, f: RecordCompliance(**t, note=f.text("reason")),
    Action.ESCALATE: lambda t, f: EscalateCase(**t, reason=f.text("reason")),
    Action.CLOSE: lambda t, f: CloseCase(**t, reason=f.text("reason")),
    Action.REOPEN: lambda t, f: ReopenCase(**t, reason=f.text("reason")),
    Action.RELEASE_VEHICLE: lambda t, f: ReleaseVehicle(
        **t, released_on=f.day("released_on"), released_to=f.text("released_to")
    ),
    Action.RECORD_SERVICE: lambda t, f: RecordService(
        **t,
        number=f.text("number"),
        method=f.choice("method", ServiceMethod, N_("Mode de notification inconnu.")),
        served_on=f.day("served_on"),
        served_to=f.text("served_to"),
    ),
    Action.IMPOSE_FINE: lambda t, f: ImposeFine(
        **t,
        reason=f.text("reason"),
        due_on=f.day("due_on"),
        amount=f.optional_amount("amount"),
    ),
    Action.RECORD_PAYMENT: lambda t, f: RecordPayment(
        **t,
        amount=f.amount("amount"),
        receipt_number=f.text("receipt_number"),
        paid_on=f.day("paid_on"),
    ),
    Action.FILE_APPEAL: lambda t, f: FileAppeal(
        **t, filed_on=f.day("filed_on"), grounds=f.text("grounds"), against=f.text("against")
    ),
    Action.DECIDE_APPEAL: lambda t, f: DecideAppeal(
        **t,
        outcome=f.choice("outcome", AppealOutcome, N_("Décision inconnue.")),
        decided_on=f.day("decided_on"),
        note=f.text("note"),
    ),
}


def command_for(action: str, case_id: UUID, fields: Fields) -> CaseCommand:
    """The command behind an action's form; an action no form has is not found."""
    try:
        parse = FORMS[Action(action)]
    except (ValueError, KeyError):
        raise NotFound(N_("Action inconnue.")) from None
    return parse(Target(case_id=case_id, expected_version=fields.version()), fields)
