"""Legal staff's side: preview and issue notices, download them (the stored bytes, unchanged),
record service, fines, payments and appeals; and the public verification page the QR code of
every notice points to."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any
from uuid import UUID

from starlette.concurrency import iterate_in_threadpool, run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Route

from police.aggregates.access import Viewed
from police.errors import N_, InvalidInput, NotFound
from police.roles import Actor
from police.workflow import NOTICE_RULES, NoticeKind
from storage import ObjectMissing, ObjectStore
from web import form_parsing
from web.metrics import NOTICE_RENDERS, run_command
from web.pages.cases import visible_case
from web.routing import FORM_LIMITS, route
from web.state import police_of, read_models_of

_NO_NOTICE = N_("Avis introuvable.")
# The preview is the notice's own HTML (inline stylesheet, QR as a data URI): no script at all.
PREVIEW_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox"


def routes() -> list[Route]:
    return [
        route("/cases/{case_id:uuid}/notices/{kind}/preview", preview, name="notices.preview"),
        route(
            "/cases/{case_id:uuid}/notices/{kind}", issue, name="notices.issue", methods=["POST"]
        ),
        route(
            "/cases/{case_id:uuid}/legal/{action}", legal_action, name="legal.act", methods=["POST"]
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
        public_url=request.app.state.settings.web.public_url,
    )
    # The notice's own stylesheet is inline: this page gets a CSP of its own.
    return HTMLResponse(
        html,
        headers={"Content-Security-Policy": PREVIEW_CSP},
    )


async def issue(request: Request) -> Response:
    case_id: UUID = request.path_params["case_id"]
    await visible_case(request, case_id)
    form = await request.form(**FORM_LIMITS)
    deadline = form_parsing.optional_day(str(form.get("deadline", "")), "deadline")
    replaces = str(form.get("replaces", "")).strip() or None
    kind = request.path_params["kind"]
    police = police_of(request)
    with NOTICE_RENDERS.labels(kind).time():
        await run_command(
            "issue_notice",
            police.issue_notice,
            case_id,
            request.state.actor.id,
            kind,
            store=request.app.state.store,
            public_url=request.app.state.settings.web.public_url,
            deadline=deadline,
            replaces=replaces,
        )
    return RedirectResponse(f"/cases/{case_id}#notices", status_code=303)


async def download(request: Request) -> Response:
    """The PDF exactly as stored when issued, to users who may see its case."""
    number = request.path_params["number"]
    notice = await run_in_threadpool(read_models_of(request).notice, number)
    if notice is None:
        raise NotFound(_NO_NOTICE)
    await visible_case(request, UUID(notice.case_id))
    actor: Actor = request.state.actor
    await run_in_threadpool(
        police_of(request).record_view, actor.id, Viewed.NOTICE, UUID(notice.case_id), number
    )
    store: ObjectStore = request.app.state.store
    try:
        chunks = await run_in_threadpool(store.open, notice.object_key)
    except ObjectMissing:
        raise NotFound(_NO_NOTICE) from None
    return StreamingResponse(
        iterate_in_threadpool(chunks),
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{number}.pdf"'},
    )


async def verify_page(request: Request) -> Response:
    """Public: the notice's type, date and status, and whether a PDF is the one issued."""
    number = request.path_params["number"]
    notice = await run_in_threadpool(read_models_of(request).notice, number)
    if notice is None:
        raise NotFound(_NO_NOTICE)
    match: bool | None = None
    if request.method == "POST":
        form = await request.form(max_files=1, max_fields=5)
        upload = form.get("pdf")
        if not isinstance(upload, UploadFile):
            raise InvalidInput(N_("Joignez le fichier PDF à vérifier."), field="pdf")
        digest = hashlib.sha256()
        while chunk := await upload.read(1024 * 1024):
            digest.update(chunk)
        match = digest.hexdigest() == notice.sha256
    context = {
        "notice": notice,
        "kind_label": NOTICE_RULES[NoticeKind(notice.kind)].label,
        "match": match,
    }
    return request.app.state.pages.render(request, "notices/verify.html", context)


async def legal_action(request: Request) -> Response:
    case_id: UUID = request.path_params["case_id"]
    await visible_case(request, case_id)
    form = await request.form(**FORM_LIMITS)
    text = {k: v.strip() for k, v in form.items() if isinstance(v, str)}
    police = police_of(request)
    action = request.path_params["action"]
    commands: dict[str, Callable[[], Any]] = {
        "record_service": lambda: police.record_service(
            case_id,
            request.state.actor.id,
            number=text.get("number", ""),
            method=text.get("method", ""),
            served_on=form_parsing.day(text.get("served_on", ""), "served_on"),
            served_to=text.get("served_to", ""),
        ),
        "impose_fine": lambda: police.impose_fine(
            case_id,
            request.state.actor.id,
            reason=text.get("reason", ""),
            due_on=form_parsing.day(text.get("due_on", ""), "due_on"),
            amount=form_parsing.optional_amount(text.get("amount", "")),
        ),
        "record_payment": lambda: police.record_payment(
            case_id,
            request.state.actor.id,
            amount=form_parsing.amount(text.get("amount", "")),
            receipt_number=text.get("receipt_number", ""),
            paid_on=form_parsing.day(text.get("paid_on", ""), "paid_on"),
        ),
        "file_appeal": lambda: police.file_appeal(
            case_id,
            request.state.actor.id,
            filed_on=form_parsing.day(text.get("filed_on", ""), "filed_on"),
            grounds=text.get("grounds", ""),
            against=text.get("against", ""),
        ),
        "decide_appeal": lambda: police.decide_appeal(
            case_id,
            request.state.actor.id,
            outcome=text.get("outcome", ""),
            decided_on=form_parsing.day(text.get("decided_on", ""), "decided_on"),
            note=text.get("note", ""),
        ),
    }
    if action not in commands:
        raise NotFound(N_("Action inconnue."))
    await run_command(f"legal.{action}", commands[action])
    return RedirectResponse(f"/cases/{case_id}#legal", status_code=303)
