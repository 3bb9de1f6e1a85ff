"""What the projector answers and does at the edges: an empty log, an idle step, another
projector writing the same page, a rebuild repairing damaged tables, an event it cannot
handle while running."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from eventsourcing.persistence import OperationalError

from police.app import PoliceApp
from police.commands import ValidateCase
from projections.projection import UnknownEvent
from projections.runner import Projector
from projections.schema import PROJECTIONS
from tests.police.builders import Staff, hygiene, opened_case, parking
from tests.projections.conftest import rows, tables
from tests.projections.test_resilience import Intruder, Stray


def test_on_an_empty_log_the_projector_is_at_the_start_with_no_lag(
    store_env: dict[str, str],
) -> None:
    fresh = Projector(store_env)
    try:
        assert (fresh.position(), fresh.lag()) == (0, 0)
    finally:
        fresh.close()


def test_an_idle_step_applies_nothing(app: PoliceApp, staff: Staff, projector: Projector) -> None:
    app.record_inspection(hygiene(), staff.hygiene_officer)
    projector.catch_up()
    assert projector.step() == 0


def test_a_projector_beaten_to_the_same_page_leaves_it_to_the_other(
    app: PoliceApp,
    staff: Staff,
    projector: Projector,
    store_env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app.record_inspection(parking(), staff.parking_officer)
    projector.catch_up()
    app.record_inspection(parking(plate="77777-B-1"), staff.parking_officer)
    slow = Projector(store_env)
    try:
        read = slow.log.recorder.select_notifications

        def beaten(*args: Any, **kwargs: Any) -> Any:
            page = read(*args, **kwargs)
            projector.step()  # the other projector writes exactly this page meanwhile
            return page

        monkeypatch.setattr(slow.log.recorder, "select_notifications", beaten)
        assert slow.step() == 0
        assert slow.position() == projector.position() == app.recorder.max_notification_id()
    finally:
        slow.close()


def test_a_rebuild_repairs_damaged_tables(
    app: PoliceApp, staff: Staff, projector: Projector
) -> None:
    case_id = app.record_inspection(hygiene(), staff.hygiene_officer).case_id
    position = projector.catch_up()
    live = tables(projector)
    with projector.store.batch(position + 1000) as writer:  # a stray write, past the log
        writer.execute("DELETE FROM rm_cases")
    assert rows(projector, "SELECT case_id FROM rm_cases") == []
    # Every event of the log up to the tracked position, each replayed once (ids are 1..n).
    assert projector.rebuild(["cases"]) == position == app.recorder.max_notification_id()
    assert projector.rebuild([]) == 0  # nothing chosen: nothing replayed
    assert rows(projector, "SELECT case_id FROM rm_cases") == [{"case_id": str(case_id)}]
    assert tables(projector) == live


def test_an_event_no_projection_knows_stops_the_running_projector_with_its_error(
    app: PoliceApp, staff: Staff, projector: Projector, store_env: dict[str, str]
) -> None:
    intruder = Intruder(env=store_env)
    intruder.save(Stray())
    intruder.close()
    with pytest.raises(UnknownEvent, match=r"Stray\.Created"):
        projector.run(threading.Event())


def test_a_page_that_failed_half_way_is_applied_again_as_if_for_the_first_time(
    app: PoliceApp,
    staff: Staff,
    projector: Projector,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    case_id = opened_case(app, hygiene(), staff.hygiene_officer)
    projector.catch_up()
    app.change_case(ValidateCase(case_id=case_id), staff.hygiene_chief)
    app.record_inspection(parking(), staff.parking_officer)
    flush = projector.projection.flush

    def lost_connection() -> None:
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(projector.projection, "flush", lost_connection)
    with pytest.raises(OperationalError):
        projector.step()  # the events were applied in memory, then the batch rolled back
    monkeypatch.setattr(projector.projection, "flush", flush)
    projector.catch_up()
    live = tables(projector)
    projector.rebuild(PROJECTIONS)  # the log replayed once, from scratch
    assert tables(projector) == live
