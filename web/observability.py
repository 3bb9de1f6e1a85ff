"""What operators see: one JSON log line per request (request id, user id, route, status,
duration), the request id on every log line written while serving it, and request metrics.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from contextvars import ContextVar

from pythonjsonlogger.json import JsonFormatter
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from web.metrics import LATENCY, REQUESTS

log = logging.getLogger("police.requests")
request_id: ContextVar[str] = ContextVar("request_id", default="")
_SANE_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


class _RequestContext(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


def configure_logging(level: str = "INFO", json_lines: bool = True) -> None:
    """Logs go to stderr, one JSON object per line (production), or plain text (development)."""
    handler = logging.StreamHandler()
    handler.addFilter(_RequestContext())
    if json_lines:
        handler.setFormatter(
            JsonFormatter(
                "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
                rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            )
        )
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)


class RequestLogMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        sent = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        rid = sent if _SANE_ID.fullmatch(sent) else uuid.uuid4().hex
        token = request_id.set(rid)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)["X-Request-ID"] = rid
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            route = getattr(scope.get("route"), "name", None) or "unmatched"
            actor = scope.get("state", {}).get("actor")
            REQUESTS.labels(scope["method"], route, str(status)).inc()
            LATENCY.labels(route).observe(elapsed)
            log.info(
                "request",
                extra={
                    "method": scope["method"],
                    "path": logged_path(scope["path"]),
                    "route": route,
                    "status": status,
                    "duration_ms": round(elapsed * 1000, 1),
                    "user_id": str(actor.id) if actor is not None else None,
                },
            )
            request_id.reset(token)


_PRIVATE_LINK = re.compile(r"^(/demarches/suivi/[^/]+/)[^/]+")


def logged_path(path: str) -> str:
    """The path as the log keeps it: a private tracking link's secret is never written down
    (whoever reads the logs could otherwise open the applicant's file)."""
    return _PRIVATE_LINK.sub(r"\1…", path)
