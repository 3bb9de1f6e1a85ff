"""Security headers on every response, the request's language, and a body size limit.

One pure ASGI middleware: strict Content-Security-Policy (no inline script or style), no
sniffing, no framing; bodies beyond the limit are refused with 413 before they are read.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from web import i18n
from web.form_parsing import whole_number

MAX_BODY_BYTES = 120 * 1024 * 1024  # up to a dozen phone photos with one inspection
# The public forms (no account): six documents of a few megabytes at most.
PUBLIC_PREFIXES = ("/demarches", "/signaler", "/mon-avis", "/open311")
MAX_PUBLIC_BODY_BYTES = 40 * 1024 * 1024
# Open311's POST: a few form fields (a report's photos never come that way).
MACHINE_PREFIXES = ("/open311/",)
MAX_MACHINE_BODY_BYTES = 16 * 1024


def content_security_policy(tiles_origin: str = "") -> str:
    images = " ".join(filter(None, ["'self'", "data:", "blob:", tiles_origin]))
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; "
        f"img-src {images}; connect-src 'self'; worker-src 'self'; manifest-src 'self'; "
        "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
        "frame-ancestors 'none'"
    )


class SecurityMiddleware:
    def __init__(self, app: ASGIApp, *, csp: str, max_body: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.csp = csp
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        i18n.set_language(_cookie(scope, "lang"))
        limit = self.max_body
        if scope["path"].startswith(PUBLIC_PREFIXES):
            limit = min(limit, MAX_PUBLIC_BODY_BYTES)
        if scope["path"].startswith(MACHINE_PREFIXES):
            limit = min(limit, MAX_MACHINE_BODY_BYTES)
        declared = _header(scope, b"content-length")
        length = whole_number(declared) if declared is not None else 0
        if length is None or length > limit:
            await _too_large(scope, receive, send)
            return

        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge
            return message

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("Content-Security-Policy", self.csp)  # a page may be stricter
                headers["X-Content-Type-Options"] = "nosniff"
                headers["X-Frame-Options"] = "DENY"
                headers["Referrer-Policy"] = "same-origin"
                headers["Permissions-Policy"] = "camera=(self), geolocation=(self), microphone=()"
                # Pages hold personal data: never stored. Static files: revalidated by ETag.
                cache = "no-cache" if scope["path"].startswith("/static/") else "no-store"
                headers.setdefault("Cache-Control", cache)
            await send(message)

        try:
            await self.app(scope, limited_receive, send_with_headers)
        except BodyTooLarge:
            await _too_large(scope, receive, send)


class BodyTooLarge(Exception):
    """The request body passed the limit while being read."""


async def _too_large(scope: Scope, receive: Receive, send: Send) -> None:
    response = PlainTextResponse(i18n.gettext_("Envoi trop volumineux."), status_code=413)
    await response(scope, receive, send)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return bytes(value).decode("latin-1")
    return None


def _cookie(scope: Scope, name: str) -> str:
    raw = _header(scope, b"cookie") or ""
    for part in raw.split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value
    return ""
