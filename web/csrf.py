"""The session's CSRF token: put in every form (and sent by htmx and the phone's outbox as a
header), checked on every state-changing request by ``web.routing``."""

from __future__ import annotations

import hmac
import secrets

from starlette.requests import Request

FORM_LIMITS: dict[str, int] = {"max_files": 12, "max_fields": 300, "max_part_size": 64 * 1024}


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return str(token)


async def csrf_ok(request: Request) -> bool:
    expected = str(request.session.get("csrf", ""))
    sent = request.headers.get("x-csrf-token", "")
    if not sent and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form(**FORM_LIMITS)
        value = form.get("csrf_token", "")
        sent = value if isinstance(value, str) else ""
    return bool(expected) and hmac.compare_digest(expected, sent)
