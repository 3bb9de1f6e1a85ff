"""The recipient of a notice, at /mon-avis (printed on the notice): with the notice's number and
the private code printed beside it, they see their own case (the findings, the photos as
renditions, the amounts, deadlines and payment reference), file a contestation with documents,
or declare they complied and ask for the follow-up visit. Each action is an event on the case.

The code is compared in constant time, attempts are limited per address, and a code revoked by
legal staff stops opening the case at the next request: the session keeps only the code's
digest and checks it again each time."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from police.access_codes import code_digest
from police.aggregates.case import Case
from police.app.recipients import BAD_CODE
from police.errors import N_, DomainError, NotAllowed, NotFound
from police.workflow import NOTICE_RULES, STATUS_LABELS, NoticeKind
from storage import ObjectMissing
from storage.evidence import display_of
from web import i18n
from web.application_form import HONEYPOT, is_robot, uploads
from web.csrf import FORM_LIMITS
from web.inspection_form import FormErrors
from web.metrics import run_command
from web.routing import route
from web.state import fresh_read_models, pages_of, police_of, read_models_of, services

SESSION_KEY = "recipient"
_TOO_MANY = N_("Trop d'essais depuis cette connexion : réessayez dans quelques minutes.")
_ROBOT = N_("Envoi refusé : un champ caché du formulaire a été rempli. Rien n'a été enregistré.")
_NO_PHOTO = N_("Photo introuvable.")


def routes() -> list[Route]:
    return [
        route("/mon-avis", door, name="mon_avis.door"),
        route("/mon-avis", open_case, name="mon_avis.open", methods=["POST"]),
        route("/mon-avis/dossier", case_page, name="mon_avis.case"),
        route("/mon-avis/photos/{index:int}", photo, name="mon_avis.photo"),
        route("/mon-avis/contester", contest, name="mon_avis.contest", methods=["POST"]),
        route("/mon-avis/conformite", declare, name="mon_avis.declare", methods=["POST"]),
        route("/mon-avis/quitter", leave, name="mon_avis.leave", methods=["POST"]),
    ]


async def door(request: Request) -> Response:
    values = {"number": request.query_params.get("avis", "")[:40]}
    return _door(request, values, FormErrors())


async def open_case(request: Request) -> Response:
    services(request).access_throttle.check(_client(request), _TOO_MANY)
    form = await request.form(**FORM_LIMITS)
    if is_robot(form):
        return pages_of(request).error(request, 400, _ROBOT)
    number = str(form.get("number", "")).strip().upper()[:40]
    digest = code_digest(str(form.get("code", ""))[:40])
    await fresh_read_models(request)  # a notice issued a moment ago is found
    case = await _recipient_case(request, number, digest)
    if case is None:
        errors = FormErrors()
        errors.add("code", i18n.gettext_(BAD_CODE))
        return _door(request, {"number": number}, errors, status=400)
    request.session[SESSION_KEY] = {"number": number, "digest": digest}
    return RedirectResponse("/mon-avis/dossier", status_code=303)


async def case_page(request: Request) -> Response:
    case, number = await _opened(request)
    police = police_of(request)
    inspections = [await run_in_threadpool(police.find_inspection, i) for i in case.inspection_ids]
    photos = [e for i in inspections if i is not None for e in i.evidence if e.get("key")]
    notice = case.notice(number)
    assert notice is not None
    rules = police.catalogue.in_force_on(police.today()).rules(case.brigade)
    context: dict[str, Any] = {
        "case": case,
        "number": number,
        "notice": notice,
        "notice_label": NOTICE_RULES[NoticeKind(notice["kind"])].label,
        "status_label": STATUS_LABELS[case.status],
        "photos": photos,
        "payment_reference": (case.ticket or {}).get("number") or case.reference,
        "appeal": case.appeals[-1] if case.appeals else None,
        "may_contest": _may(case.check_contestable, number),
        "may_declare": _may(case.check_declarable),
        "appeal_suspends": rules.appeal_suspends,
        "done": request.query_params.get("fait", ""),
        "honeypot": HONEYPOT,
    }
    return pages_of(request).render(request, "mon_avis/case.html", context)


async def photo(request: Request) -> Response:
    """A photo of the case's inspections, as a rendition re-encoded from its pixels."""
    case, _ = await _opened(request)
    police = police_of(request)
    found = []
    for inspection_id in case.inspection_ids:
        inspection = await run_in_threadpool(police.find_inspection, inspection_id)
        found += [e for e in (inspection.evidence if inspection else []) if e.get("key")]
    index: int = request.path_params["index"]
    if not 0 <= index < len(found):
        raise NotFound(_NO_PHOTO)
    store = services(request).store
    try:
        key = await run_in_threadpool(
            display_of, store, found[index]["key"], found[index]["sha256"]
        )
        data = await run_in_threadpool(police.objects.read, key)
    except ObjectMissing:
        raise NotFound(_NO_PHOTO) from None
    return Response(data, media_type="image/webp", headers={"Cache-Control": "private, no-store"})


async def contest(request: Request) -> Response:
    case, number = await _opened(request)
    form = await request.form(**FORM_LIMITS)
    if is_robot(form):
        return pages_of(request).error(request, 400, _ROBOT)
    await run_command(
        "recipient.contest",
        police_of(request).file_contestation,
        case.id,
        number,
        request.session[SESSION_KEY]["digest"],
        grounds=str(form.get("grounds", "")),
        documents=uploads(form, "documents"),
    )
    return RedirectResponse("/mon-avis/dossier?fait=contestation", status_code=303)


async def declare(request: Request) -> Response:
    case, number = await _opened(request)
    form = await request.form(**FORM_LIMITS)
    if is_robot(form):
        return pages_of(request).error(request, 400, _ROBOT)
    await run_command(
        "recipient.declare",
        police_of(request).declare_compliance,
        case.id,
        number,
        request.session[SESSION_KEY]["digest"],
        statement=str(form.get("statement", "")),
        photos=uploads(form, "photos"),
    )
    return RedirectResponse("/mon-avis/dossier?fait=conformite", status_code=303)


async def leave(request: Request) -> Response:
    request.session.pop(SESSION_KEY, None)
    return RedirectResponse("/mon-avis", status_code=303)


# --- helpers -------------------------------------------------------------------------------


def _client(request: Request) -> str:
    return request.client.host if request.client else "?"


async def _recipient_case(request: Request, number: str, digest: str) -> Case | None:
    notice = await run_in_threadpool(read_models_of(request).notice, number) if number else None
    case_id = UUID(notice.case_id) if notice else None
    return await run_in_threadpool(police_of(request).recipient_case, case_id, number, digest)


async def _opened(request: Request) -> tuple[Case, str]:
    """The case the session's notice and code open now (a revoked code opens nothing)."""
    held = request.session.get(SESSION_KEY)
    if not isinstance(held, dict):
        raise NotAllowed(BAD_CODE)
    case = await _recipient_case(request, str(held.get("number")), str(held.get("digest")))
    if case is None:
        request.session.pop(SESSION_KEY, None)
        raise NotAllowed(BAD_CODE)
    return case, str(held["number"])


def _may(check: Any, *args: Any) -> bool:
    """Whether the case allows it now (the form is shown only then)."""
    try:
        check(*args)
    except DomainError:
        return False
    return True


def _door(
    request: Request, values: dict[str, Any], errors: FormErrors, *, status: int = 200
) -> Response:
    context = {"v": values, "e": errors.fields, "honeypot": HONEYPOT}
    return pages_of(request).render(request, "mon_avis/door.html", context, status=status)
