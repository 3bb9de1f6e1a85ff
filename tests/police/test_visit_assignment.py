"""Visits given by rule to the officer covering the arrondissement with the lightest load, or by
the supervisor; every assignment an event of the brigade's roster; a visit ticked off by the
inspection made for it, withdrawn when its case ends."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from uuid import UUID

import pytest

from police.aggregates.roster import Roster
from police.app import PoliceApp
from police.commands import DismissCase, ScheduleFollowUp, ValidateCase
from police.errors import InvalidInput, NotAllowed
from police.identifiers import SubjectInput
from police.planning import PlanningRules, VisitKind
from police.submission import Location
from tests.police import builders
from tests.police.builders import Staff, event_count

pytestmark = pytest.mark.stores  # on SQLite and PostgreSQL: the roster is saved with each visit

AIN_CHOCK = Location(arrondissement="ain_chock", address="Route de Médiouna", lat=33.54, lon=-7.6)


def establishment(n: int) -> SubjectInput:
    return SubjectInput(
        kind="establishment",
        trade_name=f"Snack n° {n}",
        ice=f"00123456700{n:04d}",
        activity="Snack",
    )


def case_for(app: PoliceApp, staff: Staff, n: int, where: Location = builders.ZERKTOUNI) -> UUID:
    """A case opened and validated: ready for a follow-up visit."""
    submission = builders.hygiene(subject=establishment(n), location=where)
    case_id = builders.opened_case(app, submission, staff.hygiene_officer)
    app.change_case(ValidateCase(case_id=case_id), staff.hygiene_chief)
    return case_id


def follow_up(app: PoliceApp, staff: Staff, case_id: UUID, officer: UUID | None = None) -> None:
    due = app.today() + timedelta(days=7)
    command = ScheduleFollowUp(case_id=case_id, due_on=due, officer_id=officer)
    app.change_case(command, staff.hygiene_chief)


def officer_of(app: PoliceApp, case_id: UUID) -> UUID | None:
    return app.roster("hygiene").officer_of(f"follow_up:{case_id}")


def both_cover_maarif(app: PoliceApp, staff: Staff) -> None:
    for officer in (staff.hygiene_officer, staff.hygiene_officer_2):
        app.set_coverage(staff.hygiene_chief, "hygiene", officer, ["maarif"])


def test_follow_ups_go_to_the_covering_officer_with_the_lightest_load(
    app: PoliceApp, staff: Staff
) -> None:
    both_cover_maarif(app, staff)
    cases = [case_for(app, staff, n) for n in range(4)]
    for case_id in cases:
        follow_up(app, staff, case_id)
    # Equal loads at first: the smallest id, then whoever was given work the longest ago.
    first = min((staff.hygiene_officer, staff.hygiene_officer_2), key=str)
    other = staff.hygiene_officer_2 if first == staff.hygiene_officer else staff.hygiene_officer
    assert [officer_of(app, c) for c in cases] == [first, other, first, other]
    assert (app.get_case(cases[0]).follow_up or {}).get("officer_id") == first
    assert app.roster("hygiene").loads(app.planning_rules) == {first: 2, other: 2}


def test_an_officer_not_covering_the_arrondissement_is_not_given_its_visits(
    app: PoliceApp, staff: Staff
) -> None:
    app.set_coverage(staff.hygiene_chief, "hygiene", staff.hygiene_officer, ["maarif"])
    app.set_coverage(staff.hygiene_chief, "hygiene", staff.hygiene_officer_2, ["ain_chock"])
    cases = [case_for(app, staff, n) for n in range(3)]
    for case_id in cases:
        follow_up(app, staff, case_id)
    assert {officer_of(app, c) for c in cases} == {staff.hygiene_officer}
    elsewhere = case_for(app, staff, 9, AIN_CHOCK)
    follow_up(app, staff, elsewhere)
    assert officer_of(app, elsewhere) == staff.hygiene_officer_2


def test_an_arrondissement_no_one_covers_goes_to_the_lightest_of_the_roster(
    app: PoliceApp, staff: Staff
) -> None:
    app.set_coverage(staff.hygiene_chief, "hygiene", staff.hygiene_officer, ["anfa"])
    app.set_coverage(staff.hygiene_chief, "hygiene", staff.hygiene_officer_2, ["anfa"])
    busy = case_for(app, staff, 1)
    follow_up(app, staff, busy, officer=staff.hygiene_officer)  # chosen by the supervisor
    second = case_for(app, staff, 2)
    follow_up(app, staff, second)
    assert officer_of(app, second) == staff.hygiene_officer_2


def test_a_site_visit_weighs_as_the_configuration_says() -> None:
    rules = PlanningRules.load()
    assert rules.load_of(["site_visit", "report", "follow_up", "campaign"]) == 5


def test_every_assignment_is_an_event_saying_who_and_how(app: PoliceApp, staff: Staff) -> None:
    both_cover_maarif(app, staff)
    case_id = case_for(app, staff, 1)
    follow_up(app, staff, case_id)
    given = officer_of(app, case_id)
    assert given is not None
    other = staff.hygiene_officer_2 if given == staff.hygiene_officer else staff.hygiene_officer
    app.reassign_visit(staff.hygiene_chief, "hygiene", f"follow_up:{case_id}", other)
    assigned = [
        e
        for e in app.events.get(Roster.create_id("hygiene"))
        if isinstance(e, Roster.VisitAssigned)
    ]
    assert [(e.officer_id, e.by_rule, e.actor_id, e.previous) for e in assigned] == [
        (given, True, staff.hygiene_chief, None),
        (other, False, staff.hygiene_chief, given),
    ]
    assert assigned[0].place["address"] == "112 boulevard Zerktouni"
    assert officer_of(app, case_id) == other


def test_the_inspection_made_for_a_follow_up_ticks_its_visit_off(
    app: PoliceApp, staff: Staff
) -> None:
    both_cover_maarif(app, staff)
    case_id = case_for(app, staff, 1)
    follow_up(app, staff, case_id, officer=staff.hygiene_officer)
    visit = builders.hygiene(subject=establishment(1), findings=(), follow_up_case_id=case_id)
    app.record_inspection(visit, staff.hygiene_officer)
    roster = app.roster("hygiene")
    assert not roster.is_open(f"follow_up:{case_id}")
    [done] = [e for e in app.events.get(roster.id) if isinstance(e, Roster.VisitDone)]
    assert (done.visit, done.inspection_id) == (f"follow_up:{case_id}", visit.submission_id)


def test_a_follow_up_rescheduled_is_given_anew_and_its_case_ending_withdraws_it(
    app: PoliceApp, staff: Staff
) -> None:
    both_cover_maarif(app, staff)
    case_id = case_for(app, staff, 1)
    follow_up(app, staff, case_id, officer=staff.hygiene_officer)
    follow_up(app, staff, case_id, officer=staff.hygiene_officer_2)
    assert officer_of(app, case_id) == staff.hygiene_officer_2
    assert app.roster("hygiene").loads(app.planning_rules)[staff.hygiene_officer] == 0
    app.change_case(DismissCase(case_id=case_id, reason="Erreur d'adresse"), staff.hygiene_chief)
    assert not app.roster("hygiene").is_open(f"follow_up:{case_id}")


def test_by_hand_the_follow_up_waits_for_the_supervisor(app: PoliceApp, staff: Staff) -> None:
    app.__dict__["planning_rules"] = replace(PlanningRules.load(), assignment="by_hand")
    both_cover_maarif(app, staff)
    case_id = case_for(app, staff, 1)
    follow_up(app, staff, case_id)
    assert app.roster("hygiene").is_open(f"follow_up:{case_id}")
    assert officer_of(app, case_id) is None
    app.reassign_visit(
        staff.hygiene_chief, "hygiene", f"follow_up:{case_id}", staff.hygiene_officer
    )
    assert officer_of(app, case_id) == staff.hygiene_officer


def test_a_report_dispatched_without_an_officer_goes_by_the_rule(
    app: PoliceApp, staff: Staff
) -> None:
    from tests.police.test_reports import car_on_sidewalk

    sent = app.submit_report(car_on_sidewalk())
    before = event_count(app)
    with pytest.raises(InvalidInput, match="tableau de service"):
        app.dispatch_report(staff.parking_chief, sent.number)
    assert event_count(app) == before
    app.set_coverage(staff.parking_chief, "parking", staff.parking_officer, ["sidi_belyout"])
    app.dispatch_report(staff.parking_chief, sent.number)
    report = app.find_report(sent.number)
    assert report is not None
    assert report.dispatch is not None
    assert report.dispatch["officer_id"] == staff.parking_officer
    assert app.roster("parking").officer_of(f"report:{sent.number}") == staff.parking_officer
    visit = builders.parking(report_number=sent.number, findings=())
    app.record_inspection(visit, staff.parking_officer)
    assert not app.roster("parking").is_open(f"report:{sent.number}")


def test_a_site_visit_goes_to_a_public_domain_officer_and_its_report_ticks_it(
    app: PoliceApp, staff: Staff
) -> None:
    from tests.police.test_applications import terrace_asked

    app.set_coverage(staff.odp_chief, "public_domain", staff.odp_officer, ["maarif"])
    submitted = app.submit_application(terrace_asked(app))
    app.request_site_visit(staff.permits_clerk, submitted.number, note="Mesurer le trottoir")
    key = f"{VisitKind.SITE_VISIT}:{submitted.number}"
    assert app.roster("public_domain").officer_of(key) == staff.odp_officer
    app.report_site_visit(
        staff.odp_officer, submitted.number, opinion="favourable", observations="Trottoir de 4 m."
    )
    assert not app.roster("public_domain").is_open(key)


def test_only_a_supervisor_of_the_brigade_sets_coverage_for_its_officers(
    app: PoliceApp, staff: Staff
) -> None:
    before = event_count(app)
    with pytest.raises(NotAllowed):
        app.set_coverage(staff.parking_chief, "hygiene", staff.hygiene_officer, ["maarif"])
    with pytest.raises(NotAllowed):
        app.set_coverage(staff.hygiene_officer, "hygiene", staff.hygiene_officer, ["maarif"])
    with pytest.raises(InvalidInput):
        app.set_coverage(staff.hygiene_chief, "hygiene", staff.parking_officer, ["maarif"])
    with pytest.raises(InvalidInput):
        app.set_coverage(staff.hygiene_chief, "hygiene", staff.hygiene_officer, ["atlantis"])
    assert event_count(app) == before


def test_a_file_refused_before_its_site_visit_takes_the_visit_out_of_the_day(
    app: PoliceApp, staff: Staff
) -> None:
    from tests.police.test_applications import terrace_asked

    app.set_coverage(staff.odp_chief, "public_domain", staff.odp_officer, ["maarif"])
    submitted = app.submit_application(terrace_asked(app))
    app.request_site_visit(staff.permits_clerk, submitted.number, note="Mesurer le trottoir")
    app.refuse_application(staff.permits_clerk, submitted.number, reasons="Trottoir trop étroit")
    key = f"{VisitKind.SITE_VISIT}:{submitted.number}"
    assert not app.roster("public_domain").is_open(key)
    [withdrawn] = [
        e
        for e in app.events.get(Roster.create_id("public_domain"))
        if isinstance(e, Roster.VisitWithdrawn)
    ]
    assert (withdrawn.visit, withdrawn.actor_id) == (key, staff.permits_clerk)


def test_a_long_roster_is_read_back_from_its_snapshot_by_a_fresh_application(
    app: PoliceApp, staff: Staff, store_env: dict[str, str]
) -> None:
    app.set_coverage(staff.hygiene_chief, "hygiene", staff.hygiene_officer, ["maarif"])
    place = {"arrondissement": "maarif", "address": "Rue 1", "lat": 33.58, "lon": -7.63}
    due = app.today() + timedelta(days=3)
    for n in range(110):  # past the roster's snapshot interval (100)
        roster, _ = app._plan_visit(
            staff.hygiene_chief, "hygiene", visit=f"report:R-{n}", kind=VisitKind.REPORT,
            label=f"R-{n}", place=place, due_on=due,
        )  # fmt: skip
        app.save(roster)
    assert app.snapshots is not None
    assert list(app.snapshots.get(Roster.create_id("hygiene")))
    fresh = PoliceApp(env=store_env)
    try:
        again = fresh.roster("hygiene")
        assert again.loads(fresh.planning_rules) == {staff.hygiene_officer: 110}
        assert again.visits["report:R-7"]["due_on"] == due
        assert again.officer_of("report:R-7") == staff.hygiene_officer
    finally:
        fresh.close()
