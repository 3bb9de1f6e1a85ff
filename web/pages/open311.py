"""Open311 GeoReport v2 at ``/open311/v2/`` for the city's apps: the services (the report
categories), the reports as the public sees them, and a report posted by an app with its API
key, in JSON or XML (``web.open311_format`` maps the fields).

The routes are public machine routes (``Access(machine=True)``): no session, no CSRF token; a
POST authenticates with ``api_key``, a personal API token holding the "open311" scope, whose
user the report is recorded under (``source="open311"``). Every refusal is the specification's
error array, ``[{"code", "description"}]``, in the request's language (``?locale=ar`` or
``Accept-Language``).
"""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from police import clock
from police.app import TokenRefused
from police.errors import N_, InvalidInput, NotAllowed
from police.token_terms import TokenScope
from web import i18n
from web import open311_format as fmt
from web.metrics import run_command
from web.routing import route
from web.state import fresh_read_models, police_of, read_models_of, services
from web.throttle import Throttle, Throttled

FORM_LIMITS: dict[str, int] = {"max_files": 0, "max_fields": 40, "max_part_size": 8 * 1024}
_NO_FORMAT = N_("Format inconnu : « {value} » (json ou xml).")
_NO_REQUEST = N_("Signalement introuvable : « {number} ».")
_KEY_REQUIRED = N_(
    "Clé d'API requise (api_key) : un administrateur la délivre (police tokens create)."
)
_KEY_REFUSED = N_("Clé d'API invalide, révoquée, ou compte désactivé.")
_TOO_MANY_POSTS = N_(
    "Trop de signalements envoyés depuis cette connexion : réessayez dans une heure."
)
_TOO_MANY_LOOKUPS = N_(
    "Trop de consultations depuis cette connexion : réessayez dans quelques minutes."
)


def routes() -> list[Route]:
    return [
        route("/open311/v2/services.{format}", services_list, name="open311.services"),
        route(
            "/open311/v2/requests.{format}",
            requests_list,
            name="open311.requests",
            methods=["GET", "POST"],
        ),
        route("/open311/v2/requests/{number}.{format}", one_request, name="open311.request"),
    ]


async def services_list(request: Request) -> Response:
    format_ = _format_of(request)
    if isinstance(format_, Response):
        return format_
    categories = police_of(request).report_categories.categories.values()
    return _answer("services", [fmt.service(c) for c in categories], format_)


async def requests_list(request: Request) -> Response:
    if request.method == "POST":
        return await post_request(request)
    format_ = _format_of(request)
    if isinstance(format_, Response):
        return format_
    if refused := _throttled(request, services(request).public_throttle, _TOO_MANY_LOOKUPS):
        return refused
    zone = police_of(request).territory.timezone
    try:
        search = fmt.search_of(request.query_params, clock.now(), zone)
    except InvalidInput as e:
        return _error(400, e.translated(i18n.gettext_), format_)
    rows = await run_in_threadpool(
        read_models_of(request).report_search,
        numbers=search.numbers,
        categories=search.categories,
        open_only=search.open_only,
        received_from=search.received_from,
        received_until=search.received_until,
        limit=search.limit,
    )
    categories = police_of(request).report_categories
    return _answer("service_requests", [fmt.request(r, categories, zone) for r in rows], format_)


async def one_request(request: Request) -> Response:
    format_ = _format_of(request)
    if isinstance(format_, Response):
        return format_
    if refused := _throttled(request, services(request).public_throttle, _TOO_MANY_LOOKUPS):
        return refused
    number = request.path_params["number"].strip().upper()[:40]
    row = await run_in_threadpool(read_models_of(request).report_row, number)
    if row is None:
        return _error(404, i18n.gettext_(_NO_REQUEST).format(number=number), format_)
    police = police_of(request)
    found = fmt.request(row, police.report_categories, police.territory.timezone)
    return _answer("service_requests", [found], format_)


async def post_request(request: Request) -> Response:
    """A report sent by an app: recorded under the API key's user, or refused whole."""
    format_ = _format_of(request)
    if isinstance(format_, Response):
        return format_
    if refused := _throttled(request, services(request).open311_throttle, _TOO_MANY_POSTS):
        return refused
    form = await request.form(**FORM_LIMITS)
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    police = police_of(request)
    key = fields.get("api_key", "").strip()
    if not key:
        return _error(403, i18n.gettext_(_KEY_REQUIRED), format_)
    try:
        actor = await run_in_threadpool(police.authenticate_token, key, TokenScope.OPEN311)
        asked = fmt.report_input_of(fields, i18n.language())
        sent = await run_command(
            "report.open311", police.submit_report, asked, source="open311", actor_id=actor.id
        )
    except TokenRefused:
        return _error(403, i18n.gettext_(_KEY_REFUSED), format_)
    except NotAllowed:  # the key's account was disabled meanwhile
        return _error(403, i18n.gettext_(_KEY_REFUSED), format_)
    except InvalidInput as e:
        return _error(400, e.translated(i18n.gettext_), format_)
    await fresh_read_models(request)  # the app may GET it at once
    return _answer(
        "service_requests", [fmt.created(sent.number, police.report_categories)], format_
    )


# --- answers -----------------------------------------------------------------------------


def _format_of(request: Request) -> str | Response:
    """The format the path ends with, and the language ``?locale=`` asks (before
    ``Accept-Language``, read by ``web.routing``)."""
    locale = request.query_params.get("locale", "").strip().lower()[:2]
    if locale in i18n.LANGUAGES:
        i18n.set_language(locale)
    format_: str = request.path_params["format"]
    if format_ not in fmt.FORMATS:
        return _error(404, i18n.gettext_(_NO_FORMAT).format(value=format_[:10]), "json")
    return format_


def _throttled(request: Request, throttle: Throttle, message: str) -> Response | None:
    address = request.client.host if request.client else "?"
    try:
        throttle.check(address, message)
    except Throttled:
        return _error(429, i18n.gettext_(message), _format_in(request))
    return None


def _format_in(request: Request) -> str:
    found = request.path_params.get("format", "json")
    return found if found in fmt.FORMATS else "json"


def _answer(kind: str, records: list[dict[str, Any]], format_: str, status: int = 200) -> Response:
    return Response(
        fmt.encode(kind, records, format_),
        status_code=status,
        media_type=f"{fmt.FORMATS[format_]}; charset=utf-8",
    )


def _error(status: int, description: str, format_: str) -> Response:
    return _answer("errors", [fmt.error(status, description)], format_, status)
