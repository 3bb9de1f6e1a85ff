"""Endpoints for the operators and the orchestrator: liveness, readiness, metrics."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable, Mapping
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest, multiprocess
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from web.routing import route
from web.state import services

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
    report = await readiness(services(request).readiness_checks)
    ready = all(r["ok"] for r in report.values())
    return JSONResponse(
        {"status": "ready" if ready else "unavailable", "checks": report},
        status_code=200 if ready else 503,
    )


async def readiness(checks: Mapping[str, Callable[[], Any]]) -> dict[str, dict[str, Any]]:
    """Runs the checks at once; each answers ``ok`` with its time (``ms``) and details, or
    not ``ok`` with its ``error``. The readiness probe and the administration's system page
    show the same answers."""
    results = await asyncio.gather(*(_run(name, check) for name, check in checks.items()))
    return dict(results)


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


async def metrics(request: Request) -> Response:
    registry = None
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]  # unannotated upstream
    await run_in_threadpool(services(request).refresh_metrics)
    body = generate_latest(registry) if registry else generate_latest()
    return Response(body, media_type=CONTENT_TYPE_LATEST)
