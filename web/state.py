"""What ``web.app`` wires once and the pages read from each request: the police application
(commands, the event store) and the read models (every screen's tables)."""

from __future__ import annotations

from starlette.requests import Request

from police.app import PoliceApp
from projections.queries import ReadModels


def police_of(request: Request) -> PoliceApp:
    return request.app.state.police


def read_models_of(request: Request) -> ReadModels:
    return request.app.state.read_models
