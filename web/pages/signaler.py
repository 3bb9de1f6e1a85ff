"""The public report pages: report a problem without an account (a category, the place, a
description, photos, a contact if one wants news), see before sending the open reports of the
same category within 50 m and follow one of them instead, and follow a report by its private
link. Photos of reports and reporters' contacts are never shown here.

These pages are attacked: reports are limited per address, a honeypot field catches robots,
bodies and uploads are capped and checked like evidence, and a wrong link is answered exactly
as an unknown one."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from police.aggregates.report import Report, ReportStatus
from police.app.reports import MAX_PHOTOS
from police.errors import N_, InvalidInput, NotFound
from police.report_wording import EXPLANATIONS, TITLES
from police.roles import Brigade
from web import i18n
from web.application_form import HONEYPOT, is_robot, uploads
from web.csrf import FORM_LIMITS
from web.inspection_form import FormErrors
from web.mail import send_quietly
from web.metrics import run_command
from web.report_form import parse_report, point_of
from web.reporter_mail import received_letter
from web.routing import route
from web.state import fresh_read_models, pages_of, police_of, read_models_of, services

_BAD_LINK = N_(
    "Ce lien de suivi n'ouvre aucun signalement : il est incomplet ou mal recopié. Utilisez "
    "le lien reçu à l'envoi."
)
_TOO_MANY = N_("Trop de signalements envoyés depuis cette connexion : réessayez dans une heure.")
_TOO_MANY_LOOKUPS = N_(
    "Trop de consultations depuis cette connexion : réessayez dans quelques minutes."
)
_ROBOT = N_("Envoi refusé : un champ caché du formulaire a été rempli. Rien n'a été enregistré.")
_TOO_MANY_PHOTOS = N_("Pas plus de {count} photos par signalement.")


def routes() -> list[Route]:
    return [
        route("/signaler", report_form, name="signaler.form"),
        route("/signaler", submit, name="signaler.submit", methods=["POST"]),
        route("/signaler/proches", nearby, name="signaler.nearby"),
        route("/signaler/{number}/suivre", follow, name="signaler.follow", methods=["POST"]),
        route("/signaler/suivi/{number}/{secret}", tracking, name="signaler.track"),
    ]


def tracking_path(number: str, secret: str) -> str:
    return f"/signaler/suivi/{number}/{secret}"


async def report_form(request: Request) -> Response:
    values = {"category": request.query_params.get("categorie", "")}
    return _form(request, values, FormErrors())


async def submit(request: Request) -> Response:
    services(request).report_throttle.check(_client(request), _TOO_MANY)
    form = await request.form(**FORM_LIMITS)
    if is_robot(form):
        return pages_of(request).error(request, 400, _ROBOT)
    errors = FormErrors()
    photos = uploads(form, "photos")
    if len(photos) > MAX_PHOTOS:
        errors.add("photos", i18n.gettext_(_TOO_MANY_PHOTOS).format(count=MAX_PHOTOS))
    asked = parse_report(form, errors, i18n.language())
    values = {k: v for k, v in form.items() if isinstance(v, str)}
    if asked is not None and not errors and form.get("nearby_seen") != "1":
        # Without the page's script, the open reports nearby are shown before it is sent.
        near = await _near(request, asked.category, values.get("lat", ""), values.get("lon", ""))
        if near:
            return _form(request, values | {"nearby_seen": "1"}, errors, near=near)
    police = police_of(request)
    if asked is not None and not errors:
        try:
            sent = await run_command("report.submit", police.submit_report, asked, photos)
        except InvalidInput as refused:
            errors.add(refused.field, refused.translated(i18n.gettext_))
    if errors:
        return _form(request, values, errors, status=400)
    path = tracking_path(sent.number, sent.secret)
    report = await run_in_threadpool(police.find_report, sent.number)
    assert report is not None
    mailed = await _mail(request, report, path)
    return RedirectResponse(f"{path}?envoye={'mail' if mailed else 'ecran'}", status_code=303)


async def nearby(request: Request) -> Response:
    """The open reports of the category within 50 m of the point: a fragment for the form."""
    services(request).public_throttle.check(_client(request), _TOO_MANY_LOOKUPS)
    params = request.query_params
    near = await _near(
        request, params.get("category", ""), params.get("lat", ""), params.get("lon", "")
    )
    return pages_of(request).render(request, "signaler/_nearby.html", _nearby_context(near))


async def follow(request: Request) -> Response:
    """Follows an open report instead of sending the same one (the main form's contact, if any,
    receives its news)."""
    services(request).report_throttle.check(_client(request), _TOO_MANY)
    form = await request.form(**FORM_LIMITS)
    if is_robot(form):
        return pages_of(request).error(request, 400, _ROBOT)
    email, phone = form.get("email", ""), form.get("phone", "")
    followed = await run_command(
        "report.follow",
        police_of(request).follow_report,
        request.path_params["number"],
        email=email if isinstance(email, str) else "",
        phone=phone if isinstance(phone, str) else "",
        language=i18n.language(),
    )
    path = tracking_path(followed.number, followed.secret)
    return RedirectResponse(f"{path}?envoye=suivi", status_code=303)


async def tracking(request: Request) -> Response:
    services(request).public_throttle.check(_client(request), _TOO_MANY_LOOKUPS)
    number, secret = request.path_params["number"], request.path_params["secret"]
    police = police_of(request)
    report = await run_in_threadpool(police.tracked_report, number, secret)
    if report is None:
        raise NotFound(_BAD_LINK)
    original = None
    if report.original is not None:
        original = await run_in_threadpool(police.find_report, report.original)
    shown = original or report  # a duplicate's followers follow its original
    context: dict[str, Any] = {
        "report": report,
        "original": original,
        "shown": shown,
        "status": shown.status.value,
        "title": TITLES[shown.status],
        "explanation": _explanation(report, shown),
        "category": police.report_categories.categories.get(report.category),
        "link": services(request).settings.web.public_url + tracking_path(number, secret),
        "sent": request.query_params.get("envoye", ""),
        "steps": _steps(report, shown),
    }
    return pages_of(request).render(request, "signaler/tracking.html", context)


# --- helpers -------------------------------------------------------------------------------


def _client(request: Request) -> str:
    return request.client.host if request.client else "?"


async def _near(request: Request, category: str, lat: str, lon: str) -> list[Any]:
    point = point_of(lat, lon)
    if point is None or category not in police_of(request).report_categories.categories:
        return []
    await fresh_read_models(request)
    return await run_in_threadpool(read_models_of(request).reports_near, category, *point)


def _nearby_context(near: list[Any]) -> dict[str, Any]:
    return {"near": near}


def _explanation(report: Report, shown: Report) -> str:
    status = shown.status
    day = i18n.day(shown.inspection["on"]) if shown.inspection else ""
    text = i18n.gettext_(EXPLANATIONS[status]).format(
        due=i18n.day(shown.triage_due),
        day=day,
        original=shown.number,
        reason=shown.refusal,
    )
    if report is not shown:
        duplicate = i18n.gettext_(EXPLANATIONS[ReportStatus.DUPLICATE]).format(
            original=shown.number
        )
        return f"{duplicate} {text}"
    return text


def _steps(report: Report, shown: Report) -> list[tuple[str, bool]]:
    """The way a report goes, and how far this one went: received, triaged, inspected."""
    status = shown.status
    triaged = status is not ReportStatus.RECEIVED
    inspected = status in (ReportStatus.INFRACTION_FOUND, ReportStatus.NO_INFRACTION)
    closed_other = status is ReportStatus.NOT_FOR_SERVICE
    return [
        (N_("Reçu"), True),
        (N_("Trié par le chef de brigade"), triaged),
        (N_("Visite de l'agent"), inspected),
        (N_("Suite donnée"), inspected or closed_other),
    ]


async def _mail(request: Request, report: Report, path: str) -> bool:
    link = services(request).settings.web.public_url + path
    message = received_letter(report, link)
    return await run_in_threadpool(send_quietly, services(request).mailer.send, message)


def _form(
    request: Request,
    values: dict[str, Any],
    errors: FormErrors,
    *,
    near: list[Any] | None = None,
    status: int = 200,
) -> Response:
    police = police_of(request)
    bounds = police.territory.bounds
    categories = police.report_categories
    context = {
        "v": values,
        "e": errors.fields,
        "groups": [(b, categories.of_brigade(b)) for b in Brigade],
        "honeypot": HONEYPOT,
        "max_photos": MAX_PHOTOS,
        "map_centre": ((bounds.south + bounds.north) / 2, (bounds.west + bounds.east) / 2),
        **_nearby_context(near or []),
    }
    return pages_of(request).render(request, "signaler/form.html", context, status=status)
