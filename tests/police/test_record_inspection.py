"""Recording an inspection: what it records, the case it opens or feeds, and what it refuses."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from police import clock
from police.aggregates.case import Case
from police.aggregates.inspection import Inspection
from police.aggregates.subject import Subject
from police.app import PoliceApp
from police.commands import DismissCase, ScheduleFollowUp, ValidateCase
from police.errors import Conflict, InvalidInput, NotAllowed
from police.identifiers import SubjectInput
from police.submission import Finding, Location, Position
from police.workflow import CaseStatus
from tests.police import builders
from tests.police.builders import Staff, event_count


def test_a_non_compliant_inspection_opens_a_case_in_one_save(app: PoliceApp, staff: Staff) -> None:
    before = event_count(app)
    receipt = app.record_inspection(builders.hygiene(), staff.hygiene_officer)

    year = app.today().year
    assert receipt.case_opened
    assert not receipt.compliant
    assert not receipt.duplicate
    assert receipt.case_reference == f"HYG-{year}-000001"
    assert receipt.case_id is not None
    inspection = app.get_inspection(receipt.inspection_id)
    case = app.get_case(receipt.case_id)
    subject: Subject = app.repository.get(inspection.subject_id)
    assert inspection.case_id == case.id
    assert case.status == CaseStatus.OPENED
    assert case.opened_by == staff.hygiene_officer
    assert [c["case_id"] for c in subject.cases] == [case.id]
    # Inspection, case, subject and counter: recorded together, nothing else.
    notifications = app.recorder.select_notifications(start=before + 1, limit=100)
    assert {n.originator_id for n in notifications} == {
        inspection.id,
        case.id,
        subject.id,
        _counter_id(app, "HYG", year),
    }


def _counter_id(app: PoliceApp, series: str, year: int) -> uuid.UUID:
    from police.aggregates.counter import counter_id

    return counter_id(series, year)


def test_findings_copy_the_catalogue_entry_as_it_stood_that_day(
    app: PoliceApp, staff: Staff
) -> None:
    receipt = app.record_inspection(builders.hygiene(), staff.hygiene_officer)
    findings = app.get_inspection(receipt.inspection_id).findings
    version = app.catalogue.in_force_on(app.today())
    hyg05 = next(f for f in findings if f["code"] == "HYG-05")
    entry = version.infractions["HYG-05"]
    assert hyg05["label_fr"] == entry.label_fr
    assert hyg05["label_ar"] == entry.label_ar
    assert hyg05["legal_basis"] == entry.legal_basis
    assert hyg05["catalogue_version"] == version.version
    assert hyg05["quantity"] == Decimal("2.00")
    assert hyg05["amount"] == Decimal("2000.00")  # 1000 MAD per employee without certificate
    assert receipt.case_id is not None
    assert app.get_case(receipt.case_id).findings == findings


def test_an_inspection_on_the_last_day_of_a_catalogue_uses_that_version(
    app: PoliceApp, staff: Staff
) -> None:
    new_year = datetime(2026, 1, 1, tzinfo=app.territory.timezone)
    with clock.frozen_at(new_year + timedelta(days=2)):
        late = app.record_inspection(
            builders.parking(
                observed_at=new_year - timedelta(minutes=30), findings=(Finding("STA-03"),)
            ),
            staff.parking_officer,
        )
        early = app.record_inspection(
            builders.parking(
                plate="777-B-6",
                observed_at=new_year + timedelta(minutes=30),
                findings=(Finding("STA-03"),),
            ),
            staff.parking_officer,
        )
    assert app.get_inspection(late.inspection_id).catalogue_version == "2025.1"
    assert late.ticket_amount == Decimal("500.00")
    assert app.get_inspection(early.inspection_id).catalogue_version == "2026.1"
    assert early.ticket_amount == Decimal("700.00")


def test_an_observation_in_the_future_is_refused_and_records_nothing(
    app: PoliceApp, staff: Staff
) -> None:
    before = event_count(app)
    ahead = datetime.now(UTC) + timedelta(minutes=11)
    with pytest.raises(InvalidInput) as refused:
        app.record_inspection(builders.hygiene(observed_at=ahead), staff.hygiene_officer)
    assert refused.value.field == "observed_at"
    assert "futur" in refused.value.message
    assert event_count(app) == before


def test_a_phone_clock_a_few_minutes_ahead_is_accepted(app: PoliceApp, staff: Staff) -> None:
    ahead = datetime.now(UTC) + timedelta(minutes=9)
    receipt = app.record_inspection(builders.hygiene(observed_at=ahead), staff.hygiene_officer)
    inspection = app.get_inspection(receipt.inspection_id)
    assert inspection.observed_at == ahead
    assert inspection.clock_trusted


def test_an_observation_older_than_72_hours_needs_a_late_entry_reason(
    app: PoliceApp, staff: Staff
) -> None:
    before = event_count(app)
    old = datetime.now(UTC) - timedelta(hours=73)
    with pytest.raises(InvalidInput) as refused:
        app.record_inspection(builders.hygiene(observed_at=old), staff.hygiene_officer)
    assert refused.value.field == "late_reason"
    assert refused.value.message == (
        "Constat de plus de 72 heures : indiquez la raison de la saisie tardive."
    )
    with pytest.raises(InvalidInput):  # blanks are no reason
        app.record_inspection(
            builders.hygiene(observed_at=old, late_reason=" \u200b "), staff.hygiene_officer
        )
    assert event_count(app) == before


def test_a_late_entry_keeps_its_reason_and_the_law_of_the_day_it_was_seen(
    app: PoliceApp, staff: Staff
) -> None:
    new_year = datetime(2026, 1, 1, tzinfo=app.territory.timezone)
    seen = new_year - timedelta(hours=2)
    with clock.frozen_at(new_year + timedelta(days=5)):
        receipt = app.record_inspection(
            builders.parking(
                observed_at=seen,
                findings=(Finding("STA-03"),),
                late_reason="Terminal en panne ; constat relevé sur le carnet n° 12.",
            ),
            staff.parking_officer,
        )
    inspection = app.get_inspection(receipt.inspection_id)
    assert inspection.observed_at == seen
    assert inspection.late_reason == "Terminal en panne ; constat relevé sur le carnet n° 12."
    assert inspection.clock_trusted is False
    assert inspection.catalogue_version == "2025.1"
    assert receipt.ticket_amount == Decimal("500.00")


def test_the_limits_of_an_observation_time_to_the_second(app: PoliceApp, staff: Staff) -> None:
    """Ten minutes ahead of the server at most; 72 hours behind at most without a reason."""
    now = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    with clock.frozen_at(now):
        for observed_at in (now + timedelta(minutes=10), now - timedelta(hours=72)):
            app.record_inspection(builders.hygiene(observed_at=observed_at), staff.hygiene_officer)
        for observed_at, field in (
            (now + timedelta(minutes=10, seconds=1), "observed_at"),
            (now - timedelta(hours=72, seconds=1), "late_reason"),
        ):
            with pytest.raises(InvalidInput) as refused:
                app.record_inspection(
                    builders.hygiene(observed_at=observed_at), staff.hygiene_officer
                )
            assert refused.value.field == field


def test_an_observation_time_without_its_time_zone_is_refused(app: PoliceApp, staff: Staff) -> None:
    with pytest.raises(InvalidInput) as refused:
        app.record_inspection(
            builders.hygiene(observed_at=datetime(2026, 11, 20, 10, 0)), staff.hygiene_officer
        )
    assert refused.value.message == "L'heure du constat doit indiquer son fuseau horaire."


def test_a_late_entry_reason_has_at_most_1000_characters(app: PoliceApp, staff: Staff) -> None:
    old = datetime.now(UTC) - timedelta(days=5)
    with pytest.raises(InvalidInput) as refused:
        app.record_inspection(
            builders.hygiene(observed_at=old, late_reason="x" * 1001), staff.hygiene_officer
        )
    assert refused.value.message == (
        "Raison de la saisie tardive : 1000 caractères au plus (1001 saisis)."
    )
    receipt = app.record_inspection(
        builders.hygiene(observed_at=old, late_reason="x" * 1000), staff.hygiene_officer
    )
    assert app.get_inspection(receipt.inspection_id).late_reason == "x" * 1000


def test_an_entry_within_72_hours_needs_no_reason_and_is_trusted(
    app: PoliceApp, staff: Staff
) -> None:
    old = datetime.now(UTC) - timedelta(hours=71)
    receipt = app.record_inspection(builders.hygiene(observed_at=old), staff.hygiene_officer)
    inspection = app.get_inspection(receipt.inspection_id)
    assert inspection.clock_trusted
    assert inspection.late_reason == ""


def test_a_replay_arriving_after_the_offline_window_returns_the_first_receipt(
    app: PoliceApp, staff: Staff
) -> None:
    submission = builders.hygiene()
    first = app.record_inspection(submission, staff.hygiene_officer)
    before = event_count(app)
    with clock.frozen_at(datetime.now(UTC) + timedelta(days=4)):
        again = app.record_inspection(submission, staff.hygiene_officer)
    assert again.duplicate
    assert again.inspection_id == first.inspection_id
    assert event_count(app) == before


def test_a_compliant_inspection_opens_no_case(app: PoliceApp, staff: Staff) -> None:
    receipt = app.record_inspection(builders.hygiene(findings=()), staff.hygiene_officer)
    assert receipt.compliant
    assert receipt.case_id is None
    assert receipt.case_reference is None
    assert app.get_inspection(receipt.inspection_id).compliant


def test_a_second_inspection_at_the_same_place_feeds_the_open_case(
    app: PoliceApp, staff: Staff
) -> None:
    first = app.record_inspection(builders.hygiene(), staff.hygiene_officer)
    nearby = replace(builders.ZERKTOUNI, lat=33.5863, lon=-7.6331)  # ~30 m away
    second = app.record_inspection(
        builders.hygiene(location=nearby, findings=(Finding("HYG-03"),)), staff.hygiene_officer_2
    )
    assert second.case_id == first.case_id
    assert not second.case_opened
    assert first.case_id is not None
    case = app.get_case(first.case_id)
    assert case.inspection_ids == [first.inspection_id, second.inspection_id]
    assert type(app.case_events(case.id)[-1]).__name__ == "InspectionAdded"


def test_the_same_subject_elsewhere_opens_another_case(app: PoliceApp, staff: Staff) -> None:
    first = app.record_inspection(builders.hygiene(), staff.hygiene_officer)
    other_shop = Location(
        arrondissement="ain_sebaa", address="Route de Rabat", lat=33.605, lon=-7.54
    )
    second = app.record_inspection(builders.hygiene(location=other_shop), staff.hygiene_officer)
    assert second.case_opened
    assert second.case_id != first.case_id
    assert second.prior_case_references == (first.case_reference,)


def test_without_gps_the_same_address_is_the_same_place(app: PoliceApp, staff: Staff) -> None:
    indoors = Location(arrondissement="maarif", address="112, Boulevard Zerktouni")
    first = app.record_inspection(builders.hygiene(location=indoors), staff.hygiene_officer)
    again = Location(arrondissement="maarif", address="112 boulevard zerktouni")
    second = app.record_inspection(builders.hygiene(location=again), staff.hygiene_officer)
    assert second.case_id == first.case_id


def test_a_closed_case_is_not_fed_a_new_case_is_opened(app: PoliceApp, staff: Staff) -> None:
    first = app.record_inspection(builders.hygiene(), staff.hygiene_officer)
    assert first.case_id is not None
    app.change_case(
        DismissCase(case_id=first.case_id, reason="Erreur d'adresse"), staff.hygiene_chief
    )
    second = app.record_inspection(builders.hygiene(), staff.hygiene_officer)
    assert second.case_opened
    assert second.case_id != first.case_id
    assert second.prior_case_references == (first.case_reference,)


def test_a_parking_inspection_issues_a_ticket_on_the_spot(app: PoliceApp, staff: Staff) -> None:
    year = app.today().year
    receipt = app.record_inspection(builders.parking(measures=("clamp",)), staff.parking_officer)
    assert receipt.ticket_number == f"AC-{year}-000001"
    assert receipt.case_reference == f"STA-{year}-000001"
    assert receipt.ticket_amount == Decimal("300.00")
    assert receipt.fees == Decimal("150.00")
    assert receipt.case_id is not None
    case = app.get_case(receipt.case_id)
    assert case.status == CaseStatus.NOTIFIED
    assert case.amount_due == Decimal("450.00")
    assert case.ticket is not None
    assert case.ticket["payment_due"] == app.today() + timedelta(days=30)
    assert [m["code"] for m in case.measures] == ["clamp"]


def test_each_parking_ticket_is_its_own_case_with_the_next_number(
    app: PoliceApp, staff: Staff
) -> None:
    first = app.record_inspection(builders.parking(), staff.parking_officer)
    second = app.record_inspection(builders.parking(plate="12345 a 6"), staff.parking_officer)
    assert second.case_id != first.case_id
    assert first.ticket_number is not None
    assert second.ticket_number is not None
    assert (first.ticket_number[-6:], second.ticket_number[-6:]) == ("000001", "000002")
    assert second.prior_case_references == (first.case_reference,)  # the same vehicle


def test_repeat_offences_are_seen_across_brigades(app: PoliceApp, staff: Staff) -> None:
    terrace = app.record_inspection(
        builders.public_domain(
            subject=builders.hygiene().subject, findings=(Finding("ODP-03", Decimal("4")),)
        ),
        staff.odp_officer,
    )
    hygiene = app.record_inspection(builders.hygiene(), staff.hygiene_officer)
    assert hygiene.prior_case_references == (terrace.case_reference,)
    assert hygiene.case_id is not None
    case = app.get_case(hygiene.case_id)
    assert case.prior_case_ids == [terrace.case_id]
    # The repeat offence surcharges are applied to the assessed fine: 2000 +50% and 2000 +50%.
    assert case.fine_assessed == Decimal("6000.00")


def test_evidence_is_attached_in_the_same_save(app: PoliceApp, staff: Staff) -> None:
    photos = (builders.evidence("a"), builders.evidence("b"))
    receipt = app.record_inspection(builders.hygiene(evidence=photos), staff.hygiene_officer)
    inspection = app.get_inspection(receipt.inspection_id)
    assert [e["sha256"] for e in inspection.evidence] == [p.sha256 for p in photos]
    assert [type(e).__name__ for e in app.events.get(inspection.id)] == [
        "Recorded",
        "EvidenceAttached",
        "EvidenceAttached",
    ]


def test_evidence_attached_later_by_the_officer(app: PoliceApp, staff: Staff) -> None:
    receipt = app.record_inspection(builders.hygiene(), staff.hygiene_officer)
    app.attach_evidence(receipt.inspection_id, builders.evidence("late"), staff.hygiene_officer)
    app.attach_evidence(receipt.inspection_id, builders.evidence("late"), staff.hygiene_officer)
    assert len(app.get_inspection(receipt.inspection_id).evidence) == 1
    with pytest.raises(NotAllowed):
        app.attach_evidence(receipt.inspection_id, builders.evidence("x"), staff.hygiene_officer_2)


def test_subject_details_seen_later_are_recorded_on_the_subject(
    app: PoliceApp, staff: Staff
) -> None:
    first = app.record_inspection(builders.parking(), staff.parking_officer)
    app.record_inspection(
        builders.parking(subject=SubjectInput(kind="vehicle", plate="12345-أ-6", colour="grise")),
        staff.parking_officer,
    )
    subject: Subject = app.repository.get(app.get_inspection(first.inspection_id).subject_id)
    assert isinstance(subject, Subject)
    assert subject.details == {"make": "Dacia Logan", "colour": "grise"}


def test_a_follow_up_inspection_feeds_the_case_it_names(app: PoliceApp, staff: Staff) -> None:
    case_id = builders.opened_case(app, builders.hygiene(), staff.hygiene_officer)
    app.change_case(ValidateCase(case_id=case_id), staff.hygiene_chief)
    app.change_case(
        ScheduleFollowUp(
            case_id=case_id,
            due_on=app.today() + timedelta(days=7),
            officer_id=staff.hygiene_officer_2,
        ),
        staff.hygiene_chief,
    )
    elsewhere = Location(arrondissement="maarif", address="Rue de l'entrée arrière")
    follow = app.record_inspection(
        builders.hygiene(location=elsewhere, findings=(), follow_up_case_id=case_id),
        staff.hygiene_officer_2,
    )
    assert follow.case_id == case_id
    assert follow.compliant
    case = app.get_case(case_id)
    assert case.follow_up is None
    assert case.inspections[-1] == {"id": follow.inspection_id, "compliant": True}
    assert app.get_inspection(follow.inspection_id).officer_id == staff.hygiene_officer_2


def test_a_follow_up_of_another_subject_is_refused(app: PoliceApp, staff: Staff) -> None:
    first = app.record_inspection(builders.hygiene(), staff.hygiene_officer)
    before = event_count(app)
    other = SubjectInput(
        kind="establishment", trade_name="Snack Chez Hassan", ice="009988776000055"
    )
    with pytest.raises(InvalidInput, match="ne concerne pas"):
        app.record_inspection(
            builders.hygiene(subject=other, follow_up_case_id=first.case_id), staff.hygiene_officer
        )
    assert event_count(app) == before


# --- idempotency --------------------------------------------------------------------------


def test_a_replayed_submission_returns_the_first_receipt_and_records_nothing(
    app: PoliceApp, staff: Staff
) -> None:
    submission = builders.hygiene()
    first = app.record_inspection(submission, staff.hygiene_officer)
    count = event_count(app)
    again = app.record_inspection(submission, staff.hygiene_officer)
    assert again == replace(first, duplicate=True)
    assert event_count(app) == count


def test_a_replay_sent_later_by_the_outbox_is_the_same_submission(
    app: PoliceApp, staff: Staff
) -> None:
    """Each sending carries the phone's clock at that moment: a replay differs only there, and
    keeps the first record's sending time."""
    sent = datetime.now(UTC) - timedelta(minutes=3)
    submission = builders.hygiene(opened_position=Position(33.5862, -7.6331, 12), sent_at=sent)
    first = app.record_inspection(submission, staff.hygiene_officer)
    count = event_count(app)
    replay = replace(submission, sent_at=sent + timedelta(minutes=2))
    assert app.record_inspection(replay, staff.hygiene_officer) == replace(first, duplicate=True)
    assert event_count(app) == count
    assert app.get_inspection(submission.submission_id).sent_at == sent
    moved = replace(submission, opened_position=Position(33.6, -7.6, 12))
    with pytest.raises(Conflict):
        app.record_inspection(moved, staff.hygiene_officer)


def test_a_replay_carrying_a_photo_the_first_lacked_attaches_only_that_photo(
    app: PoliceApp, staff: Staff
) -> None:
    submission = builders.hygiene(evidence=(builders.evidence("1"),))
    app.record_inspection(submission, staff.hygiene_officer)
    replay = replace(submission, evidence=(builders.evidence("1"), builders.evidence("2")))
    app.record_inspection(replay, staff.hygiene_officer)
    inspection = app.get_inspection(submission.submission_id)
    assert [e["sha256"] for e in inspection.evidence] == [
        builders.evidence("1").sha256,
        builders.evidence("2").sha256,
    ]


def test_a_reused_submission_id_with_other_facts_is_a_conflict(
    app: PoliceApp, staff: Staff
) -> None:
    submission = builders.hygiene()
    app.record_inspection(submission, staff.hygiene_officer)
    count = event_count(app)
    with pytest.raises(Conflict, match="déjà servi"):
        app.record_inspection(
            replace(submission, observations="autre chose"), staff.hygiene_officer
        )
    with pytest.raises(Conflict):
        app.record_inspection(submission, staff.hygiene_officer_2)
    assert event_count(app) == count


def test_a_submission_id_that_names_another_record_is_refused(app: PoliceApp, staff: Staff) -> None:
    with pytest.raises(InvalidInput, match="soumission"):
        app.record_inspection(builders.hygiene(submission_id=staff.admin), staff.hygiene_officer)


# --- refusals: a clear message, and nothing written ---------------------------------------

REFUSED = [
    ("unknown infraction", {"findings": (Finding("HYG-99"),)}, "inconnue"),
    ("infraction of another brigade", {"findings": (Finding("STA-01"),)}, "ne relève pas"),
    ("measurement missing", {"findings": (Finding("HYG-05"),)}, "exige une mesure"),
    ("measurement not expected", {"findings": (Finding("HYG-02", Decimal("3")),)}, "pas de mesure"),
    ("negative measurement", {"findings": (Finding("HYG-05", Decimal("-1")),)}, "mesure invalide"),
    ("fractional count", {"findings": (Finding("HYG-05", Decimal("1.5")),)}, "unités entières"),
    ("same infraction twice", {"findings": (Finding("HYG-02"), Finding("HYG-02"))}, "deux fois"),
    ("bad ICE", {"subject": SubjectInput(kind="establishment", trade_name="X", ice="123")}, "ICE"),
    (
        "no trade name",
        {"subject": SubjectInput(kind="establishment", ice=builders.CAFE_ICE)},
        "obligatoire",
    ),
    ("vehicle for hygiene", {"subject": SubjectInput(kind="vehicle", plate="1-A-6")}, "impossible"),
    (
        "a latitude no place has",
        {"location": Location(arrondissement="anfa", lat=133.59, lon=-7.62)},
        "Position GPS invalide",
    ),
    (
        "an opened position no place has",
        {"opened_position": Position(33.59, -187.6)},
        "Position GPS invalide",
    ),
    (
        "a sending time without its zone",
        {"sent_at": datetime(2026, 3, 14, 9, 30)},
        "fuseau horaire",
    ),
    (
        "unknown arrondissement",
        {"location": Location(arrondissement="agdal", address="x")},
        "Arrondissement inconnu",
    ),
    ("no GPS and no address", {"location": Location(arrondissement="anfa")}, "adresse"),
    ("half a GPS fix", {"location": Location(arrondissement="anfa", lat=33.59)}, "incomplète"),
    ("clamp without infraction", {"findings": (), "measures": ("clamp",)}, "Mesure inconnue"),
    ("permit for hygiene", {"permit_number": "AOT-1"}, "domaine public"),
    ("naive device time", {"observed_at": datetime(2026, 11, 20, 10, 0)}, "fuseau"),
    ("observations too long", {"observations": "x" * 4001}, "4000"),
]


@pytest.mark.parametrize(
    ("changes", "message"), [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED]
)
def test_a_bad_submission_is_refused_and_records_nothing(
    app: PoliceApp, staff: Staff, changes: dict[str, object], message: str
) -> None:
    before = event_count(app)
    with pytest.raises(InvalidInput, match=message):
        app.record_inspection(builders.hygiene(**changes), staff.hygiene_officer)
    assert event_count(app) == before


def test_bad_plates_and_orphan_measures_are_refused_for_parking(
    app: PoliceApp, staff: Staff
) -> None:
    before = event_count(app)
    with pytest.raises(InvalidInput, match="Immatriculation"):
        app.record_inspection(builders.parking(plate="ABC"), staff.parking_officer)
    with pytest.raises(InvalidInput, match="suppose au moins une infraction"):
        app.record_inspection(
            builders.parking(findings=(), measures=("impound",)), staff.parking_officer
        )
    assert event_count(app) == before


@pytest.mark.parametrize("who", ["parking_officer", "legal", "hygiene_chief_of_parking"])
def test_only_officers_and_supervisors_of_the_brigade_record_inspections(
    app: PoliceApp, staff: Staff, who: str
) -> None:
    actor = {
        "parking_officer": staff.parking_officer,
        "legal": staff.legal,
        "hygiene_chief_of_parking": staff.hygiene_chief,
    }[who]
    submission = builders.parking() if who == "hygiene_chief_of_parking" else builders.hygiene()
    before = event_count(app)
    with pytest.raises(NotAllowed):
        app.record_inspection(submission, actor)
    assert event_count(app) == before


def test_a_deactivated_officer_can_no_longer_record(app: PoliceApp, staff: Staff) -> None:
    app.deactivate_user(staff.admin, staff.hygiene_officer, reason="Mutation")
    with pytest.raises(NotAllowed, match="désactivé"):
        app.record_inspection(builders.hygiene(), staff.hygiene_officer)


def test_a_supervisor_may_record_an_inspection_of_their_brigade(
    app: PoliceApp, staff: Staff
) -> None:
    receipt = app.record_inspection(builders.hygiene(), staff.hygiene_chief)
    assert receipt.case_id is not None
    assert isinstance(app.repository.get(receipt.inspection_id), Inspection)
    assert isinstance(app.repository.get(receipt.case_id), Case)
