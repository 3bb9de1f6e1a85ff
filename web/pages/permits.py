"""The permits office's side: a permit with its history and arrêté, granting, amending,
renewing, suspending, reinstating and revoking (the registry's list, export and map are
``web.pages.permit_registry``). Reads come from the ``permits`` read model and the permit's own
events; changes are commands on the domain, which re-checks every rule."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from police.aggregates.permit import Permit, PermitState
from police.errors import N_, InvalidInput, NotFound
from police.identifiers import normalize_permit_number
from projections.queries import PermitRow
from web import form_parsing, i18n
from web.csrf import FORM_LIMITS
from web.inspection_form import FormErrors
from web.metrics import run_command
from web.pages import permit_registry as registry
from web.pages.permit_registry import choices
from web.permissions import CASHIERS
from web.permit_form import HOLDER_KINDS, parse_terms, values_of
from web.routing import route, shows
from web.state import fresh_read_models, pages_of, police_of, read_models_of
from web.timeline import history_line

_NO_PERMIT = N_("Autorisation introuvable.")
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
        route("/permits", registry.registry, name="permits.list"),
        route("/permits/export.csv", registry.export_csv, name="permits.export_csv"),
        route("/permits/map", registry.permits_map, name="permits.map"),
        route("/permits/map.geojson", registry.map_features, name="permits.geojson"),
        route("/permits/new", new_permit, name="permits.new"),
        route("/permits", grant, name="permits.grant", methods=["POST"]),
        route("/permits/{number}", permit_page, name="permits.show"),
        route("/permits/{number}/amend", amend_form, name="permits.amend_form"),
        route("/permits/{number}/amend", amend, name="permits.amend", methods=["POST"]),
        route("/permits/{number}/arrete", print_arrete, name="permits.print", methods=["POST"]),
        route("/permits/{number}/arrete.pdf", arrete_pdf, name="permits.arrete"),
        route("/permits/{number}/{action}", change, name="permits.act", methods=["POST"]),
    ]


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
        "history": [history_line(e) for e in events],
        "actions": _actions(row),
        "action_labels": ACTION_LABELS,
        "today": police.today().isoformat(),
        "may_collect": any(request.state.actor.has_role(r) for r in CASHIERS),
        **choices(request),
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
        **choices(request),
    }
    return pages_of(request).render(request, "permits/form.html", context, status=status)


def _centre(request: Request) -> tuple[float, float]:
    bounds = police_of(request).territory.bounds
    return ((bounds.south + bounds.north) / 2, (bounds.west + bounds.east) / 2)
