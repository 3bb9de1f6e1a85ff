"""The case's own rules beyond the workflow table: what a notice on record holds, which notices
are issued once, the dates and texts each command accepts, and that every change is an event."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from uuid import UUID

import pytest

from police import clock
from police.app import PoliceApp
from police.commands import (
    CloseCase,
    DecideAppeal,
    EscalateCase,
    FileAppeal,
    RecordCompliance,
    RecordPayment,
    RecordService,
    ReleaseVehicle,
    ScheduleFollowUp,
    ValidateCase,
)
from police.errors import InvalidInput, InvalidTransition, NotAllowed
from police.identifiers import derived_id
from police.workflow import CaseStatus, NoticeKind, ServiceMethod
from tests.police import builders
from tests.police.builders import Staff, event_count, put_notice_on_record


@pytest.fixture
def opened(app: PoliceApp, staff: Staff) -> UUID:
    case_id = app.record_inspection(builders.hygiene(), staff.hygiene_officer).case_id
    assert case_id is not None
    return case_id


@pytest.fixture
def notified(app: PoliceApp, staff: Staff, opened: UUID) -> UUID:
    app.change_case(ValidateCase(case_id=opened), staff.hygiene_chief)
    put_notice_on_record(app, opened, staff.legal, NoticeKind.MISE_EN_DEMEURE, "MD-2026-000001")
    return opened


@pytest.fixture
def ticket(app: PoliceApp, staff: Staff) -> UUID:
    case_id = app.record_inspection(builders.parking(), staff.parking_officer).case_id
    assert case_id is not None
    return case_id


def events_of(app: PoliceApp, case_id: UUID) -> list[str]:
    return [type(e).__name__ for e in app.case_events(case_id)]


def test_a_case_names_the_inspection_that_opened_it(app: PoliceApp, staff: Staff) -> None:
    submission = builders.hygiene()
    case_id = app.record_inspection(submission, staff.hygiene_officer).case_id
    assert case_id is not None
    assert app.get_case(case_id).inspection_ids == [submission.submission_id]


def test_a_notice_on_record_keeps_its_number_object_hash_and_deadline(
    app: PoliceApp, notified: UUID
) -> None:
    digest = hashlib.sha256(b"MD-2026-000001").hexdigest()
    assert app.get_case(notified).notice("MD-2026-000001") == {
        "notice_id": derived_id(notified, "MD-2026-000001"),
        "kind": "mise_en_demeure",
        "number": "MD-2026-000001",
        "key": f"notices/{digest}",
        "sha256": digest,
        "issued_on": app.today(),
        "deadline": app.today() + timedelta(days=15),
        "replaced_by": None,
        "served": [],
    }


def test_a_second_ticket_notice_must_say_which_one_it_replaces(
    app: PoliceApp, staff: Staff, ticket: UUID
) -> None:
    # The first is on record since the ticket was (issued by its officer in the street).
    assert [n["kind"] for n in app.get_case(ticket).notices] == [NoticeKind.AVIS_CONTRAVENTION]
    before = event_count(app)
    with pytest.raises(InvalidTransition, match="déjà émis"):
        put_notice_on_record(app, ticket, staff.legal, NoticeKind.AVIS_CONTRAVENTION, "AC-2")
    assert event_count(app) == before


def test_a_compliance_certificate_follows_the_formal_notice_and_is_issued_once(
    app: PoliceApp, staff: Staff, notified: UUID
) -> None:
    app.change_case(RecordCompliance(case_id=notified, note="Travaux faits"), staff.hygiene_chief)
    kind = NoticeKind.ATTESTATION_REGULARISATION
    put_notice_on_record(app, notified, staff.legal, kind, "AR-2026-000001")
    assert [n["number"] for n in app.get_case(notified).notices] == [
        "MD-2026-000001",
        "AR-2026-000001",
    ]
    with pytest.raises(InvalidTransition, match="déjà émis"):
        put_notice_on_record(app, notified, staff.legal, kind, "AR-2026-000002")


def test_escalation_and_compliance_are_events_on_the_record(
    app: PoliceApp, staff: Staff, notified: UUID
) -> None:
    app.change_case(EscalateCase(case_id=notified, reason="Délai dépassé"), staff.hygiene_chief)
    assert events_of(app, notified)[-1] == "Escalated"
    app.change_case(
        RecordCompliance(case_id=notified, note="Fermé puis conforme"), staff.hygiene_chief
    )
    assert events_of(app, notified)[-1] == "ComplianceRecorded"


def test_a_follow_up_may_be_scheduled_for_today(app: PoliceApp, staff: Staff, opened: UUID) -> None:
    app.change_case(ValidateCase(case_id=opened), staff.hygiene_chief)
    case = app.change_case(
        ScheduleFollowUp(case_id=opened, due_on=app.today()), staff.hygiene_chief
    )
    assert case.follow_up == {"due_on": app.today(), "officer_id": None}


def test_a_closed_case_takes_no_follow_up_inspection(
    app: PoliceApp, staff: Staff, opened: UUID
) -> None:
    app.change_case(
        CloseCase(case_id=opened, reason="Établissement fermé définitivement"), staff.hygiene_chief
    )
    before = event_count(app)
    follow_up = builders.hygiene(follow_up_case_id=opened)
    with pytest.raises(InvalidTransition, match="impossible de ajouter un contrôle"):
        app.record_inspection(follow_up, staff.hygiene_officer)
    assert event_count(app) == before


def test_only_legal_staff_file_an_appeal(app: PoliceApp, staff: Staff, notified: UUID) -> None:
    before = event_count(app)
    with pytest.raises(NotAllowed, match="réservée au rôle"):
        app.change_case(
            FileAppeal(
                case_id=notified,
                filed_on=app.today(),
                grounds="Contestation",
                against="MD-2026-000001",
            ),
            staff.hygiene_chief,
        )
    assert event_count(app) == before


def test_an_appeal_is_not_decided_in_the_future(
    app: PoliceApp, staff: Staff, notified: UUID
) -> None:
    app.change_case(
        FileAppeal(
            case_id=notified, filed_on=app.today(), grounds="Contestation", against="MD-2026-000001"
        ),
        staff.legal,
    )
    before = event_count(app)
    with pytest.raises(InvalidInput, match="futur"):
        app.change_case(
            DecideAppeal(
                case_id=notified, outcome="upheld", decided_on=app.today() + timedelta(days=1)
            ),
            staff.legal,
        )
    assert event_count(app) == before


def test_a_payment_needs_its_receipt_number(app: PoliceApp, staff: Staff, ticket: UUID) -> None:
    before = event_count(app)
    with pytest.raises(InvalidInput, match="obligatoire"):
        app.change_case(
            RecordPayment(
                case_id=ticket, amount=Decimal("100"), receipt_number="  ", paid_on=app.today()
            ),
            staff.legal,
        )
    assert event_count(app) == before


def test_the_person_served_is_named_in_at_most_200_characters(
    app: PoliceApp, staff: Staff, notified: UUID
) -> None:
    service = RecordService(
        case_id=notified,
        number="MD-2026-000001",
        method=ServiceMethod.HAND,
        served_on=app.today(),
        served_to="G" * 201,
    )
    with pytest.raises(InvalidInput, match="200"):
        app.change_case(service, staff.legal)
    case = app.change_case(replace(service, served_to="G" * 200), staff.legal)
    assert case.notices[0]["served"][0]["to"] == "G" * 200


def test_a_vehicle_is_released_after_the_day_of_the_record_to_someone_named_in_200_characters(
    app: PoliceApp, staff: Staff
) -> None:
    three_days_ago = datetime.now(UTC) - timedelta(days=3)
    with clock.frozen_at(three_days_ago):
        clamped = builders.parking(measures=("clamp",), observed_at=three_days_ago)
        case_id = app.record_inspection(clamped, staff.parking_officer).case_id
    assert case_id is not None
    due = app.get_case(case_id).balance
    app.change_case(
        RecordPayment(case_id=case_id, amount=due, receipt_number="Q-1", paid_on=app.today()),
        staff.legal,
    )
    yesterday = app.today() - timedelta(days=1)
    with pytest.raises(InvalidInput, match="200"):
        app.change_case(
            ReleaseVehicle(case_id=case_id, released_on=yesterday, released_to="R" * 201),
            staff.parking_chief,
        )
    case = app.change_case(
        ReleaseVehicle(case_id=case_id, released_on=yesterday, released_to="R" * 200),
        staff.parking_chief,
    )
    assert case.released == {"on": yesterday, "to": "R" * 200, "by": staff.parking_chief}


def test_a_vehicle_is_not_released_while_fifty_centimes_remain_due(
    app: PoliceApp, staff: Staff
) -> None:
    case_id = app.record_inspection(
        builders.parking(measures=("clamp",)), staff.parking_officer
    ).case_id
    assert case_id is not None
    due = app.get_case(case_id).balance
    app.change_case(
        RecordPayment(
            case_id=case_id, amount=due - Decimal("0.50"), receipt_number="Q-2", paid_on=app.today()
        ),
        staff.legal,
    )
    assert app.get_case(case_id).status == CaseStatus.NOTIFIED
    with pytest.raises(InvalidTransition, match=r"reste dû 0\.50 MAD"):
        app.change_case(
            ReleaseVehicle(case_id=case_id, released_on=app.today(), released_to="Propriétaire"),
            staff.parking_chief,
        )


def test_a_case_opened_is_due_for_compliance_within_its_findings_deadline(
    app: PoliceApp, opened: UUID
) -> None:
    # HYG-02 and HYG-05 each give fifteen days in the catalogue.
    assert app.get_case(opened).compliance_due == app.today() + timedelta(days=15)
