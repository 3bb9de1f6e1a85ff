"""The permit registry as its readers see it: the list with its filters and paging, its CSV
export, and the map (a layer per kind coloured by the day's state) with its GeoJSON."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator, Iterator
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from starlette.concurrency import iterate_in_threadpool, run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse

from police.aggregates.permit import EXPIRING_DAYS, PermitKind, PermitState
from police.identifiers import natural_id
from police.permit_terms import KIND_LABELS, STATE_LABELS
from police.roles import Role
from projections.queries import PermitFilters, PermitRow
from web import form_parsing
from web.map_layers import MapLayer, boundary_layers, layers_attribute
from web.pages.cases import OVERVIEW_LAYERS, csv_cell
from web.permissions import CASE_READERS
from web.routing import shows
from web.state import fresh_read_models, pages_of, police_of, read_models_of

PER_PAGE = 50


def _filters(request: Request) -> PermitFilters:
    q = request.query_params
    arrondissements = police_of(request).territory.arrondissements
    kind, state, where = q.get("kind", ""), q.get("state", ""), q.get("arrondissement", "")
    return PermitFilters(
        kind=kind if kind in set(PermitKind) else "",
        state=state if state in set(PermitState) else "",
        arrondissement=where if where in arrondissements else "",
        expiring=q.get("expiring") == "1",
        text=form_parsing.search_text(q.get("q", "")),
        billboards={"1": True, "0": False}.get(q.get("billboards", "")),
    )


def _filter_url(filters: PermitFilters, **changes: Any) -> str:
    values = {
        "kind": filters.kind,
        "state": filters.state,
        "arrondissement": filters.arrondissement,
        "expiring": "1" if filters.expiring else "",
        "q": filters.text,
    } | changes
    return urlencode({k: v for k, v in values.items() if v not in ("", None)})


async def registry(request: Request) -> Response:
    await fresh_read_models(request)
    filters = _filters(request)
    page_number = form_parsing.whole_number(request.query_params.get("page", "1")) or 1
    page = await run_in_threadpool(read_models_of(request).permits, filters, page_number, PER_PAGE)
    context = {
        "filters": filters,
        "page": page,
        "filter_url": lambda **changes: _filter_url(filters, **changes),
        **choices(request),
    }
    template = "permits/_table.html" if request.headers.get("hx-request") else "permits/list.html"
    return pages_of(request).render(request, template, context)


def choices(request: Request) -> dict[str, Any]:
    return {
        "kinds": list(PermitKind),
        "kind_labels": KIND_LABELS,
        "states": list(PermitState),
        "state_labels": STATE_LABELS,
        "expiring_days": EXPIRING_DAYS,
        "arrondissements": sorted(
            police_of(request).territory.arrondissements.values(), key=lambda a: a.name_fr
        ),
        "may_change": request.state.actor.has_role(Role.PERMITS),
    }


async def export_csv(request: Request) -> Response:
    """The filtered registry as CSV for Excel: UTF-8 with BOM, semicolons, no formula can run."""
    await fresh_read_models(request)
    filters = _filters(request)
    models = read_models_of(request)
    columns = [
        ("number", "Numéro"),
        ("kind", "Type"),
        ("state", "État"),
        ("holder_label", "Titulaire"),
        ("arrondissement", "Arrondissement"),
        ("address", "Adresse"),
        ("lat", "Latitude"),
        ("lon", "Longitude"),
        ("surface_m2", "Surface (m²)"),
        ("walking_path_m", "Passage piéton (m)"),
        ("valid_from", "Du"),
        ("valid_until", "Au"),
        ("fee", "Redevance (MAD)"),
        ("structure_id", "Structure"),
        ("company", "Société d'affichage"),
        ("edition", "Édition"),
    ]

    def lines() -> Iterator[str]:
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";")
        writer.writerow([label for _, label in columns])
        yield "\ufeff"
        for n, row in enumerate(models.all_permits(filters), 1):
            writer.writerow([csv_cell(_cell(getattr(row, name))) for name, _ in columns])
            if n % 200 == 0:
                yield out.getvalue()
                out.seek(0)
                out.truncate()
        yield out.getvalue()

    async def body() -> AsyncIterator[str]:
        async for chunk in iterate_in_threadpool(lines()):
            yield chunk

    shows(request, natural_id("export", f"permits?{request.query_params}"), "permits")
    filename = f"autorisations-{police_of(request).today().isoformat()}.csv"
    return StreamingResponse(
        body(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _cell(value: object) -> object:
    return str(value).replace(".", ",") if isinstance(value, Decimal) else value


async def permits_map(request: Request) -> Response:
    """The registry on the map: a layer per kind coloured by state (billboards among them),
    the cases for those who read them, the arrondissements when the city supplied them."""
    await fresh_read_models(request)
    layers = [
        MapLayer(
            f"permits-{kind}",
            KIND_LABELS[kind],
            f"/permits/map.geojson?kind={kind}",
            "permit-state",
        )
        for kind in PermitKind
    ]
    if any(request.state.actor.has_role(r) for r in CASE_READERS):
        layers += [layer.but(on=False) for layer in OVERVIEW_LAYERS[:2]]  # cases, inspections
    layers += boundary_layers(police_of(request).territory)
    context = choices(request) | {"map_layers": layers_attribute(layers)}
    return pages_of(request).render(request, "permits/map.html", context)


async def map_features(request: Request) -> Response:
    """Every permit as a GeoJSON point (the map's permit and billboard layers)."""
    await fresh_read_models(request)
    filters = _filters(request)
    rows = await run_in_threadpool(lambda: list(read_models_of(request).all_permits(filters)))
    shows(request, natural_id("export", f"permits-map?{request.query_params}"), "permits map")
    return JSONResponse(
        {"type": "FeatureCollection", "features": [feature(row) for row in rows]},
        media_type="application/geo+json",
    )


def feature(row: PermitRow) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [row.lon, row.lat]},
        "properties": {
            "number": row.number,
            "kind": row.kind,
            "state": row.state,
            "holder": row.holder_label,
            "structure_id": row.structure_id,
            "surface_m2": str(row.surface_m2),
            "valid_until": row.valid_until,
            "url": f"/permits/{row.number}",
        },
    }
