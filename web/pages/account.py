"""Each user's own account: their password, preferred language, open sessions ("sign out
everywhere") and second factor (enrol with a QR code, recovery codes, turn off when the role
does not require it). A one-time password or a required enrolment sends the user here first
(``web.routing.first_step``)."""

from __future__ import annotations

from typing import Any

import segno
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from police import two_factor
from police.aggregates.user import User
from police.app import SessionState
from police.app.users import session_key
from police.errors import InvalidInput
from web import i18n
from web.csrf import FORM_LIMITS
from web.form_parsing import Fields
from web.metrics import run_command
from web.pages.auth import home_of, set_language_cookie
from web.routing import route
from web.state import pages_of, police_of

NO_STORE = {"Cache-Control": "no-store"}  # a one-time secret never sits in a cache


def routes() -> list[Route]:
    return [
        route("/account", page, name="account.show"),
        route("/account/password", password_page, name="account.password"),
        route("/account/password", password, name="account.password_change", methods=["POST"]),
        route("/account/language", language, name="account.language", methods=["POST"]),
        route(
            "/account/sessions/end",
            sign_out_everywhere,
            name="account.sign_out_everywhere",
            methods=["POST"],
        ),
        route("/account/two-factor", two_factor_page, name="account.two_factor"),
        route(
            "/account/two-factor",
            enrol,
            name="account.two_factor_enrol",
            methods=["POST"],
        ),
        route(
            "/account/two-factor/recovery-codes",
            recovery_codes,
            name="account.recovery_codes",
            methods=["POST"],
        ),
        route(
            "/account/two-factor/off",
            two_factor_off,
            name="account.two_factor_off",
            methods=["POST"],
        ),
    ]


def _user(request: Request) -> User:
    return police_of(request).get_user(request.state.actor.id)


async def page(request: Request, error: str = "", status: int = 200) -> Response:
    user = await run_in_threadpool(_user, request)
    state: SessionState = request.state.session
    context: dict[str, Any] = {
        "user": user,
        "state": state,
        "sessions": list(reversed(user.sessions.values())),
        "this_session": session_key(str(request.session.get("sid", ""))),
        "done": request.query_params.get("done", ""),
        "error": error,
        "languages": i18n.LANGUAGES,
    }
    return pages_of(request).render(request, "account/show.html", context, status)


async def password_page(request: Request) -> Response:
    return _password_form(request)


def _password_form(request: Request, error: str = "", status: int = 200) -> Response:
    state: SessionState = request.state.session
    context = {"forced": state.must_change_password, "error": error}
    return pages_of(request).render(request, "account/password.html", context, status)


async def password(request: Request) -> Response:
    fields = Fields(await request.form(**FORM_LIMITS))
    new, confirmed = fields.text("new_password"), fields.text("confirm_password")
    if new != confirmed:
        message = i18n.gettext_("Les deux saisies du nouveau mot de passe diffèrent.")
        return _password_form(request, message, 400)
    actor_id = request.state.actor.id
    try:
        await run_command(
            "account.password",
            police_of(request).change_password,
            actor_id,
            actor_id,
            new_password=new,
            current_password=fields.text("current_password"),
        )
    except InvalidInput as refused:
        return _password_form(request, refused.translated(i18n.gettext_), 400)
    state: SessionState = request.state.session
    if state.must_change_password:  # the one-time password is gone: on to the day's work
        return RedirectResponse(home_of(state.actor), status_code=303)
    return RedirectResponse("/account?done=password", status_code=303)


async def language(request: Request) -> Response:
    code = Fields(await request.form(**FORM_LIMITS)).text("language")
    if code not in i18n.LANGUAGES:
        return await page(request, i18n.gettext_("Langue inconnue."), 400)
    await run_command(
        "account.language", police_of(request).choose_language, request.state.actor.id, code
    )
    response = RedirectResponse("/account?done=language", status_code=303)
    set_language_cookie(response, code)
    return response


async def sign_out_everywhere(request: Request) -> Response:
    actor_id = request.state.actor.id
    await run_command(
        "account.sign_out", police_of(request).sign_out_everywhere, actor_id, actor_id
    )
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


async def two_factor_page(request: Request, error: str = "", status: int = 200) -> Response:
    """The enrolment: a new key (kept in the signed session until a code proves it) shown as
    a QR code and as text to type; or, once enrolled, what can be done with it."""
    user = await run_in_threadpool(_user, request)
    context: dict[str, Any] = {"user": user, "error": error, "state": request.state.session}
    if not user.two_factor:
        secret = request.session.get("totp_pending") or two_factor.new_secret()
        request.session["totp_pending"] = secret
        uri = two_factor.provisioning_uri(secret, username=user.username, issuer=_issuer(request))
        context |= {
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "qr": segno.make(uri, error="m").svg_data_uri(scale=5, border=2),
        }
    return pages_of(request).render(request, "account/two_factor.html", context, status, NO_STORE)


async def enrol(request: Request) -> Response:
    code = Fields(await request.form(**FORM_LIMITS)).text("code")[:16]
    secret = str(request.session.get("totp_pending", ""))
    if not secret:
        return RedirectResponse("/account/two-factor", status_code=303)
    try:
        codes = await run_command(
            "account.two_factor",
            police_of(request).enrol_two_factor,
            request.state.actor.id,
            secret=secret,
            code=code,
        )
    except InvalidInput as refused:
        return await two_factor_page(request, refused.translated(i18n.gettext_), 400)
    request.session.pop("totp_pending", None)
    return _codes_page(request, codes)


async def recovery_codes(request: Request) -> Response:
    codes = await run_command(
        "account.recovery_codes", police_of(request).renew_recovery_codes, request.state.actor.id
    )
    return _codes_page(request, codes)


def _codes_page(request: Request, codes: list[str]) -> Response:
    state: SessionState = request.state.session
    context = {"codes": codes, "next": home_of(state.actor)}
    return pages_of(request).render(request, "account/codes.html", context, headers=NO_STORE)


async def two_factor_off(request: Request) -> Response:
    actor_id = request.state.actor.id
    await run_command(
        "account.two_factor_off", police_of(request).reset_two_factor, actor_id, actor_id
    )
    return RedirectResponse("/account?done=two_factor_off", status_code=303)


def _issuer(request: Request) -> str:
    territory = police_of(request).territory
    return f"{i18n.gettext_('Police administrative')} {territory.name_fr}"
