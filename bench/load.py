"""The whole product under load: officers and supervisors at once against ``police serve`` with
several workers and the ``police project`` worker, on PostgreSQL and a real S3 server (SeaweedFS,
started here), in a fresh schema dropped at the end.

Each simulated officer logs in, then loops: opens their brigade's form, submits an inspection with
a ~2 MB photo (a fresh JPEG each time), opens their day page. Each supervisor logs in, then loops
over the case list, the overview and a case page. After ``--seconds`` prints throughput, p50/p99
per route, errors (target: 0), inspections accepted beside ``Inspection.Recorded`` events,
read-model rows and photos in the bucket (target: equal), the projection lag (most during the run,
at the stop, after draining) and the most PostgreSQL connections seen. For scale, the same
number of requests, by as many clients, against a bare Starlette page served by as many uvicorn
workers, in the same run.

Run: .venv/bin/python -m bench.load [--seconds 60] [--officers 64] [--supervisors 8] [--workers 4]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import os
import random
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

import httpx2 as httpx
import psycopg
from PIL import Image

from bench.web import BARE_APP, free_port
from police.app import PoliceApp
from police.settings import Settings
from projections.runner import Projector
from storage import open_store
from tests.conftest import PG_TEST_DB, pg_connect, postgres_env, s3_env
from tests.police.builders import PASSWORD, hire
from tests.seaweed import SeaweedS3

BRIGADES = ("hygiene", "parking", "public_domain")
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
CASE_LINK = re.compile(r'href="(/cases/[0-9a-f-]{36})"')
Process = subprocess.Popen[bytes]
PLACE = {"arrondissement": "anfa", "address": "Boulevard d'Anfa", "lat": "33.5890"}
PLACE |= {"lon": "-7.6420", "accuracy": "12", "observed_at": "2026-11-20T09:15:00+01:00"}


class Stats:
    """Latencies per route, unexpected answers, and what the officers had accepted."""

    def __init__(self) -> None:
        self.latencies: defaultdict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []
        self.accepted = self.uploaded = 0

    async def call(
        self, client: httpx.AsyncClient, url: str, expect: int = 200, route: str = "", **kw: Any
    ) -> httpx.Response | None:
        """GET ``url`` (POST with ``data``); None, and an error counted, unless ``expect``."""
        route = f"{'POST' if 'data' in kw else 'GET'} {route or url}"
        started = time.perf_counter()
        try:
            response = await client.request("POST" if "data" in kw else "GET", url, **kw)
        except httpx.HTTPError as e:
            self.errors.append(f"{route}: {type(e).__name__}: {e}")
            return None
        self.latencies[route].append(time.perf_counter() - started)
        if response.status_code != expect:
            self.errors.append(f"{route}: {response.status_code} {response.text[:400]!r}")
            return None
        return response


def photo_of_about(megabytes: float) -> bytes:
    """A random-noise JPEG (quality 95) of about this size: noise does not compress."""
    side, rng = 600, random.Random(7)
    while True:
        image = Image.frombytes("RGB", (side, side), rng.randbytes(side * side * 3))
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=95)
        if buffer.tell() >= megabytes * 1024 * 1024:
            return buffer.getvalue()
        side += 50


def unique(photo: bytes) -> bytes:
    """The same picture with a fresh JPEG comment: each submission stores its own object."""
    comment = uuid.uuid4().hex.encode()
    return photo[:2] + b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment + photo[2:]


def inspection_fields(brigade: str) -> dict[str, str]:
    """Valid fields for the brigade's form; subjects drawn at random, so some come back."""
    n = random.randrange(1, 2_000)
    if brigade == "parking":
        return {"plate": f"{n}-A-6", "finding": "STA-02"}
    if brigade == "hygiene":
        return {"subject_kind": "establishment", "trade_name": f"Café {n}", "finding": "HYG-02"}
    return {"subject_kind": "person", "full_name": f"Passant {n}"}  # compliant: no finding


async def log_in(stats: Stats, client: httpx.AsyncClient, username: str) -> bool:
    page = await stats.call(client, "/login")
    if page is None:
        return False
    form = {"username": username, "password": PASSWORD, "csrf_token": CSRF.findall(page.text)[0]}
    return await stats.call(client, "/login", 303, data=form) is not None


async def officer(
    stats: Stats, base: str, username: str, brigade: str, photo: bytes, end: float
) -> None:
    """Logs in, then until ``end``: the brigade's form, a submission with a photo, the day."""
    async with httpx.AsyncClient(base_url=base, timeout=120) as client:
        if not await log_in(stats, client, username):
            return
        while time.monotonic() < end:
            form_url = f"/officer/inspections/new/{brigade}"
            form = await stats.call(client, form_url, route="/officer/inspections/new/{brigade}")
            if form is None:
                await asyncio.sleep(1)  # an error is counted; do not spin on a dead server
                continue
            data = {"csrf_token": CSRF.findall(form.text)[0], "brigade": brigade, **PLACE}
            data |= {"submission_id": str(uuid.uuid4()), **inspection_fields(brigade)}
            jpeg = unique(photo)
            files = [("photos", ("IMG.jpg", jpeg, "image/jpeg"))]
            if await stats.call(client, "/officer/inspections", 303, data=data, files=files):
                stats.accepted += 1
                stats.uploaded += len(jpeg)
            await stats.call(client, "/officer")


async def supervisor(stats: Stats, base: str, username: str, end: float) -> None:
    """Logs in, then until ``end``: the case list, the overview, one case from the list."""
    async with httpx.AsyncClient(base_url=base, timeout=120) as client:
        if not await log_in(stats, client, username):
            return
        while time.monotonic() < end:
            cases = await stats.call(client, "/cases")
            await stats.call(client, "/overview")
            if links := CASE_LINK.findall(cases.text) if cases else []:
                await stats.call(client, random.choice(links), route="/cases/{id}")


async def bare_requests(base: str, clients: int, total: int) -> float:
    """Seconds for ``clients`` clients to make ``total`` GET / between them."""
    left = [total]

    async def client_loop() -> None:
        async with httpx.AsyncClient(base_url=base, timeout=60) as client:
            while left[0] > 0:
                left[0] -= 1
                (await client.get("/")).raise_for_status()

    started = time.perf_counter()
    await asyncio.gather(*(client_loop() for _ in range(clients)))
    return time.perf_counter() - started


def start(args: list[str], log: Path, env: dict[str, str] | None = None) -> Process:
    with log.open("ab") as out:
        return subprocess.Popen(
            args, env=os.environ | (env or {}), cwd=log.parent, stdout=out, stderr=out,
            start_new_session=True,
        )  # fmt: skip


def stop(process: Process) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def wait_ready(url: str, process: Process, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=2).status_code == 200:
                return
        time.sleep(0.3)
    sys.exit(f"{url}: not ready within 60 s\n{log.read_text()[-3000:]}")


def wait_for_projection(projector: Projector, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while projector.lag() and time.monotonic() < deadline:
        time.sleep(0.1)


def count(db: psycopg.Connection, rows: str) -> int:
    row = db.execute(f"SELECT count(*) FROM {rows}").fetchone()
    assert row is not None  # a count always answers one row
    return int(row[0])


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


async def drive(
    users: list[Coroutine[Any, Any, None]], projector: Projector, db: psycopg.Connection
) -> tuple[int, int]:
    """Runs the users to their end; returns the largest projection lag seen meanwhile, and the
    most connections the PostgreSQL server had (all its clients, this run's and any other)."""
    lag = connections = 0
    running = asyncio.gather(*users)
    while not running.done():
        lag = max(lag, await asyncio.to_thread(projector.lag))
        connections = max(connections, count(db, "pg_stat_activity"))
        await asyncio.wait([running], timeout=1)
    await running
    return lag, connections


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--officers", type=int, default=64)
    parser.add_argument("--supervisors", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    opts = parser.parse_args()
    # Terminated like interrupted: the finally below stops the servers and drops the schema.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    with pg_connect("postgres") as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (PG_TEST_DB,))
        if found.fetchone() is None:
            conn.execute(f"CREATE DATABASE {PG_TEST_DB}")
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    db = pg_connect(PG_TEST_DB)  # held from the start: the servers may take every free slot
    db.execute(f"CREATE SCHEMA {schema}")
    processes: list[Process] = []
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        work = Path(tmp)
        seaweed = SeaweedS3(work / "weed")
        server_log, project_log, bare_log = (
            work / f"{n}.log" for n in ("serve", "project", "bare")
        )
        try:
            seaweed.start()
            # Each process keeps two pools (events, read models) that may double under load:
            # 3 keeps 4 workers + the projector under 60 connections on the shared test server.
            env = postgres_env(schema) | {"POSTGRES_POOL_SIZE": "3"}
            env |= s3_env(seaweed) | {"S3_TIMEOUT_SECONDS": "30"}
            env |= {"POLICE_DATA_DIR": str(work / "var"), "POLICE_LOG_FORMAT": "text"}
            env |= {"POLICE_PROJECTOR": "worker", "POLICE_SECRET_KEY": secrets.token_urlsafe(48)}
            settings = Settings.from_env(env)
            objects = open_store(settings.objects)  # creates the bucket before the workers race
            police = PoliceApp(env=settings.event_store_env())
            officers = [(f"agent.{i}", BRIGADES[i % 3]) for i in range(opts.officers)]
            chiefs = [(f"chef.{i}", BRIGADES[i % 3]) for i in range(opts.supervisors)]
            for name, brigade in officers:
                hire(police, name, ["officer"], [brigade])
            for name, brigade in chiefs:
                hire(police, name, ["supervisor"], [brigade])
            police.close()

            port, bare_port = free_port(), free_port()
            police_cli = str(Path(sys.executable).parent / "police")
            serve = [police_cli, "serve", "--port", str(port), "--workers", str(opts.workers)]
            processes.append(start(serve, server_log, env))
            processes.append(start([police_cli, "project"], project_log, env))
            (work / "bare_app.py").write_text(BARE_APP)
            bare = [sys.executable, "-m", "uvicorn", "bare_app:app", "--port", str(bare_port)]
            bare += ["--workers", str(opts.workers), "--no-access-log", "--log-level", "warning"]
            processes.append(start(bare, bare_log))
            base, bare_base = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{bare_port}"
            wait_ready(f"{base}/readyz", processes[0], server_log)
            wait_ready(f"{bare_base}/", processes[2], bare_log)
            projector = Projector(settings.event_store_env())
            wait_for_projection(projector, 30)

            photo, stats = photo_of_about(2.0), Stats()
            started = time.monotonic()
            end = started + opts.seconds
            users = [officer(stats, base, n, b, photo, end) for n, b in officers]
            users += [supervisor(stats, base, n, end) for n, _ in chiefs]
            max_lag, max_connections = asyncio.run(drive(users, projector, db))
            elapsed = time.monotonic() - started
            lag_at_end, drained = projector.lag(), time.monotonic()
            wait_for_projection(projector, 120)
            drain_s, final_lag = time.monotonic() - drained, projector.lag()
            projector.close()

            requests = sum(len(v) for v in stats.latencies.values())
            clients = opts.officers + opts.supervisors
            bare_s = asyncio.run(bare_requests(bare_base, clients, requests))
            recorded = count(db, f"{schema}.police_events WHERE topic LIKE '%Inspection.Recorded'")
            rows, evidence = (
                count(db, f"{schema}.rm_inspections"),
                count(db, f"{schema}.rm_evidence"),
            )
            photos = sum(1 for _ in objects.list_keys("evidence/"))
        finally:
            for process in reversed(processes):
                stop(process)
            seaweed.stop()
            db.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
            db.close()
        said = server_log.read_text() + project_log.read_text()
        logged = [line for line in said.splitlines() if "Traceback" in line or " ERROR " in line]

    rate, bare_rate, mb = requests / elapsed, requests / bare_s, stats.uploaded / 1024 / 1024
    ok = "ok" if stats.accepted == recorded == rows == evidence == photos else "MISMATCH"
    lines = [
        f"{opts.officers} officers + {opts.supervisors} supervisors, {elapsed:.0f} s, against "
        f"police serve --workers {opts.workers} + police project, PostgreSQL + SeaweedFS",
        f"{'route':<40}{'count':>7}{'p50 ms':>9}{'p99 ms':>9}",
        *(
            f"{route:<40}{len(ms):>7}{percentile(ms, 0.5):>9.0f}{percentile(ms, 0.99):>9.0f}"
            for route, ms in sorted(stats.latencies.items())
        ),
        f"throughput: {rate:.1f} requests/s, {stats.accepted / elapsed:.1f} inspections/s, "
        f"{mb / elapsed:.1f} MB/s of photos",
        f"bare Starlette, {opts.workers} workers, the same {requests} GET by {clients} clients: "
        f"{bare_rate:.0f} requests/s; ratio {rate / bare_rate:.3f}",
        f"errors: {len(stats.errors)} (target 0)",
        *(f"    {error}" for error in stats.errors[:5]),
        f"server and projector log lines with ERROR or Traceback: {len(logged)}",
        *(f"    {line[:300]}" for line in logged[:5]),
        f"inspections accepted {stats.accepted}, Inspection.Recorded events {recorded}, "
        f"rm_inspections rows {rows}, rm_evidence rows {evidence}, photos stored {photos}: {ok}",
        f"projection lag: at most {max_lag} events during the run, {lag_at_end} when the load "
        f"stopped, {final_lag} after {drain_s:.1f} s more",
        f"PostgreSQL connections, whole server, at most: {max_connections} (POSTGRES_POOL_SIZE=3)",
    ]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
