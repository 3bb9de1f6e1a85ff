"""The ``applications`` read model after applicants' and the permits office's commands, on
SQLite and PostgreSQL: the queue oldest first with what is late, each file's status as the
file itself words it, the site visits to make, the renewals to remind, the figures per kind,
and a rebuild giving the same rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from police import clock
from police.app import PoliceApp
from projections.queries import ReadModels
from projections.runner import Projector
from tests.police.builders import Staff
from tests.police.test_applications import fined, terrace_asked
from tests.projections.conftest import tables


def files(app: PoliceApp, staff: Staff) -> dict[str, str]:
    """One file in each status; the first, 40 days old, is past its 30-day deadline."""
    clerk = staff.permits_clerk
    with clock.frozen_at(datetime.now(UTC) - timedelta(days=40)):
        old = app.submit_application(terrace_asked(app)).number
    numbers = {"received": old}
    numbers["incomplete"] = app.submit_application(terrace_asked(app)).number
    app.request_documents(clerk, numbers["incomplete"], missing="Plan")
    numbers["site_visit"] = app.submit_application(terrace_asked(app, kind="display")).number
    app.request_site_visit(clerk, numbers["site_visit"], note="Mesurer")
    numbers["under_review"] = app.submit_application(terrace_asked(app)).number
    app.request_site_visit(clerk, numbers["under_review"], note="")
    app.report_site_visit(
        staff.odp_officer, numbers["under_review"], opinion="favourable", observations="RAS"
    )
    numbers["refused"] = app.submit_application(terrace_asked(app)).number
    app.refuse_application(clerk, numbers["refused"], reasons="Trottoir étroit")
    today = app.today()
    numbers["granted"] = app.submit_application(
        terrace_asked(app, valid_from=today, valid_until=today + timedelta(days=20))
    ).number
    permit = app.grant_application(clerk, numbers["granted"], fee=Decimal("500"))
    app.record_permit_payment(staff.legal, permit, receipt_number="Q-7", amount_paid=Decimal("500"))
    fined(app, staff)  # Café Atlas owes a fine from now on
    numbers["held"] = app.submit_application(terrace_asked(app)).number
    return numbers


def test_the_queue_shows_open_files_oldest_first_with_their_status(
    app: PoliceApp, staff: Staff, projector: Projector
) -> None:
    numbers = files(app, staff)
    projector.catch_up()
    models = ReadModels(projector.store, app.today)
    queue = models.application_queue()
    assert [r.number for r in queue] == [
        numbers[s] for s in ("received", "incomplete", "site_visit", "under_review", "held")
    ]
    assert [r.late for r in queue] == [True, False, False, False, False]
    decided = models.application_queue(decided=True)
    assert {r.number for r in decided} == {numbers["refused"], numbers["granted"]}
    for status, number in numbers.items():
        row = models.application(number)
        assert row is not None
        found = app.find_application(number)
        assert found is not None
        assert row.status == status == found.status.value
    granted = models.application(numbers["granted"])
    assert granted is not None
    assert (granted.fee, granted.paid) == (Decimal("500.00"), True)
    assert [r.number for r in models.site_visits()] == [numbers["site_visit"]]


def test_the_renewal_of_a_paid_permit_ending_within_30_days_is_reminded_once(
    app: PoliceApp, staff: Staff, projector: Projector
) -> None:
    numbers = files(app, staff)
    projector.catch_up()
    models = ReadModels(projector.store, app.today)
    assert models.renewals_to_remind() == [numbers["granted"]]
    assert app.remind_renewal(numbers["granted"], lambda a, p, s: None)
    projector.catch_up()
    assert models.renewals_to_remind() == []


def test_the_figures_per_kind_count_decisions_and_their_delays(
    app: PoliceApp, staff: Staff, projector: Projector
) -> None:
    files(app, staff)
    projector.catch_up()
    kpis = {k.kind: k for k in ReadModels(projector.store, app.today).application_kpis()}
    terrace, display = kpis["terrace"], kpis["display"]
    assert (terrace.received, terrace.decided) == (6, 2)
    assert terrace.median_days == 0.0
    assert terrace.within_deadline == 1.0
    assert (display.received, display.decided, display.median_days) == (1, 0, None)
    assert display.within_deadline is None


def test_a_rebuilt_queue_has_the_same_rows(
    app: PoliceApp, staff: Staff, projector: Projector
) -> None:
    files(app, staff)
    projector.catch_up()
    before = tables(projector)["rm_applications"]
    projector.rebuild(["applications"])
    assert tables(projector)["rm_applications"] == before
