"""The supervisors' planning page, per brigade: who covers which arrondissement (the roster the
rule reads), the open visits with those given to no one and those rolled over from an earlier
day, each reassignable, and the figures: routine coverage, overdue visits per arrondissement,
campaign completion, visits per officer per day."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from police.errors import N_, NotFound
from police.roles import Actor, Brigade
from web import form_parsing
from web.csrf import FORM_LIMITS
from web.metrics import run_command
from web.pages.officer_day import KIND_LABELS
from web.routing import route
from web.state import fresh_read_models, pages_of, police_of, read_models_of

_NO_OFFICER = N_("Choisissez un agent actif de la brigade.")


def routes() -> list[Route]:
    return [
        route("/planning", page, name="planning.show"),
        route("/planning/{brigade}/coverage", coverage, name="planning.coverage", methods=["POST"]),
        route("/planning/{brigade}/reassign", reassign, name="planning.reassign", methods=["POST"]),
    ]


def _brigade(actor: Actor, value: str) -> Brigade:
    mine = [b for b in Brigade if actor.in_scope(b)]
    chosen = next((b for b in mine if b.value == value), mine[0] if mine else None)
    if chosen is None:
        raise NotFound(N_("Brigade inconnue."))
    return chosen


async def page(request: Request) -> Response:
    actor: Actor = request.state.actor
    brigade = _brigade(actor, request.query_params.get("brigade", ""))
    return await _page(request, brigade)


async def _page(request: Request, brigade: Brigade, error: str = "", status: int = 200) -> Response:
    actor: Actor = request.state.actor
    await fresh_read_models(request)
    models = read_models_of(request)
    today = police_of(request).today()

    def read() -> dict[str, Any]:
        officers = models.officers(brigade.value)
        coverage = models.coverage(brigade.value)
        visits = models.brigade_visits(brigade.value, today)
        loads: dict[str | None, int] = {}
        for v in visits:
            loads[v.officer_id] = loads.get(v.officer_id, 0) + 1
        routine = models.routine_coverage(today) if brigade is Brigade.HYGIENE else None
        return {
            "officers": officers,
            "names": dict(officers),
            "coverage": coverage,
            "visits": visits,
            "loads": loads,
            "routine": routine,
            "kpi": models.planning_kpi((brigade.value,), today),
        }

    context = await run_in_threadpool(read)
    territory = police_of(request).territory
    context |= {
        "brigade": brigade,
        "brigades": [b for b in Brigade if actor.in_scope(b)],
        "arrondissements": sorted(territory.arrondissements.values(), key=lambda a: a.name_fr),
        "visit_kinds": KIND_LABELS,
        "error": error,
    }
    return pages_of(request).render(request, "planning/show.html", context, status)


async def coverage(request: Request) -> Response:
    brigade = _brigade(request.state.actor, request.path_params["brigade"])
    form = await request.form(**FORM_LIMITS)
    fields = form_parsing.Fields(form)
    officer = fields.id("officer_id", _NO_OFFICER)
    chosen = [v for v in form.getlist("arrondissement") if isinstance(v, str)]
    await run_command(
        "planning.coverage",
        police_of(request).set_coverage,
        request.state.actor.id,
        brigade.value,
        officer,
        chosen,
    )
    return RedirectResponse(f"/planning?brigade={brigade.value}#roster", status_code=303)


async def reassign(request: Request) -> Response:
    brigade = _brigade(request.state.actor, request.path_params["brigade"])
    fields = form_parsing.Fields(await request.form(**FORM_LIMITS))
    await run_command(
        "planning.reassign",
        police_of(request).reassign_visit,
        request.state.actor.id,
        brigade.value,
        fields.text("visit")[:200],
        fields.id("officer_id", _NO_OFFICER),
    )
    return RedirectResponse(f"/planning?brigade={brigade.value}#visits", status_code=303)
