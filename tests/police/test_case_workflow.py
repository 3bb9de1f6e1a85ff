"""Every case command: its effect and its refusals (wrong role, wrong brigade, wrong status,
missing reason). A refusal raises a French message and records nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from functools import partial
from uuid import UUID

import pytest
from eventsourcing.domain import DomainEventProtocol

from police.aggregates.case import Case
from police.app import PoliceApp
from police.catalogue import Workflow
from police.commands import (
    AssignCase,
    CloseCase,
    DismissCase,
    EscalateCase,
    RecordCompliance,
    RecordPayment,
    ReleaseVehicle,
    ReopenCase,
    ScheduleFollowUp,
    ValidateCase,
)
from police.errors import Conflict, InvalidInput, InvalidTransition, NotAllowed, NotFound
from police.workflow import Action, CaseStatus, legal_actions
from tests.police import builders
from tests.police.builders import Staff, event_count


@pytest.fixture
def case_id(app: PoliceApp, staff: Staff) -> UUID:
    receipt = app.record_inspection(builders.hygiene(), staff.hygiene_officer)
    assert receipt.case_id is not None
    return receipt.case_id


@pytest.fixture
def ticket_id(app: PoliceApp, staff: Staff) -> UUID:
    receipt = app.record_inspection(builders.parking(), staff.parking_officer)
    assert receipt.case_id is not None
    return receipt.case_id


def last_event(app: PoliceApp, case_id: UUID) -> DomainEventProtocol[UUID]:
    return app.case_events(case_id)[-1]


def refused(
    app: PoliceApp, error: type[Exception], match: str, command: Callable[[], object]
) -> None:
    before = event_count(app)
    with pytest.raises(error, match=match):
        command()
    assert event_count(app) == before


def test_validate(app: PoliceApp, staff: Staff, case_id: UUID) -> None:
    case = app.change_case(
        ValidateCase(case_id=case_id, note="Constat conforme aux photos"), staff.hygiene_chief
    )
    assert case.status == CaseStatus.VALIDATED
    event = last_event(app, case_id)
    assert type(event).__name__ == "Validated"
    assert isinstance(event, Case.Validated)
    assert event.actor_id == staff.hygiene_chief
    assert event.note == "Constat conforme aux photos"


def test_validate_refusals(app: PoliceApp, staff: Staff, case_id: UUID) -> None:
    refused(
        app,
        NotAllowed,
        "Chef de brigade",
        lambda: app.change_case(ValidateCase(case_id=case_id), staff.hygiene_officer),
    )
    refused(
        app,
        NotAllowed,
        "Salubrité",
        lambda: app.change_case(ValidateCase(case_id=case_id), staff.parking_chief),
    )
    refused(
        app,
        NotAllowed,
        "Chef de brigade",
        lambda: app.change_case(ValidateCase(case_id=case_id), staff.legal),
    )
    app.change_case(ValidateCase(case_id=case_id), staff.hygiene_chief)
    refused(
        app,
        InvalidTransition,
        "« Validé » : impossible de valider",
        lambda: app.change_case(ValidateCase(case_id=case_id), staff.hygiene_chief),
    )


def test_an_admin_acts_in_every_brigade(app: PoliceApp, staff: Staff, case_id: UUID) -> None:
    assert (
        app.change_case(ValidateCase(case_id=case_id), staff.admin).status == CaseStatus.VALIDATED
    )


def test_dismiss_needs_a_reason_and_ends_the_case(
    app: PoliceApp, staff: Staff, case_id: UUID
) -> None:
    refused(
        app,
        InvalidInput,
        "Motif : ce champ est obligatoire",
        lambda: app.change_case(DismissCase(case_id=case_id, reason="   "), staff.hygiene_chief),
    )
    case = app.change_case(
        DismissCase(case_id=case_id, reason="Établissement fermé depuis"), staff.hygiene_chief
    )
    assert case.status == CaseStatus.DISMISSED
    assert not case.is_open
    dismissed = last_event(app, case_id)
    assert isinstance(dismissed, Case.Dismissed)
    assert dismissed.reason == "Établissement fermé depuis"
    refused(
        app,
        InvalidTransition,
        "Classé sans suite",
        lambda: app.change_case(DismissCase(case_id=case_id, reason="encore"), staff.hygiene_chief),
    )


def test_assign_to_an_officer_of_the_brigade(app: PoliceApp, staff: Staff, case_id: UUID) -> None:
    case = app.change_case(
        AssignCase(case_id=case_id, officer_id=staff.hygiene_officer_2), staff.hygiene_chief
    )
    assert case.assignee_id == staff.hygiene_officer_2
    refused(
        app,
        InvalidTransition,
        "déjà affecté",
        lambda: app.change_case(
            AssignCase(case_id=case_id, officer_id=staff.hygiene_officer_2), staff.hygiene_chief
        ),
    )
    refused(
        app,
        InvalidInput,
        "n'est pas un agent de la brigade",
        lambda: app.change_case(
            AssignCase(case_id=case_id, officer_id=staff.parking_officer), staff.hygiene_chief
        ),
    )
    refused(
        app,
        InvalidInput,
        "n'est pas un agent",
        lambda: app.change_case(
            AssignCase(case_id=case_id, officer_id=staff.hygiene_chief), staff.hygiene_chief
        ),
    )
    refused(
        app,
        InvalidInput,
        "Agent inconnu",
        lambda: app.change_case(
            AssignCase(case_id=case_id, officer_id=case_id), staff.hygiene_chief
        ),
    )


def test_schedule_a_follow_up(app: PoliceApp, staff: Staff, case_id: UUID) -> None:
    due = app.today() + timedelta(days=15)
    refused(
        app,
        InvalidTransition,
        "« Ouvert »",
        lambda: app.change_case(ScheduleFollowUp(case_id=case_id, due_on=due), staff.hygiene_chief),
    )
    app.change_case(ValidateCase(case_id=case_id), staff.hygiene_chief)
    refused(
        app,
        InvalidInput,
        "déjà passée",
        lambda: app.change_case(
            ScheduleFollowUp(case_id=case_id, due_on=app.today() - timedelta(days=1)),
            staff.hygiene_chief,
        ),
    )
    case = app.change_case(
        ScheduleFollowUp(case_id=case_id, due_on=due, officer_id=staff.hygiene_officer),
        staff.hygiene_chief,
    )
    assert case.follow_up == {"due_on": due, "officer_id": staff.hygiene_officer}
    assert case.assignee_id == staff.hygiene_officer


def test_record_compliance_resolves_the_case(app: PoliceApp, staff: Staff, case_id: UUID) -> None:
    opening = app.get_case(case_id).inspection_ids[0]
    app.change_case(ValidateCase(case_id=case_id), staff.hygiene_chief)
    refused(
        app,
        InvalidInput,
        "n'est pas un contrôle conforme",
        lambda: app.change_case(
            RecordCompliance(case_id=case_id, inspection_id=opening), staff.hygiene_chief
        ),
    )
    follow = app.record_inspection(
        builders.hygiene(findings=(), follow_up_case_id=case_id), staff.hygiene_officer
    )
    case = app.change_case(
        RecordCompliance(
            case_id=case_id, note="Locaux nettoyés", inspection_id=follow.inspection_id
        ),
        staff.hygiene_chief,
    )
    assert case.status == CaseStatus.RESOLVED
    assert not case.is_open
    recorded = last_event(app, case_id)
    assert isinstance(recorded, Case.ComplianceRecorded)
    assert recorded.inspection_id == follow.inspection_id


def test_escalate(app: PoliceApp, staff: Staff, case_id: UUID) -> None:
    refused(
        app,
        InvalidTransition,
        "escalader",
        lambda: app.change_case(
            EscalateCase(case_id=case_id, reason="Récidive"), staff.hygiene_chief
        ),
    )
    app.change_case(ValidateCase(case_id=case_id), staff.hygiene_chief)
    refused(
        app,
        InvalidInput,
        "Motif",
        lambda: app.change_case(EscalateCase(case_id=case_id, reason=""), staff.hygiene_chief),
    )
    case = app.change_case(
        EscalateCase(case_id=case_id, reason="Aucune régularisation"), staff.hygiene_chief
    )
    assert case.status == CaseStatus.ESCALATED


def test_close_and_reopen(app: PoliceApp, staff: Staff, case_id: UUID) -> None:
    app.change_case(ValidateCase(case_id=case_id), staff.hygiene_chief)
    case = app.change_case(
        CloseCase(case_id=case_id, reason="Fonds de commerce cédé"), staff.hygiene_chief
    )
    assert case.status == CaseStatus.CLOSED
    refused(
        app,
        InvalidTransition,
        "Clos",
        lambda: app.change_case(CloseCase(case_id=case_id, reason="encore"), staff.hygiene_chief),
    )
    case = app.change_case(
        ReopenCase(case_id=case_id, reason="Le cessionnaire exploite toujours"), staff.hygiene_chief
    )
    assert case.status == CaseStatus.VALIDATED  # back where it was
    refused(
        app,
        InvalidTransition,
        "Validé",
        lambda: app.change_case(ReopenCase(case_id=case_id, reason="encore"), staff.hygiene_chief),
    )


def test_a_parking_ticket_cannot_be_closed_while_unpaid(
    app: PoliceApp, staff: Staff, ticket_id: UUID
) -> None:
    refused(
        app,
        InvalidTransition,
        "300.00 MAD restent dus",
        lambda: app.change_case(CloseCase(case_id=ticket_id, reason="Payé"), staff.parking_chief),
    )


def test_a_ticket_issued_in_error_is_withdrawn_by_the_supervisor(
    app: PoliceApp, staff: Staff, ticket_id: UUID
) -> None:
    refused(
        app,
        InvalidTransition,
        "sans objet",
        lambda: app.change_case(ValidateCase(case_id=ticket_id), staff.parking_chief),
    )
    case = app.change_case(
        DismissCase(case_id=ticket_id, reason="Véhicule de secours en mission"), staff.parking_chief
    )
    assert case.status == CaseStatus.DISMISSED


def test_a_clamped_vehicle_is_released_once_fine_and_fee_are_paid(
    app: PoliceApp, staff: Staff
) -> None:
    clamped = builders.parking(measures=("clamp",))
    case_id = builders.opened_case(app, clamped, staff.parking_officer)
    today, chief = app.today(), staff.parking_chief
    release = ReleaseVehicle(
        case_id=case_id, released_on=today, released_to="M. Alami, CIN BE123456"
    )
    due = app.get_case(case_id).balance
    assert due == Decimal("450.00")  # the fine and the sabot fee
    refused(
        app,
        InvalidTransition,
        "reste dû 450.00 MAD",
        lambda: app.change_case(release, chief),
    )
    # Someone without the right is refused as such, not told what is owed on the case.
    refused(
        app,
        NotAllowed,
        "réservée au rôle",
        lambda: app.change_case(release, staff.parking_officer),
    )
    app.change_case(
        RecordPayment(case_id=case_id, amount=due, receipt_number="Q-9", paid_on=today), staff.legal
    )
    refused(
        app,
        NotAllowed,
        "réservée au rôle",
        lambda: app.change_case(release, staff.parking_officer),
    )
    refused(
        app,
        NotAllowed,
        "pour la brigade",
        lambda: app.change_case(release, staff.hygiene_chief),
    )
    for changed, error, message in [
        (replace(release, released_on=today + timedelta(days=1)), InvalidInput, "futur"),
        (
            replace(release, released_on=today - timedelta(days=2)),
            InvalidInput,
            "précéder le constat",
        ),
        (replace(release, released_to="  "), InvalidInput, "obligatoire"),
    ]:
        refused(app, error, message, partial(app.change_case, changed, chief))

    case = app.change_case(release, chief)
    assert case.released == {"on": today, "to": "M. Alami, CIN BE123456", "by": chief}
    assert type(last_event(app, case_id)).__name__ == "VehicleReleased"
    refused(
        app,
        InvalidTransition,
        "déjà restitué",
        lambda: app.change_case(release, chief),
    )


def test_a_ticket_without_sabot_or_fourriere_has_no_vehicle_to_release(
    app: PoliceApp, staff: Staff, ticket_id: UUID
) -> None:
    app.change_case(
        DismissCase(case_id=ticket_id, reason="Véhicule de secours en mission"), staff.parking_chief
    )
    refused(
        app,
        InvalidTransition,
        "Aucun sabot ni mise en fourrière",
        lambda: app.change_case(
            ReleaseVehicle(case_id=ticket_id, released_on=app.today(), released_to="Propriétaire"),
            staff.parking_chief,
        ),
    )


def test_a_command_on_an_unknown_case_is_not_found(app: PoliceApp, staff: Staff) -> None:
    with pytest.raises(NotFound, match="Dossier introuvable"):
        app.change_case(ValidateCase(case_id=staff.admin), staff.hygiene_chief)


def test_a_command_checked_against_an_older_version_is_a_conflict(
    app: PoliceApp, staff: Staff, case_id: UUID
) -> None:
    seen = app.get_case(case_id).version
    app.change_case(
        AssignCase(case_id=case_id, officer_id=staff.hygiene_officer), staff.hygiene_chief
    )
    refused(
        app,
        Conflict,
        "modifié depuis votre lecture",
        lambda: app.change_case(
            ValidateCase(case_id=case_id, expected_version=seen), staff.hygiene_chief
        ),
    )
    current = app.get_case(case_id).version
    assert app.change_case(
        ValidateCase(case_id=case_id, expected_version=current), staff.hygiene_chief
    ).version == (current + 1)


def test_the_workflow_table_offers_only_legal_actions() -> None:
    assert Action.VALIDATE in legal_actions(CaseStatus.OPENED, Workflow.NOTICE)
    assert Action.REOPEN not in legal_actions(CaseStatus.OPENED, Workflow.NOTICE)
    assert set(legal_actions(CaseStatus.RESOLVED, Workflow.NOTICE)) == {
        Action.REOPEN,
        Action.ISSUE_NOTICE,
        Action.RECORD_SERVICE,
        Action.FILE_APPEAL,
        Action.DECIDE_APPEAL,
    }
    assert legal_actions(CaseStatus.DISMISSED, Workflow.NOTICE) == [Action.REOPEN]
    assert Action.VALIDATE not in legal_actions(CaseStatus.NOTIFIED, Workflow.TICKET)
