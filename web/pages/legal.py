"""The legal staff's desk: validated cases awaiting a notice, oldest first, and a day's parking
tickets issued as avis de contravention in one go (with a progress bar), then printed as one PDF
made of the very PDFs issued."""

from __future__ import annotations

import hashlib
from datetime import date
from uuid import UUID

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from police.commands import IssueNotice
from police.errors import N_, Conflict, NotFound
from police.notices.printing import bind
from police.roles import Actor
from police.workflow import NOTICE_RULES, CaseStatus, NoticeKind
from projections.queries import CaseFilters, DayTicket
from storage import ObjectStore
from web import form_parsing
from web.case_filters import scope_of
from web.metrics import NOTICE_RENDERS
from web.routing import route, shows
from web.state import fresh_read_models, pages_of, police_of, read_models_of, services
from web.ticket_batches import TicketBatches

QUEUE_SIZE = 50
_TICKET = NoticeKind.AVIS_CONTRAVENTION


def routes() -> list[Route]:
    return [
        route("/legal", desk, name="legal.desk"),
        # Before "/legal/tickets/{day}", which would also match "2026-11-22.pdf".
        route("/legal/tickets/{day}.pdf", tickets_pdf, name="legal.tickets_pdf"),
        route("/legal/tickets/{day}", tickets, name="legal.tickets"),
        route("/legal/tickets/{day}", issue_tickets, name="legal.tickets_issue", methods=["POST"]),
    ]


def _batches(request: Request) -> TicketBatches:
    return services(request).ticket_batches


def _pending(tickets: list[DayTicket]) -> list[DayTicket]:
    """Tickets whose avis may be issued now: not yet issued, case still sanctioned."""
    statuses = NOTICE_RULES[_TICKET].statuses
    return [t for t in tickets if t.notice_number is None and CaseStatus(t.status) in statuses]


async def desk(request: Request) -> Response:
    await fresh_read_models(request)
    actor: Actor = request.state.actor
    scope = scope_of(actor)
    raw_day = request.query_params.get("day", "")
    day = form_parsing.day(raw_day, "day") if raw_day else police_of(request).today()
    queue = await run_in_threadpool(
        read_models_of(request).case_list,
        CaseFilters(brigades=scope, status=CaseStatus.VALIDATED),
        "opened",
        "asc",
        1,
        QUEUE_SIZE,
    )
    context = {"queue": queue} | await _tickets_context(request, day)
    return pages_of(request).render(request, "legal/desk.html", context)


async def tickets(request: Request) -> Response:
    """The progress fragment htmx polls while a batch runs."""
    await fresh_read_models(request)
    context = await _tickets_context(request, form_parsing.day(request.path_params["day"], "day"))
    return pages_of(request).render(request, "legal/_tickets.html", context)


async def _tickets_context(request: Request, day: date) -> dict[str, object]:
    scope = scope_of(request.state.actor)
    rows = await run_in_threadpool(read_models_of(request).day_tickets, day, scope)
    pending = _pending(rows)
    issued = [t for t in rows if t.notice_number is not None]
    batch = _batches(request).get(day, scope)
    running = batch is not None and batch.running
    # A batch started by another worker: keep watching while avis remain to be issued.
    watching = request.query_params.get("started") == "1" and batch is None
    return {
        "day": day,
        "tickets": rows,
        "issued": len(issued),
        "pending": len(pending),
        "total": len(issued) + len(pending),
        "batch": batch,
        "polling": bool(pending) and (running or watching),
    }


async def issue_tickets(request: Request) -> Response:
    actor: Actor = request.state.actor
    day = form_parsing.day(request.path_params["day"], "day")
    await fresh_read_models(request)
    scope = scope_of(actor)
    rows = await run_in_threadpool(read_models_of(request).day_tickets, day, scope)
    police = police_of(request)
    public_url = services(request).settings.web.public_url

    def issue(case_id: UUID) -> object:
        with NOTICE_RENDERS.labels(_TICKET.value).time():
            return police.issue_notice(
                IssueNotice(case_id=case_id, kind=_TICKET), actor.id, public_url=public_url
            )

    cases = [(UUID(t.case_id), t.reference) for t in _pending(rows)]
    if cases:
        _batches(request).start(day, scope, cases, issue)
    return RedirectResponse(f"/legal?day={day.isoformat()}&started=1#tickets", status_code=303)


async def tickets_pdf(request: Request) -> Response:
    """Every avis of the day, bound into one PDF to print: the stored bytes, each re-hashed."""
    actor: Actor = request.state.actor
    day = form_parsing.day(request.path_params["day"], "day")
    await fresh_read_models(request)
    rows = await run_in_threadpool(read_models_of(request).day_tickets, day, scope_of(actor))
    issued = [t for t in rows if t.notice_number is not None]
    if not issued:
        raise NotFound(N_("Aucun avis de contravention émis pour ce jour."))
    pdf = await run_in_threadpool(_bound, services(request).store, issued)
    for t in issued:
        shows(request, UUID(t.case_id), str(t.notice_number))
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="avis-{day.isoformat()}.pdf"'},
    )


def _bound(store: ObjectStore, issued: list[DayTicket]) -> bytes:
    pdfs = []
    for ticket in issued:
        assert ticket.notice_key is not None
        pdf = store.read(ticket.notice_key)
        if hashlib.sha256(pdf).hexdigest() != ticket.notice_sha256:
            raise Conflict(
                N_("L'avis {number} ne correspond plus à son empreinte : impression refusée."),
                number=ticket.notice_number,
            )
        pdfs.append(pdf)
    return bind(pdfs)
