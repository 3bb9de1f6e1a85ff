"""Online applications (e-démarches): submitted without an account and followed by a private
link; instructed by the permits office (documents, site visit, hold, refusal); granted into the
registry, in force once the fee is paid; reminded of their renewal."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from police.aggregates.permit import Permit, PermitState
from police.aggregates.permit_application import ApplicationStatus, PermitApplication
from police.app import PoliceApp
from police.application_terms import ApplicationInput
from police.commands import EscalateCase, ImposeFine, RecordPayment, ValidateCase
from police.errors import Conflict, InvalidInput, InvalidTransition, NotAllowed
from police.evidence import Photo
from police.identifiers import SubjectInput
from police.permit_terms import Billboard
from police.submission import Location
from police.workflow import NoticeKind
from tests.police import builders
from tests.police.builders import CAFE_ICE, Staff, event_count, put_notice_on_record
from tests.storage.photos import jpeg_with_exif

CAFE = SubjectInput(
    kind="establishment",
    trade_name="Café Atlas",
    ice=CAFE_ICE,
    rc="123456",
    activity="Café",
    address="112 boulevard Zerktouni",
)


def terrace_asked(app: PoliceApp, **changes: Any) -> ApplicationInput:
    """Café Atlas asks for a 5 m x 2 m terrace for next year, from its phone."""
    start = app.today() + timedelta(days=10)
    base = ApplicationInput(
        kind="terrace",
        holder=CAFE,
        email="gerant@cafe-atlas.ma",
        phone="06 61 23 45 67",
        location=Location(
            arrondissement="maarif", address="112 boulevard Zerktouni", lat=33.5861, lon=-7.6329
        ),
        valid_from=start,
        valid_until=start + timedelta(days=364),
        frontage_m=Decimal("5"),
        depth_m=Decimal("2"),
        note="Six tables, côté boulevard.",
    )
    return replace(base, **changes)


def photo(name: str = "facade.jpg") -> Photo:
    return Photo(name=name, file=io.BytesIO(jpeg_with_exif()))


def application(app: PoliceApp, number: str) -> PermitApplication:
    found = app.find_application(number)
    assert found is not None
    return found


def test_an_application_is_numbered_and_opens_only_with_its_secret(app: PoliceApp) -> None:
    submitted = app.submit_application(terrace_asked(app), photos=[photo()])
    assert submitted.number == f"DEM-{app.today().year}-000001"
    assert submitted.status is ApplicationStatus.RECEIVED
    assert len(submitted.secret) >= 32
    found = app.tracked_application(submitted.number, submitted.secret)
    assert found is not None
    assert found.status is ApplicationStatus.RECEIVED
    assert found.contact == {"email": "gerant@cafe-atlas.ma", "phone": "+212661234567"}
    assert found.request["surface_m2"] == Decimal("10.00")
    assert found.deadline == app.today() + timedelta(days=30)  # the territory's, for terraces
    assert [d["role"] for d in found.documents] == ["photo"]
    wrong = submitted.secret[:-1] + ("y" if submitted.secret.endswith("x") else "x")  # 1 off
    assert app.tracked_application(submitted.number, wrong) is None
    assert app.tracked_application("DEM-2026-999999", submitted.secret) is None
    second = app.submit_application(terrace_asked(app, kind="display"))
    assert second.number == f"DEM-{app.today().year}-000002"
    assert application(app, second.number).deadline == app.today() + timedelta(days=30)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"holder": replace(CAFE, rc="")}, "ice"),
        ({"holder": SubjectInput(kind="person", full_name="Karim Alaoui")}, "cin"),
        ({"email": "", "phone": ""}, "email"),
        ({"email": "gerant@"}, "email"),
        ({"phone": "12"}, "phone"),
        ({"frontage_m": Decimal("0")}, "frontage_m"),
        (
            {"location": Location(arrondissement="maarif", address="x", lat=34.0, lon=-6.8)},
            "location",
        ),
    ],
)
def test_a_bad_application_is_refused_and_records_nothing(
    app: PoliceApp, changes: dict[str, Any], field: str
) -> None:
    before = event_count(app)
    with pytest.raises(InvalidInput) as refused:
        app.submit_application(terrace_asked(app, **changes))
    assert refused.value.field == field
    assert event_count(app) == before


def test_a_period_starting_in_the_past_is_refused(app: PoliceApp) -> None:
    with pytest.raises(InvalidInput) as refused:
        app.submit_application(terrace_asked(app, valid_from=app.today() - timedelta(days=1)))
    assert refused.value.field == "valid_from"


def test_the_office_asks_for_a_document_and_the_applicant_adds_it(
    app: PoliceApp, staff: Staff
) -> None:
    submitted = app.submit_application(terrace_asked(app))
    with pytest.raises(InvalidTransition):  # nothing is asked yet
        app.add_documents(submitted.number, submitted.secret, photos=[photo()])
    app.request_documents(staff.permits_clerk, submitted.number, missing="Plan de la terrasse")
    asked = application(app, submitted.number)
    assert asked.status is ApplicationStatus.INCOMPLETE
    assert asked.missing == "Plan de la terrasse"
    with pytest.raises(NotAllowed):  # not with a wrong secret
        app.add_documents(submitted.number, "devine", photos=[photo()])
    app.add_documents(submitted.number, submitted.secret, photos=[photo("plan.jpg")], note="Voici")
    answered = application(app, submitted.number)
    assert answered.status is ApplicationStatus.UNDER_REVIEW
    assert answered.missing == ""
    assert len(answered.documents) == 1


def test_only_the_permits_office_instructs(app: PoliceApp, staff: Staff) -> None:
    submitted = app.submit_application(terrace_asked(app))
    for actor in (staff.odp_chief, staff.legal, staff.odp_officer):
        with pytest.raises(NotAllowed):
            app.request_documents(actor, submitted.number, missing="Plan")
    with pytest.raises(NotAllowed):
        app.grant_application(staff.odp_chief, submitted.number, fee=Decimal("3000"))


def test_a_site_visit_is_reported_by_a_public_domain_officer(app: PoliceApp, staff: Staff) -> None:
    submitted = app.submit_application(terrace_asked(app))
    with pytest.raises(InvalidTransition):  # no visit asked yet
        app.report_site_visit(
            staff.odp_officer, submitted.number, opinion="favourable", observations="RAS"
        )
    app.request_site_visit(staff.permits_clerk, submitted.number, note="Mesurer le trottoir")
    assert application(app, submitted.number).status is ApplicationStatus.SITE_VISIT
    with pytest.raises(NotAllowed):  # another brigade's officer
        app.report_site_visit(
            staff.hygiene_officer, submitted.number, opinion="favourable", observations="RAS"
        )
    app.report_site_visit(
        staff.odp_officer,
        submitted.number,
        opinion="favourable",
        observations="Trottoir de 4 m : 2 m de terrasse laissent 2 m aux piétons.",
        frontage_m=Decimal("5.2"),
        photos=[photo()],
    )
    visited = application(app, submitted.number)
    assert visited.status is ApplicationStatus.UNDER_REVIEW
    assert visited.visit is not None
    report = visited.visit["report"]
    assert report["officer_id"] == staff.odp_officer
    assert report["measured"] == {"frontage_m": Decimal("5.20")}
    assert len(report["photos"]) == 1


def test_a_granted_application_is_a_permit_in_force_once_paid(app: PoliceApp, staff: Staff) -> None:
    submitted = app.submit_application(terrace_asked(app))
    number = app.grant_application(staff.permits_clerk, submitted.number, fee=Decimal("3000"))
    assert number == f"AOT-TER-{app.today().year}-000001"
    granted = application(app, submitted.number)
    assert granted.status is ApplicationStatus.GRANTED
    assert granted.permit_number == number
    assert granted.fee == Decimal("3000.00")
    assert granted.payment_reference == f"{number}-" + granted.payment_reference[-2:]
    permit = app.find_permit(number)
    assert permit is not None
    day = permit.valid_from
    assert permit.surface_m2 == Decimal("10.00")
    assert permit.holder_label == "Café Atlas"
    assert permit.state_on(day) is PermitState.UNPAID
    assert not permit.is_valid_on(day)
    with pytest.raises(InvalidTransition):  # decided once
        app.refuse_application(staff.permits_clerk, submitted.number, reasons="Trop tard")
    with pytest.raises(NotAllowed):  # an officer is no cashier
        app.record_permit_payment(
            staff.odp_officer, number, receipt_number="Q-1", amount_paid=Decimal("3000")
        )
    with pytest.raises(InvalidInput):  # not the fee due
        app.record_permit_payment(
            staff.legal, number, receipt_number="Q-1", amount_paid=Decimal("300")
        )
    app.record_permit_payment(
        staff.legal, number, receipt_number="Q-2026-0042", amount_paid=Decimal("3000")
    )
    paid = app.find_permit(number)
    assert paid is not None
    assert paid.state_on(day) is PermitState.VALID
    assert paid.paid is not None
    assert paid.paid["receipt_number"] == "Q-2026-0042"
    arrete = paid.arretes[1]  # printed for the holder on payment
    assert app.objects.read(arrete["key"])[:5] == b"%PDF-"
    with pytest.raises(InvalidTransition):  # paid once
        app.record_permit_payment(
            staff.legal, number, receipt_number="Q-3", amount_paid=Decimal("3000")
        )


def test_a_billboard_gets_its_structure_identifier_from_the_office(
    app: PoliceApp, staff: Staff
) -> None:
    board = Billboard(
        structure_id="", faces=2, m2_per_face=Decimal("9"), lit=False, company="Affichage Atlas"
    )
    submitted = app.submit_application(
        terrace_asked(app, kind="billboard", frontage_m=None, depth_m=None, billboard=board)
    )
    asked = application(app, submitted.number)
    assert asked.request["billboard"]["structure_id"] == ""
    assert asked.deadline == app.today() + timedelta(days=45)
    number = app.grant_application(
        staff.permits_clerk, submitted.number, fee=Decimal("9000"), structure_id="CAS-PUB-0777"
    )
    permit = app.find_permit(number)
    assert permit is not None
    assert permit.structure_id == "CAS-PUB-0777"
    assert permit.surface_m2 == Decimal("18.00")


def test_a_refusal_says_why_and_closes_the_file(app: PoliceApp, staff: Staff) -> None:
    submitted = app.submit_application(terrace_asked(app))
    with pytest.raises(InvalidInput):  # a refusal gives its reasons
        app.refuse_application(staff.permits_clerk, submitted.number, reasons=" ")
    app.refuse_application(
        staff.permits_clerk, submitted.number, reasons="Trottoir trop étroit (1,2 m)."
    )
    refused = application(app, submitted.number)
    assert refused.status is ApplicationStatus.REFUSED
    assert refused.refusal == "Trottoir trop étroit (1,2 m)."
    with pytest.raises(InvalidTransition):
        app.grant_application(staff.permits_clerk, submitted.number, fee=Decimal("1"))


def test_a_stale_page_is_told_and_changes_nothing(app: PoliceApp, staff: Staff) -> None:
    submitted = app.submit_application(terrace_asked(app))
    read_at = application(app, submitted.number).version
    app.request_documents(staff.permits_clerk, submitted.number, missing="Plan")
    before = event_count(app)
    with pytest.raises(Conflict):
        app.refuse_application(
            staff.permits_clerk, submitted.number, reasons="Non", expected_version=read_at
        )
    with pytest.raises(Conflict):
        app.grant_application(
            staff.permits_clerk, submitted.number, fee=Decimal("1"), expected_version=read_at
        )
    assert event_count(app) == before


def fined(app: PoliceApp, staff: Staff) -> UUID:
    """Café Atlas owes a hygiene fine."""
    case_id = builders.opened_case(app, builders.hygiene(), staff.hygiene_officer)
    app.change_case(ValidateCase(case_id=case_id), staff.hygiene_chief)
    put_notice_on_record(app, case_id, staff.legal, NoticeKind.MISE_EN_DEMEURE, "MD-2026-000001")
    app.change_case(
        ImposeFine(case_id=case_id, reason="Mise en demeure non suivie", due_on=app.today()),
        staff.legal,
    )
    return case_id


def test_a_holder_with_an_unpaid_fine_is_held_until_it_is_paid(
    app: PoliceApp, staff: Staff
) -> None:
    case_id = fined(app, staff)
    reference = app.get_case(case_id).reference
    submitted = app.submit_application(terrace_asked(app))
    assert submitted.status is ApplicationStatus.HELD
    held = application(app, submitted.number)
    assert held.holds == [{"kind": "unpaid", "reference": reference, "amount": Decimal("4000.00")}]
    with pytest.raises(InvalidTransition):
        app.grant_application(staff.permits_clerk, submitted.number, fee=Decimal("3000"))
    with pytest.raises(InvalidInput):  # still owed
        app.lift_hold(staff.permits_clerk, submitted.number)
    app.change_case(
        RecordPayment(
            case_id=case_id, amount=Decimal("4000"), receipt_number="Q-9", paid_on=app.today()
        ),
        staff.legal,
    )
    app.lift_hold(staff.permits_clerk, submitted.number)
    assert application(app, submitted.number).status is ApplicationStatus.RECEIVED
    app.grant_application(staff.permits_clerk, submitted.number, fee=Decimal("3000"))


def test_an_open_closure_order_holds_the_application(app: PoliceApp, staff: Staff) -> None:
    case_id = builders.opened_case(app, builders.hygiene(), staff.hygiene_officer)
    app.change_case(ValidateCase(case_id=case_id), staff.hygiene_chief)
    app.change_case(EscalateCase(case_id=case_id, reason="Récidive"), staff.hygiene_chief)
    put_notice_on_record(app, case_id, staff.legal, NoticeKind.ORDRE_FERMETURE, "OF-2026-000001")
    submitted = app.submit_application(terrace_asked(app))
    held = application(app, submitted.number)
    assert held.status is ApplicationStatus.HELD
    assert held.holds == [{"kind": "closure", "reference": app.get_case(case_id).reference}]


def test_the_office_replaces_a_leaked_tracking_link(app: PoliceApp, staff: Staff) -> None:
    submitted = app.submit_application(terrace_asked(app))
    secret = app.replace_tracking(staff.permits_clerk, submitted.number, reason="Lien partagé")
    assert app.tracked_application(submitted.number, submitted.secret) is None
    assert app.tracked_application(submitted.number, secret) is not None


def test_a_renewal_names_a_permit_of_the_same_holder(app: PoliceApp, staff: Staff) -> None:
    other = app.grant_permit(staff.permits_clerk, builders.terrace())  # Café de Paris's
    with pytest.raises(InvalidInput) as refused:
        app.submit_application(terrace_asked(app, renewal_of=other))
    assert refused.value.field == "renewal_of"
    first = app.submit_application(terrace_asked(app))
    mine = app.grant_application(staff.permits_clerk, first.number, fee=Decimal("3000"))
    renewal = app.submit_application(terrace_asked(app, renewal_of=mine.lower()))
    assert application(app, renewal.number).renewal_of == mine


def test_the_renewal_reminder_is_sent_once_per_expiry(app: PoliceApp, staff: Staff) -> None:
    today = app.today()
    submitted = app.submit_application(
        terrace_asked(app, valid_from=today, valid_until=today + timedelta(days=20))
    )
    number = app.grant_application(staff.permits_clerk, submitted.number, fee=Decimal("100"))
    sent: list[tuple[str, str]] = []
    secrets: list[str] = []

    def send(application: PermitApplication, permit: Permit, secret: str) -> None:
        sent.append((application.contact["email"], permit.number))
        secrets.append(secret)

    assert not app.remind_renewal(submitted.number, send)  # unpaid: not in force, no reminder
    app.record_permit_payment(
        staff.permits_clerk, number, receipt_number="Q-1", amount_paid=Decimal("100")
    )
    assert app.remind_renewal(submitted.number, send)
    assert not app.remind_renewal(submitted.number, send)
    assert sent == [("gerant@cafe-atlas.ma", number)]
    assert application(app, submitted.number).reminded == {today + timedelta(days=20)}
    # the reminder's own link opens the file, and the first one still does
    assert app.tracked_application(submitted.number, secrets[0]) is not None
    assert app.tracked_application(submitted.number, submitted.secret) is not None


def test_a_permit_far_from_expiry_is_not_reminded(app: PoliceApp, staff: Staff) -> None:
    submitted = app.submit_application(terrace_asked(app))
    number = app.grant_application(staff.permits_clerk, submitted.number, fee=Decimal("100"))
    app.record_permit_payment(
        staff.permits_clerk, number, receipt_number="Q-1", amount_paid=Decimal("100")
    )
    assert not app.remind_renewal(submitted.number, lambda a, p, s: None)


def test_dates_are_kept_as_asked_unless_the_office_shortens_them(
    app: PoliceApp, staff: Staff
) -> None:
    submitted = app.submit_application(terrace_asked(app))
    asked = application(app, submitted.number).request
    end = asked["valid_from"] + timedelta(days=90)
    number = app.grant_application(
        staff.permits_clerk, submitted.number, fee=Decimal("900"), valid_until=end
    )
    permit = app.find_permit(number)
    assert permit is not None
    assert (permit.valid_from, permit.valid_until) == (asked["valid_from"], end)
    assert isinstance(asked["valid_from"], date)


def test_a_file_sent_with_an_address_only_is_placed_by_the_visit_or_the_office(
    app: PoliceApp, staff: Staff
) -> None:
    by_address = Location(arrondissement="maarif", address="112 boulevard Zerktouni")
    with pytest.raises(InvalidInput) as refused:  # neither a pin nor an address
        app.submit_application(terrace_asked(app, location=replace(by_address, address="")))
    assert refused.value.field == "address"
    first = app.submit_application(terrace_asked(app, location=by_address))
    asked = application(app, first.number).request["location"]
    assert asked["approximate"] is True
    assert (asked["lat"], asked["lon"]) == app.territory.arrondissement("maarif").centre
    with pytest.raises(InvalidInput) as unplaced:  # the office must place it
        app.grant_application(staff.permits_clerk, first.number, fee=Decimal("100"))
    assert unplaced.value.field == "location"
    app.request_site_visit(staff.permits_clerk, first.number, note="Relever la position")
    app.report_site_visit(
        staff.odp_officer,
        first.number,
        opinion="favourable",
        observations="Devant le n° 112.",
        location=Location(arrondissement="maarif", address="", lat=33.58612, lon=-7.63291),
    )
    visited = app.find_permit(
        app.grant_application(staff.permits_clerk, first.number, fee=Decimal("100"))
    )
    assert visited is not None
    assert (visited.location["lat"], visited.location["lon"]) == (33.58612, -7.63291)
    second = app.submit_application(terrace_asked(app, kind="display", location=by_address))
    placed = app.find_permit(
        app.grant_application(
            staff.permits_clerk, second.number, fee=Decimal("50"), position=(33.5859, -7.6331)
        )
    )
    assert placed is not None
    assert (placed.location["lat"], placed.location["lon"]) == (33.5859, -7.6331)
