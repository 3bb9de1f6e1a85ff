"""The supervisors' (and legal staff's) side: the case list, a case and its history, the
workflow actions, exports and the overview. Reads come from the read models; actions are
commands on the domain, which re-checks every rule."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from typing import Any
from uuid import UUID

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Route

from police.catalogue import Workflow
from police.errors import N_, NotFound
from police.identifiers import natural_id
from police.permit_terms import KIND_LABELS
from police.roles import Actor, Role
from police.workflow import NOTICE_RULES, RULES, STATUS_LABELS, Action, CaseStatus
from projections.queries import CaseFilters, CaseRow
from web import form_parsing
from web import timeline as timeline_text
from web.case_actions import command_for
from web.case_filters import PER_PAGE, ListQuery, parse_list_query, scope_of
from web.csrf import FORM_LIMITS
from web.map_layers import MapLayer, boundary_layers, layers_attribute
from web.metrics import run_command
from web.routing import route, shows
from web.state import fresh_read_models, pages_of, police_of, read_models_of

_NO_CASE = N_("Dossier introuvable.")
# The workflow actions this page offers, in the order shown.
SUPERVISOR_ACTIONS = (
    Action.VALIDATE,
    Action.ASSIGN,
    Action.SCHEDULE_FOLLOW_UP,
    Action.RECORD_COMPLIANCE,
    Action.ESCALATE,
    Action.DISMISS,
    Action.CLOSE,
    Action.REOPEN,
    Action.RELEASE_VEHICLE,
)
LEGAL_ACTIONS = (
    Action.RECORD_SERVICE,
    Action.IMPOSE_FINE,
    Action.RECORD_PAYMENT,
    Action.FILE_APPEAL,
    Action.DECIDE_APPEAL,
)
EXPORT_LIMIT = 50_000
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def routes() -> list[Route]:
    return [
        route("/cases", case_list, name="cases.list"),
        route("/cases/export.csv", export_csv, name="cases.export_csv"),
        route("/cases/export.geojson", export_geojson, name="cases.export_geojson"),
        route("/cases/{case_id:uuid}", case_page, name="cases.show"),
        route(
            "/cases/{case_id:uuid}/code-acces",
            access_code,
            name="cases.access_code",
            methods=["POST"],
        ),
        route("/cases/{case_id:uuid}/{action}", case_action, name="cases.act", methods=["POST"]),
        route("/overview", overview, name="cases.overview"),
    ]


def _query(request: Request) -> ListQuery:
    arrondissements = set(police_of(request).territory.arrondissements)
    return parse_list_query(request.query_params, request.state.actor, arrondissements)


async def case_list(request: Request) -> Response:
    await fresh_read_models(request)
    query = _query(request)
    models = read_models_of(request)
    page = await run_in_threadpool(
        models.case_list, query.filters, query.sort, query.direction, query.page, PER_PAGE
    )
    counts = await run_in_threadpool(models.status_counts, query.filters)
    assignees: dict[str, str] = {}
    for brigade in scope_of(request.state.actor):
        assignees.update(await run_in_threadpool(models.officers, brigade))
    context = {
        "assignees": sorted(assignees.items(), key=lambda item: item[1]),
        "query": query,
        "page": page,
        "counts": counts,
        "statuses": list(CaseStatus),
        "status_labels": STATUS_LABELS,
        "scope": scope_of(request.state.actor),
        "arrondissements": sorted(
            police_of(request).territory.arrondissements.values(), key=lambda a: a.name_fr
        ),
    }
    template = "cases/_table.html" if request.headers.get("hx-request") else "cases/list.html"
    return pages_of(request).render(request, template, context)


async def case_page(request: Request) -> Response:
    case_id: UUID = request.path_params["case_id"]
    actor: Actor = request.state.actor
    await fresh_read_models(request)
    models, police = read_models_of(request), police_of(request)
    row = await visible_case(request, case_id)
    timeline = await run_in_threadpool(models.timeline, str(case_id))
    as_of = _as_of(request.query_params.get("as_of", ""), len(timeline))
    actions = available_actions(row, actor)
    past = None
    if as_of is not None:
        past = await run_in_threadpool(police.get_case, case_id, version=as_of)
        timeline = [line for line in timeline if line.version <= as_of]
    shows(request, case_id)
    inspections = await run_in_threadpool(models.case_inspections, str(case_id))
    # What each inspection recorded, read from its own events: the file as it was written.
    records = await run_in_threadpool(
        lambda: [police.get_inspection(UUID(i.inspection_id)) for i in inspections]
    )
    flags = [police.doubts(r) for r in records]
    others = [
        c
        for c in await run_in_threadpool(models.subject_cases, row.subject_id, scope_of(actor))
        if c.case_id != row.case_id
    ]
    officers = await run_in_threadpool(models.officers, row.brigade)
    notices = await run_in_threadpool(models.notices_of, str(case_id))
    names = await run_in_threadpool(models.user_names, timeline_text.assigned_officers(timeline))
    live = await run_in_threadpool(police.get_case, case_id)
    new_code = request.session.pop(NEW_CODE_KEY, None)
    context = {
        "case": row,
        # The recipient's side: which notices a code opens, what they declared or contested.
        "coded": sorted(live.access_codes),
        "declared": live.compliance_declared,
        "recipient_appeal": next(
            (a for a in reversed(live.appeals) if a.get("by_recipient")), None
        ),
        "new_code": new_code if new_code and new_code.get("case") == str(case_id) else None,
        "is_legal": actor.has_role(Role.LEGAL) and not past,
        "past": past,
        "as_of": as_of,
        "timeline": [
            (line, timeline_text.actor_name(line), timeline_text.sentence(line, names))
            for line in timeline
        ],
        "version": timeline[-1].version if timeline else 0,
        "inspections": list(zip(inspections, records, flags, strict=True)),
        "others": others,
        "officers": officers,
        "actions": [] if past else actions,
        "notices": notices,
        "notice_kinds": [] if past else available_notices(row, actor),
        "legal_actions": [] if past else available_actions(row, actor, LEGAL_ACTIONS),
        "notice_labels": {k.value: r.label for k, r in NOTICE_RULES.items()},
        "status_labels": STATUS_LABELS,
        "today": police.today().isoformat(),
    }
    return pages_of(request).render(request, "cases/show.html", context)


NEW_CODE_KEY = "new_access_code"  # shown once to the legal staff who made it


async def access_code(request: Request) -> Response:
    """Legal staff revoke a notice's access code, and may give the recipient a new one."""
    case_id: UUID = request.path_params["case_id"]
    await visible_case(request, case_id)
    fields = form_parsing.Fields(await request.form(**FORM_LIMITS))
    number = fields.text("number")
    code = await run_command(
        "case.access_code",
        police_of(request).revoke_access_code,
        request.state.actor.id,
        case_id,
        number,
        reason=fields.text("reason"),
        replace=fields.text("replace") == "on",
    )
    if code:
        request.session[NEW_CODE_KEY] = {"case": str(case_id), "number": number, "code": code}
    return RedirectResponse(f"/cases/{case_id}#notices", status_code=303)


def available_actions(
    row: CaseRow, actor: Actor, actions: tuple[Action, ...] = SUPERVISOR_ACTIONS
) -> list[str]:
    """The actions the rules allow now, to this actor: only legal ones are shown."""
    rules = RULES[Workflow(row.workflow)]
    shown = []
    for action in actions:
        rule = rules.get(action)
        if rule is None or CaseStatus(row.status) not in rule.from_statuses:
            continue
        if _has_what_it_names(action, row) and any(actor.has_role(r) for r in rule.roles):
            shown.append(action.value)
    return shown


def _has_what_it_names(action: Action, row: CaseRow) -> bool:
    """A release needs a held vehicle; service and appeal name a notice of the case."""
    if action is Action.RELEASE_VEHICLE:
        return row.vehicle_held
    if action in (Action.RECORD_SERVICE, Action.FILE_APPEAL):
        return bool(row.notices)
    return True


def available_notices(row: CaseRow, actor: Actor) -> list[str]:
    if not actor.has_role(Role.LEGAL):
        return []
    return [
        kind.value
        for kind, rule in NOTICE_RULES.items()
        if Workflow(row.workflow) in rule.workflows and CaseStatus(row.status) in rule.statuses
    ]


async def case_action(request: Request) -> Response:
    """Any workflow or legal action of the case page: its form parsed into the command, which
    the application applies to the version the page was drawn from."""
    case_id: UUID = request.path_params["case_id"]
    await visible_case(request, case_id)
    form = await request.form(**FORM_LIMITS)
    command = command_for(request.path_params["action"], case_id, form_parsing.Fields(form))
    police = police_of(request)
    await run_command(f"case.{command.action}", police.change_case, command, request.state.actor.id)
    anchor = "#legal" if command.action in LEGAL_ACTIONS else ""
    return RedirectResponse(f"/cases/{case_id}{anchor}", status_code=303)


async def visible_case(request: Request, case_id: UUID) -> CaseRow:
    """The case, if the actor's brigades include it; otherwise not even its existence."""
    row = await run_in_threadpool(read_models_of(request).case, str(case_id))
    if row is None or row.brigade not in scope_of(request.state.actor):
        raise NotFound(_NO_CASE)
    return row


def _as_of(value: str, versions: int) -> int | None:
    version = form_parsing.whole_number(value)
    return version if version is not None and 1 <= version < versions else None


# --- exports -----------------------------------------------------------------------------


async def export_csv(request: Request) -> Response:
    """The filtered list as CSV for Excel: UTF-8 with BOM, semicolons, no formula can run."""
    query = _query(request)
    await fresh_read_models(request)  # exported right after a change: the change is in it
    models = read_models_of(request)
    columns = [
        ("reference", "Référence"),
        ("brigade", "Brigade"),
        ("status", "Statut"),
        ("subject_label", "Mis en cause"),
        ("arrondissement", "Arrondissement"),
        ("address", "Adresse"),
        ("opened_on", "Ouvert le"),
        ("deadline", "Échéance"),
        ("fine_due", "Montant dû (MAD)"),
        ("fine_paid", "Payé (MAD)"),
    ]

    async def rows() -> AsyncIterator[str]:
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";")
        writer.writerow([label for _, label in columns])
        yield "\ufeff" + out.getvalue()
        for number in range(1, EXPORT_LIMIT // 200 + 1):
            page = await run_in_threadpool(
                models.case_list, query.filters, query.sort, query.direction, number, 200
            )
            out.seek(0)
            out.truncate()
            for row in page.rows:
                writer.writerow([csv_cell(getattr(row, name)) for name, _ in columns])
            yield out.getvalue()
            if number >= page.pages:
                break

    shows(request, natural_id("export", str(request.query_params)), str(request.query_params))
    filename = f"dossiers-{police_of(request).today().isoformat()}.csv"
    return StreamingResponse(
        rows(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def csv_cell(value: object) -> str:
    """The value as a spreadsheet shows it: decimal comma, and text that a spreadsheet would
    run as a formula (= + - @, tab, carriage return) quoted with a leading apostrophe."""
    text = (
        ""
        if value is None
        else str(value).replace(".", ",")
        if isinstance(value, float)
        else str(value if value is not None else "")
    )
    return "'" + text if text.startswith(_FORMULA) else text


async def export_geojson(request: Request) -> Response:
    query = _query(request)
    await fresh_read_models(request)
    features = await run_in_threadpool(read_models_of(request).map_features, query.filters)
    shows(request, natural_id("export", str(request.query_params)), str(request.query_params))
    return JSONResponse(
        features,
        media_type="application/geo+json",
        headers={"Content-Disposition": 'attachment; filename="dossiers.geojson"'},
    )


# --- overview ----------------------------------------------------------------------------


async def overview(request: Request) -> Response:
    await fresh_read_models(request)
    actor: Actor = request.state.actor
    scope = scope_of(actor)
    models = read_models_of(request)
    kpis = await run_in_threadpool(models.overview, scope)
    counts = await run_in_threadpool(models.status_counts, CaseFilters(brigades=scope))
    application_kpis = await run_in_threadpool(models.application_kpis)
    report_kpis = await run_in_threadpool(models.report_kpis, set(scope))
    context = {
        "kpis": kpis,
        "application_kpis": application_kpis,
        "report_kpis": report_kpis,
        "kind_labels": KIND_LABELS,
        "by_brigade": _by_brigade(kpis),
        "counts": counts,
        "status_labels": STATUS_LABELS,
        "is_admin": actor.has_role(Role.ADMIN),
        "map_layers": layers_attribute(
            [*OVERVIEW_LAYERS, *boundary_layers(police_of(request).territory)]
        ),
    }
    return pages_of(request).render(request, "cases/overview.html", context)


# The overview's map: the cases in one layer coloured by status, and the last 30 days'
# inspections, shown on demand.
OVERVIEW_LAYERS = (
    MapLayer("cases", N_("Dossiers"), "/cases/export.geojson", "case-status"),
    MapLayer(
        "inspections",
        N_("Contrôles des 30 derniers jours"),
        "/map/inspections.geojson",
        "inspection",
        on=False,
    ),
    MapLayer(
        "permits",
        N_("Autorisations d'occupation"),
        "/permits/map.geojson?billboards=0",
        "permit-state",
        on=False,
    ),
    MapLayer(
        "billboards",
        N_("Panneaux publicitaires"),
        "/permits/map.geojson?billboards=1",
        "permit-state",
        on=False,
    ),
)


def _by_brigade(kpis: list[Any]) -> list[dict[str, Any]]:
    """Totals per brigade, with bar widths for the server-drawn chart."""
    totals: dict[str, dict[str, Any]] = {}
    for k in kpis:
        t = totals.setdefault(k.brigade, {"brigade": k.brigade, "open": 0, "overdue": 0})
        t["open"] += k.open
        t["overdue"] += k.overdue
    peak = max((t["open"] for t in totals.values()), default=0) or 1
    for t in totals.values():
        t["open_width"] = round(300 * t["open"] / peak)
        t["overdue_width"] = round(300 * t["overdue"] / peak)
    return list(totals.values())
