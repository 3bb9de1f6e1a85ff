"""Every case command: its effect and its refusals (wrong role, wrong brigade, wrong status,
missing reason). A refusal raises a French message and records nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from uuid import UUID

import pytest

from police.app import PoliceApp
from police.catalogue import Workflow
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


def last_event(app: PoliceApp, case_id: UUID) -> object:
    return app.case_events(case_id)[-1]


def refused(
    app: PoliceApp, error: type[Exception], match: str, command: Callable[[], object]
) -> None:
    before = event_count(app)
    with pytest.raises(error, match=match):
        command()
    assert event_count(app) == before


def test_validate(app: PoliceApp, staff: Staff, case_id: UUID) -> None:
    case = app.validate_case(case_id, staff.hygiene_chief, note="Constat conforme aux photos")
    assert case.status == CaseStatus.VALIDATED
    event = last_event(app, case_id)
    assert type(event).__name__ == "Validated"
    assert event.actor_id == staff.hygiene_chief
    assert event.note == "Constat conforme aux photos"


def test_validate_refusals(app: PoliceApp, staff: Staff, case_id: UUID) -> None:
    refused(
        app,
        NotAllowed,
        "Chef de brigade",
        lambda: app.validate_case(case_id, staff.hygiene_officer),
    )
    refused(app, NotAllowed, "Salubrité", lambda: app.validate_case(case_id, staff.parking_chief))
    refused(app, NotAllowed, "Chef de brigade", lambda: app.validate_case(case_id, staff.legal))
    app.validate_case(case_id, staff.hygiene_chief)
    refused(
        app,
        InvalidTransition,
        "« Validé » : impossible de valider",
        lambda: app.validate_case(case_id, staff.hygiene_chief),
    )


def test_an_admin_acts_in_every_brigade(app: PoliceApp, staff: Staff, case_id: UUID) -> None:
    assert app.validate_case(case_id, staff.admin).status == CaseStatus.VALIDATED


def test_dismiss_needs_a_reason_and_ends_the_case(
    app: PoliceApp, staff: Staff, case_id: UUID
) -> None:
    refused(
        app,
        InvalidInput,
        "Motif : ce champ est obligatoire",
        lambda: app.dismiss_case(case_id, staff.hygiene_chief, reason="   "),
    )
    case = app.dismiss_case(case_id, staff.hygiene_chief, reason="Établissement fermé depuis")
    assert case.status == CaseStatus.DISMISSED
    assert not case.is_open
    assert last_event(app, case_id).reason == "Établissement fermé depuis"
    refused(
        app,
        InvalidTransition,
        "Classé sans suite",
        lambda: app.dismiss_case(case_id, staff.hygiene_chief, reason="encore"),
    )


def test_assign_to_an_officer_of_the_brigade(app: PoliceApp, staff: Staff, case_id: UUID) -> None:
    case = app.assign_case(case_id, staff.hygiene_chief, officer_id=staff.hygiene_officer_2)
    assert case.assignee_id == staff.hygiene_officer_2
    refused(
        app,
        InvalidTransition,
        "déjà affecté",
        lambda: app.assign_case(case_id, staff.hygiene_chief, officer_id=staff.hygiene_officer_2),
    )
    refused(
        app,
        InvalidInput,
        "n'est pas un agent de la brigade",
        lambda: app.assign_case(case_id, staff.hygiene_chief, officer_id=staff.parking_officer),
    )
    refused(
        app,
        InvalidInput,
        "n'est pas un agent",
        lambda: app.assign_case(case_id, staff.hygiene_chief, officer_id=staff.hygiene_chief),
    )
    refused(
        app,
        InvalidInput,
        "Agent inconnu",
        lambda: app.assign_case(case_id, staff.hygiene_chief, officer_id=case_id),
    )


def test_schedule_a_follow_up(app: PoliceApp, staff: Staff, case_id: UUID) -> None:
    due = app.today() + timedelta(days=15)
    refused(
        app,
        InvalidTransition,
        "« Ouvert »",
        lambda: app.schedule_follow_up(case_id, staff.hygiene_chief, due_on=due),
    )
    app.validate_case(case_id, staff.hygiene_chief)
    refused(
        app,
        InvalidInput,
        "déjà passée",
        lambda: app.schedule_follow_up(
            case_id, staff.hygiene_chief, due_on=app.today() - timedelta(days=1)
        ),
    )
    case = app.schedule_follow_up(
        case_id, staff.hygiene_chief, due_on=due, officer_id=staff.hygiene_officer
    )
    assert case.follow_up == {"due_on": due, "officer_id": staff.hygiene_officer}
    assert case.assignee_id == staff.hygiene_officer


def test_record_compliance_resolves_the_case(app: PoliceApp, staff: Staff, case_id: UUID) -> None:
    opening = app.get_case(case_id).inspection_ids[0]
    app.validate_case(case_id, staff.hygiene_chief)
    refused(
        app,
        InvalidInput,
        "n'est pas un contrôle conforme",
        lambda: app.record_compliance(case_id, staff.hygiene_chief, inspection_id=opening),
    )
    follow = app.record_inspection(
        builders.hygiene(findings=(), follow_up_case_id=case_id), staff.hygiene_officer
    )
    case = app.record_compliance(
        case_id, staff.hygiene_chief, note="Locaux nettoyés", inspection_id=follow.inspection_id
    )
    assert case.status == CaseStatus.RESOLVED
    assert not case.is_open
    assert last_event(app, case_id).inspection_id == follow.inspection_id


def test_escalate(app: PoliceApp, staff: Staff, case_id: UUID) -> None:
    refused(
        app,
        InvalidTransition,
        "escalader",
        lambda: app.escalate_case(case_id, staff.hygiene_chief, reason="Récidive"),
    )
    app.validate_case(case_id, staff.hygiene_chief)
    refused(
        app,
        InvalidInput,
        "Motif",
        lambda: app.escalate_case(case_id, staff.hygiene_chief, reason=""),
    )
    case = app.escalate_case(case_id, staff.hygiene_chief, reason="Aucune régularisation")
    assert case.status == CaseStatus.ESCALATED


def test_close_and_reopen(app: PoliceApp, staff: Staff, case_id: UUID) -> None:
    app.validate_case(case_id, staff.hygiene_chief)
    case = app.close_case(case_id, staff.hygiene_chief, reason="Fonds de commerce cédé")
    assert case.status == CaseStatus.CLOSED
    refused(
        app,
        InvalidTransition,
        "Clos",
        lambda: app.close_case(case_id, staff.hygiene_chief, reason="encore"),
    )
    case = app.reopen_case(case_id, staff.hygiene_chief, reason="Le cessionnaire exploite toujours")
    assert case.status == CaseStatus.VALIDATED  # back where it was
    refused(
        app,
        InvalidTransition,
        "Validé",
        lambda: app.reopen_case(case_id, staff.hygiene_chief, reason="encore"),
    )


def test_a_parking_ticket_cannot_be_closed_while_unpaid(
    app: PoliceApp, staff: Staff, ticket_id: UUID
) -> None:
    refused(
        app,
        InvalidTransition,
        "300.00 MAD restent dus",
        lambda: app.close_case(ticket_id, staff.parking_chief, reason="Payé"),
    )


def test_a_ticket_issued_in_error_is_withdrawn_by_the_supervisor(
    app: PoliceApp, staff: Staff, ticket_id: UUID
) -> None:
    refused(
        app,
        InvalidTransition,
        "sans objet",
        lambda: app.validate_case(ticket_id, staff.parking_chief),
    )
    case = app.dismiss_case(ticket_id, staff.parking_chief, reason="Véhicule de secours en mission")
    assert case.status == CaseStatus.DISMISSED


def test_a_clamped_vehicle_is_released_once_fine_and_fee_are_paid(
    app: PoliceApp, staff: Staff
) -> None:
    clamped = builders.parking(measures=("clamp",))
    case_id = app.record_inspection(clamped, staff.parking_officer).case_id
    assert case_id is not None
    today, chief = app.today(), staff.parking_chief
    release = {"released_on": today, "released_to": "M. Alami, CIN BE123456"}
    due = app.get_case(case_id).balance
    assert due == Decimal("450.00")  # the fine and the sabot fee
    refused(
        app,
        InvalidTransition,
        "reste dû 450.00 MAD",
        lambda: app.release_vehicle(case_id, chief, **release),
    )
    app.record_payment(case_id, staff.legal, amount=due, receipt_number="Q-9", paid_on=today)
    refused(
        app,
        NotAllowed,
        "réservée au rôle",
        lambda: app.release_vehicle(case_id, staff.parking_officer, **release),
    )
    refused(
        app,
        NotAllowed,
        "pour la brigade",
        lambda: app.release_vehicle(case_id, staff.hygiene_chief, **release),
    )
    for changes, error, message in [
        ({"released_on": today + timedelta(days=1)}, InvalidInput, "futur"),
        ({"released_on": today - timedelta(days=2)}, InvalidInput, "précéder le constat"),
        ({"released_to": "  "}, InvalidInput, "obligatoire"),
    ]:
        refused(
            app,
            error,
            message,
            lambda changes=changes: app.release_vehicle(case_id, chief, **(release | changes)),
        )

    case = app.release_vehicle(case_id, chief, **release)
    assert case.released == {"on": today, "to": "M. Alami, CIN BE123456", "by": chief}
    assert type(last_event(app, case_id)).__name__ == "VehicleReleased"
    refused(
        app,
        InvalidTransition,
        "déjà restitué",
        lambda: app.release_vehicle(case_id, chief, **release),
    )


def test_a_ticket_without_sabot_or_fourriere_has_no_vehicle_to_release(
    app: PoliceApp, staff: Staff, ticket_id: UUID
) -> None:
    app.dismiss_case(ticket_id, staff.parking_chief, reason="Véhicule de secours en mission")
    refused(
        app,
        InvalidTransition,
        "Aucun sabot ni mise en fourrière",
        lambda: app.release_vehicle(
            ticket_id, staff.parking_chief, released_on=app.today(), released_to="Propriétaire"
        ),
    )


def test_a_command_on_an_unknown_case_is_not_found(app: PoliceApp, staff: Staff) -> None:
    with pytest.raises(NotFound, match="Dossier introuvable"):
        app.validate_case(staff.admin, staff.hygiene_chief)


def test_a_command_checked_against_an_older_version_is_a_conflict(
    app: PoliceApp, staff: Staff, case_id: UUID
) -> None:
    seen = app.get_case(case_id).version
    app.assign_case(case_id, staff.hygiene_chief, officer_id=staff.hygiene_officer)
    refused(
        app,
        Conflict,
        "modifié depuis votre lecture",
        lambda: app.validate_case(case_id, staff.hygiene_chief, expected_version=seen),
    )
    current = app.get_case(case_id).version
    assert app.validate_case(case_id, staff.hygiene_chief, expected_version=current).version == (
        current + 1
    )


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
