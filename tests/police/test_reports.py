"""Residents' reports: sent without an account, followed by private links, triaged by the
brigade's supervisor (dispatched, merged as a duplicate, refused) and then following the
inspection made from the visit, whose outcome they state honestly."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from police.aggregates.report import Report, ReportStatus
from police.app import PoliceApp
from police.errors import Conflict, InvalidInput, InvalidTransition, NotAllowed
from police.evidence import Photo
from police.report_categories import ReportCategories
from police.report_terms import ReportInput
from police.submission import Location
from tests.police import builders
from tests.police.builders import Staff, event_count
from tests.storage.photos import jpeg_with_exif

SIDEWALK = Location(
    arrondissement="", address="Boulevard Mohammed V, devant le n° 120", lat=33.5975, lon=-7.6170
)


def car_on_sidewalk(**changes: Any) -> ReportInput:
    base = ReportInput(
        category="parking-sidewalk",
        location=SIDEWALK,
        description="Une voiture grise garée sur le trottoir depuis ce matin.",
        email="voisin@example.ma",
    )
    return replace(base, **changes)


def photo() -> Photo:
    return Photo("trottoir.jpg", io.BytesIO(jpeg_with_exif()))


def test_a_report_is_numbered_placed_and_opened_by_its_own_link_only(app: PoliceApp) -> None:
    sent = app.submit_report(car_on_sidewalk(), [photo()])
    assert sent.number.startswith("SIG-")
    report = app.tracked_report(sent.number, sent.secret)
    assert report is not None
    assert report.status is ReportStatus.RECEIVED
    assert report.brigade == "parking"
    assert report.location["arrondissement"] == "sidi_belyout"  # found from the point
    assert len(report.photos) == 1
    assert report.photos[0]["key"].startswith("evidence/")
    wrong = sent.secret[:-1] + ("y" if sent.secret.endswith("x") else "x")  # one character off
    assert app.tracked_report(sent.number, wrong) is None
    assert app.tracked_report("SIG-2026-999999", sent.secret) is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"category": "pothole"}, "category"),
        ({"location": Location(arrondissement="anfa", address="Rue X")}, "location"),
        ({"location": replace(SIDEWALK, lat=34.02, lon=-6.84)}, "location"),  # Rabat
        ({"description": "voiture"}, "description"),
        ({"email": "pas-un-email"}, "email"),
        ({"phone": "12"}, "phone"),
    ],
)
def test_a_report_that_cannot_be_acted_on_is_refused_and_records_nothing(
    app: PoliceApp, changes: dict[str, Any], field: str
) -> None:
    before = event_count(app)
    with pytest.raises(InvalidInput) as refused:
        app.submit_report(car_on_sidewalk(**changes))
    assert refused.value.field == field
    assert event_count(app) == before


def test_a_report_without_contact_is_accepted_and_one_with_a_phone_keeps_it(
    app: PoliceApp,
) -> None:
    anonymous = app.find_report(app.submit_report(car_on_sidewalk(email="")).number)
    assert anonymous is not None
    assert anonymous.contacts == []
    phoned = app.find_report(
        app.submit_report(car_on_sidewalk(email="", phone="0661234567")).number
    )
    assert phoned is not None
    assert phoned.contacts == [{"email": "", "phone": "+212661234567", "language": "fr"}]


def test_triage_is_due_in_two_working_days_skipping_weekends_and_holidays() -> None:
    categories = ReportCategories.load()
    assert categories.triage_due(date(2026, 12, 1)) == date(2026, 12, 3)  # Tuesday -> Thursday
    assert categories.triage_due(date(2026, 12, 4)) == date(2026, 12, 8)  # Friday -> Tuesday
    # 18 November is Independence Day: Tuesday 17 -> Friday 20.
    assert categories.triage_due(date(2026, 11, 17)) == date(2026, 11, 20)


def test_a_neighbour_follows_an_open_report_with_a_link_of_their_own(app: PoliceApp) -> None:
    sent = app.submit_report(car_on_sidewalk())
    follower = app.follow_report(sent.number, phone="0661234567", language="ar")
    report = app.tracked_report(sent.number, follower.secret)
    assert report is not None
    assert app.tracked_report(sent.number, sent.secret) is not None
    assert [c["phone"] for c in report.contacts] == ["", "+212661234567"]
    assert report.contacts[1]["language"] == "ar"


def test_the_supervisor_dispatches_to_an_officer_of_the_brigade_only(
    app: PoliceApp, staff: Staff
) -> None:
    number = app.submit_report(car_on_sidewalk()).number
    with pytest.raises(NotAllowed):
        app.dispatch_report(staff.hygiene_chief, number, officer_id=staff.parking_officer)
    with pytest.raises(InvalidInput) as wrong:
        app.dispatch_report(staff.parking_chief, number, officer_id=staff.hygiene_officer)
    assert wrong.value.field == "officer_id"
    app.dispatch_report(
        staff.parking_chief, number, officer_id=staff.parking_officer, note="Avant midi"
    )
    report = app.find_report(number)
    assert report is not None
    assert report.status is ReportStatus.PLANNED
    assert report.dispatch == {
        "by": staff.parking_chief,
        "officer_id": staff.parking_officer,
        "note": "Avant midi",
    }
    with pytest.raises(InvalidTransition):
        app.refuse_report(staff.parking_chief, number, reason="Trop tard")


def test_a_stale_triage_form_is_told_and_changes_nothing(app: PoliceApp, staff: Staff) -> None:
    number = app.submit_report(car_on_sidewalk()).number
    app.follow_report(number)  # version 2 now
    before = event_count(app)
    with pytest.raises(Conflict):
        app.refuse_report(staff.parking_chief, number, reason="Hors champ", expected_version=1)
    assert event_count(app) == before


def test_a_duplicate_is_merged_into_its_original_whose_followers_it_joins(
    app: PoliceApp, staff: Staff
) -> None:
    original = app.submit_report(car_on_sidewalk()).number
    duplicate = app.submit_report(car_on_sidewalk(description="Voiture sur le trottoir, encore!"))
    app.merge_report(staff.parking_chief, duplicate.number, original=original)
    merged = app.tracked_report(duplicate.number, duplicate.secret)
    assert merged is not None
    assert merged.status is ReportStatus.DUPLICATE
    assert merged.original == original
    first = app.find_report(original)
    assert first is not None
    assert first.duplicates == [duplicate.number]
    assert first.status is ReportStatus.RECEIVED
    third = app.submit_report(car_on_sidewalk(description="Toujours cette voiture garée"))
    with pytest.raises(InvalidTransition):  # a duplicate is no original
        app.merge_report(staff.parking_chief, third.number, original=duplicate.number)


def test_a_report_refused_says_why(app: PoliceApp, staff: Staff) -> None:
    number = app.submit_report(car_on_sidewalk(category="hygiene-noise")).number
    app.refuse_report(staff.hygiene_chief, number, reason="Bruit de voisinage : police nationale")
    report = app.find_report(number)
    assert report is not None
    assert report.status is ReportStatus.NOT_FOR_SERVICE
    assert report.refusal == "Bruit de voisinage : police nationale"
    with pytest.raises(InvalidTransition):
        app.follow_report(number)


def test_the_ticket_recorded_from_the_visit_makes_the_report_say_an_infraction_was_found(
    app: PoliceApp, staff: Staff
) -> None:
    number = app.submit_report(car_on_sidewalk()).number
    visit = builders.parking(report_number=number)
    with pytest.raises(InvalidTransition):  # not dispatched yet: no visit to make
        app.record_inspection(visit, staff.parking_officer)
    app.dispatch_report(staff.parking_chief, number, officer_id=staff.parking_officer)
    receipt = app.record_inspection(visit, staff.parking_officer)
    report = app.find_report(number)
    assert report is not None
    assert report.status is ReportStatus.INFRACTION_FOUND
    assert report.inspection == {
        "id": visit.submission_id,
        "officer_id": staff.parking_officer,
        "infraction_found": True,
        "case_reference": receipt.case_reference,
        "on": app.today(),
    }
    # The phone sending it again changes nothing.
    assert app.record_inspection(visit, staff.parking_officer).duplicate
    assert app.find_report(number).version == report.version  # type: ignore[union-attr]


def test_a_compliant_visit_makes_the_report_say_no_infraction_was_found(
    app: PoliceApp, staff: Staff
) -> None:
    number = app.submit_report(car_on_sidewalk(category="odp-terrace")).number
    app.dispatch_report(staff.odp_chief, number, officer_id=staff.odp_officer)
    with pytest.raises(InvalidInput):  # another brigade's report
        app.record_inspection(builders.hygiene(report_number=number), staff.hygiene_officer)
    app.record_inspection(builders.public_domain(report_number=number), staff.odp_officer)
    report = app.find_report(number)
    assert report is not None
    assert report.status is ReportStatus.NO_INFRACTION
    assert report.inspection is not None
    assert report.inspection["case_reference"] is None


def test_report_events_survive_the_store(app: PoliceApp) -> None:
    number = app.submit_report(car_on_sidewalk()).number
    report: object = app.repository.get(Report.create_id(number))
    assert isinstance(report, Report)
    assert report.triage_due >= app.today()
