"""The permits office's instruction of online applications: the queue (open files oldest first,
with their legal deadline and what is late, and the figures per kind), one file with its
documents, site visit and history, and the actions on it (ask for documents, ask for a site
visit, lift a hold, grant, refuse, replace the tracking link); and the cashier's record of a
permit's fee. Each action is one command; the applicant is written what concerns them."""

from __future__ import annotations

from decimal import Decimal

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from police.aggregates.permit import PermitKind
from police.aggregates.permit_application import ApplicationStatus, PermitApplication
from police.errors import N_, InvalidInput, NotAllowed, NotFound
from police.identifiers import normalize_permit_number
from police.permit_terms import KIND_LABELS
from police.roles import Brigade, Role
from web import form_parsing
from web.applicant_mail import letter, tracking_path
from web.csrf import FORM_LIMITS
from web.inspection_form import FormErrors, decimal_in
from web.mail import send_quietly
from web.metrics import run_command
from web.routing import route, shows
from web.state import fresh_read_models, pages_of, police_of, read_models_of, services
from web.timeline import history_line

_NO_FILE = N_("Demande introuvable.")
_NOT_READER = N_("Les documents d'une demande sont lus par le service et la brigade qui la visite.")
ACTIONS = ("documents", "visit", "grant", "refuse", "lift_hold", "link")
STATUS_LABELS: dict[str, str] = {
    ApplicationStatus.RECEIVED: N_("Reçue"),
    ApplicationStatus.HELD: N_("Retenue : sommes dues"),
    ApplicationStatus.INCOMPLETE: N_("Incomplète : documents demandés"),
    ApplicationStatus.SITE_VISIT: N_("Visite sur place prévue"),
    ApplicationStatus.UNDER_REVIEW: N_("En instruction"),
    ApplicationStatus.GRANTED: N_("Accordée"),
    ApplicationStatus.REFUSED: N_("Refusée"),
}


def routes() -> list[Route]:
    return [
        route("/permits/applications", queue, name="applications.queue"),
        route("/permits/applications/{number}", file_page, name="applications.show"),
        route(
            "/permits/applications/{number}/documents/{index:int}",
            document,
            name="applications.document",
        ),
        route(
            "/permits/applications/{number}/{action}",
            act,
            name="applications.act",
            methods=["POST"],
        ),
        route("/permits/{number}/payment", payment, name="permits.payment", methods=["POST"]),
    ]


async def queue(request: Request) -> Response:
    decided = request.query_params.get("decided") == "1"
    kind = request.query_params.get("kind", "")
    if kind and kind not in set(PermitKind):
        kind = ""
    await fresh_read_models(request)
    models = read_models_of(request)
    rows = await run_in_threadpool(lambda: models.application_queue(decided=decided, kind=kind))
    kpis = await run_in_threadpool(models.application_kpis)
    context = {
        "rows": rows,
        "kpis": kpis,
        "decided": decided,
        "kind": kind,
        "kinds": list(PermitKind),
        "kind_labels": KIND_LABELS,
        "status_labels": STATUS_LABELS,
        "late": sum(1 for r in rows if r.late),
        "may_change": True,
    }
    return pages_of(request).render(request, "applications/queue.html", context)


async def file_page(request: Request) -> Response:
    application = await _application(request)
    police = police_of(request)
    events = await run_in_threadpool(lambda: list(police.events.get(application.id)))
    permit = None
    if application.permit_number:
        permit = await run_in_threadpool(police.find_permit, application.permit_number)
    shows(request, application.id, application.number)
    context = {
        "application": application,
        "permit": permit,
        "history": [history_line(e) for e in events],
        "status_labels": STATUS_LABELS,
        "kind_labels": KIND_LABELS,
        "today": police.today().isoformat(),
        "new_link": request.query_params.get("lien", ""),
        "public_url": services(request).settings.web.public_url,
        "may_change": True,
    }
    return pages_of(request).render(request, "applications/show.html", context)


async def document(request: Request) -> Response:
    """One of the file's documents as the applicant sent it (a photo as its rendition)."""
    actor = request.state.actor
    if not actor.has_role(Role.PERMITS) and not actor.in_scope(Brigade.PUBLIC_DOMAIN):
        raise NotAllowed(_NOT_READER)
    application = await _application(request)
    index: int = request.path_params["index"]
    found = application.documents
    if not 0 <= index < len(found):
        raise NotFound(N_("Document introuvable."))
    stored = found[index]
    key = stored.get("thumbnail_key") if request.query_params.get("mini") else stored["key"]
    data = await run_in_threadpool(police_of(request).objects.read, key or stored["key"])
    shows(request, application.id, f"{application.number} document {index + 1}")
    content_type = "image/webp" if key and key != stored["key"] else stored["content_type"]
    # A PDF is saved, not opened inside the app's pages: it comes from the public.
    disposition = "attachment" if content_type == "application/pdf" else "inline"
    return Response(
        data,
        media_type=content_type,
        headers={
            "Content-Disposition": f'{disposition}; filename="{application.number}-{index + 1}"',
            "Content-Security-Policy": "sandbox",
        },
    )


async def act(request: Request) -> Response:
    application = await _application(request)
    action = request.path_params["action"]
    if action not in ACTIONS:
        raise NotFound(N_("Cette page n'existe pas."))
    fields = form_parsing.Fields(await request.form(**FORM_LIMITS))
    police, actor_id = police_of(request), request.state.actor.id
    number = application.number
    path = f"/permits/applications/{number}"
    if action == "link":
        secret = await run_command(
            "application.link",
            police.replace_tracking,
            actor_id,
            number,
            reason=fields.text("reason"),
        )
        fresh = await run_in_threadpool(police.find_application, number)
        assert fresh is not None
        await _write(request, "link", fresh, tracking_path(number, secret))
        # Shown once to the clerk, who may give it by phone when the applicant has no email.
        return RedirectResponse(f"{path}?lien={secret}#suivi", status_code=303)
    version = fields.version()
    if action == "documents":
        await run_command(
            "application.request_documents",
            police.request_documents,
            actor_id,
            number,
            missing=fields.text("missing"),
            expected_version=version,
        )
    elif action == "visit":
        await run_command(
            "application.request_visit",
            police.request_site_visit,
            actor_id,
            number,
            note=fields.text("note"),
            expected_version=version,
        )
    elif action == "lift_hold":
        await run_command(
            "application.lift_hold", police.lift_hold, actor_id, number, expected_version=version
        )
    elif action == "refuse":
        await run_command(
            "application.refuse",
            police.refuse_application,
            actor_id,
            number,
            reasons=fields.text("reasons"),
            expected_version=version,
        )
    else:
        await run_command(
            "application.grant",
            police.grant_application,
            actor_id,
            number,
            fee=_fee(fields.text("fee")),
            valid_from=fields.optional_day("valid_from"),
            valid_until=fields.optional_day("valid_until"),
            structure_id=fields.text("structure_id"),
            position=_position(fields),
            expected_version=version,
        )
    letters = {"documents": "documents", "grant": "granted", "refuse": "refused"}
    if action in letters:
        fresh = await run_in_threadpool(police.find_application, number)
        assert fresh is not None
        await _write(request, letters[action], fresh)
    return RedirectResponse(path, status_code=303)


async def payment(request: Request) -> Response:
    """The cashier records a permit's fee as paid, with the receipt's number."""
    try:
        number = normalize_permit_number(request.path_params["number"])
    except InvalidInput:
        raise NotFound(N_("Autorisation introuvable.")) from None
    fields = form_parsing.Fields(await request.form(**FORM_LIMITS))
    await run_command(
        "permit.payment",
        police_of(request).record_permit_payment,
        request.state.actor.id,
        number,
        receipt_number=fields.text("receipt_number"),
        amount_paid=fields.amount("amount"),
        expected_version=fields.version(),
    )
    return RedirectResponse(f"/permits/{number}", status_code=303)


# --- helpers -------------------------------------------------------------------------------


async def _application(request: Request) -> PermitApplication:
    found = await run_in_threadpool(
        police_of(request).find_application, request.path_params["number"]
    )
    if found is None:
        raise NotFound(_NO_FILE)
    return found


def _position(fields: form_parsing.Fields) -> tuple[float, float] | None:
    """The pin the office placed on granting, when it placed one."""
    if not fields.text("lat") and not fields.text("lon"):
        return None
    errors = FormErrors()
    lat, lon = (decimal_in(fields.text(n), "location", errors) for n in ("lat", "lon"))
    if lat is None or lon is None:
        raise InvalidInput(N_("Position GPS incomplète (latitude et longitude)."), field="location")
    return (float(lat), float(lon))


def _fee(text: str) -> Decimal:
    """The fee the office sets (zero is a fee: some occupations are free)."""
    if text.strip() in ("0", "0,00", "0.00"):
        return Decimal(0)
    return form_parsing.amount(text, "fee")


async def _write(
    request: Request, kind: str, application: PermitApplication, path: str = ""
) -> bool:
    link = services(request).settings.web.public_url + path if path else ""
    message = letter(kind, application, link)
    return await run_in_threadpool(send_quietly, services(request).mailer.send, message)
