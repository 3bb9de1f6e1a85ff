"""The ``reports`` read model after residents' and supervisors' commands, on SQLite and
PostgreSQL: the duplicate prompt (open reports of a category within 50 m, nearest first), the
triage queue oldest first with what is late, each report's status as the report words it, the
officer's visits, the figures, and a rebuild giving the same rows."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from police import clock
from police.app import PoliceApp
from projections.queries import ReadModels
from projections.runner import Projector
from tests.police import builders
from tests.police.builders import Staff
from tests.police.test_reports import SIDEWALK, car_on_sidewalk
from tests.projections.conftest import tables

# About 30 m north of SIDEWALK, and about 80 m north.
NEAR = replace(SIDEWALK, lat=SIDEWALK.lat + 0.00027)  # type: ignore[operator]
FAR = replace(SIDEWALK, lat=SIDEWALK.lat + 0.00072)  # type: ignore[operator]


def reports(app: PoliceApp, staff: Staff) -> dict[str, str]:
    """One report in each status; the first, a week old, is past its triage deadline."""
    chief = staff.parking_chief
    with clock.frozen_at(datetime.now(UTC) - timedelta(days=7)):
        old = app.submit_report(car_on_sidewalk()).number
    numbers = {"received": old}
    numbers["planned"] = app.submit_report(car_on_sidewalk(location=NEAR)).number
    app.dispatch_report(chief, numbers["planned"], officer_id=staff.parking_officer)
    numbers["duplicate"] = app.submit_report(car_on_sidewalk()).number
    app.merge_report(chief, numbers["duplicate"], original=old)
    numbers["not_for_service"] = app.submit_report(car_on_sidewalk()).number
    app.refuse_report(chief, numbers["not_for_service"], reason="Voie privée")
    numbers["infraction_found"] = app.submit_report(car_on_sidewalk(location=FAR)).number
    app.dispatch_report(chief, numbers["infraction_found"], officer_id=staff.parking_officer)
    app.record_inspection(
        builders.parking(report_number=numbers["infraction_found"]), staff.parking_officer
    )
    numbers["no_infraction"] = app.submit_report(car_on_sidewalk(location=FAR)).number
    app.dispatch_report(chief, numbers["no_infraction"], officer_id=staff.parking_officer)
    app.record_inspection(
        builders.parking(findings=(), report_number=numbers["no_infraction"]),
        staff.parking_officer,
    )
    return numbers


def test_each_row_says_what_its_report_says(
    app: PoliceApp, staff: Staff, projector: Projector
) -> None:
    numbers = reports(app, staff)
    projector.catch_up()
    models = ReadModels(projector.store, app.today)
    for status, number in numbers.items():
        row = models.report_row(number)
        report = app.find_report(number)
        assert row is not None
        assert report is not None
        assert row.status == report.status.value == status
        assert row.is_open == report.is_open
    found = models.report_row(numbers["infraction_found"])
    assert found is not None
    assert found.case_reference is not None
    assert found.case_reference.startswith("STA-")


def test_the_duplicate_prompt_lists_open_reports_of_the_category_within_50_m(
    app: PoliceApp, staff: Staff, projector: Projector
) -> None:
    numbers = reports(app, staff)
    app.submit_report(car_on_sidewalk(category="parking-double"))  # same place, other category
    projector.catch_up()
    models = ReadModels(projector.store, app.today)
    near = models.reports_near("parking-sidewalk", SIDEWALK.lat or 0, SIDEWALK.lon or 0)
    # Open only (received, planned), nearest first; the one 80 m away and the closed left out.
    assert [r.number for r in near] == [numbers["received"], numbers["planned"]]
    assert [r.distance_m for r in near] == [0, 30]
    assert near[0].description == "Une voiture grise garée sur le trottoir depuis ce matin."


def test_the_triage_queue_lists_untriaged_reports_oldest_first_with_the_late_flagged(
    app: PoliceApp, staff: Staff, projector: Projector
) -> None:
    numbers = reports(app, staff)
    fresh = app.submit_report(car_on_sidewalk()).number
    app.submit_report(car_on_sidewalk(category="hygiene-noise"))  # another brigade's
    projector.catch_up()
    models = ReadModels(projector.store, app.today)
    queue = models.report_queue({"parking"})
    assert [(r.number, r.late) for r in queue] == [(numbers["received"], True), (fresh, False)]
    assert [r.number for r in models.report_visits(str(staff.parking_officer))] == [
        numbers["planned"]
    ]
    assert models.report_visits(str(staff.hygiene_officer)) == []


def test_the_figures_count_triage_in_time_cases_and_days_to_inspection(
    app: PoliceApp, staff: Staff, projector: Projector
) -> None:
    reports(app, staff)
    projector.catch_up()
    (kpi,) = ReadModels(projector.store, app.today).report_kpis({"parking"})
    assert (kpi.brigade, kpi.received, kpi.triaged, kpi.late) == ("parking", 6, 5, 1)
    assert kpi.triaged_in_time == 1.0
    assert kpi.led_to_case == 0.5
    assert kpi.median_days_to_inspection == 0.0


def test_a_rebuilt_report_table_has_the_same_rows(
    app: PoliceApp, staff: Staff, projector: Projector
) -> None:
    reports(app, staff)
    projector.catch_up()
    before = tables(projector)["rm_reports"]
    projector.rebuild(["reports"])
    assert tables(projector)["rm_reports"] == before
