"""What the maps draw besides the cases' export: the recent inspections of the reader's
brigades (no personal data: brigade, time, outcome, infraction codes, the case's reference)
and the territory's arrondissement boundaries."""

from __future__ import annotations

from datetime import timedelta

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from police import clock
from police.errors import N_, InvalidInput
from web import form_parsing
from web.case_filters import scope_of
from web.routing import route
from web.state import fresh_read_models, police_of, read_models_of

GEOJSON = "application/geo+json"
RECENT_DAYS = 30
MAX_DAYS = 366


def routes() -> list[Route]:
    return [
        route("/map/inspections.geojson", inspections, name="maps.inspections"),
        route("/map/arrondissements.geojson", arrondissements, name="maps.arrondissements"),
    ]


async def inspections(request: Request) -> Response:
    """The inspections of the last ``days`` (30 by default) in the reader's brigades."""
    raw = request.query_params.get("days", "")
    days = form_parsing.whole_number(raw) if raw else RECENT_DAYS
    if days is None or not 1 <= days <= MAX_DAYS:
        raise InvalidInput(
            N_("Nombre de jours invalide : entre 1 et {limit}."), field="days", limit=MAX_DAYS
        )
    await fresh_read_models(request)
    since = clock.now() - timedelta(days=days)
    features = await run_in_threadpool(
        read_models_of(request).inspection_map, scope_of(request.state.actor), since
    )
    return JSONResponse(features, media_type=GEOJSON)


async def arrondissements(request: Request) -> Response:
    """The territory's arrondissement boundaries; an empty collection when it has none."""
    return JSONResponse(police_of(request).territory.boundaries_geojson(), media_type=GEOJSON)
