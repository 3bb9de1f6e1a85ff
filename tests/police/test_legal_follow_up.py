"""Legal follow-up on a case: a notice on record, its service, fines (with the repeat-offence
surcharge), partial and full payments, appeals upheld or cancelled."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from uuid import UUID

import pytest

from police.app import PoliceApp
from police.commands import (
    DecideAppeal,
    FileAppeal,
    ImposeFine,
    RecordPayment,
    RecordService,
    ValidateCase,
)
from police.errors import InvalidInput, InvalidTransition, NotAllowed
from police.submission import Finding
from police.workflow import CaseStatus, NoticeKind
from tests.police import builders
from tests.police.builders import Staff, event_count, put_notice_on_record


@pytest.fixture
def notified(app: PoliceApp, staff: Staff) -> UUID:
    case_id = builders.opened_case(app, builders.hygiene(), staff.hygiene_officer)
    app.change_case(ValidateCase(case_id=case_id), staff.hygiene_chief)
    put_notice_on_record(app, case_id, staff.legal, NoticeKind.MISE_EN_DEMEURE, "MD-2026-000001")
    return case_id


@pytest.fixture
def ticket(app: PoliceApp, staff: Staff) -> UUID:
    return builders.opened_case(app, builders.parking(), staff.parking_officer)


def test_a_formal_notice_notifies_the_case_with_its_deadline(
    app: PoliceApp, notified: UUID
) -> None:
    case = app.get_case(notified)
    assert case.status == CaseStatus.NOTIFIED
    assert case.compliance_due == app.today() + timedelta(days=15)
    assert case.notices[0]["number"] == "MD-2026-000001"


def test_only_legal_staff_issue_notices_and_only_where_the_workflow_allows(
    app: PoliceApp, staff: Staff, notified: UUID
) -> None:
    with pytest.raises(NotAllowed):
        put_notice_on_record(app, notified, staff.hygiene_chief, NoticeKind.PROCES_VERBAL, "PV-1")
    with pytest.raises(InvalidTransition, match="ne peut être émis"):
        put_notice_on_record(
            app, notified, staff.legal, NoticeKind.ATTESTATION_REGULARISATION, "AR-1"
        )
    with pytest.raises(InvalidTransition, match="ne peut être émis"):
        put_notice_on_record(app, notified, staff.legal, NoticeKind.AVIS_CONTRAVENTION, "AC-1")


def test_a_reissue_says_which_notice_it_replaces(
    app: PoliceApp, staff: Staff, notified: UUID
) -> None:
    put_notice_on_record(
        app,
        notified,
        staff.legal,
        NoticeKind.MISE_EN_DEMEURE,
        "MD-2026-000002",
        replaces="MD-2026-000001",
    )
    first, second = app.get_case(notified).notices
    assert first["replaced_by"] == "MD-2026-000002"
    assert second["replaced_by"] is None
    with pytest.raises(InvalidInput, match="n'est pas un avis en vigueur"):
        put_notice_on_record(
            app,
            notified,
            staff.legal,
            NoticeKind.MISE_EN_DEMEURE,
            "MD-3",
            replaces="MD-2026-000001",
        )


def test_service_of_a_notice(app: PoliceApp, staff: Staff, notified: UUID) -> None:
    case = app.change_case(
        RecordService(
            case_id=notified,
            number="MD-2026-000001",
            method="hand",
            served_on=app.today(),
            served_to="M. Benali, gérant",
        ),
        staff.legal,
    )
    assert case.notices[0]["served"] == [
        {"method": "hand", "on": app.today(), "to": "M. Benali, gérant"}
    ]
    before = event_count(app)
    service = RecordService(
        case_id=notified,
        number="MD-2026-000001",
        method="registered_mail",
        served_on=app.today(),
        served_to="Gérant",
    )
    for changed, message in [
        (replace(service, number="MD-9"), "Aucun avis"),
        (replace(service, method="pigeon"), "Mode de notification"),
        (replace(service, served_on=app.today() + timedelta(days=1)), "futur"),
        (replace(service, served_on=app.today() - timedelta(days=1)), "précède"),
        (replace(service, served_to=" "), "obligatoire"),
    ]:
        with pytest.raises(InvalidInput, match=message):
            app.change_case(changed, staff.legal)
    assert event_count(app) == before


def test_a_fine_defaults_to_the_assessed_amount_and_payments_close_the_case(
    app: PoliceApp, staff: Staff, notified: UUID
) -> None:
    due = app.today() + timedelta(days=30)
    case = app.change_case(
        ImposeFine(case_id=notified, reason="Non-respect de la mise en demeure", due_on=due),
        staff.legal,
    )
    assert case.amount_due == Decimal("4000.00")  # HYG-02 2000 + HYG-05 2 x 1000
    case = app.change_case(
        RecordPayment(
            case_id=notified,
            amount=Decimal("1500"),
            receipt_number="Q-2026-0007",
            paid_on=app.today(),
        ),
        staff.legal,
    )
    assert (case.balance, case.status) == (Decimal("2500.00"), CaseStatus.NOTIFIED)
    with pytest.raises(InvalidInput, match="supérieur au reste dû"):
        app.change_case(
            RecordPayment(
                case_id=notified,
                amount=Decimal("2500.01"),
                receipt_number="Q-2026-0008",
                paid_on=app.today(),
            ),
            staff.legal,
        )
    with pytest.raises(InvalidInput, match="déjà enregistrée"):
        app.change_case(
            RecordPayment(
                case_id=notified,
                amount=Decimal("100"),
                receipt_number="Q-2026-0007",
                paid_on=app.today(),
            ),
            staff.legal,
        )
    case = app.change_case(
        RecordPayment(
            case_id=notified,
            amount=Decimal("2500"),
            receipt_number="Q-2026-0008",
            paid_on=app.today(),
        ),
        staff.legal,
    )
    assert (case.balance, case.status) == (Decimal("0.00"), CaseStatus.CLOSED)


def test_a_repeat_offender_pays_the_catalogue_surcharge(app: PoliceApp, staff: Staff) -> None:
    elsewhere = builders.public_domain(
        subject=builders.hygiene().subject, findings=(Finding("ODP-03", Decimal("2")),)
    )
    app.record_inspection(elsewhere, staff.odp_officer)
    case_id = builders.opened_case(app, builders.hygiene(), staff.hygiene_officer)
    app.change_case(ValidateCase(case_id=case_id), staff.hygiene_chief)
    put_notice_on_record(app, case_id, staff.legal, NoticeKind.MISE_EN_DEMEURE, "MD-1")
    case = app.change_case(
        ImposeFine(case_id=case_id, reason="Récidive", due_on=app.today()), staff.legal
    )
    assert case.amount_due == Decimal("6000.00")  # +50% on each finding


def test_fines_are_refused_in_the_wrong_state_or_amount(
    app: PoliceApp, staff: Staff, notified: UUID, ticket: UUID
) -> None:
    with pytest.raises(InvalidInput, match="Montant invalide"):
        app.change_case(
            ImposeFine(case_id=notified, reason="x", due_on=app.today(), amount=Decimal("-5")),
            staff.legal,
        )
    with pytest.raises(InvalidInput, match="déjà passée"):
        app.change_case(
            ImposeFine(case_id=notified, reason="x", due_on=app.today() - timedelta(days=1)),
            staff.legal,
        )
    with pytest.raises(InvalidTransition, match="infliger une amende"):
        app.change_case(ImposeFine(case_id=ticket, reason="x", due_on=app.today()), staff.legal)
    with pytest.raises(NotAllowed):
        app.change_case(
            ImposeFine(case_id=notified, reason="x", due_on=app.today()), staff.hygiene_chief
        )


def test_a_parking_ticket_paid_in_full_is_closed(
    app: PoliceApp, staff: Staff, ticket: UUID
) -> None:
    case = app.change_case(
        RecordPayment(
            case_id=ticket, amount=Decimal("300"), receipt_number="T-1", paid_on=app.today()
        ),
        staff.legal,
    )
    assert case.status == CaseStatus.CLOSED
    assert type(app.case_events(ticket)[-1]).__name__ == "PaymentRecorded"


def test_an_appeal_upheld_keeps_the_sanction(app: PoliceApp, staff: Staff, ticket: UUID) -> None:
    handed_over = app.get_case(ticket).ticket
    assert handed_over is not None
    number = app.get_case(ticket).notices[0]["number"]  # issued with the ticket
    assert number == handed_over["number"]
    app.change_case(
        FileAppeal(
            case_id=ticket, filed_on=app.today(), grounds="Arrêt pour livraison", against=number
        ),
        staff.legal,
    )
    with pytest.raises(InvalidTransition, match="déjà en cours"):
        app.change_case(
            FileAppeal(case_id=ticket, filed_on=app.today(), grounds="bis", against=number),
            staff.legal,
        )
    case = app.change_case(
        DecideAppeal(case_id=ticket, outcome="upheld", decided_on=app.today()), staff.legal
    )
    assert case.status == CaseStatus.NOTIFIED
    assert case.balance == Decimal("300.00")
    with pytest.raises(InvalidTransition, match="Aucun recours en cours"):
        app.change_case(
            DecideAppeal(case_id=ticket, outcome="cancelled", decided_on=app.today()), staff.legal
        )


def test_an_appeal_granted_cancels_the_sanction(
    app: PoliceApp, staff: Staff, notified: UUID
) -> None:
    app.change_case(ImposeFine(case_id=notified, reason="Amende", due_on=app.today()), staff.legal)
    app.change_case(
        FileAppeal(
            case_id=notified,
            filed_on=app.today(),
            grounds="Erreur d'identification",
            against="MD-2026-000001",
        ),
        staff.legal,
    )
    with pytest.raises(InvalidInput, match="Décision inconnue"):
        app.change_case(
            DecideAppeal(case_id=notified, outcome="maybe", decided_on=app.today()), staff.legal
        )
    case = app.change_case(
        DecideAppeal(
            case_id=notified,
            outcome="cancelled",
            decided_on=app.today(),
            note="Le local appartient à un autre exploitant",
        ),
        staff.legal,
    )
    assert case.status == CaseStatus.CANCELLED
    assert not case.is_open
    assert case.balance == Decimal("0")


def test_an_appeal_needs_a_notice_to_contest(app: PoliceApp, staff: Staff, notified: UUID) -> None:
    with pytest.raises(InvalidInput, match="Aucun avis"):
        app.change_case(
            FileAppeal(case_id=notified, filed_on=app.today(), grounds="x", against="MD-404"),
            staff.legal,
        )
