"""The public e-démarches pages: apply for a permit without an account, follow the file by its
private link (answer a request for documents, see the fee to pay, download the arrêté once
paid, renew). These pages are attacked: applications are limited per address, a honeypot field
catches robots, bodies and uploads are capped and checked like evidence, and a wrong link is
answered exactly as an unknown one."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from police.aggregates.permit import Permit, PermitKind
from police.aggregates.permit_application import PermitApplication
from police.application_terms import MAX_YEARS
from police.errors import N_, InvalidInput, NotFound
from police.permit_terms import KIND_LABELS
from web import i18n
from web.applicant_mail import letter, tracking_path
from web.application_form import (
    HOLDER_KINDS,
    HONEYPOT,
    MAX_UPLOADS,
    is_robot,
    parse_application,
    renewal_values,
    typed,
    uploads,
)
from web.csrf import FORM_LIMITS
from web.inspection_form import FormErrors
from web.mail import send_quietly
from web.metrics import run_command
from web.routing import route
from web.state import pages_of, police_of, services

_BAD_LINK = N_(
    "Ce lien de suivi n'ouvre aucune demande : il est incomplet, ou le service l'a remplacé. "
    "Utilisez le dernier lien reçu, ou appelez le service des autorisations."
)
_TOO_MANY = N_(
    "Trop de demandes envoyées depuis cette connexion : réessayez dans une heure, ou présentez-"
    "vous au service des autorisations."
)
_TOO_MANY_LOOKUPS = N_(
    "Trop de consultations depuis cette connexion : réessayez dans quelques minutes."
)
_ROBOT = N_("Envoi refusé : un champ caché du formulaire a été rempli. Rien n'a été enregistré.")
_TOO_MANY_FILES = N_("Pas plus de {count} documents par envoi.")


def routes() -> list[Route]:
    return [
        route("/demarches", landing, name="demarches.landing"),
        route("/demarches/{kind}/nouvelle", new_application, name="demarches.new"),
        route("/demarches/{kind}/nouvelle", submit, name="demarches.submit", methods=["POST"]),
        route("/demarches/suivi/{number}/{secret}", tracking, name="demarches.track"),
        route(
            "/demarches/suivi/{number}/{secret}/documents",
            add_documents,
            name="demarches.documents",
            methods=["POST"],
        ),
        route("/demarches/suivi/{number}/{secret}/arrete.pdf", arrete, name="demarches.arrete"),
        route("/demarches/suivi/{number}/{secret}/renouveler", renew, name="demarches.renew"),
    ]


async def landing(request: Request) -> Response:
    context = {"kinds": list(PermitKind), "kind_labels": KIND_LABELS}
    return pages_of(request).render(request, "demarches/index.html", context)


def _kind(request: Request) -> PermitKind:
    try:
        return PermitKind(request.path_params["kind"])
    except ValueError:
        raise NotFound(N_("Type d'autorisation inconnu.")) from None


async def new_application(request: Request) -> Response:
    kind = _kind(request)
    today = police_of(request).today()
    return _form(request, kind, {"valid_from": today.isoformat()}, FormErrors())


async def submit(request: Request) -> Response:
    kind = _kind(request)
    services(request).application_throttle.check(_client(request), _TOO_MANY)
    form = await request.form(**FORM_LIMITS)
    if is_robot(form):
        return pages_of(request).error(request, 400, _ROBOT)
    errors = FormErrors()
    photos, plans = uploads(form, "photos"), uploads(form, "plans")
    if len(photos) + len(plans) > MAX_UPLOADS:
        errors.add("documents", i18n.gettext_(_TOO_MANY_FILES).format(count=MAX_UPLOADS))
    asked = parse_application(form, kind, errors, i18n.language())
    police = police_of(request)
    if asked is not None and not errors:
        try:
            submitted = await run_command(
                "application.submit", police.submit_application, asked, photos, plans
            )
        except InvalidInput as refused:
            errors.add(refused.field, refused.translated(i18n.gettext_))
    if errors:
        return _form(request, kind, typed(form), errors, status=400)
    path = tracking_path(submitted.number, submitted.secret)
    application = await run_in_threadpool(police.find_application, submitted.number)
    assert application is not None
    mailed = await _write(request, "received", application, path)
    return RedirectResponse(f"{path}?recue={'mail' if mailed else 'ecran'}", status_code=303)


async def tracking(request: Request) -> Response:
    application, secret = await _tracked(request)
    permit = await _permit_of(request, application)
    context: dict[str, Any] = {
        "application": application,
        "permit": permit,
        "state": permit.state_on(police_of(request).today()) if permit else None,
        "path": tracking_path(application.number, secret),
        "link": services(request).settings.web.public_url
        + tracking_path(application.number, secret),
        "received": request.query_params.get("recue", ""),
        "kind_labels": KIND_LABELS,
        "max_uploads": MAX_UPLOADS,
    }
    return pages_of(request).render(request, "demarches/tracking.html", context)


async def add_documents(request: Request) -> Response:
    number, secret = request.path_params["number"], request.path_params["secret"]
    form = await request.form(**FORM_LIMITS)
    if is_robot(form):
        return pages_of(request).error(request, 400, _ROBOT)
    application, _ = await _tracked(request)
    photos, plans = uploads(form, "photos"), uploads(form, "plans")
    if len(photos) + len(plans) > MAX_UPLOADS:
        raise InvalidInput(_TOO_MANY_FILES, field="documents", count=MAX_UPLOADS)
    note = form.get("note", "")
    await run_command(
        "application.documents",
        police_of(request).add_documents,
        application.number,
        secret,
        photos=photos,
        plans=plans,
        note=note if isinstance(note, str) else "",
    )
    return RedirectResponse(f"{tracking_path(number, secret)}#statut", status_code=303)


async def arrete(request: Request) -> Response:
    """The arrêté of the permit granted on this file, once its fee is paid: the stored PDF."""
    application, _ = await _tracked(request)
    permit = await _permit_of(request, application)
    if permit is None or permit.unpaid or permit.edition not in permit.arretes:
        raise NotFound(N_("L'arrêté sera disponible ici une fois la redevance payée."))
    stored = permit.arretes[permit.edition]
    pdf = await run_in_threadpool(police_of(request).objects.read, stored["key"])
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{permit.number}.pdf"'},
    )


async def renew(request: Request) -> Response:
    """The application form filled in from the permit to renew."""
    application, _ = await _tracked(request)
    permit = await _permit_of(request, application)
    if permit is None or permit.unpaid:
        raise NotFound(N_("Seule une autorisation en vigueur se renouvelle."))
    values = renewal_values(application, permit)
    return _form(request, PermitKind(permit.kind), values, FormErrors())


# --- helpers -------------------------------------------------------------------------------


def _client(request: Request) -> str:
    return request.client.host if request.client else "?"


async def _tracked(request: Request) -> tuple[PermitApplication, str]:
    """The file the link opens, or the same 404 for an unknown number and a wrong secret;
    limited per address, like every public lookup."""
    services(request).public_throttle.check(_client(request), _TOO_MANY_LOOKUPS)
    number, secret = request.path_params["number"], request.path_params["secret"]
    application = await run_in_threadpool(police_of(request).tracked_application, number, secret)
    if application is None:
        raise NotFound(_BAD_LINK)
    return application, secret


async def _permit_of(request: Request, application: PermitApplication) -> Permit | None:
    if application.permit_number is None:
        return None
    return await run_in_threadpool(police_of(request).find_permit, application.permit_number)


async def _write(
    request: Request,
    kind: str,
    application: PermitApplication,
    path: str,
    permit: Permit | None = None,
) -> bool:
    link = services(request).settings.web.public_url + path
    message = letter(kind, application, link, permit)
    return await run_in_threadpool(send_quietly, services(request).mailer.send, message)


def _form(
    request: Request,
    kind: PermitKind,
    values: dict[str, Any],
    errors: FormErrors,
    *,
    status: int = 200,
) -> Response:
    police = police_of(request)
    bounds = police.territory.bounds
    context = {
        "kind": kind,
        "kind_labels": KIND_LABELS,
        "v": values,
        "e": errors.fields,
        "holder_kinds": HOLDER_KINDS,
        "honeypot": HONEYPOT,
        "max_uploads": MAX_UPLOADS,
        "max_years": MAX_YEARS,
        "today": police.today().isoformat(),
        "arrondissements": police.territory.arrondissements.values(),
        "map_centre": ((bounds.south + bounds.north) / 2, (bounds.west + bounds.east) / 2),
    }
    return pages_of(request).render(request, "demarches/form.html", context, status=status)
