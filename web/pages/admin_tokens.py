"""The admin's API tokens: every token issued (whose, what for, what it may do, until when, its
last use, whether it still works), a new one issued from a form, one revoked.

A token's secret is in exactly one answer, the one to the form that issued it, which no cache
keeps (``Cache-Control: no-store``); the record and every list hold only its key.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from police.errors import N_, InvalidInput, InvalidTransition, NotFound
from police.token_terms import MAX_YEARS, SCOPE_LABELS, TokenScope, default_expiry, years_after
from web import form_parsing, i18n
from web.csrf import FORM_LIMITS
from web.inspection_form import FormErrors
from web.metrics import run_command
from web.routing import route
from web.state import fresh_read_models, pages_of, police_of, read_models_of

STATE_LABELS = {"active": N_("Actif"), "expired": N_("Expiré"), "revoked": N_("Révoqué")}
_NO_ACCOUNT = N_("Choisissez un compte actif.")
_BAD_EXPIRY = N_("Date d'expiration invalide (jj/mm/aaaa).")


def routes() -> list[Route]:
    return [
        route("/admin/tokens", token_list, name="admin.tokens"),
        route("/admin/tokens/new", new_token, name="admin.tokens_new"),
        route("/admin/tokens", issue, name="admin.tokens_issue", methods=["POST"]),
        route("/admin/tokens/{key}/revoke", revoke, name="admin.tokens_revoke", methods=["POST"]),
    ]


async def _accounts(request: Request) -> list[tuple[str, str, str, bool]]:
    await fresh_read_models(request)
    return await run_in_threadpool(read_models_of(request).account_choices)


def _username(value: str) -> str:
    return form_parsing.search_text(value, 32).strip().lower()


async def token_list(request: Request) -> Response:
    """Every token, newest first; ``?user=``: one account's only."""
    police = police_of(request)
    username = _username(request.query_params.get("user", ""))
    tokens = await run_in_threadpool(
        police.list_api_tokens, request.state.actor.id, username or None
    )
    revoked = request.query_params.get("revoked", "")
    context = {
        "tokens": tokens[::-1],
        "today": police.today(),
        "username": username,
        "accounts": await _accounts(request),
        "state_labels": STATE_LABELS,
        "scope_labels": SCOPE_LABELS,
        "revoked": next((t.key for _, t in tokens if t.key == revoked), ""),
    }
    return pages_of(request).render(request, "admin/tokens.html", context)


async def new_token(request: Request) -> Response:
    """The empty form: every scope ticked, valid for a year; ``?user=``: that account chosen."""
    accounts = await _accounts(request)
    username = _username(request.query_params.get("user", ""))
    values = {
        "user_id": next((a[0] for a in accounts if a[1] == username), ""),
        "label": "",
        "scopes": [s.value for s in TokenScope],
        "expires_on": default_expiry(police_of(request).today()).isoformat(),
    }
    return _form(request, accounts, values, FormErrors())


async def issue(request: Request) -> Response:
    """Issues the token and shows it, once; a refusal is the form again, nothing written."""
    form = await request.form(**FORM_LIMITS)
    fields = form_parsing.Fields(form)
    values: dict[str, Any] = {
        "user_id": fields.text("user_id"),
        "label": fields.text("label"),
        "scopes": [v for v in form.getlist("scopes") if isinstance(v, str)],
        "expires_on": fields.text("expires_on"),
    }
    try:
        issued = await run_command(
            "token.issue",
            police_of(request).issue_api_token,
            request.state.actor.id,
            fields.id("user_id", _NO_ACCOUNT),
            label=values["label"],
            scopes=values["scopes"],
            expires_on=fields.day("expires_on", _BAD_EXPIRY),
        )
    except (InvalidInput, NotFound, InvalidTransition) as refused:
        # an unknown or disabled account is the account field's error
        errors = FormErrors()
        field = refused.field if isinstance(refused, InvalidInput) else "user_id"
        errors.add(field, refused.translated(i18n.gettext_))
        return _form(request, await _accounts(request), values, errors, status=400)
    names = {a[0]: (a[1], a[2]) for a in await _accounts(request)}
    context = {
        "issued": issued,
        "label": values["label"],
        "owner": names.get(str(issued.user_id), ("", "")),
        "scope_labels": SCOPE_LABELS,
    }
    response = pages_of(request).render(request, "admin/token_issued.html", context)
    response.headers["Cache-Control"] = "no-store"  # the secret, shown this once
    return response


async def revoke(request: Request) -> Response:
    key = request.path_params["key"]
    await run_command(
        "token.revoke", police_of(request).revoke_api_token_by_key, request.state.actor.id, key
    )
    return RedirectResponse(f"/admin/tokens?revoked={key}", status_code=303)


def _form(
    request: Request,
    accounts: list[tuple[str, str, str, bool]],
    values: dict[str, Any],
    errors: FormErrors,
    status: int = 200,
) -> Response:
    today: date = police_of(request).today()
    context = {
        "v": values,
        "e": errors.fields,
        "accounts": [a for a in accounts if a[3]],
        "scope_labels": SCOPE_LABELS,
        "earliest": (today + timedelta(days=1)).isoformat(),
        "latest": years_after(today, MAX_YEARS).isoformat(),
    }
    return pages_of(request).render(request, "admin/token_form.html", context, status)
