"""What ``web.app`` wires once and every page reads from the request: one typed object instead
of loose attributes on ``app.state``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from police.app import PoliceApp
from police.settings import Settings
from projections.queries import ReadModels
from projections.runner import Projector
from storage import ObjectStore
from web.mail import Mailer
from web.rendering import Pages
from web.throttle import Throttle
from web.ticket_batches import TicketBatches


@dataclass(frozen=True)
class Services:
    settings: Settings
    police: PoliceApp  # commands, and reading the event store
    read_models: ReadModels  # every screen's tables
    projector: Projector  # how far the read models are
    store: ObjectStore  # photos and notices, to stream them back
    pages: Pages
    login_throttle: Throttle
    # Requests to the public pages per client address (the QR codes' verification page).
    public_throttle: Throttle
    # Applications sent from the public form per client address (an hour's worth).
    application_throttle: Throttle
    # Reports sent (or followed) from the public form per client address (an hour's worth).
    report_throttle: Throttle
    # Attempts to open a case with a notice's code per client address (ten minutes' worth).
    access_throttle: Throttle
    # Reports posted through Open311 per client address (an hour's worth: an app relaying
    # its users' reports from one server stays under it, a flood does not).
    open311_throttle: Throttle
    mailer: Mailer  # the applicants' letters: SMTP, or the log when none is configured
    ticket_batches: TicketBatches
    readiness_checks: dict[str, Callable[[], Any]]
    refresh_metrics: Callable[[], None]


def services(request: Request) -> Services:
    found = request.app.state.services
    assert isinstance(found, Services)
    return found


def police_of(request: Request) -> PoliceApp:
    return services(request).police


def read_models_of(request: Request) -> ReadModels:
    return services(request).read_models


def pages_of(request: Request) -> Pages:
    return services(request).pages


async def fresh_read_models(request: Request) -> None:
    """Waits (a second at most) for the read models to include the latest event, so a page
    shown right after an action shows its effect."""
    found = services(request)
    head = await run_in_threadpool(found.police.recorder.max_notification_id)
    await run_in_threadpool(found.projector.wait_for, head or 0, 1.0)
