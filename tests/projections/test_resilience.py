"""The read models survive what production does to them: a worker killed mid-run resumes to the
same tables as an uninterrupted build; a rebuild equals the live tables row for row; an event no
projection knows stops the worker with its name and changes nothing; a command shows up live."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from eventsourcing.application import Application
from eventsourcing.domain import Aggregate

from police.app import PoliceApp
from police.commands import AssignCase, ValidateCase
from police.submission import Finding
from projections.projection import UnknownEvent
from projections.runner import EmbeddedProjections, Projector
from projections.schema import PROJECTIONS
from tests.police.builders import ZERKTOUNI, Staff, hygiene, opened_case, parking, public_domain
from tests.projections.conftest import rows, tables

WORKER = """
import signal, sys, threading
from projections.runner import Projector
projector = Projector(__import__("os").environ, page=int(sys.argv[1]))
stop = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: stop.set())
projector.run(stop)
"""


REBUILDER = """
import sys
from projections.projection import ReadModelProjection
from projections.runner import Projector
from projections.schema import PROJECTIONS

flush = ReadModelProjection.flush
def flush_and_say(self):  # one line per page written, so the test knows it is mid-way
    flush(self)
    print("page", flush=True)
ReadModelProjection.flush = flush_and_say
Projector(__import__("os").environ, page=int(sys.argv[1])).rebuild(PROJECTIONS)
print("done", flush=True)
"""


def busy_history(app: PoliceApp, staff: Staff, inspections: int) -> None:
    for n in range(inspections):
        if n % 3:
            app.record_inspection(parking(plate=f"{2000 + n}-B-6"), staff.parking_officer)
        else:
            case_id = opened_case(
                app,
                hygiene(
                    subject=hygiene().subject.__class__(
                        kind="establishment",
                        trade_name=f"Snack {n}",
                        ice=f"{n:09d}000089"[-15:].rjust(15, "0"),
                    )
                ),
                staff.hygiene_officer,
            )
            app.change_case(ValidateCase(case_id=case_id), staff.hygiene_chief)


def start_worker(store_env: dict[str, str], page: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-c", WORKER, str(page)],
        env=os.environ | store_env,
    )


@pytest.mark.slow
def test_a_worker_killed_mid_run_resumes_to_the_uninterrupted_tables(
    app: PoliceApp, staff: Staff, projector: Projector, store_env: dict[str, str]
) -> None:
    busy_history(app, staff, 60)
    head = projector.head()
    worker = start_worker(store_env, page=7)
    deadline = time.monotonic() + 60
    while not 0 < projector.position() < head // 2:
        assert time.monotonic() < deadline, "the worker made no progress"
        time.sleep(0.005)
    worker.send_signal(signal.SIGKILL)  # no clean-up of any kind
    worker.wait(timeout=10)
    stopped_at = projector.position()
    assert 0 < stopped_at < head

    resumed = start_worker(store_env, page=7)
    try:
        deadline = time.monotonic() + 60
        while projector.position() < head:
            assert time.monotonic() < deadline, "the restarted worker did not catch up"
            time.sleep(0.05)
    finally:
        resumed.terminate()
        resumed.wait(timeout=10)
    resumed_tables = tables(projector)

    projector.rebuild(PROJECTIONS)  # from scratch, uninterrupted
    assert tables(projector) == resumed_tables
    assert len(resumed_tables["rm_cases"]) == 60


@pytest.mark.slow
def test_a_rebuild_killed_half_way_leaves_the_tables_as_they_were_and_runs_again(
    app: PoliceApp, staff: Staff, projector: Projector, store_env: dict[str, str]
) -> None:
    busy_history(app, staff, 30)
    projector.catch_up()
    live = tables(projector)
    rebuild = subprocess.Popen(
        [sys.executable, "-c", REBUILDER, "5"],
        env=os.environ | store_env,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert rebuild.stdout is not None
    for _ in range(3):  # three pages of the rebuild written, more to come
        assert rebuild.stdout.readline() == "page\n"
    rebuild.send_signal(signal.SIGKILL)
    rebuild.wait(timeout=10)
    rebuild.stdout.close()

    assert tables(projector) == live  # the half-done rebuild was rolled back, nothing half-built
    assert projector.position() == projector.head()
    again = subprocess.run(
        [sys.executable, "-c", REBUILDER, "5"],
        env=os.environ | store_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert again.stdout.endswith("done\n"), again.stderr
    assert tables(projector) == live


def test_rebuilding_one_projection_gives_the_live_rows_back(
    app: PoliceApp, staff: Staff, projector: Projector
) -> None:
    busy_history(app, staff, 12)
    projector.catch_up()
    live = tables(projector)
    for name in PROJECTIONS:
        replayed = projector.rebuild([name])
        assert replayed == projector.position()
        assert tables(projector) == live, name


def test_two_projectors_taking_turns_give_the_rows_of_one(
    app: PoliceApp, staff: Staff, projector: Projector, store_env: dict[str, str]
) -> None:
    """What one projector keeps in memory (cases, a subject's brigades) must not outlive pages
    another projector wrote meanwhile: each case and subject below changes under both."""
    other = Projector(store_env)
    try:
        case_id = opened_case(app, hygiene(), staff.hygiene_officer)
        projector.catch_up()
        app.change_case(ValidateCase(case_id=case_id), staff.hygiene_chief)
        odp = public_domain(subject=hygiene().subject, findings=(Finding("ODP-03", Decimal(2)),))
        app.record_inspection(odp, staff.odp_officer)
        other.catch_up()  # the validation and the second brigade, unseen by the first projector
        app.change_case(
            AssignCase(case_id=case_id, officer_id=staff.hygiene_officer_2), staff.hygiene_chief
        )
        elsewhere = replace(ZERKTOUNI, address="Boulevard d'Anfa", lat=33.5955, lon=-7.6501)
        app.record_inspection(hygiene(location=elsewhere), staff.hygiene_officer)
        projector.catch_up()
    finally:
        other.close()
    [case] = rows(projector, "SELECT status FROM rm_cases WHERE case_id = :id", id=str(case_id))
    assert case["status"] == "validated"
    [subject] = rows(projector, "SELECT cases, brigades FROM rm_subjects")
    assert (subject["cases"], subject["brigades"]) == (3, "hygiene,public_domain")
    live = tables(projector)
    projector.rebuild(PROJECTIONS)
    assert tables(projector) == live


def test_an_unknown_event_stops_the_projection_naming_it_and_changes_nothing(
    app: PoliceApp, staff: Staff, projector: Projector, store_env: dict[str, str]
) -> None:
    app.record_inspection(parking(), staff.parking_officer)
    projector.catch_up()
    before, position = tables(projector), projector.position()

    intruder = Intruder(env=store_env)
    intruder.save(Stray())  # the same log, an event kind no projection knows
    intruder.close()
    app.record_inspection(parking(plate="9-A-6"), staff.parking_officer)

    with pytest.raises(UnknownEvent, match=r"Stray\.Created.*projection stopped, nothing skipped"):
        projector.catch_up()
    assert projector.position() == position
    assert tables(projector) == before


class Intruder(Application[uuid.UUID]):
    name = "police"


class Stray(Aggregate):
    """An aggregate the read models were never taught about."""


def test_a_command_is_visible_in_the_read_models_within_a_second(
    app: PoliceApp, staff: Staff, store_env: dict[str, str]
) -> None:
    embedded = EmbeddedProjections(store_env)
    embedded.start()
    embedded.start()  # an app started twice in one process: still one projecting thread
    try:
        assert [t.name for t in threading.enumerate()].count("read-models") == 1
        lags = []
        for n in range(5):
            receipt = app.record_inspection(parking(plate=f"{n + 1}-A-6"), staff.parking_officer)
            # From the moment it is saved: the command's own time (the first ticket's PDF,
            # rendered with WeasyPrint's fonts still cold, takes most of a second) is not lag.
            started = datetime.now(UTC)
            assert embedded.projector.wait_for(app.recorder.max_notification_id() or 0, timeout=1.0)
            lags.append((datetime.now(UTC) - started).total_seconds())
            found = rows(
                embedded.projector,
                "SELECT status FROM rm_cases WHERE case_id = :id",
                id=str(receipt.case_id),
            )
            assert found == [{"status": "notified"}]
        assert max(lags) < 1.0
    finally:
        embedded.stop()
    assert embedded.error is None
