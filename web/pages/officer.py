"""The officer's pages, phone first: the inspection form per brigade (blank, or filled from the
day's visit: ``web.pages.officer_day``), the receipt, and the repeat-offender lookup as a plate
or ICE is typed."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any
from uuid import UUID

from starlette.concurrency import iterate_in_threadpool, run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    JSONResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)
from starlette.routing import Route

from police import permit_check
from police.app import InspectionReceipt, PoliceApp
from police.errors import N_, InvalidInput, NotFound
from police.evidence import Photo
from police.identifiers import SubjectKind, normalize_cin, normalize_ice, normalize_plate
from police.permit_terms import KIND_LABELS, STATE_LABELS
from police.roles import Actor, Brigade, Role
from police.workflow import NoticeKind
from storage import ObjectMissing
from web import i18n
from web.csrf import FORM_LIMITS
from web.inspection_form import FormErrors, form_values, form_view, parse_submission
from web.metrics import run_command
from web.pages import officer_day
from web.pages.reports import report_values, tell_followers
from web.rendering import wants_json
from web.routing import route, shows
from web.state import fresh_read_models, pages_of, police_of, read_models_of, services

_NO_INSPECTION = N_("Contrôle introuvable.")
_NO_TICKET = N_("Avis de contravention pas encore émis.")
SERVICE_WORKER = Path(__file__).parents[1] / "static" / "sw.js"


def routes() -> list[Route]:
    return [
        route("/officer", officer_day.home, name="officer.home"),
        route("/officer/inspections/new/{brigade}", new_inspection, name="officer.new"),
        route("/officer/inspections", submit, name="officer.submit", methods=["POST"]),
        route("/officer/inspections/{inspection_id:uuid}", receipt, name="officer.receipt"),
        route(
            "/officer/inspections/{inspection_id:uuid}/ticket.pdf",
            ticket_pdf,
            name="officer.ticket",
        ),
        route("/officer/lookup", lookup, name="officer.lookup"),
        route("/officer/permits/near", permits_near, name="officer.permits_near"),
        route("/sw.js", service_worker, name="service_worker"),
    ]


async def new_inspection(request: Request) -> Response:
    brigade = _brigade(request.path_params["brigade"], request.state.actor)
    values: dict[str, Any] = {}
    if follow_up := request.query_params.get("follow_up"):
        values = await run_in_threadpool(_follow_up_values, police_of(request), follow_up, brigade)
    elif number := request.query_params.get("report"):
        values = await report_values(request, number, brigade)
    elif visit := request.query_params.get("visit"):
        values = await officer_day.visit_values(request, visit[:200], brigade)
    return _form(request, brigade, values)


async def submit(request: Request) -> Response:
    form = await request.form(**FORM_LIMITS)
    actor: Actor = request.state.actor
    brigade = _brigade(str(form.get("brigade", "")), actor)
    police = police_of(request)
    errors = FormErrors()
    submission = parse_submission(brigade, form, errors, police.territory.timezone)
    if submission is not None:
        photos = [
            Photo(f.filename, f.file)
            for f in form.getlist("photos")
            if isinstance(f, UploadFile) and f.filename
        ]
        try:
            result: InspectionReceipt = await run_command(
                "record_inspection", police.record_inspection, submission, actor.id, photos
            )
        except InvalidInput as refused:
            errors.add(refused.field, refused.translated(i18n.gettext_))
    if errors:
        if wants_json(request):
            return JSONResponse({"errors": errors.fields}, status_code=400)
        return _form(request, brigade, form_values(form), errors, status=400)
    if submission is not None and submission.report_number and not result.duplicate:
        await tell_followers(request, submission.report_number)
    if wants_json(request):
        return JSONResponse(_receipt_json(result))
    return RedirectResponse(f"/officer/inspections/{result.inspection_id}", status_code=303)


async def receipt(request: Request) -> Response:
    police = police_of(request)
    inspection_id: UUID = request.path_params["inspection_id"]
    actor: Actor = request.state.actor
    inspection = await run_in_threadpool(police.get_inspection, inspection_id)
    if not inspection.may_attach_evidence(actor):  # its officer, or a supervisor of the brigade
        raise NotFound(_NO_INSPECTION)
    shows(request, inspection_id)
    result = await run_in_threadpool(police.inspection_receipt, inspection_id)
    context = {"receipt": result, "inspection": inspection}
    return pages_of(request).render(request, "officer/receipt.html", context)


async def ticket_pdf(request: Request) -> Response:
    """The ticket's avis de contravention, as stored when it was issued, for its officer to show
    or print from the phone."""
    police = police_of(request)
    inspection_id: UUID = request.path_params["inspection_id"]
    actor: Actor = request.state.actor
    inspection = await run_in_threadpool(police.get_inspection, inspection_id)
    if not inspection.may_attach_evidence(actor):
        raise NotFound(_NO_INSPECTION)
    if inspection.case_id is None:
        raise NotFound(_NO_TICKET)
    case = await run_in_threadpool(police.get_case, inspection.case_id)
    notice = case.notice_in_force(NoticeKind.AVIS_CONTRAVENTION)
    if notice is None:
        raise NotFound(_NO_TICKET)
    try:
        chunks = await run_in_threadpool(services(request).store.open, notice["key"])
    except ObjectMissing:
        raise NotFound(_NO_TICKET) from None
    shows(request, case.id, notice["number"])
    return StreamingResponse(
        iterate_in_threadpool(chunks),
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{notice["number"]}.pdf"'},
    )


async def lookup(request: Request) -> Response:
    """What is on file for the plate, ICE or CIN being typed: a fragment under the field."""
    params = request.query_params
    kind, raw = next(((k, params[k]) for k in ("plate", "ice", "cin") if params.get(k)), ("", ""))
    context: dict[str, Any] = {}
    if kind:
        try:
            key, shown = _subject_key(kind, raw, params.get("foreign_plate") == "on")
        except InvalidInput as invalid:
            context["invalid"] = invalid.translated(i18n.gettext_)
        else:
            subject = await run_in_threadpool(police_of(request).find_subject, key)
            actor: Actor = request.state.actor
            # Only the cases of the officer's own brigades: another brigade's are not theirs.
            cases = [c for c in (subject.cases if subject else []) if actor.in_scope(c["brigade"])]
            context.update(shown=shown, subject=subject, cases=cases)
    return pages_of(request).render(request, "officer/_lookup.html", context)


async def permits_near(request: Request) -> Response:
    """The permits within 50 m of the phone, nearest first, to pick one on the public-domain
    form (a fragment of radio buttons and a small map); the officer may still type a number,
    a billboard's structure identifier, or say that no permit was found."""
    lat = _coordinate(request.query_params.get("lat", ""), 90)
    lon = _coordinate(request.query_params.get("lon", ""), 180)
    permits = []
    if lat is not None and lon is not None:
        await fresh_read_models(request)
        permits = await run_in_threadpool(read_models_of(request).permits_near, lat, lon)
    context = {
        "permits": permits,
        "located": lat is not None and lon is not None,
        "picked": request.query_params.get("permit_pick", ""),
        "points": [
            {"lat": p.lat, "lon": p.lon, "number": p.number, "state": p.state} for p in permits
        ],
        "here": [lat, lon],
        "kind_labels": KIND_LABELS,
        "state_labels": STATE_LABELS,
    }
    return pages_of(request).render(request, "officer/_permits_near.html", context)


def _coordinate(value: str, limit: float) -> float | None:
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) and abs(number) <= limit else None


async def service_worker(request: Request) -> Response:
    """Served from the root so that it may control the officer's pages offline."""
    return FileResponse(
        SERVICE_WORKER, media_type="text/javascript", headers={"Cache-Control": "no-cache"}
    )


# --- helpers ---------------------------------------------------------------------------------


def _brigade(value: str, actor: Actor) -> Brigade:
    try:
        brigade = Brigade(value)
    except ValueError:
        raise NotFound(N_("Brigade inconnue.")) from None
    actor.require([Role.OFFICER, Role.SUPERVISOR], brigade)
    return brigade


def _form(
    request: Request,
    brigade: Brigade,
    values: dict[str, Any],
    errors: FormErrors | None = None,
    status: int = 200,
) -> Response:
    police = police_of(request)
    catalogue = police.catalogue.in_force_on(police.today())
    view = form_view(brigade, catalogue, values, errors)
    arrondissements = sorted(police.territory.arrondissements.values(), key=lambda a: a.name_fr)
    context = {"form": view, "arrondissements": arrondissements, "permit_fines": {}}
    if brigade is Brigade.PUBLIC_DOMAIN:
        # What the phone proposes as the permit check's finding, with its fine of the day.
        context["permit_fines"] = {
            code: {"fine": str(i.fine), "per_m2": i.fine_per_unit}
            for code in permit_check.PROPOSED
            for i in [catalogue.infraction(code, Brigade.PUBLIC_DOMAIN)]
        }
    return pages_of(request).render(request, "officer/form.html", context, status)


def _follow_up_values(police: PoliceApp, case_id: str, brigade: Brigade) -> dict[str, Any]:
    """The form of a follow-up visit, prefilled from the case's opening inspection."""
    try:
        case = police.get_case(UUID(case_id))
    except ValueError:
        raise NotFound(N_("Dossier introuvable.")) from None
    if case.brigade != brigade:
        raise NotFound(N_("Dossier introuvable."))
    opening = police.get_inspection(case.inspection_ids[0])
    subject = opening.subject
    return {
        "follow_up_case_id": str(case.id),
        "follow_up_reference": case.reference,
        "subject_kind": subject["kind"],
        "plate": subject["identifiers"].get("plate_latin", ""),
        "trade_name": subject["label"] if subject["kind"] == SubjectKind.ESTABLISHMENT else "",
        "full_name": subject["label"] if subject["kind"] == SubjectKind.PERSON else "",
        **{k: v for k, v in subject["identifiers"].items() if k in ("ice", "rc", "cin")},
        **{k: v for k, v in subject["details"].items() if k in ("activity", "make", "colour")},
        "arrondissement": opening.location["arrondissement"],
        "address": opening.location["address"],
    }


def _subject_key(kind: str, raw: str, foreign: bool) -> tuple[str, str]:
    if kind == "plate":
        plate = normalize_plate(raw, foreign=foreign)
        return plate.key, plate.latin if i18n.language() == "fr" else plate.canonical
    if kind == "ice":
        ice = normalize_ice(raw)
        return f"ice:{ice}", ice
    cin = normalize_cin(raw)
    return f"cin:{cin}", cin


def _receipt_json(result: InspectionReceipt) -> dict[str, Any]:
    return {
        "inspection_id": str(result.inspection_id),
        "url": f"/officer/inspections/{result.inspection_id}",
        "compliant": result.compliant,
        "case_reference": result.case_reference,
        "ticket_number": result.ticket_number,
        "ticket_amount": i18n.money(result.ticket_amount) if result.ticket_amount else None,
        "repeat_offender": result.repeat_offender,
        "duplicate": result.duplicate,
        "ticket_pdf": f"/officer/inspections/{result.inspection_id}/ticket.pdf"
        if result.ticket_notice
        else None,
    }
