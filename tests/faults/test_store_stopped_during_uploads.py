"""The S3 server stops while officers are sending inspections with photos, then comes back.
Meanwhile each officer gets a clear 503 (never a 500) and the phone sends the same submission
again, as its outbox does; at the end every submission is recorded exactly once and every photo
an event names is in the store with the recorded hash."""

from __future__ import annotations

import io
import threading
import time
from pathlib import Path

import pytest
from eventsourcing.utils import get_topic as topic_of
from starlette.testclient import TestClient

from police.aggregates.case import Case
from police.aggregates.inspection import Inspection
from police.app import PoliceApp
from police.log import notifications
from police.verification import VerificationReport, verify_objects
from storage import ObjectStore, StorageError, open_store
from tests.conftest import app_settings_on_s3, police_on
from tests.faults.street import officers_logged_in, parking_submission
from tests.police.builders import Staff
from tests.seaweed import SeaweedS3
from tests.storage import photos
from web.app import create_app

pytestmark = [pytest.mark.slow, pytest.mark.s3]
OFFICERS, SUBMISSIONS = 3, 6


def verified(police: PoliceApp, store: ObjectStore) -> VerificationReport:
    """``police verify``, once the restarted server answers reads again (SeaweedFS says
    "internal error, try again" for a moment after it starts)."""
    deadline = time.monotonic() + 30
    while True:
        try:
            return verify_objects(police, store)
        except StorageError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def test_uploads_while_the_store_stops_and_restarts_lose_and_duplicate_nothing(
    tmp_path: Path, store_env: dict[str, str], staff: Staff
) -> None:
    server = SeaweedS3(tmp_path / "weed").start()
    settings = app_settings_on_s3(tmp_path, server)
    police = police_on(store_env, open_store(settings.objects))
    statuses: list[int] = []
    unclear: list[str] = []
    accepted: list[str] = []
    try:
        with TestClient(create_app(settings, police=police), follow_redirects=False) as client:
            tokens = officers_logged_in(client, OFFICERS)

            def officer(n: int) -> None:
                token, cookies = tokens[n]
                # No ``with``: the app's lifespan (and its projector) is the main client's.
                own = TestClient(client.app, follow_redirects=False, cookies=cookies)
                for k in range(SUBMISSIONS):
                    form = parking_submission(token, n, k)
                    photo = photos.jpeg_with_exif()
                    for _attempt in range(100):  # the outbox keeps trying
                        response = own.post(
                            "/officer/inspections",
                            data=form,
                            files=[("photos", ("a.jpg", io.BytesIO(photo), "image/jpeg"))],
                            headers={"Accept": "application/json"},
                        )
                        statuses.append(response.status_code)
                        if response.status_code in (200, 303):
                            accepted.append(form["submission_id"])
                            break
                        if "ne répond pas" not in response.text:
                            unclear.append(response.text[:200])
                        time.sleep(0.3)

            threads = [threading.Thread(target=officer, args=(n,)) for n in range(OFFICERS)]
            for t in threads:
                t.start()
            deadline = time.monotonic() + 60
            while len(accepted) < 2:
                assert time.monotonic() < deadline, f"nothing accepted: {statuses}"
                time.sleep(0.05)
            server.stop()  # mid-way: some uploads in flight, others about to start
            time.sleep(3)
            server.start()
            for t in threads:
                t.join(timeout=240)
        report = verified(police, open_store(settings.objects))
        recorded = [n.originator_id for n in notifications(police, [topic_of(Inspection.Recorded)])]
        # Each ticket's avis, when the store took it at recording (else the desk's batch will).
        avis = sum(1 for _ in notifications(police, [topic_of(Case.NoticeIssued)]))
    finally:
        server.stop()
        police.close()

    assert 503 in statuses  # the outage was felt...
    assert 500 not in statuses  # ...and answered clearly
    assert not unclear
    assert len(accepted) == OFFICERS * SUBMISSIONS
    assert sorted(str(i) for i in recorded) == sorted(accepted)  # once each, none lost
    assert report.checked == OFFICERS * SUBMISSIONS + avis  # every photo, every notice
    assert 0 < avis <= OFFICERS * SUBMISSIONS
    assert not report.missing
    assert not report.altered
