"""Each case command refused to whoever may not give it, and for what a court would not accept
(dates before the notice or in the future, amounts out of range, blanks): nothing recorded.

Every command here would succeed if given by the right person with the right values (the
last test proves it), so a refusal can only come from the rule under test."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID

import pytest

from police import clock
from police.app import PoliceApp
from police.commands import (
    AssignCase,
    CaseCommand,
    CloseCase,
    DecideAppeal,
    EscalateCase,
    FileAppeal,
    ImposeFine,
    RecordCompliance,
    RecordPayment,
    RecordService,
    ReleaseVehicle,
    ScheduleFollowUp,
    ValidateCase,
)
from police.errors import DomainError, InvalidInput, InvalidTransition, NotAllowed
from police.workflow import CaseStatus, NoticeKind
from tests.police import builders
from tests.police.builders import Staff, event_count, put_notice_on_record

NOTICE = "MD-2026-000001"


@dataclass(frozen=True)
class Cases:
    """A hygiene case validated, one notified (a formal notice on record, issued two days
    ago), and a parking ticket: the states the commands below apply to."""

    validated: UUID
    notified: UUID
    ticket: UUID
    issued_on: date


@pytest.fixture
def cases(app: PoliceApp, staff: Staff) -> Cases:
    validated = builders.opened_case(app, builders.hygiene(), staff.hygiene_officer)
    app.change_case(ValidateCase(case_id=validated), staff.hygiene_chief)
    other = builders.hygiene(
        subject=builders.hygiene().subject.__class__(
            kind="establishment", trade_name="Snack Nour", ice="002233445000067"
        )
    )
    notified = builders.opened_case(app, other, staff.hygiene_officer)
    app.change_case(ValidateCase(case_id=notified), staff.hygiene_chief)
    two_days_ago = clock.now() - timedelta(days=2)
    with clock.frozen_at(two_days_ago):
        put_notice_on_record(app, notified, staff.legal, NoticeKind.MISE_EN_DEMEURE, NOTICE)
    ticket = builders.opened_case(app, builders.parking(measures=("clamp",)), staff.parking_officer)
    return Cases(validated, notified, ticket, app.territory.local_date(two_days_ago))


def _wrong_person(cases: Cases, staff: Staff, today: date) -> list[tuple[str, CaseCommand, UUID]]:
    """(what, command, who may not give it)."""
    return [
        (
            "an officer assigns",
            AssignCase(case_id=cases.validated, officer_id=staff.hygiene_officer_2),
            staff.hygiene_officer,
        ),
        (
            "a parking chief assigns a hygiene case",
            AssignCase(case_id=cases.validated, officer_id=staff.hygiene_officer_2),
            staff.parking_chief,
        ),
        (
            "an officer records compliance",
            RecordCompliance(case_id=cases.notified, note="ok"),
            staff.hygiene_officer,
        ),
        (
            "a supervisor records service",
            RecordService(
                case_id=cases.notified,
                number=NOTICE,
                method="hand",
                served_on=today,
                served_to="M. Alami",
            ),
            staff.hygiene_chief,
        ),
        (
            "a supervisor imposes a fine",
            ImposeFine(case_id=cases.notified, reason="Récidive", due_on=today),
            staff.hygiene_chief,
        ),
        (
            "a supervisor records a payment",
            RecordPayment(
                case_id=cases.ticket, amount=Decimal("100"), receipt_number="Q-1", paid_on=today
            ),
            staff.parking_chief,
        ),
        (
            "an officer files an appeal",
            FileAppeal(case_id=cases.notified, filed_on=today, grounds="Conteste", against=NOTICE),
            staff.hygiene_officer,
        ),
        (
            "a legal officer releases a vehicle",
            ReleaseVehicle(case_id=cases.ticket, released_on=today, released_to="M. Alami"),
            staff.legal,
        ),
    ]


WRONG_PERSON = [
    "an officer assigns",
    "a parking chief assigns a hygiene case",
    "an officer records compliance",
    "a supervisor records service",
    "a supervisor imposes a fine",
    "a supervisor records a payment",
    "an officer files an appeal",
    "a legal officer releases a vehicle",
]


@pytest.mark.parametrize("what", WRONG_PERSON)
def test_each_command_is_refused_to_who_may_not_give_it(
    app: PoliceApp, staff: Staff, cases: Cases, what: str
) -> None:
    [(_, command, actor)] = [c for c in _wrong_person(cases, staff, app.today()) if c[0] == what]
    before = event_count(app)
    with pytest.raises(NotAllowed):
        app.change_case(command, actor)
    assert event_count(app) == before


def test_an_appeal_is_decided_only_by_legal_staff(
    app: PoliceApp, staff: Staff, cases: Cases
) -> None:
    today = app.today()
    app.change_case(
        FileAppeal(case_id=cases.notified, filed_on=today, grounds="Conteste", against=NOTICE),
        staff.legal,
    )
    before = event_count(app)
    with pytest.raises(NotAllowed):
        app.change_case(
            DecideAppeal(case_id=cases.notified, outcome="upheld", decided_on=today),
            staff.hygiene_chief,
        )
    assert event_count(app) == before


def test_a_case_is_assigned_only_to_an_officer_of_its_brigade(
    app: PoliceApp, staff: Staff, cases: Cases
) -> None:
    before = event_count(app)
    for not_an_officer_here in (staff.parking_officer, staff.hygiene_chief):
        with pytest.raises(InvalidInput, match="n'est pas un agent de la brigade de ce dossier"):
            app.change_case(
                AssignCase(case_id=cases.validated, officer_id=not_an_officer_here),
                staff.hygiene_chief,
            )
    assert event_count(app) == before


def test_a_follow_up_visit_is_given_only_to_an_officer_of_the_brigade(
    app: PoliceApp, staff: Staff, cases: Cases
) -> None:
    due = app.today() + timedelta(days=3)
    before = event_count(app)
    for not_an_officer_here in (staff.parking_officer, staff.hygiene_chief):
        with pytest.raises(InvalidInput, match="n'est pas un agent de la brigade de ce dossier"):
            app.change_case(
                ScheduleFollowUp(
                    case_id=cases.validated, due_on=due, officer_id=not_an_officer_here
                ),
                staff.hygiene_chief,
            )
    assert event_count(app) == before


def refused(
    app: PoliceApp, command: CaseCommand, actor: UUID, error: type[DomainError], message: str
) -> None:
    before = event_count(app)
    with pytest.raises(error) as raised:
        app.change_case(command, actor)
    assert raised.value.message == message
    assert event_count(app) == before


def test_dates_before_the_notice_or_in_the_future_are_refused(
    app: PoliceApp, staff: Staff, cases: Cases
) -> None:
    today, issued = app.today(), cases.issued_on
    before_notice = f"Cette date précède celle de l'avis ou du recours ({issued:%d/%m/%Y})."
    future = "Cette date est dans le futur."
    day_before, tomorrow = issued - timedelta(days=1), today + timedelta(days=1)
    for filed_on, message in ((day_before, before_notice), (tomorrow, future)):
        appeal = FileAppeal(
            case_id=cases.notified, filed_on=filed_on, grounds="Conteste", against=NOTICE
        )
        refused(app, appeal, staff.legal, InvalidInput, message)
    for served_on, message in ((day_before, before_notice), (tomorrow, future)):
        service = RecordService(
            case_id=cases.notified,
            number=NOTICE,
            method="hand",
            served_on=served_on,
            served_to="M. Alami",
        )
        refused(app, service, staff.legal, InvalidInput, message)
    payment = RecordPayment(
        case_id=cases.ticket, amount=Decimal("100"), receipt_number="Q-1", paid_on=tomorrow
    )
    refused(app, payment, staff.legal, InvalidInput, future)
    # The day after the notice is a day like any other.
    app.change_case(
        RecordService(
            case_id=cases.notified,
            number=NOTICE,
            method="hand",
            served_on=issued + timedelta(days=1),
            served_to="M. Alami",
        ),
        staff.legal,
    )


def test_an_appeal_states_its_grounds(app: PoliceApp, staff: Staff, cases: Cases) -> None:
    appeal = FileAppeal(case_id=cases.notified, filed_on=app.today(), grounds=" ", against=NOTICE)
    refused(app, appeal, staff.legal, InvalidInput, "Motifs : ce champ est obligatoire.")


def test_a_fine_needs_a_notice_on_record(app: PoliceApp, staff: Staff, cases: Cases) -> None:
    """Escalated straight after validation: sanctioned, but never notified."""
    app.change_case(
        EscalateCase(case_id=cases.validated, reason="Refus d'obtempérer"), staff.hygiene_chief
    )
    fine = ImposeFine(case_id=cases.validated, reason="Récidive", due_on=app.today())
    refused(
        app, fine, staff.legal, InvalidTransition, "Une amende suppose un avis émis au préalable."
    )


INVALID_AMOUNT = "Montant invalide : un nombre positif est attendu."


@pytest.mark.parametrize(
    ("amount", "accepted"),
    [("0", False), ("0.01", True), ("10000000", True), ("10000000.01", False)],
)
def test_amounts_are_positive_up_to_ten_million(
    app: PoliceApp, staff: Staff, cases: Cases, amount: str, accepted: bool
) -> None:
    fine = ImposeFine(
        case_id=cases.notified, reason="Récidive", due_on=app.today(), amount=Decimal(amount)
    )
    if not accepted:
        refused(app, fine, staff.legal, InvalidInput, INVALID_AMOUNT)
        return
    app.change_case(fine, staff.legal)
    [imposed] = app.get_case(cases.notified).fines
    assert imposed == {"amount": Decimal(amount), "reason": "Récidive", "due_on": app.today()}


def test_an_amount_that_is_no_number_is_refused(app: PoliceApp, staff: Staff, cases: Cases) -> None:
    for amount in ("douze", None):  # what a caller that skipped parsing would pass
        payment = RecordPayment(
            case_id=cases.ticket,
            amount=amount,  # type: ignore[arg-type]
            receipt_number="Q-1",
            paid_on=app.today(),
        )
        refused(app, payment, staff.legal, InvalidInput, INVALID_AMOUNT)


def test_a_receipt_number_has_at_most_40_characters(
    app: PoliceApp, staff: Staff, cases: Cases
) -> None:
    def payment(receipt: str) -> RecordPayment:
        return RecordPayment(
            case_id=cases.ticket, amount=Decimal("1"), receipt_number=receipt, paid_on=app.today()
        )

    refused(
        app,
        payment("Q" * 41),
        staff.legal,
        InvalidInput,
        "N° de quittance : 40 caractères au plus (41 saisis).",
    )
    app.change_case(payment("Q" * 40), staff.legal)
    assert app.get_case(cases.ticket).payments[0]["receipt_number"] == "Q" * 40


def test_a_case_with_fifty_centimes_still_due_is_not_closed(
    app: PoliceApp, staff: Staff, cases: Cases
) -> None:
    today = app.today()
    app.change_case(
        ImposeFine(case_id=cases.notified, reason="Récidive", due_on=today, amount=Decimal("100")),
        staff.legal,
    )
    app.change_case(
        RecordPayment(
            case_id=cases.notified, amount=Decimal("99.50"), receipt_number="Q-7", paid_on=today
        ),
        staff.legal,
    )
    reference = app.get_case(cases.notified).reference
    refused(
        app,
        CloseCase(case_id=cases.notified, reason="Dossier traité"),
        staff.hygiene_chief,
        InvalidTransition,
        f"Le dossier {reference} ne peut être clos : 0.50 MAD restent dus.",
    )


def test_a_follow_up_visit_done_clears_the_one_scheduled(
    app: PoliceApp, staff: Staff, cases: Cases
) -> None:
    due = app.today() + timedelta(days=3)
    app.change_case(
        ScheduleFollowUp(case_id=cases.validated, due_on=due, officer_id=staff.hygiene_officer),
        staff.hygiene_chief,
    )
    assert app.get_case(cases.validated).follow_up is not None
    app.record_inspection(
        builders.hygiene(findings=(), follow_up_case_id=cases.validated), staff.hygiene_officer
    )
    assert app.get_case(cases.validated).follow_up is None


def test_the_right_person_with_the_right_values_succeeds(
    app: PoliceApp, staff: Staff, cases: Cases
) -> None:
    """The commands refused above, given by who may: each one is recorded."""
    commands = {what: command for what, command, _ in _wrong_person(cases, staff, app.today())}
    right_person = {  # in an order the workflow allows: compliance ends the case
        "an officer assigns": staff.hygiene_chief,
        "a supervisor records service": staff.legal,
        "a supervisor imposes a fine": staff.legal,
        "a supervisor records a payment": staff.legal,
        "an officer files an appeal": staff.legal,
        "an officer records compliance": staff.hygiene_chief,
    }
    for what, actor in right_person.items():
        before = event_count(app)
        app.change_case(commands[what], actor)
        assert event_count(app) > before, what
    statuses = {app.get_case(c).status for c in (cases.validated, cases.notified)}
    assert statuses == {CaseStatus.VALIDATED, CaseStatus.RESOLVED}


def test_a_reissue_replaces_only_a_notice_of_its_own_kind(
    app: PoliceApp, staff: Staff, cases: Cases
) -> None:
    with pytest.raises(InvalidInput) as refused_reissue:
        put_notice_on_record(
            app, cases.notified, staff.legal, NoticeKind.PROCES_VERBAL, "PV-1", replaces=NOTICE
        )
    assert refused_reissue.value.message == (
        f"L'avis {NOTICE} n'est pas un avis en vigueur de ce type sur ce dossier."
    )
    assert [n["number"] for n in app.get_case(cases.notified).notices] == [NOTICE]


def test_only_a_tickets_own_officer_issues_its_avis_and_no_other_notice(
    app: PoliceApp, staff: Staff, cases: Cases
) -> None:
    """The avis of a ticket is its officer's; another officer of the brigade may not issue it,
    and the ticket's officer may issue nothing else (a notice is the legal desk's)."""
    colleague = builders.hire(app, "agent.stationnement2", ["officer"], ["parking"])
    before = event_count(app)
    for actor, kind in (
        (colleague, NoticeKind.AVIS_CONTRAVENTION),
        (staff.parking_chief, NoticeKind.AVIS_CONTRAVENTION),
        (staff.parking_officer, NoticeKind.PROCES_VERBAL),
    ):
        with pytest.raises(NotAllowed):
            put_notice_on_record(app, cases.ticket, actor, kind, "X-1")
    assert event_count(app) == before
