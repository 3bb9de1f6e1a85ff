"""The admin's accounts: the list (filtered by role, brigade, state, a search), a new account
with its one-time password shown once, and one account's page: its state (last sign-in,
lock-out, second factor, open sessions), its roles and brigades granted or revoked with a
reason, deactivation, password reset, unlocking, second-factor reset, and its whole history
worded from its events (who, when, why). Each action is one command; a stale page is told so."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from police import clock
from police.account_wording import SIGN_IN_EVENTS
from police.aggregates.user import User, locked_until
from police.app import PoliceApp
from police.errors import N_, InvalidInput, NotFound
from police.roles import Brigade, Role
from web import form_parsing, i18n
from web.csrf import FORM_LIMITS
from web.metrics import run_command
from web.pages.account import NO_STORE
from web.routing import route
from web.state import fresh_read_models, pages_of, police_of, read_models_of
from web.timeline import history_line

_NO_ACCOUNT = N_("Compte introuvable.")
_UNKNOWN_ACTION = N_("Action inconnue.")
_REASON_NEEDED = N_("Indiquez le motif : il reste au dossier du compte.")


def routes() -> list[Route]:
    return [
        route("/admin", accounts, name="admin.users"),
        route("/admin/users/new", new_account, name="admin.users_new"),
        route("/admin/users", create, name="admin.users_create", methods=["POST"]),
        route("/admin/users/{user_id}", account, name="admin.user"),
        route("/admin/users/{user_id}/{action}", act, name="admin.user_act", methods=["POST"]),
    ]


async def accounts(request: Request) -> Response:
    await fresh_read_models(request)
    q = request.query_params
    filters = {
        "role": q.get("role", "") if q.get("role", "") in set(Role) else "",
        "brigade": q.get("brigade", "") if q.get("brigade", "") in set(Brigade) else "",
        "state": q.get("state", "") if q.get("state") in ("active", "inactive") else "",
        "search": form_parsing.search_text(q.get("q", ""), 60),
    }
    rows = await run_in_threadpool(lambda: read_models_of(request).accounts(**filters))
    now = clock.now()
    locked = {r.user_id for r in rows if locked_until(list(r.failed_logins), now)}
    context = {
        "rows": rows,
        "filters": filters,
        "locked": locked,
        "roles": Role,
        "brigades": Brigade,
    }
    return pages_of(request).render(request, "admin/users.html", context)


async def new_account(request: Request) -> Response:
    return _new_form(request)


def _new_form(
    request: Request, values: dict[str, Any] | None = None, error: str = "", status: int = 200
) -> Response:
    context = {"values": values or {}, "error": error, "roles": Role, "brigades": Brigade}
    return pages_of(request).render(request, "admin/user_new.html", context, status)


async def create(request: Request) -> Response:
    form = await request.form(**FORM_LIMITS)
    fields = form_parsing.Fields(form)
    username = fields.text("username")[:64]
    roles = [v for v in form.getlist("role") if isinstance(v, str)][:5]
    brigades = [v for v in form.getlist("brigade") if isinstance(v, str)][:3]
    values: dict[str, Any] = {
        "username": username,
        "full_name": fields.text("full_name")[:200],
        "badge": fields.text("badge")[:60],
        "roles": roles,
        "brigades": brigades,
    }
    try:
        opened = await run_command(
            "admin.open_account",
            police_of(request).open_account,
            request.state.actor.id,
            username=username,
            full_name=values["full_name"],
            badge=values["badge"],
            roles=roles,
            brigades=brigades,
        )
    except InvalidInput as refused:
        return _new_form(request, values, refused.translated(i18n.gettext_), 400)
    context = {"username": username.strip().lower(), "user_id": opened.user_id}
    context |= {"password": opened.password, "created": True}
    return pages_of(request).render(request, "admin/one_time.html", context, headers=NO_STORE)


def _account_id(request: Request) -> UUID:
    try:
        return UUID(request.path_params["user_id"])
    except ValueError:
        raise NotFound(_NO_ACCOUNT) from None


async def account(request: Request, error: str = "", status: int = 200) -> Response:
    user_id = _account_id(request)
    police = police_of(request)

    def read() -> dict[str, Any]:
        user = police.get_user(user_id)
        events = police.account_history(request.state.actor.id, user_id)
        return {"user": user, "events": events}

    found = await run_in_threadpool(read)
    user: User = found["user"]
    # the changes to the account; its sign-ins and its tokens' daily uses are listed apart
    history = [
        e for e in found["events"] if not isinstance(e, (*SIGN_IN_EVENTS, User.ApiTokenUsed))
    ]
    sign_ins = [e for e in found["events"] if isinstance(e, SIGN_IN_EVENTS)][-10:]
    names = await run_in_threadpool(_names, police, history)
    context = {
        "user": user,
        "locked_until": user.locked_until(clock.now()),
        "history": [history_line(e) for e in reversed(history)],
        "sign_ins": [_sign_in(e) for e in reversed(sign_ins)],
        "names": names,
        "roles": [r for r in Role if r not in user.roles],
        "brigades": [b for b in Brigade if b not in user.brigades],
        "error": error,
        "done": request.query_params.get("done", ""),
    }
    return pages_of(request).render(request, "admin/user.html", context, status)


def _sign_in(event: Any) -> dict[str, Any]:
    kind = {User.LoggedIn: "in", User.LoginFailed: "failed"}.get(type(event), "out")
    factor = getattr(event, "factor", "")
    return {
        "at": event.timestamp,
        "kind": kind,
        "factor": factor,
        "source": getattr(event, "source", ""),
    }


def _names(police: PoliceApp, events: list[Any]) -> dict[str, str]:
    """Who did each thing: the actors' full names."""
    names: dict[str, str] = {}
    for actor_id in {str(getattr(e, "actor_id", "")) for e in events} - {""}:
        found = police.find_user_by_id(UUID(actor_id))
        names[actor_id] = found.full_name if found else i18n.gettext_(N_("Système"))
    return names


Action = Callable[[Request, UUID, form_parsing.Fields], Awaitable[str | None]]


async def act(request: Request) -> Response:
    user_id = _account_id(request)
    action = ACTIONS.get(request.path_params["action"])
    if action is None:
        raise NotFound(_UNKNOWN_ACTION)
    fields = form_parsing.Fields(await request.form(**FORM_LIMITS))
    try:
        password = await action(request, user_id, fields)
    except InvalidInput as refused:
        return await account(request, refused.translated(i18n.gettext_), 400)
    if password is not None:  # a reset: the one-time password, shown once
        user = await run_in_threadpool(police_of(request).get_user, user_id)
        context = {"username": user.username, "user_id": user_id, "password": password}
        return pages_of(request).render(request, "admin/one_time.html", context, headers=NO_STORE)
    done = request.path_params["action"]
    return RedirectResponse(f"/admin/users/{user_id}?done={done}", status_code=303)


def _reason(fields: form_parsing.Fields) -> str:
    reason = fields.text("reason")
    if not reason.strip():
        raise InvalidInput(_REASON_NEEDED, field="reason")
    return reason


def _command(method: str, *, value: str = "", reason: bool = True, version: bool = False) -> Action:
    """An action of the account's page: ``method`` of the application, given the form's
    ``value`` field (a role, a brigade), its reason and the version the page was read at."""

    async def run(request: Request, user_id: UUID, fields: form_parsing.Fields) -> Any:
        args: list[str] = [fields.text(value)] if value else []
        options: dict[str, Any] = {}
        if reason:
            options["reason"] = _reason(fields)
        if version:
            options["expected_version"] = fields.version()
        command = getattr(police_of(request), method)
        return await run_command(
            f"admin.{method}", command, request.state.actor.id, user_id, *args, **options
        )

    return run


ACTIONS: dict[str, Action] = {
    "grant_role": _command("grant_role", value="role", version=True),
    "revoke_role": _command("revoke_role", value="role", version=True),
    "grant_brigade": _command("grant_brigade", value="brigade", version=True),
    "revoke_brigade": _command("revoke_brigade", value="brigade", version=True),
    "deactivate": _command("deactivate_user", version=True),
    "reactivate": _command("reactivate_user", reason=False, version=True),
    "reset_password": _command("reset_password"),  # answers the one-time password
    "unlock": _command("unlock_user"),
    "reset_two_factor": _command("reset_two_factor"),
    "sign_out": _command("sign_out_everywhere", reason=False),
}
