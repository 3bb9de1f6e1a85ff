"""Log in, log out, choose the language, and land on one's own home page."""

from __future__ import annotations

import secrets
import time

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


def routes() -> list[Route]:
    return [
        route("/login", login_page, name="login"),
        route("/login", login, name="login.submit", methods=["POST"]),
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
    try:
        actor: Actor = await run_in_threadpool(
            police_of(request).log_in,
            username,
            password,
            source=f"{client} {request.headers.get('user-agent', '')[:120]}",
        )
    except LoginRefused as refused:
        throttle.hit(client)
        context = {
            "error": refused.translated(i18n.gettext_),
            "username": username,
            "next": next_url,
        }
        return pages.render(request, "login.html", context, 401)
    # A new session at login: nothing from before it (a planted cookie) carries over.
    request.session.clear()
    request.session.update(
        {"uid": str(actor.id), "csrf": secrets.token_urlsafe(32), "since": int(time.time())}
    )
    return RedirectResponse(next_url or home_of(actor), status_code=303)


async def logout(request: Request) -> Response:
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


async def language(request: Request) -> Response:
    code = request.path_params["code"]
    response = RedirectResponse(_safe_next(request.query_params.get("next", "")) or "/", 303)
    if code in i18n.LANGUAGES:
        response.set_cookie("lang", code, max_age=365 * 86400, samesite="lax", httponly=True)
    return response


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
