"""The establishment register as the supervisors read it: every establishment with its hygiene
risk category and the day its routine visit is due, filtered and paged; one establishment with
the reasons for its category, its cases, the hygiene supervisor's form to set the category
by hand (with a reason) or give it back to the rule, and a supervisor's pick of it as the target
of a campaign of theirs."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from police.errors import N_, InvalidInput, NotFound
from police.planning import RiskCategory
from police.roles import Actor, Brigade, Role
from projections.queries import RegisterFilters, RegisterRow
from web import form_parsing, i18n
from web.csrf import FORM_LIMITS
from web.metrics import run_command
from web.routing import route
from web.state import fresh_read_models, pages_of, police_of, read_models_of

PER_PAGE = 50
_NO_ESTABLISHMENT = N_("Établissement introuvable.")
DUE_VIEWS: dict[str, str] = {
    "": N_("Toutes"),
    "overdue": N_("En retard"),
    "due": N_("Dues dans les 30 jours"),
}


def routes() -> list[Route]:
    return [
        route("/register", register, name="register.list"),
        route("/register/{subject_id:uuid}", establishment, name="register.show"),
        route(
            "/register/{subject_id:uuid}/campaign",
            to_campaign,
            name="register.to_campaign",
            methods=["POST"],
        ),
        route(
            "/register/{subject_id:uuid}/risk",
            override,
            name="register.override",
            methods=["POST"],
        ),
    ]


def _filters(request: Request) -> RegisterFilters:
    q = request.query_params
    arrondissements = police_of(request).territory.arrondissements
    category, due, where = q.get("category", ""), q.get("due", ""), q.get("arrondissement", "")
    return RegisterFilters(
        arrondissement=where if where in arrondissements else "",
        category=category if category in set(RiskCategory) else "",
        due=due if due in DUE_VIEWS else "",
        text=form_parsing.search_text(q.get("q", "")),
    )


def _filter_url(filters: RegisterFilters, **changes: Any) -> str:
    values = {
        "arrondissement": filters.arrondissement,
        "category": filters.category,
        "due": filters.due,
        "q": filters.text,
    } | changes
    return urlencode({k: v for k, v in values.items() if v not in ("", None)})


async def register(request: Request) -> Response:
    await fresh_read_models(request)
    filters = _filters(request)
    page_number = form_parsing.whole_number(request.query_params.get("page", "1")) or 1
    today = police_of(request).today()
    models = read_models_of(request)
    page = await run_in_threadpool(models.register_page, filters, today, page_number, PER_PAGE)
    context = {
        "filters": filters,
        "page": page,
        "filter_url": lambda **changes: _filter_url(filters, **changes),
        "categories": list(RiskCategory),
        "due_views": DUE_VIEWS,
        "arrondissements": sorted(
            police_of(request).territory.arrondissements.values(), key=lambda a: a.name_fr
        ),
    }
    template = "register/_table.html" if request.headers.get("hx-request") else "register/list.html"
    return pages_of(request).render(request, template, context)


def reasons_worded(row: RegisterRow) -> list[tuple[str, int]]:
    """Each reason for the computed category in the reader's language, with its points."""
    return [(i18n.gettext_(r.text).format(**r.params), r.points) for r in row.reasons]


async def _row(request: Request) -> RegisterRow:
    await fresh_read_models(request)
    subject_id = str(request.path_params["subject_id"])
    row = await run_in_threadpool(read_models_of(request).register_row, subject_id)
    if row is None:
        raise NotFound(_NO_ESTABLISHMENT)
    return row


async def _page(
    request: Request,
    row: RegisterRow,
    errors: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    actor: Actor = request.state.actor
    brigades = [b.value for b in Brigade if actor.in_scope(b)]
    cases = await run_in_threadpool(read_models_of(request).subject_cases, row.subject_id, brigades)
    today = police_of(request).today()
    campaigns = [
        c
        for c in await run_in_threadpool(read_models_of(request).campaigns, tuple(brigades))
        if c.status(today) in ("planned", "running") and actor.has_role(Role.SUPERVISOR)
    ]
    context = {
        "row": row,
        "reasons": reasons_worded(row),
        "cases": cases,
        "campaigns": campaigns,
        "categories": list(RiskCategory),
        "may_override": actor.has_role(Role.SUPERVISOR) and actor.in_scope(Brigade.HYGIENE),
        "errors": errors or {},
        "form": form or {},
    }
    return pages_of(request).render(request, "register/show.html", context, status=status)


async def establishment(request: Request) -> Response:
    return await _page(request, await _row(request))


async def to_campaign(request: Request) -> Response:
    """Any establishment of the register, picked by the supervisor as a campaign's target."""
    row = await _row(request)
    fields = form_parsing.Fields(await request.form(**FORM_LIMITS))
    target = {
        "key": f"subject:{row.subject_id}",
        "kind": "establishment",
        "label": row.label,
        "arrondissement": row.arrondissement,
        "address": row.address,
        "lat": row.lat,
        "lon": row.lon,
    }
    number = fields.text("campaign")[:40]
    await run_command(
        "register.to_campaign",
        police_of(request).add_campaign_targets,
        request.state.actor.id,
        number,
        [target],
    )
    return RedirectResponse(f"/campaigns/{number}", status_code=303)


async def override(request: Request) -> Response:
    """Sets the category by hand with a reason, or ("" for the category) gives it back to the
    rule; the domain checks the hygiene supervisor."""
    fields = form_parsing.Fields(await request.form(**FORM_LIMITS))
    subject_id = request.path_params["subject_id"]
    category, reason = fields.text("category"), fields.text("reason")
    try:
        await run_command(
            "register.override",
            police_of(request).override_risk,
            request.state.actor.id,
            subject_id,
            category,
            reason,
        )
    except InvalidInput as refused:
        row = await _row(request)
        errors = {refused.field or "category": refused.translated(i18n.gettext_)}
        form = {"category": category, "reason": reason}
        return await _page(request, row, errors, form, status=400)
    return RedirectResponse(f"/register/{subject_id}", status_code=303)
