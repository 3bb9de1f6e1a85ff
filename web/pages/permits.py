"""The permits office's side: the registry (filters, CSV export, map), a permit with its
history and arrêté, granting, amending, renewing, suspending, reinstating and revoking. Reads
come from the ``permits`` read model and the permit's own events; changes are commands on the
domain, which re-checks every rule."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator, Iterator
from datetime import date
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from starlette.concurrency import iterate_in_threadpool, run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Route

from police.aggregates.permit import EXPIRING_DAYS, Permit, PermitKind, PermitState
from police.errors import N_, InvalidInput, NotFound
from police.identifiers import natural_id, normalize_permit_number
from police.permit_terms import KIND_LABELS, STATE_LABELS
from police.roles import Role
from police.wording import WORDINGS
from projections.queries import PermitFilters, PermitRow
from web import form_parsing, i18n
from web.csrf import FORM_LIMITS
from web.inspection_form import FormErrors
from web.map_layers import MapLayer, boundary_layers, layers_attribute
from web.metrics import run_command
from web.pages.cases import OVERVIEW_LAYERS, csv_cell
from web.permissions import CASE_READERS
from web.permit_form import HOLDER_KINDS, parse_terms, values_of
from web.routing import route, shows
from web.state import fresh_read_models, pages_of, police_of, read_models_of

_NO_PERMIT = N_("Autorisation introuvable.")
PER_PAGE = 50
# The changes a permit's page offers, each a reason or dates to give.
ACTIONS = ("renew", "suspend", "reinstate", "revoke")
ACTION_LABELS = {
    "renew": N_("Renouveler"),
    "suspend": N_("Suspendre"),
    "reinstate": N_("Lever la suspension"),
    "revoke": N_("Retirer"),
}


def routes() -> list[Route]:
    return [
        route("/permits", registry, name="permits.list"),
        route("/permits/export.csv", export_csv, name="permits.export_csv"),
        route("/permits/map", permits_map, name="permits.map"),
        route("/permits/map.geojson", map_features, name="permits.geojson"),
        route("/permits/new", new_permit, name="permits.new"),
        route("/permits", grant, name="permits.grant", methods=["POST"]),
        route("/permits/{number}", permit_page, name="permits.show"),
        route("/permits/{number}/amend", amend_form, name="permits.amend_form"),
        route("/permits/{number}/amend", amend, name="permits.amend", methods=["POST"]),
        route("/permits/{number}/arrete", print_arrete, name="permits.print", methods=["POST"]),
        route("/permits/{number}/arrete.pdf", arrete_pdf, name="permits.arrete"),
        route("/permits/{number}/{action}", change, name="permits.act", methods=["POST"]),
    ]


# --- the registry --------------------------------------------------------------------------


def _filters(request: Request) -> PermitFilters:
    q = request.query_params
    arrondissements = police_of(request).territory.arrondissements
    kind, state, where = q.get("kind", ""), q.get("state", ""), q.get("arrondissement", "")
    return PermitFilters(
        kind=kind if kind in set(PermitKind) else "",
        state=state if state in set(PermitState) else "",
        arrondissement=where if where in arrondissements else "",
        expiring=q.get("expiring") == "1",
        text=q.get("q", "")[:100],
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
        **_choices(request),
    }
    template = "permits/_table.html" if request.headers.get("hx-request") else "permits/list.html"
    return pages_of(request).render(request, template, context)


def _choices(request: Request) -> dict[str, Any]:
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
    context = _choices(request) | {"map_layers": layers_attribute(layers)}
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


# --- one permit ----------------------------------------------------------------------------


def _number(request: Request) -> str:
    try:
        return normalize_permit_number(request.path_params["number"])
    except InvalidInput:
        raise NotFound(_NO_PERMIT) from None


async def permit_page(request: Request) -> Response:
    number = _number(request)
    await fresh_read_models(request)
    row = await run_in_threadpool(read_models_of(request).permit, number)
    police = police_of(request)
    permit = await run_in_threadpool(police.find_permit, number)
    if row is None or permit is None:
        raise NotFound(_NO_PERMIT)
    events = await run_in_threadpool(lambda: list(police.events.get(permit.id)))
    shows(request, permit.id, number)
    context = {
        "permit": row,
        "record": permit,
        "history": [_history_line(e) for e in events],
        "actions": _actions(row),
        "action_labels": ACTION_LABELS,
        "today": police.today().isoformat(),
        **_choices(request),
    }
    return pages_of(request).render(request, "permits/show.html", context)


def _actions(row: PermitRow) -> list[str]:
    if row.state == PermitState.REVOKED:
        return []
    return [
        a
        for a in ACTIONS
        if (a != "reinstate" or row.state == PermitState.SUSPENDED)
        and (a != "suspend" or row.state != PermitState.SUSPENDED)
    ]


def _history_line(event: Any) -> dict[str, Any]:
    params = {k: v.isoformat() if isinstance(v, date) else v for k, v in vars(event).items()}
    params = {k: str(v) if isinstance(v, Decimal) else v for k, v in params.items()}
    wording = WORDINGS.get(type(event))
    return {
        "at": event.timestamp,
        "actor_id": str(getattr(event, "actor_id", "")),
        "text": wording(params, i18n, {}) if wording else type(event).__name__,
    }


async def print_arrete(request: Request) -> Response:
    number = _number(request)
    police = police_of(request)
    await run_command("permit.print", police.print_arrete, request.state.actor.id, number)
    return RedirectResponse(f"/permits/{number}/arrete.pdf", status_code=303)


async def arrete_pdf(request: Request) -> Response:
    """The arrêté of the permit's current edition as stored when it was printed."""
    number = _number(request)
    police = police_of(request)
    permit = await run_in_threadpool(police.find_permit, number)
    if permit is None or permit.edition not in permit.arretes:
        raise NotFound(N_("L'arrêté de cette édition n'est pas encore imprimé."))
    stored = permit.arretes[permit.edition]
    pdf = await run_in_threadpool(police.objects.read, stored["key"])
    shows(request, permit.id, f"{number} arrêté {permit.edition}")
    return Response(
        pdf,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="{number}-edition-{permit.edition}.pdf"'
        },
    )


async def change(request: Request) -> Response:
    """Renew, suspend, reinstate or revoke, from the permit's page at the version it showed."""
    number = _number(request)
    action = request.path_params["action"]
    if action not in ACTIONS:
        raise NotFound(N_("Cette page n'existe pas."))
    fields = form_parsing.Fields(await request.form(**FORM_LIMITS))
    police, actor_id = police_of(request), request.state.actor.id
    version = fields.version()
    if action == "renew":
        await run_command(
            "permit.renew",
            police.renew_permit,
            actor_id,
            number,
            valid_until=fields.day("valid_until"),
            fee=fields.amount("fee"),
            expected_version=version,
        )
    else:
        command = {
            "suspend": police.suspend_permit,
            "reinstate": police.reinstate_permit,
            "revoke": police.revoke_permit,
        }[action]
        await run_command(
            f"permit.{action}",
            command,
            actor_id,
            number,
            reason=fields.text("reason"),
            expected_version=version,
        )
    return RedirectResponse(f"/permits/{number}", status_code=303)


# --- granting and amending -----------------------------------------------------------------


async def new_permit(request: Request) -> Response:
    values = {"valid_from": police_of(request).today().isoformat()}
    return _form(request, values, FormErrors())


async def grant(request: Request) -> Response:
    form = await request.form(**FORM_LIMITS)
    errors = FormErrors()
    terms = parse_terms(form, errors)
    police = police_of(request)
    if terms is not None:
        try:
            number = await run_command(
                "permit.grant", police.grant_permit, request.state.actor.id, terms
            )
        except InvalidInput as refused:
            errors.add(refused.field, refused.translated(i18n.gettext_))
    if errors:
        return _form(request, _typed(form), errors, status=400)
    return RedirectResponse(f"/permits/{number}", status_code=303)


async def amend_form(request: Request) -> Response:
    number = _number(request)
    permit = await run_in_threadpool(police_of(request).find_permit, number)
    if permit is None:
        raise NotFound(_NO_PERMIT)
    values = values_of(permit) | {"version": permit.version}
    return _form(request, values, FormErrors(), permit=permit)


async def amend(request: Request) -> Response:
    number = _number(request)
    police = police_of(request)
    permit = await run_in_threadpool(police.find_permit, number)
    if permit is None:
        raise NotFound(_NO_PERMIT)
    form = await request.form(**FORM_LIMITS)
    fields = form_parsing.Fields(form)
    errors = FormErrors()
    version = fields.version()
    terms = parse_terms(form, errors)
    if terms is not None:
        try:
            await run_command(
                "permit.amend",
                police.amend_permit,
                request.state.actor.id,
                number,
                terms,
                reason=fields.text("reason"),
                expected_version=version,
            )
        except InvalidInput as refused:
            errors.add(refused.field, refused.translated(i18n.gettext_))
    if errors:
        return _form(request, _typed(form), errors, permit=permit, status=400)
    return RedirectResponse(f"/permits/{number}", status_code=303)


def _typed(form: FormData) -> dict[str, Any]:
    return {k: v for k, v in form.items() if isinstance(v, str)}


def _form(
    request: Request,
    values: dict[str, Any],
    errors: FormErrors,
    *,
    permit: Permit | None = None,
    status: int = 200,
) -> Response:
    context = {
        "v": values,
        "e": errors.fields,
        "permit": permit,
        "holder_kinds": HOLDER_KINDS,
        "map_centre": _centre(request),
        **_choices(request),
    }
    return pages_of(request).render(request, "permits/form.html", context, status=status)


def _centre(request: Request) -> tuple[float, float]:
    bounds = police_of(request).territory.bounds
    return ((bounds.south + bounds.north) / 2, (bounds.west + bounds.east) / 2)
