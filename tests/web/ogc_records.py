"""Records for the OGC API's tests: inspections that open cases at known places and times, and
the app served by a real uvicorn in a thread (as the browser tests serve it), for a real OGC
client to read."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from uuid import UUID

import uvicorn
from starlette.applications import Starlette

from police import clock
from police.app import PoliceApp
from police.identifiers import SubjectInput
from police.submission import Location
from tests.police.builders import Staff, hygiene, opened_case
from web.state import Services

# Three days, at 10:00 UTC: the opening time of the cases recorded on each.
DAYS = [datetime(2026, 11, d, 10, 0, tzinfo=UTC) for d in (20, 21, 22)]
ZERKTOUNI = (33.5861, -7.6329)
AIN_SEBAA = (33.6050, -7.5350)  # far to the east of the box around Zerktouni
AROUND_ZERKTOUNI = (-7.64, 33.58, -7.62, 33.59)  # west, south, east, north


def hygiene_case(
    police: PoliceApp, staff: Staff, n: int, at: datetime, where: tuple[float, float]
) -> UUID:
    """A hygiene inspection of café number ``n``, observed a minute before ``at``, that opens
    its case at ``at``."""
    lat, lon = where
    submission = hygiene(
        observed_at=at - timedelta(minutes=1),
        location=Location(
            arrondissement="maarif", address=f"{n} rue Zerktouni", lat=lat, lon=lon, accuracy_m=6
        ),
        subject=SubjectInput(
            kind="establishment",
            trade_name=f"Café Secret {n}",
            ice=f"{n + 1:015d}",
            activity="Café",
        ),
    )
    with clock.frozen_at(at):
        return opened_case(police, replace(submission, sent_at=at), staff.hygiene_officer)


def projected(app: Starlette, police: PoliceApp) -> None:
    """Waits until the read models hold every event recorded so far."""
    services = app.state.services
    assert isinstance(services, Services)
    head = police.recorder.max_notification_id() or 0
    services.projector.wait_for(head, 10.0)
    assert services.projector.position() >= head


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def served(app: Starlette) -> Iterator[str]:
    """``app`` on a real uvicorn on a free port; yields its origin."""
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
