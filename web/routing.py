"""Routes wrapped by their access rule: login, role, and a CSRF token on every change.

``route()`` looks the route's name up in ``web.permissions.ROUTES``; the wrapper loads the
current actor from the signed session (their roles as they are now, not as at login), refuses
anonymous or unauthorised callers, and checks the CSRF token of every non-GET request.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from police.errors import N_, NotAllowed
from police.roles import Actor
from web import i18n
from web.permissions import PUBLIC, ROUTES

Endpoint = Callable[[Request], Awaitable[Response]]
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
FORM_LIMITS: dict[str, Any] = {"max_files": 12, "max_fields": 300, "max_part_size": 64 * 1024}


def route(path: str, endpoint: Endpoint, *, name: str, methods: list[str] | None = None) -> Route:
    roles = ROUTES[name]  # KeyError: every route must be declared in web.permissions

    async def guarded(request: Request) -> Response:
        try:
            return await _checked(request)
        finally:
            await request.close()  # removes the spooled upload files at once

    async def _checked(request: Request) -> Response:
        actor = await current_actor(request)
        request.state.actor = actor
        if roles is not PUBLIC:
            if actor is None:
                return _login_required(request)
            if not any(actor.has_role(r) for r in roles):
                return request.app.state.pages.error(request, 403, _NOT_ALLOWED)
        if request.method not in SAFE_METHODS and not await _csrf_ok(request):
            return request.app.state.pages.error(request, 403, _FORGED_FORM)
        return await endpoint(request)

    guarded.__name__ = endpoint.__name__
    return Route(path, guarded, name=name, methods=methods)


async def current_actor(request: Request) -> Actor | None:
    user_id = request.session.get("uid")
    if not user_id:
        return None
    try:
        return await run_in_threadpool(request.app.state.police.actor, UUID(user_id))
    except (NotAllowed, ValueError):
        request.session.clear()
        return None


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return token


async def _csrf_ok(request: Request) -> bool:
    expected = request.session.get("csrf", "")
    sent = request.headers.get("x-csrf-token", "")
    if not sent and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form(**FORM_LIMITS)
        value = form.get("csrf_token", "")
        sent = value if isinstance(value, str) else ""
    return bool(expected) and hmac.compare_digest(expected, sent)


def wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def _login_required(request: Request) -> Response:
    if wants_json(request) or request.headers.get("hx-request"):
        message = i18n.gettext_("Session expirée : reconnectez-vous.")
        return JSONResponse({"error": message, "login": "/login"}, status_code=401)
    return RedirectResponse(f"/login?next={request.url.path}", status_code=303)


_NOT_ALLOWED = N_("Cette page n'est pas ouverte à votre rôle.")
_FORGED_FORM = N_("Formulaire expiré ou falsifié (jeton CSRF) : rechargez la page et recommencez.")
