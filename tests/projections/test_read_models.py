"""Each read model's rows after a scripted history of commands, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from police.aggregates.case import Case
from police.app import PoliceApp
from police.commands import RecordPayment, ReleaseVehicle
from projections.queries import CaseFilters, ReadModels
from projections.runner import Projector
from tests.police.builders import Staff, hygiene, parking
from tests.projections.conftest import history, rows


def test_cases_timeline_subjects_stats_and_inspections_follow_the_log(
    app: PoliceApp, staff: Staff, projector: Projector, tmp_path: Path
) -> None:
    h = history(app, staff, tmp_path)
    projector.catch_up()
    models = ReadModels(projector.store, app.today)
    cafe, ticket = h["cafe"], h["ticket"]

    row = models.case(str(cafe.case_id))
    assert row is not None
    assert (row.reference, row.status, row.brigade) == (cafe.case_reference, "validated", "hygiene")
    assert row.subject_label == "Café Atlas"
    assert row.subject_key == "ice:001234567000089"
    assert row.assignee_id == str(staff.hygiene_officer_2)
    assert row.assignee_name == "Agent Hygiene2"
    assert (row.inspections, row.photos) == (1, 1)
    assert row.deadline is not None
    assert not row.overdue

    paid = models.case(str(ticket.case_id))
    assert paid is not None
    assert paid.status == "closed"
    assert paid.fine_paid == paid.fine_due > 0
    assert not paid.is_open

    lines = models.timeline(str(cafe.case_id))
    assert [line.kind for line in lines] == ["Opened", "Validated", "Assigned"]
    assert lines[1].event is Case.Validated
    assert lines[1].values == {"note": "Constat confirmé"}
    assert lines[1].actor_name == "Chef Hygiene"

    plate = rows(projector, "SELECT * FROM rm_subjects WHERE label = :label", label="48213-B-6")
    assert plate[0]["cases"] == 2

    counts = models.status_counts(CaseFilters())
    assert counts == {"validated": 1, "closed": 1, "notified": 1}
    kpis = {(k.brigade, k.arrondissement): k for k in models.overview()}
    parking_kpi = kpis[("parking", "sidi_belyout")]
    assert parking_kpi.open == 1
    assert parking_kpi.resolved_this_month == 1
    assert parking_kpi.average_days_to_resolution == 0
    assert parking_kpi.fines_collected == paid.fine_due
    assert parking_kpi.fines_imposed == paid.fine_due * 2

    day = models.officer_day(str(staff.parking_officer), app.today())
    assert [i.case_reference for i in day] == [h["again"].case_reference, ticket.case_reference]
    assert models.follow_ups_for(str(staff.hygiene_officer_2))[0].case_id == str(cafe.case_id)

    features = models.map_features(CaseFilters(brigades=("hygiene",)))["features"]
    assert [f["properties"]["reference"] for f in features] == [cafe.case_reference]


def test_the_case_list_filters_sorts_searches_and_pages(
    app: PoliceApp, staff: Staff, projector: Projector
) -> None:
    plates = [f"{1000 + n}-A-6" for n in range(7)]
    for plate in plates:
        app.record_inspection(parking(plate=plate), staff.parking_officer)
    app.record_inspection(hygiene(), staff.hygiene_officer)
    projector.catch_up()
    models = ReadModels(projector.store, app.today)

    first = models.case_list(
        CaseFilters(brigades=("parking",)), sort="subject", direction="asc", per_page=3
    )
    assert first.total == 7
    assert first.pages == 3
    assert [r.subject_label for r in first.rows] == plates[:3]
    last = models.case_list(
        CaseFilters(brigades=("parking",)), sort="subject", direction="asc", page=3, per_page=3
    )
    assert [r.subject_label for r in last.rows] == plates[6:]
    assert models.case_list(CaseFilters(text="1003-a")).rows[0].subject_label == "1003-A-6"
    assert models.case_list(CaseFilters(text="café atlas")).total == 1
    assert models.case_list(CaseFilters(text="%")).total == 8  # a wildcard is not a pattern
    assert models.case_list(CaseFilters(brigades=("hygiene",), arrondissement="anfa")).total == 0
    hostile = models.case_list(CaseFilters(), sort="reference; DROP TABLE rm_cases", direction="x")
    assert hostile.total == 8  # an unknown sort falls back to the default


def test_an_overdue_case_is_flagged_once_its_deadline_passes(
    app: PoliceApp, staff: Staff, projector: Projector
) -> None:
    cafe = app.record_inspection(hygiene(), staff.hygiene_officer)
    projector.catch_up()
    models = ReadModels(projector.store, lambda: app.today() + timedelta(days=60))
    assert models.case_list(CaseFilters(overdue=True)).rows[0].case_id == str(cafe.case_id)
    assert models.overview()[0].overdue == 1
    assert ReadModels(projector.store, app.today).case_list(CaseFilters(overdue=True)).total == 0


def test_counting_stops_past_the_cap_and_says_so(
    app: PoliceApp, staff: Staff, projector: Projector, monkeypatch: pytest.MonkeyPatch
) -> None:
    import projections.queries.cases as queries

    monkeypatch.setattr(queries, "COUNT_CAP", 3)
    for n in range(5):
        app.record_inspection(parking(plate=f"{500 + n}-A-6"), staff.parking_officer)
    projector.catch_up()
    page = ReadModels(projector.store, app.today).case_list(CaseFilters(), per_page=2)
    assert (page.total, page.more, len(page.rows)) == (3, True, 2)
    assert ReadModels(projector.store, app.today).status_counts(CaseFilters()) == {"notified": 5}


def test_a_clamped_vehicle_is_held_in_its_case_row_until_released(
    app: PoliceApp, staff: Staff, projector: Projector
) -> None:
    clamped = app.record_inspection(parking(measures=("clamp",)), staff.parking_officer)
    assert clamped.case_id is not None
    plain = app.record_inspection(parking(plate="77-A-6"), staff.parking_officer)
    projector.catch_up()
    models = ReadModels(projector.store, app.today)

    def held() -> dict[str, bool]:
        rows = [models.case(str(r.case_id)) for r in (clamped, plain)]
        return {row.subject_label: row.vehicle_held for row in rows if row is not None}

    assert held() == {"12345-A-6": True, "77-A-6": False}
    due = app.get_case(clamped.case_id).balance
    app.change_case(
        RecordPayment(
            case_id=clamped.case_id, amount=due, receipt_number="Q-9", paid_on=app.today()
        ),
        staff.legal,
    )
    projector.catch_up()
    assert held() == {"12345-A-6": True, "77-A-6": False}  # paid, still in the pound
    app.change_case(
        ReleaseVehicle(case_id=clamped.case_id, released_on=app.today(), released_to="M. Alami"),
        staff.parking_chief,
    )
    projector.catch_up()
    assert held() == {"12345-A-6": False, "77-A-6": False}
