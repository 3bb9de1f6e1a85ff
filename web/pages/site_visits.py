"""The site visits the permits office asks of the public-domain brigade: in the officer's day,
each opens the file's place, request and documents, and the officer's report (opinion,
observations, measures, photos, the phone's position) goes back to the file."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from police.errors import N_, InvalidInput, NotAllowed, NotFound
from police.permit_terms import KIND_LABELS
from police.roles import Actor, Brigade
from police.submission import Location
from web import i18n
from web.application_form import uploads
from web.csrf import FORM_LIMITS
from web.inspection_form import FormErrors, decimal_in
from web.metrics import run_command
from web.routing import route, shows
from web.state import pages_of, police_of

_NOT_YOURS = N_("Les visites sur place sont faites par la brigade d'occupation du domaine public.")


def routes() -> list[Route]:
    return [
        route("/officer/visits/{number}", visit_page, name="visits.show"),
        route("/officer/visits/{number}", report, name="visits.report", methods=["POST"]),
    ]


def may_visit(actor: Actor) -> bool:
    return actor.in_scope(Brigade.PUBLIC_DOMAIN)


async def visit_page(request: Request) -> Response:
    return await _page(request, {}, FormErrors())


async def report(request: Request) -> Response:
    if not may_visit(request.state.actor):
        raise NotAllowed(_NOT_YOURS)
    form = await request.form(**FORM_LIMITS)
    text = {k: v.strip() for k, v in form.items() if isinstance(v, str)}
    errors = FormErrors()

    def number(name: str) -> Decimal | None:
        raw = text.get(name, "")
        return decimal_in(raw, name, errors) if raw else None

    measured = {name: number(name) for name in ("frontage_m", "depth_m")}
    lat, lon = number("lat"), number("lon")
    application = await _application(request)
    shows(request, application.id, f"{application.number} visite")
    if not errors:
        place = None
        if lat is not None and lon is not None:
            place = Location(
                arrondissement=application.request["location"]["arrondissement"],
                address=application.request["location"].get("address", ""),
                lat=float(lat),
                lon=float(lon),
            )
        try:
            await run_command(
                "application.report_visit",
                police_of(request).report_site_visit,
                request.state.actor.id,
                application.number,
                opinion=text.get("opinion", ""),
                observations=text.get("observations", ""),
                frontage_m=measured["frontage_m"],
                depth_m=measured["depth_m"],
                location=place,
                photos=uploads(form, "photos"),
            )
        except InvalidInput as refused:
            errors.add(refused.field, refused.translated(i18n.gettext_))
    if errors:
        values = {k: v for k, v in text.items() if k != "csrf_token"}
        return await _page(request, values, errors, status=400)
    return RedirectResponse("/officer#site-visits", status_code=303)


async def _application(request: Request) -> Any:
    found = await run_in_threadpool(
        police_of(request).find_application, request.path_params["number"]
    )
    if found is None:
        raise NotFound(N_("Demande introuvable."))
    return found


async def _page(
    request: Request, values: dict[str, Any], errors: FormErrors, status: int = 200
) -> Response:
    if not may_visit(request.state.actor):
        raise NotAllowed(_NOT_YOURS)
    application = await _application(request)
    if not request.state.shown:
        shows(request, application.id, f"{application.number} visite")
    context = {
        "application": application,
        "kind_labels": KIND_LABELS,
        "v": values,
        "e": errors.fields,
    }
    return pages_of(request).render(request, "officer/visit.html", context, status=status)
