"""Notices: preview and issue them (legal staff), download them (the stored bytes, unchanged),
and the public verification page the QR code of every notice points to."""

from __future__ import annotations

import hashlib
from uuid import UUID

from starlette.concurrency import iterate_in_threadpool, run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Route

from police.commands import IssueNotice
from police.errors import N_, InvalidInput, NotFound
from police.permit_terms import KIND_LABELS, STATE_LABELS
from police.workflow import NOTICE_RULES, NoticeKind
from storage import ObjectMissing
from web import form_parsing
from web.csrf import FORM_LIMITS
from web.metrics import NOTICE_RENDERS, run_command
from web.pages.cases import visible_case
from web.routing import route, shows
from web.state import pages_of, police_of, read_models_of, services

_NO_NOTICE = N_("Avis introuvable.")
# The preview is the notice's own HTML (inline stylesheet, QR as a data URI): no script at all.
PREVIEW_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox"


def routes() -> list[Route]:
    return [
        route("/cases/{case_id:uuid}/notices/{kind}/preview", preview, name="notices.preview"),
        route(
            "/cases/{case_id:uuid}/notices/{kind}", issue, name="notices.issue", methods=["POST"]
        ),
        route("/notices/{number}.pdf", download, name="notices.download"),
        route("/verifier/{number}", verify_page, name="notices.verify", methods=["GET", "POST"]),
    ]


async def preview(request: Request) -> Response:
    case_id: UUID = request.path_params["case_id"]
    await visible_case(request, case_id)
    html = await run_in_threadpool(
        police_of(request).preview_notice,
        case_id,
        request.state.actor.id,
        request.path_params["kind"],
        public_url=services(request).settings.web.public_url,
    )
    # The notice's own stylesheet is inline: this page gets a CSP of its own.
    return HTMLResponse(
        html,
        headers={"Content-Security-Policy": PREVIEW_CSP},
    )


async def issue(request: Request) -> Response:
    case_id: UUID = request.path_params["case_id"]
    await visible_case(request, case_id)
    try:
        kind = NoticeKind(request.path_params["kind"])
    except ValueError:
        raise NotFound(N_("Type d'avis inconnu.")) from None
    fields = form_parsing.Fields(await request.form(**FORM_LIMITS))
    command = IssueNotice(
        case_id=case_id,
        kind=kind,
        deadline=fields.optional_day("deadline"),
        replaces=fields.text("replaces") or None,
        expected_version=fields.version(),
    )
    police = police_of(request)
    with NOTICE_RENDERS.labels(kind.value).time():
        await run_command(
            "issue_notice",
            police.issue_notice,
            command,
            request.state.actor.id,
            public_url=services(request).settings.web.public_url,
        )
    return RedirectResponse(f"/cases/{case_id}#notices", status_code=303)


async def download(request: Request) -> Response:
    """The PDF exactly as stored when issued, to users who may see its case."""
    number = request.path_params["number"]
    notice = await run_in_threadpool(read_models_of(request).notice, number)
    if notice is None:
        raise NotFound(_NO_NOTICE)
    await visible_case(request, UUID(notice.case_id))
    try:
        chunks = await run_in_threadpool(services(request).store.open, notice.object_key)
    except ObjectMissing:
        raise NotFound(_NO_NOTICE) from None
    shows(request, UUID(notice.case_id), number)
    return StreamingResponse(
        iterate_in_threadpool(chunks),
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{number}.pdf"'},
    )


async def verify_page(request: Request) -> Response:
    """Public: the notice's type, date and status, and whether a PDF is the one issued."""
    client = request.client.host if request.client else "?"
    throttle = services(request).public_throttle
    if throttle.blocked(client):
        return pages_of(request).error(request, 429, _TOO_MANY)
    throttle.hit(client)  # numbers follow one another: a limit keeps the registry from a sweep
    number = request.path_params["number"]
    notice = await run_in_threadpool(read_models_of(request).notice, number)
    if notice is None:
        return await verify_permit(request, number)
    match: bool | None = None
    if request.method == "POST":
        match = await _digest_of_upload(request) == notice.sha256
    context = {
        "notice": notice,
        "kind_label": NOTICE_RULES[NoticeKind(notice.kind)].label,
        "match": match,
    }
    return pages_of(request).render(request, "notices/verify.html", context)


_TOO_MANY = N_("Trop de vérifications depuis cet appareil : réessayez dans quelques minutes.")


async def _digest_of_upload(request: Request) -> str:
    """The SHA-256 of the PDF posted to be checked, read a megabyte at a time."""
    form = await request.form(max_files=1, max_fields=5)
    upload = form.get("pdf")
    if not isinstance(upload, UploadFile):
        raise InvalidInput(N_("Joignez le fichier PDF à vérifier."), field="pdf")
    digest = hashlib.sha256()
    while chunk := await upload.read(1024 * 1024):
        digest.update(chunk)
    return digest.hexdigest()


async def verify_permit(request: Request, number: str) -> Response:
    """Public: a permit's arrêté, as a passer-by or an officer checks it from its QR code: its
    kind, place, surface, validity and state today, and whether a PDF is one of its editions.
    The holder is named when it is an establishment; a person's name stays off a public page."""
    police = police_of(request)
    try:
        permit = await run_in_threadpool(police.find_permit, number)
    except InvalidInput:
        permit = None
    if permit is None:
        raise NotFound(_NO_NOTICE)
    holder = await run_in_threadpool(police.holder_of, permit)
    match: bool | None = None
    if request.method == "POST":
        digest = await _digest_of_upload(request)
        match = any(digest == arrete["sha256"] for arrete in permit.arretes.values())
    context = {
        "permit": permit,
        "state": permit.state_on(police.today()),
        "holder": permit.holder_label if holder and holder.kind == "establishment" else "",
        "kind_labels": KIND_LABELS,
        "state_labels": STATE_LABELS,
        "match": match,
    }
    return pages_of(request).render(request, "notices/verify_permit.html", context)
