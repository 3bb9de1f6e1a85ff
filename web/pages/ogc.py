"""OGC API - Features, Part 1: Core, for the city's GIS (QGIS, any OGC client), read-only:
the landing page, conformance, the collections (``web.ogc_collections``) and their features
as GeoJSON, with ``bbox``, ``datetime``, ``limit`` and ``offset`` paging.

The caller is the user of an API token (``Authorization: Bearer``, checked by
``web.routing``); each collection shows only what that user's roles and brigades may read, as
they are now. Refusals are OGC exceptions, ``{"code", "description"}``, in the request's
language.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from police.errors import N_, InvalidInput
from police.roles import Actor
from projections.queries import FeaturePage, FeatureWindow
from web import i18n
from web.ogc_collections import COLLECTIONS, Collection
from web.ogc_openapi import OPENAPI, definition
from web.ogc_params import check_format, window_of
from web.routing import machine_error, route
from web.state import police_of, read_models_of

GEOJSON = "application/geo+json"
JSON = "application/json"
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
]
_TITLE = N_("Police administrative : dossiers et contrôles (OGC API - Features)")
_DESCRIPTION = N_(
    "Les données géographiques de la police administrative, en lecture seule, pour le SIG de "
    "la ville : ce que le compte du jeton peut voir, sans donnée personnelle."
)
_NO_COLLECTION = N_("Collection inconnue : « {id} ».")
_NO_FEATURE = N_("Objet introuvable dans la collection « {id} ».")


def routes() -> list[Route]:
    return [
        route("/ogc", landing, name="ogc.landing"),
        route("/ogc/", landing, name="ogc.landing"),  # clients join paths to "…/ogc/"
        route("/ogc/api", api_definition, name="ogc.api"),
        route("/ogc/conformance", conformance, name="ogc.conformance"),
        route("/ogc/collections", collections, name="ogc.collections"),
        route("/ogc/collections/{collection_id}", collection, name="ogc.collection"),
        route("/ogc/collections/{collection_id}/items", items, name="ogc.items"),
        route("/ogc/collections/{collection_id}/items/{feature_id}", item, name="ogc.item"),
    ]


async def landing(request: Request) -> Response:
    if refused := _format_refused(request):
        return refused
    base = _base(request)
    return JSONResponse(
        {
            "title": i18n.gettext_(_TITLE),
            "description": i18n.gettext_(_DESCRIPTION),
            "links": [
                _link(f"{base}", "self", JSON, N_("Cette page")),
                _link(f"{base}/api", "service-desc", OPENAPI, N_("Définition de l'API (OpenAPI)")),
                _link(f"{base}/conformance", "conformance", JSON, N_("Classes de conformité")),
                _link(f"{base}/collections", "data", JSON, N_("Collections")),
            ],
        }
    )


async def api_definition(request: Request) -> Response:
    if refused := _format_refused(request):
        return refused
    actor: Actor = request.state.actor
    shown = [c for c in COLLECTIONS.values() if c.readable_by(actor)]
    document = definition(_base(request), i18n.gettext_(_TITLE), shown)
    return Response(_dumps(document), media_type=OPENAPI)


async def conformance(request: Request) -> Response:
    return _format_refused(request) or JSONResponse({"conformsTo": CONFORMANCE})


async def collections(request: Request) -> Response:
    if refused := _format_refused(request):
        return refused
    actor: Actor = request.state.actor
    base = _base(request)
    shown = [c for c in COLLECTIONS.values() if c.readable_by(actor)]
    return JSONResponse(
        {
            "links": [_link(f"{base}/collections", "self", JSON, N_("Collections"))],
            "collections": [_collection_document(request, c) for c in shown],
        }
    )


async def collection(request: Request) -> Response:
    found = _collection(request)
    if isinstance(found, Response):
        return found
    return _format_refused(request) or JSONResponse(_collection_document(request, found))


async def items(request: Request) -> Response:
    found = _collection(request)
    if isinstance(found, Response):
        return found
    try:
        window = window_of(request.query_params)
    except InvalidInput as e:
        return _invalid(e)
    actor: Actor = request.state.actor
    models = read_models_of(request)
    page = await run_in_threadpool(found.page, models, window, actor)
    links = _page_links(request, found, window, page)
    body = await run_in_threadpool(_feature_collection, page, links)
    return Response(body, media_type=GEOJSON)


async def item(request: Request) -> Response:
    found = _collection(request)
    if isinstance(found, Response):
        return found
    if refused := _format_refused(request):
        return refused
    feature_id: str = request.path_params["feature_id"]
    actor: Actor = request.state.actor
    feature = await run_in_threadpool(found.item, read_models_of(request), feature_id, actor)
    if feature is None:
        return machine_error(404, "NotFound", _NO_FEATURE, id=found.id)
    here = f"{_base(request)}/collections/{found.id}"
    feature["links"] = [
        _link(f"{here}/items/{feature_id}", "self", GEOJSON, N_("Cet objet")),
        _link(here, "collection", JSON, i18n.gettext_(found.title)),
    ]
    return Response(_dumps(feature), media_type=GEOJSON)


# --- documents ---------------------------------------------------------------------------


def _collection_document(request: Request, found: Collection) -> dict[str, Any]:
    bounds = police_of(request).territory.bounds
    here = f"{_base(request)}/collections/{found.id}"
    return {
        "id": found.id,
        "title": i18n.gettext_(found.title),
        "description": i18n.gettext_(found.description),
        "itemType": "feature",
        "crs": [CRS84],
        "extent": {
            "spatial": {"bbox": [[bounds.west, bounds.south, bounds.east, bounds.north]]},
            "temporal": {"interval": [[None, None]]},
        },
        "links": [
            _link(here, "self", JSON, i18n.gettext_(found.title)),
            _link(f"{here}/items", "items", GEOJSON, N_("Objets")),
        ],
    }


def _page_links(
    request: Request, found: Collection, window: FeatureWindow, page: FeaturePage
) -> list[dict[str, str]]:
    url = request.url
    here = f"{_base(request)}/collections/{found.id}"
    links = [
        _link(str(url), "self", GEOJSON, N_("Cette page")),
        _link(here, "collection", JSON, i18n.gettext_(found.title)),
    ]
    returned = len(page.features)
    if window.offset + returned < page.matched:
        after = url.include_query_params(offset=window.offset + returned, limit=window.limit)
        links.append(_link(str(after), "next", GEOJSON, N_("Page suivante")))
    if window.offset > 0:
        before = url.include_query_params(
            offset=max(0, window.offset - window.limit), limit=window.limit
        )
        links.append(_link(str(before), "prev", GEOJSON, N_("Page précédente")))
    return links


def _feature_collection(page: FeaturePage, links: list[dict[str, str]]) -> bytes:
    return _dumps(
        {
            "type": "FeatureCollection",
            "features": page.features,
            "numberMatched": page.matched,
            "numberReturned": len(page.features),
            "timeStamp": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
            "links": links,
        }
    )


def _dumps(document: dict[str, Any]) -> bytes:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def _link(href: str, rel: str, kind: str, title: str) -> dict[str, str]:
    return {"href": href, "rel": rel, "type": kind, "title": i18n.gettext_(title)}


def _base(request: Request) -> str:
    return f"{str(request.base_url).rstrip('/')}/ogc"


# --- refusals ----------------------------------------------------------------------------


def _collection(request: Request) -> Collection | Response:
    """The collection the path names, if the caller reads it; a 404 exception otherwise (one
    it may not read is not listed for it either)."""
    wanted: str = request.path_params["collection_id"]
    found = COLLECTIONS.get(wanted)
    if found is None or not found.readable_by(request.state.actor):
        return machine_error(404, "NotFound", _NO_COLLECTION, id=wanted[:60])
    return found


def _format_refused(request: Request) -> Response | None:
    try:
        check_format(request.query_params)
    except InvalidInput as e:
        return _invalid(e)
    return None


def _invalid(error: InvalidInput) -> Response:
    return JSONResponse(
        {"code": "InvalidParameterValue", "description": error.translated(i18n.gettext_)},
        status_code=400,
    )
