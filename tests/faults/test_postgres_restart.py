"""PostgreSQL restarted (immediate stop: connections cut mid-transaction) while officers send
inspections and a supervisor reads the case list. Meanwhile users get a clear 503, never a 500;
phones resend the same submission; at the end each submission is recorded exactly once and the
read models hold every case. Runs on a private server so the shared one is never disturbed."""

from __future__ import annotations

import collections
import itertools
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest
from eventsourcing.utils import get_topic
from starlette.testclient import TestClient

from police.aggregates.inspection import Inspection
from police.app import open_app
from police.log import notifications
from police.settings import Settings
from tests.faults.street import officers_logged_in, parking_submission
from tests.police.builders import staff_of
from tests.postgres_instance import PrivatePostgres, available
from tests.web.conftest import log_in, services_of
from web.app import create_app

pytestmark = [pytest.mark.slow, pytest.mark.postgres]
OFFICERS = 3


@pytest.fixture
def server() -> Iterator[PrivatePostgres]:
    missing = available()
    if missing:  # bin/setup installs the server packages: their absence is a broken set-up
        pytest.fail(f"{missing}; run bin/setup")
    running = PrivatePostgres().start()
    yield running
    running.stop()


def test_a_database_restart_under_load_loses_and_duplicates_nothing(
    server: PrivatePostgres, tmp_path: Path
) -> None:
    settings = Settings.from_env(
        {
            "POLICE_DATA_DIR": str(tmp_path),
            "POSTGRES_HOST": "127.0.0.1",
            "POSTGRES_PORT": str(server.port),
            "POSTGRES_DBNAME": "postgres",
            "POSTGRES_USER": "postgres",
            "POSTGRES_CONNECT_TIMEOUT": "1",  # an outage is reported after ~10 s
        }
    )
    police = open_app(settings)
    staff_of(police)
    statuses: list[int] = []
    unclear: list[str] = []
    accepted: list[str] = []
    with TestClient(create_app(settings, police=police), follow_redirects=False) as client:
        sessions = officers_logged_in(client, OFFICERS)
        client.cookies.clear()
        log_in(client, "chef.stationnement")

        def answered(response: httpx.Response, ok: tuple[int, ...]) -> bool:
            status = response.status_code
            statuses.append(status)
            if status in ok:
                return True
            if "ne répond pas" not in response.text:
                unclear.append(f"{status}: {response.text[:300]}")
            return False

        def officer(n: int, stop: threading.Event) -> None:
            token, cookies = sessions[n]
            own = TestClient(client.app, follow_redirects=False, cookies=cookies)
            for k in itertools.count():
                if stop.is_set():
                    return
                form = parking_submission(token, n, k)
                while True:  # the outbox keeps trying, even after the end of the shift
                    response = own.post(
                        "/officer/inspections", data=form, headers={"Accept": "application/json"}
                    )
                    if answered(response, (200, 303)):
                        accepted.append(form["submission_id"])
                        break
                    time.sleep(0.2)

        def supervisor(stop: threading.Event) -> None:
            while not stop.is_set():
                answered(client.get("/cases"), (200,))
                time.sleep(0.1)

        stop = threading.Event()
        threads = [threading.Thread(target=officer, args=(n, stop)) for n in range(OFFICERS)]
        threads.append(threading.Thread(target=supervisor, args=(stop,)))
        for t in threads:
            t.start()
        deadline = time.monotonic() + 60
        while len(accepted) < 3:
            assert time.monotonic() < deadline, f"nothing accepted: {statuses} {unclear}"
            time.sleep(0.05)
        server.restart(down_for=15.0)  # longer than the app rides through: felt by users
        time.sleep(3)  # and the load goes on a while after it is back
        stop.set()
        for t in threads:
            t.join(timeout=240)

        assert 503 in statuses, (
            collections.Counter(statuses),
            len(accepted),
        )  # the outage was felt...
        assert 500 not in statuses  # ...and always explained
        assert not unclear
        assert len(set(accepted)) == len(accepted) > 3
        recorded = [
            str(n.originator_id) for n in notifications(police, [get_topic(Inspection.Recorded)])
        ]
        assert sorted(recorded) == sorted(accepted)  # once each, none lost
        projector = services_of(client).projector
        head = police.recorder.max_notification_id() or 0
        caught_up = projector.wait_for(head, timeout=60)
        assert caught_up, (projector.position(), head, client.get("/readyz").json())
        with projector.store.reader() as r:
            [row] = r.query("SELECT COUNT(*) AS n FROM rm_cases WHERE brigade = 'parking'")
        assert row["n"] == len(accepted)
    police.close()
