"""The supervisors' campaigns: their brigades' campaigns with their progress; planning one (its
brigade, theme, dates, arrondissements or a drawn zone, officers, then the targets previewed
and ticked: permits in force, establishments due); one campaign with its targets on a map and
in a table, who each went to and what was found, its summary once over; adding targets and
closing it with a note, both at the version the page showed.

Targets are posted as keys and resolved again through the read model
(``campaign_candidates``): a posted label or position is never trusted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from police.aggregates.campaign import TARGET_KINDS
from police.app.planning import CampaignPlan
from police.errors import N_, InvalidInput, NotFound
from police.roles import Actor, Brigade
from projections.visit_rows import CampaignRow, CampaignTarget
from web import form_parsing, i18n
from web.campaign_form import CampaignForm, kinds_of, parse_campaign
from web.csrf import FORM_LIMITS
from web.inspection_form import FormErrors
from web.metrics import run_command
from web.routing import route
from web.state import fresh_read_models, pages_of, police_of, read_models_of

_NO_CAMPAIGN = N_("Campagne introuvable.")
_GONE = N_("Des cibles cochées ne sont plus à prendre : revoyez la liste, puis recommencez.")
STATUS_LABELS = {
    "planned": N_("Prévue"),
    "running": N_("En cours"),
    "ended": N_("Terminée, à clore"),
    "closed": N_("Close"),
}
KIND_LABELS = {
    "permit": N_("Autorisations en vigueur"),
    "establishment": N_("Établissements à visiter"),
}


def routes() -> list[Route]:
    return [
        route("/campaigns", campaign_list, name="campaigns.list"),
        route("/campaigns/new", new_campaign, name="campaigns.new"),
        route("/campaigns", plan, name="campaigns.plan", methods=["POST"]),
        route("/campaigns/{number}", campaign_page, name="campaigns.show"),
        route(
            "/campaigns/{number}/targets", add_targets, name="campaigns.targets", methods=["POST"]
        ),
        route("/campaigns/{number}/close", close, name="campaigns.close", methods=["POST"]),
    ]


def _brigades(actor: Actor) -> list[Brigade]:
    return [b for b in Brigade if actor.in_scope(b)]


async def campaign_list(request: Request) -> Response:
    await fresh_read_models(request)
    brigades = tuple(b.value for b in _brigades(request.state.actor))
    rows = await run_in_threadpool(read_models_of(request).campaigns, brigades)
    context = {
        "rows": rows,
        "today": police_of(request).today(),
        "status_labels": STATUS_LABELS,
    }
    return pages_of(request).render(request, "campaigns/list.html", context)


# --- planning ------------------------------------------------------------------------------


async def new_campaign(request: Request) -> Response:
    """The empty form; with ``preview`` (the "Voir les cibles" button, htmx or not) the
    candidates of what it says, all ticked."""
    today = police_of(request).today().isoformat()
    items: list[tuple[str, str | UploadFile]] = list(request.query_params.multi_items())
    sent = {k for k, _ in items}
    items += [(k, today) for k in ("starts_on", "ends_on") if k not in sent]
    territory = police_of(request).territory
    form = parse_campaign(FormData(items), territory.arrondissements, FormErrors())
    if not request.query_params.get("preview"):
        return _form(request, form, FormErrors(), candidates=None)
    candidates = await _candidates(request, form, form.kinds)
    if request.headers.get("hx-request"):
        return _candidates_partial(request, candidates)
    return _form(request, form, FormErrors(), candidates=candidates)


def _candidates_partial(request: Request, candidates: list[dict[str, Any]]) -> Response:
    context = {"candidates": candidates, "checked": None, "kind_labels": KIND_LABELS}
    return pages_of(request).render(request, "campaigns/_candidates.html", context)


async def plan(request: Request) -> Response:
    raw = await request.form(**FORM_LIMITS)
    errors = FormErrors()
    form = parse_campaign(raw, police_of(request).territory.arrondissements, errors)
    if form.values.get("step") == "preview":  # the button without JavaScript: nothing written
        candidates = await _candidates(request, form, form.kinds)
        return _form(request, form, FormErrors(), candidates=candidates)
    brigade = form.values.get("brigade", "")
    chosen = await _candidates(request, form, kinds_of(form.keys)) if form.keys else []
    targets = [t for t in chosen if t["key"] in set(form.keys)]
    if len(targets) != len(form.keys):
        errors.add("targets", i18n.gettext_(_GONE))
    if not errors and form.starts_on is not None and form.ends_on is not None:
        try:
            campaign = await run_command(
                "campaign.plan",
                police_of(request).plan_campaign,
                request.state.actor.id,
                CampaignPlan(
                    brigade=brigade,
                    theme=form.values.get("theme", ""),
                    starts_on=form.starts_on,
                    ends_on=form.ends_on,
                    officer_ids=form.officer_ids,
                    arrondissements=form.arrondissements,
                    zone=form.zone,
                    targets=targets,
                ),
            )
        except InvalidInput as refused:
            errors.add(refused.field, refused.translated(i18n.gettext_))
    if errors:
        candidates = await _candidates(request, form, form.kinds or kinds_of(form.keys))
        return _form(request, form, errors, candidates=candidates, status=400)
    return RedirectResponse(f"/campaigns/{campaign.number}", status_code=303)


async def _candidates(
    request: Request, form: CampaignForm, kinds: Collection[str]
) -> list[dict[str, Any]]:
    await fresh_read_models(request)
    models, today = read_models_of(request), police_of(request).today()
    zone = [list(p) for p in form.zone] if form.zone else None
    return await run_in_threadpool(
        models.campaign_candidates,
        form.values.get("brigade", ""),
        form.arrondissements,
        zone,
        kinds,
        today,
    )


def _form(
    request: Request,
    form: CampaignForm,
    errors: FormErrors,
    *,
    candidates: list[dict[str, Any]] | None,
    status: int = 200,
) -> Response:
    actor: Actor = request.state.actor
    brigades = _brigades(actor)
    models = read_models_of(request)
    checked = set(form.keys) if errors and form.keys else None
    context = {
        "v": form.values,
        "e": errors.fields,
        "brigades": brigades,
        "officers": {b.value: models.officers(b.value) for b in brigades},
        "target_kinds": {b.value: TARGET_KINDS[b.value] for b in brigades},
        "kind_labels": KIND_LABELS,
        "arrondissements": _arrondissements(request),
        "candidates": candidates,
        "checked": checked,
        "map_centre": _centre(request),
    }
    return pages_of(request).render(request, "campaigns/form.html", context, status=status)


# --- one campaign --------------------------------------------------------------------------


async def _campaign_row(request: Request) -> CampaignRow:
    """The campaign, for a supervisor of its brigade; "not found" otherwise."""
    await fresh_read_models(request)
    number = request.path_params["number"].strip().upper()[:40]
    row = await run_in_threadpool(read_models_of(request).campaign_row, number)
    if row is None or not request.state.actor.in_scope(row.brigade):
        raise NotFound(_NO_CAMPAIGN)
    return row


async def campaign_page(request: Request) -> Response:
    """The campaign; ``kinds`` (the add-targets preview, htmx or not): the candidates in its
    area that it does not have yet."""
    row = await _campaign_row(request)
    models = read_models_of(request)
    targets = await run_in_threadpool(models.campaign_targets, row.campaign_id)
    given = await run_in_threadpool(models.campaign_assignments, row.campaign_id)
    names = dict(await run_in_threadpool(models.officers, row.brigade))
    kinds = [k for k in request.query_params.getlist("kinds") if k in TARGET_KINDS[row.brigade]]
    candidates = None
    if request.query_params.get("preview"):
        known = {t.target for t in targets}
        found = await _area_candidates(request, row, kinds)
        candidates = [t for t in found if t["key"] not in known]
        if request.headers.get("hx-request"):
            return _candidates_partial(request, candidates)
    today = police_of(request).today()
    status = row.status(today)
    per_officer = Counter[str](given.get(t.target, "") for t in targets)
    visited_by = Counter[str](t.officer_id or "" for t in targets if t.visited_on)
    found_by = Counter[str](t.officer_id or "" for t in targets if t.compliant is False)
    context = {
        "c": row,
        "status": status,
        "status_labels": STATUS_LABELS,
        "targets": targets,
        "given": given,
        "names": names,
        "officers": [(o, names.get(o, "—")) for o in row.officer_ids],
        "per_officer": [
            (names.get(o, "—"), per_officer[o], visited_by[o], found_by[o])
            for o in dict.fromkeys([*row.officer_ids, *per_officer])
        ],
        "points": [
            {
                "lat": t.lat,
                "lon": t.lon,
                "label": t.label,
                "state": _state(t),
            }
            for t in targets
            if t.lat is not None and t.lon is not None
        ],
        "kinds": kinds,
        "target_kinds": TARGET_KINDS[row.brigade],
        "kind_labels": KIND_LABELS,
        "candidates": candidates,
        "checked": None,
    }
    return pages_of(request).render(request, "campaigns/show.html", context)


def _state(t: CampaignTarget) -> str:
    """How the map colours a target: found (red), visited (green), open (grey)."""
    if t.compliant is False:
        return "found"
    return "visited" if t.visited_on else "open"


async def _area_candidates(
    request: Request, row: CampaignRow, kinds: Collection[str]
) -> list[dict[str, Any]]:
    models, today = read_models_of(request), police_of(request).today()
    return await run_in_threadpool(
        models.campaign_candidates, row.brigade, row.arrondissements, row.zone, kinds, today
    )


async def add_targets(request: Request) -> Response:
    row = await _campaign_row(request)
    raw = await request.form(**FORM_LIMITS)
    fields = form_parsing.Fields(raw)
    version = fields.version()
    keys = list(dict.fromkeys(k for k in raw.getlist("targets") if isinstance(k, str)))
    if not keys:
        raise InvalidInput(N_("Cochez au moins une cible."), field="targets")
    found = {t["key"]: t for t in await _area_candidates(request, row, kinds_of(keys))}
    if any(k not in found for k in keys):
        raise InvalidInput(_GONE, field="targets")
    await run_command(
        "campaign.add_targets",
        police_of(request).add_campaign_targets,
        request.state.actor.id,
        row.number,
        [found[k] for k in keys],
        expected_version=version,
    )
    return RedirectResponse(f"/campaigns/{row.number}", status_code=303)


async def close(request: Request) -> Response:
    row = await _campaign_row(request)
    fields = form_parsing.Fields(await request.form(**FORM_LIMITS))
    await run_command(
        "campaign.close",
        police_of(request).close_campaign,
        request.state.actor.id,
        row.number,
        note=fields.text("note"),
        expected_version=fields.version(),
    )
    return RedirectResponse(f"/campaigns/{row.number}", status_code=303)


def _arrondissements(request: Request) -> list[Any]:
    return sorted(police_of(request).territory.arrondissements.values(), key=lambda a: a.name_fr)


def _centre(request: Request) -> tuple[float, float]:
    bounds = police_of(request).territory.bounds
    return ((bounds.south + bounds.north) / 2, (bounds.west + bounds.east) / 2)
