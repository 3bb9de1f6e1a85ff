"""Log in (the password, then the code of an account with a second factor), log out, choose
the language, and land on one's own home page.

Between the two steps the session holds only who passed the password and when (five minutes
to give the code), never a signed-in user. A sign-in opens a new session: a fresh id (its digest
on the record, ``police.app.users``), a fresh CSRF token, nothing carried over from before."""

from __future__ import annotations

import secrets
import time
from uuid import UUID

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from police.app.users import LoginRefused
from police.roles import Actor, Role
from web import i18n
from web.csrf import FORM_LIMITS, csrf_token
from web.routing import route
from web.state import pages_of, police_of, services

PENDING_SECONDS = 300


def routes() -> list[Route]:
    return [
        route("/login", login_page, name="login"),
        route("/login", login, name="login.submit", methods=["POST"]),
        route("/login/code", code_page, name="login.code"),
        route("/login/code", code, name="login.code_submit", methods=["POST"]),
        route("/logout", logout, name="logout", methods=["POST"]),
        route("/lang/{code}", language, name="language"),
        route("/csrf", fresh_csrf, name="csrf"),
        route("/", home, name="home"),
    ]


async def login_page(request: Request) -> Response:
    if request.state.actor is not None:
        return RedirectResponse(home_of(request.state.actor), status_code=303)
    return pages_of(request).render(
        request, "login.html", {"next": _safe_next(request.query_params.get("next", ""))}
    )


async def login(request: Request) -> Response:
    form = await request.form(**FORM_LIMITS)
    username, password = str(form.get("username", "")), str(form.get("password", ""))
    next_url = _safe_next(str(form.get("next", "")))
    client = request.client.host if request.client else "?"
    pages = pages_of(request)
    throttle = services(request).login_throttle
    if throttle.blocked(client):
        message = i18n.gettext_("Trop de tentatives depuis cet appareil : réessayez plus tard.")
        return pages.render(request, "login.html", {"error": message, "username": username}, 429)
    session_id = secrets.token_urlsafe(32)
    try:
        signed = await run_in_threadpool(
            police_of(request).log_in,
            username,
            password,
            source=_source(request),
            session=session_id,
        )
    except LoginRefused as refused:
        throttle.hit(client)
        context = {
            "error": refused.translated(i18n.gettext_),
            "username": username,
            "next": next_url,
        }
        return pages.render(request, "login.html", context, 401)
    request.session.clear()
    if signed.actor is None:
        request.session.update(
            {
                "pending_uid": str(signed.user_id),
                "pending_at": int(time.time()),
                "next": next_url,
                "csrf": secrets.token_urlsafe(32),
            }
        )
        return RedirectResponse("/login/code", status_code=303)
    return await _signed_in(request, signed.actor, session_id, next_url)


async def code_page(request: Request) -> Response:
    if _pending(request) is None:
        return RedirectResponse("/login", status_code=303)
    return pages_of(request).render(request, "login_code.html")


async def code(request: Request) -> Response:
    form = await request.form(**FORM_LIMITS)
    user_id = _pending(request)
    pages = pages_of(request)
    if user_id is None:
        return RedirectResponse("/login", status_code=303)
    client = request.client.host if request.client else "?"
    throttle = services(request).login_throttle
    if throttle.blocked(client):
        message = i18n.gettext_("Trop de tentatives depuis cet appareil : réessayez plus tard.")
        return pages.render(request, "login_code.html", {"error": message}, 429)
    session_id = secrets.token_urlsafe(32)
    try:
        actor: Actor = await run_in_threadpool(
            police_of(request).log_in_second_factor,
            user_id,
            str(form.get("code", "")).strip()[:64],
            source=_source(request),
            session=session_id,
        )
    except LoginRefused as refused:
        throttle.hit(client)
        context = {"error": refused.translated(i18n.gettext_)}
        return pages.render(request, "login_code.html", context, 401)
    next_url = _safe_next(str(request.session.get("next", "")))
    request.session.clear()
    return await _signed_in(request, actor, session_id, next_url)


async def _signed_in(request: Request, actor: Actor, session_id: str, next_url: str) -> Response:
    # A new session at login: nothing from before it (a planted cookie) carries over.
    request.session.clear()
    request.session.update(
        {
            "uid": str(actor.id),
            "sid": session_id,
            "csrf": secrets.token_urlsafe(32),
            "since": int(time.time()),
        }
    )
    response = RedirectResponse(next_url or home_of(actor), status_code=303)
    state = await run_in_threadpool(police_of(request).session_state, actor.id, session_id)
    if state.language in i18n.LANGUAGES:
        set_language_cookie(response, state.language)
    return response


def _pending(request: Request) -> UUID | None:
    """Who passed the password step, if they did less than five minutes ago."""
    started = request.session.get("pending_at")
    pending = request.session.get("pending_uid")
    if not pending or not isinstance(started, int) or time.time() - started > PENDING_SECONDS:
        return None
    try:
        return UUID(str(pending))
    except ValueError:
        return None


def _source(request: Request) -> str:
    client = request.client.host if request.client else "?"
    return f"{client} {request.headers.get('user-agent', '')[:120]}"


async def logout(request: Request) -> Response:
    user_id, session_id = request.session.get("uid"), request.session.get("sid")
    if user_id and session_id:
        await run_in_threadpool(police_of(request).log_out, UUID(str(user_id)), str(session_id))
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


async def language(request: Request) -> Response:
    code = request.path_params["code"]
    response = RedirectResponse(_safe_next(request.query_params.get("next", "")) or "/", 303)
    if code in i18n.LANGUAGES:
        set_language_cookie(response, code)
    return response


def set_language_cookie(response: Response, code: str) -> None:
    response.set_cookie("lang", code, max_age=365 * 86400, samesite="lax", httponly=True)


async def fresh_csrf(request: Request) -> Response:
    """The session's token, for the phone replaying submissions it kept while offline."""
    return JSONResponse({"csrf_token": csrf_token(request)})


async def home(request: Request) -> Response:
    return RedirectResponse(home_of(request.state.actor), status_code=303)


def home_of(actor: Actor) -> str:
    if Role.OFFICER in actor.roles:
        return "/officer"
    if Role.LEGAL in actor.roles:
        return "/legal"
    if Role.PERMITS in actor.roles:
        return "/permits"
    if actor.has_role(Role.SUPERVISOR):
        return "/cases"
    return "/officer"


def _safe_next(value: str) -> str:
    """Only a path on this site: never an open redirect."""
    if value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return ""
