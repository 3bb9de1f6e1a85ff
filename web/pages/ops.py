"""Endpoints for the operators and the orchestrator: liveness, readiness, metrics."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from web.metrics import metrics
from web.routing import route

CHECK_TIMEOUT = 3.0


def routes() -> list[Route]:
    return [
        route("/healthz", health, name="health"),
        route("/readyz", ready, name="ready"),
        route("/metrics", metrics, name="metrics"),
    ]


async def health(request: Request) -> Response:
    """The process answers: nothing else is checked (a restart would not fix a database)."""
    return PlainTextResponse("ok")


async def ready(request: Request) -> Response:
    """Each dependency answers within its time budget: event store, object store, read model."""
    checks: dict[str, Callable[[], Any]] = request.app.state.readiness_checks
    results = await asyncio.gather(*(_run(name, check) for name, check in checks.items()))
    report = dict(results)
    ready = all(r["ok"] for r in report.values())
    return JSONResponse(
        {"status": "ready" if ready else "unavailable", "checks": report},
        status_code=200 if ready else 503,
    )


async def _run(name: str, check: Callable[[], Any]) -> tuple[str, dict[str, Any]]:
    started = time.perf_counter()
    try:
        detail = await asyncio.wait_for(run_in_threadpool(check), CHECK_TIMEOUT)
    except TimeoutError:
        return name, {"ok": False, "error": f"no answer within {CHECK_TIMEOUT:g} s"}
    except Exception as e:  # a readiness probe reports; it never raises
        return name, {"ok": False, "error": f"{type(e).__name__}: {e}"[:300]}
    result: dict[str, Any] = {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}
    if isinstance(detail, dict):
        result.update(detail)
    return name, result
