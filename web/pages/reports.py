"""Residents' reports on the staff's side: the supervisors' triage queue per brigade (new reports
oldest first, on a map, with their deadline and the late ones flagged, and the figures), one
report with its photos and the open reports near it, and the triage (dispatch to an officer,
merge as a duplicate, refuse with a reason); for the officer it is sent to, the visit to make
and the inspection form filled in from it. The followers are written each change of status.

A reporter's contact is never shown here: staff see what was reported, not who reported it.
"""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from police.aggregates.report import Report, ReportStatus
from police.errors import N_, NotAllowed, NotFound
from police.report_wording import TITLES
from police.roles import Actor, Brigade, Role
from storage import ObjectMissing
from storage.evidence import display_of
from web import form_parsing
from web.csrf import FORM_LIMITS
from web.metrics import run_command
from web.reporter_mail import send_all, update_letters
from web.routing import route, shows
from web.state import fresh_read_models, pages_of, police_of, read_models_of, services

_NO_REPORT = N_("Signalement introuvable.")
_NO_PHOTO = N_("Photo introuvable.")
_NO_OFFICER = N_("Choisissez un agent actif de la brigade.")
ACTIONS = ("dispatch", "merge", "refuse")
# The queue's tabs, one per status, in the order a report goes.
VIEWS: dict[str, str] = {
    "received": N_("À trier"),
    "planned": N_("Visites prévues"),
    "infraction_found": N_("Infraction constatée"),
    "no_infraction": N_("Sans infraction"),
    "duplicate": N_("Doublons"),
    "not_for_service": N_("Hors compétence"),
}


def routes() -> list[Route]:
    return [
        route("/reports", queue, name="reports.queue"),
        route("/reports/{number}", report_page, name="reports.show"),
        route("/reports/{number}/photos/{index:int}", photo, name="reports.photo"),
        route("/reports/{number}/{action}", act, name="reports.act", methods=["POST"]),
        route("/officer/reports/{number}", visit, name="reports.visit"),
    ]


def _brigades(actor: Actor) -> list[Brigade]:
    return [b for b in Brigade if actor.in_scope(b)]


async def queue(request: Request) -> Response:
    actor: Actor = request.state.actor
    status = request.query_params.get("statut", "received")
    if status not in VIEWS:
        status = "received"
    brigades = {b.value for b in _brigades(actor)}
    await fresh_read_models(request)
    models = read_models_of(request)
    rows = await run_in_threadpool(lambda: models.report_queue(brigades, status=status))
    kpis = await run_in_threadpool(models.report_kpis, brigades)
    categories = police_of(request).report_categories.categories
    context = {
        "rows": rows,
        "kpis": kpis,
        "status": status,
        "views": VIEWS,
        "titles": TITLES,
        "categories": categories,
        "late": sum(1 for r in rows if r.late),
        "points": [
            {
                "lat": r.lat,
                "lon": r.lon,
                "number": r.number,
                "late": r.late,
                "href": f"/reports/{r.number}",
            }
            for r in rows
        ],
    }
    return pages_of(request).render(request, "reports/queue.html", context)


async def report_page(request: Request) -> Response:
    report = await _report(request)
    police = police_of(request)
    await fresh_read_models(request)
    models = read_models_of(request)
    near = await run_in_threadpool(
        models.reports_near, report.category, report.location["lat"], report.location["lon"]
    )
    officers = await run_in_threadpool(models.officers, report.brigade)
    shows(request, report.id, report.number)
    others = [r for r in near if r.number != report.number]
    context = {
        "report": report,
        "points": [
            {"lat": report.location["lat"], "lon": report.location["lon"], "number": report.number},
            *(
                {
                    "lat": r.lat,
                    "lon": r.lon,
                    "number": r.number,
                    "near": True,
                    "href": f"/reports/{r.number}",
                }
                for r in others
            ),
        ],
        "status": report.status.value,
        "titles": TITLES,
        "category": police.report_categories.categories.get(report.category),
        "near": others,
        "officers": sorted(officers, key=lambda o: o[1]),
        "officer_names": dict(officers),
        "may_triage": report.status is ReportStatus.RECEIVED,
    }
    return pages_of(request).render(request, "reports/show.html", context)


async def act(request: Request) -> Response:
    report = await _report(request)
    action = request.path_params["action"]
    if action not in ACTIONS:
        raise NotFound(N_("Cette page n'existe pas."))
    fields = form_parsing.Fields(await request.form(**FORM_LIMITS))
    police, actor_id = police_of(request), request.state.actor.id
    number, version = report.number, fields.version()
    if action == "dispatch":
        await run_command(
            "report.dispatch",
            police.dispatch_report,
            actor_id,
            number,
            officer_id=fields.optional_id("officer_id", _NO_OFFICER),
            note=fields.text("note"),
            expected_version=version,
        )
    elif action == "merge":
        await run_command(
            "report.merge",
            police.merge_report,
            actor_id,
            number,
            original=fields.text("original"),
            expected_version=version,
        )
    else:
        await run_command(
            "report.refuse",
            police.refuse_report,
            actor_id,
            number,
            reason=fields.text("reason"),
            expected_version=version,
        )
    await tell_followers(request, number)
    return RedirectResponse(f"/reports/{number}", status_code=303)


async def tell_followers(request: Request, number: str) -> int:
    """Writes the report's new status to everyone who follows it (and its duplicates)."""
    police = police_of(request)

    def letters() -> list[Any]:
        report = police.find_report(number)
        if report is None:
            return []
        merged = [police.find_report(n) for n in report.duplicates]
        return update_letters(report, [m for m in merged if m is not None])

    found = await run_in_threadpool(letters)
    return await run_in_threadpool(send_all, services(request).mailer.send, found)


async def photo(request: Request) -> Response:
    """A report's photo, as a rendition re-encoded from its pixels (``?mini=1``: its thumbnail),
    to the brigade's supervisors and the officer it is sent to."""
    report = await _report(request, for_officer=True)
    index: int = request.path_params["index"]
    if not 0 <= index < len(report.photos):
        raise NotFound(_NO_PHOTO)
    stored = report.photos[index]
    store = services(request).store
    shows(request, report.id, f"{report.number} photo {index + 1}")
    try:
        if request.query_params.get("mini") and stored.get("thumbnail_key"):
            key = stored["thumbnail_key"]
        else:
            key = await run_in_threadpool(display_of, store, stored["key"], stored["sha256"])
        data = await run_in_threadpool(police_of(request).objects.read, key)
    except ObjectMissing:
        raise NotFound(_NO_PHOTO) from None
    return Response(
        data,
        media_type="image/webp",
        headers={"Cache-Control": "private, max-age=86400, immutable"},
    )


async def visit(request: Request) -> Response:
    """The officer's visit of a report sent to them: where, what was described, the photos,
    and the inspection form filled in from it."""
    report = await _report(request, for_officer=True)
    shows(request, report.id, report.number)
    context = {
        "report": report,
        "category": police_of(request).report_categories.categories.get(report.category),
    }
    return pages_of(request).render(request, "reports/visit.html", context)


async def report_values(request: Request, number: str, brigade: Brigade) -> dict[str, Any]:
    """The inspection form of a report's visit: its place, and the report it answers."""
    actor: Actor = request.state.actor
    report = await run_in_threadpool(police_of(request).report_for_visit, actor.id, number)
    if report.brigade != brigade:
        raise NotFound(_NO_REPORT)
    place = report.location
    return {
        "report_number": report.number,
        "report_description": report.description,
        "address": place.get("address") or "",
        "arrondissement": place["arrondissement"],
        "lat": place["lat"],
        "lon": place["lon"],
    }


async def _report(request: Request, *, for_officer: bool = False) -> Report:
    """The report, for a supervisor of its brigade (or, ``for_officer``, the officer it was
    sent to while the visit is to make); the same 404 otherwise."""
    actor: Actor = request.state.actor
    report = await run_in_threadpool(police_of(request).find_report, request.path_params["number"])
    if report is None or not actor.in_scope(report.brigade):
        raise NotFound(_NO_REPORT)
    if actor.has_role(Role.SUPERVISOR):
        return report
    given = await run_in_threadpool(
        read_models_of(request).visit_row, f"report:{report.number}", police_of(request).today()
    )
    sent_to_me = (
        (given.officer_id == str(actor.id))
        if given is not None
        else (report.dispatch is not None and report.dispatch["officer_id"] == actor.id)
    )
    if for_officer and sent_to_me and report.status is ReportStatus.PLANNED:
        return report
    raise NotAllowed(N_("Ce signalement est trié par le chef de brigade."))
