"""Prometheus metrics of the web process: requests, latencies, commands, uploads, notices,
projection lag. Served at ``/metrics``.

With several uvicorn workers, set ``PROMETHEUS_MULTIPROC_DIR`` (docker-compose does): each worker
writes its samples there and ``/metrics`` aggregates them, whichever worker answers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec, TypeVar

from prometheus_client import Counter, Gauge, Histogram
from starlette.concurrency import run_in_threadpool

from police.errors import DomainError

P = ParamSpec("P")
T = TypeVar("T")

REQUESTS = Counter(
    "police_http_requests_total", "HTTP requests answered", ["method", "route", "status"]
)
LATENCY = Histogram(
    "police_http_request_duration_seconds",
    "Time to answer, by route",
    ["route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
COMMANDS = Counter("police_commands_total", "Commands sent to the domain", ["command", "outcome"])
UPLOAD_BYTES = Counter("police_upload_bytes_total", "Evidence bytes stored")
NOTICE_RENDERS = Histogram(
    "police_notice_render_seconds", "Time to render one notice to PDF", ["kind"]
)
PROJECTION_LAG = Gauge(
    "police_projection_lag_events",
    "Events recorded but not yet in the read model",
    ["projection"],
    multiprocess_mode="max",
)


async def run_command(name: str, command: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Runs a blocking domain command off the event loop, counting its outcome."""
    try:
        result = await run_in_threadpool(command, *args, **kwargs)
    except DomainError as refused:
        COMMANDS.labels(name, type(refused).__name__).inc()
        raise
    except Exception:
        COMMANDS.labels(name, "error").inc()
        raise
    COMMANDS.labels(name, "ok").inc()
    return result
