"""Routes wrapped by their declared access (``web.permissions.ROUTES``): login, role, a CSRF
token on every change, and the access journal of routes that show case data.

The wrapper loads the current actor from the signed session (their roles as they are now, not as
at login), refuses anonymous or unauthorised callers, checks the CSRF token of every non-GET
request, and for a journaled route records what the handler says it showed (``shows``) before
the answer leaves: a handler that forgets to say is refused, never silently unrecorded.

A route declared ``bearer`` takes its actor from the API token in ``Authorization: Bearer``
instead (no session, no CSRF: a token is never sent by a browser on its own), and refuses
with a JSON exception in the OGC API's shape: 401 with ``WWW-Authenticate: Bearer`` without a
token valid today for the route's scope, 403 for a role that reads none of it.

A signed-in session is open on the record (``police.app.users.session_state``): signing out
everywhere, a password reset or a deactivation ends it at its next request. A session that must
first change a one-time password, or enrol a required second factor, is sent to that page from
every route not declared ``first_steps``.

A route declared ``machine`` (Open311) is public and cookie-less: its changes carry no CSRF
token (the POST's ``api_key`` authenticates it, checked by its handler), and its language is the
client's ``Accept-Language`` when no cookie chose one.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from uuid import UUID

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from police.app import SessionState, TokenRefused
from police.errors import N_, NotAllowed
from police.roles import Actor
from police.token_terms import TokenScope
from web import i18n
from web.csrf import csrf_ok
from web.permissions import PUBLIC, ROUTES, Access
from web.rendering import wants_json
from web.state import pages_of, police_of

Endpoint = Callable[[Request], Awaitable[Response]]
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class UnjournaledView(RuntimeError):
    """A journaled route answered without naming what it showed (a bug: refused with a 500)."""


def route(path: str, endpoint: Endpoint, *, name: str, methods: list[str] | None = None) -> Route:
    access = ROUTES[name]  # KeyError: every route must be declared in web.permissions

    async def guarded(request: Request) -> Response:
        try:
            if access.bearer is None:
                return await _checked(request)
            return await _bearer_checked(request, access.bearer)
        finally:
            await request.close()  # removes the spooled upload files at once

    async def _bearer_checked(request: Request, scope: TokenScope) -> Response:
        _machine_language(request)
        actor = await token_actor(request, scope)
        request.state.actor = actor
        request.state.shown = []
        if actor is None:
            sent = "authorization" in request.headers
            return machine_error(
                401,
                "Unauthorized",
                _TOKEN_REFUSED if sent else _TOKEN_REQUIRED,
                headers={"WWW-Authenticate": _challenge(invalid=sent)},
            )
        if not any(actor.has_role(r) for r in access.roles):
            return machine_error(403, "Forbidden", _NOT_ALLOWED)
        response = await endpoint(request)
        await _journal(request, access, name, response)
        return response

    async def _checked(request: Request) -> Response:
        if access.machine:
            _machine_language(request)
        state = await current_session(request)
        actor = state.actor if state else None
        request.state.actor = actor
        request.state.session = state
        request.state.shown = []
        if access.roles is not PUBLIC:
            if actor is None:
                return _login_required(request)
            if not any(actor.has_role(r) for r in access.roles):
                return pages_of(request).error(request, 403, _NOT_ALLOWED)
        if state is not None and not access.first_steps and (step := first_step(state)):
            return RedirectResponse(step, status_code=303)
        forgeable = request.method not in SAFE_METHODS and not access.machine
        if forgeable and not await csrf_ok(request):
            return pages_of(request).error(request, 403, _FORGED_FORM)
        response = await endpoint(request)
        await _journal(request, access, name, response)
        return response

    guarded.__name__ = endpoint.__name__
    return Route(path, guarded, name=name, methods=methods)


def shows(request: Request, target_id: UUID, detail: str = "") -> None:
    """Says what this answer shows, for the access journal of a journaled route."""
    request.state.shown.append((target_id, detail))


async def _journal(request: Request, access: Access, name: str, response: Response) -> None:
    shown: list[tuple[UUID, str]] = request.state.shown
    if access.journal is None:
        if shown:
            raise UnjournaledView(f"{name} shows case data: declare its journal")
        return
    if response.status_code >= 400:
        return
    if not shown:
        raise UnjournaledView(f"{name} is journaled but its handler named nothing it showed")
    actor: Actor = request.state.actor
    await run_in_threadpool(police_of(request).record_views, actor.id, access.journal, shown)


async def current_session(request: Request) -> SessionState | None:
    """The signed-in session's state, None when there is none or it has ended (cleared)."""
    user_id, session_id = request.session.get("uid"), request.session.get("sid")
    if not user_id or not session_id:
        if user_id:
            request.session.clear()  # a cookie from before sessions were recorded
        return None
    try:
        return await run_in_threadpool(
            police_of(request).session_state, UUID(user_id), str(session_id)
        )
    except (NotAllowed, ValueError):
        request.session.clear()
        return None


def first_step(state: SessionState) -> str | None:
    """Where a session must go before anything else, if anywhere."""
    if state.must_change_password:
        return "/account/password"
    if state.must_enrol:
        return "/account/two-factor"
    return None


async def token_actor(request: Request, scope: TokenScope) -> Actor | None:
    """The user of the request's API token, as they are now; None without one valid today
    for ``scope``."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    try:
        return await run_in_threadpool(police_of(request).authenticate_token, token.strip(), scope)
    except TokenRefused:
        return None


def machine_error(
    status: int, code: str, message: str, headers: dict[str, str] | None = None, **params: object
) -> JSONResponse:
    """A refusal as machine interfaces answer it (OGC API's exception shape), in the request's
    language: ``message`` is a French template."""
    description = i18n.gettext_(message).format(**params)
    return JSONResponse(
        {"code": code, "description": description}, status_code=status, headers=headers
    )


def _challenge(*, invalid: bool) -> str:
    """RFC 6750's challenge: which scheme, and whether the token sent was the trouble."""
    return 'Bearer realm="police", error="invalid_token"' if invalid else 'Bearer realm="police"'


def _machine_language(request: Request) -> None:
    """A GIS client sends no language cookie: its ``Accept-Language`` chooses then."""
    if request.cookies.get("lang"):
        return
    for part in request.headers.get("accept-language", "").split(","):
        language = part.split(";")[0].strip().lower()[:2]
        if language in i18n.LANGUAGES:
            i18n.set_language(language)
            return


def _login_required(request: Request) -> Response:
    if wants_json(request) or request.headers.get("hx-request"):
        message = i18n.gettext_("Session expirée : reconnectez-vous.")
        return JSONResponse({"error": message, "login": "/login"}, status_code=401)
    return RedirectResponse(f"/login?next={request.url.path}", status_code=303)


_NOT_ALLOWED = N_("Cette page n'est pas ouverte à votre rôle.")
_TOKEN_REQUIRED = N_(
    "Jeton d'accès requis : envoyez l'en-tête « Authorization: Bearer <jeton> » (un "
    "administrateur le délivre : police tokens create)."
)
_TOKEN_REFUSED = N_("Jeton d'accès invalide, expiré, révoqué, ou compte désactivé.")
_FORGED_FORM = N_("Formulaire expiré ou falsifié (jeton CSRF) : rechargez la page et recommencez.")
