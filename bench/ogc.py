"""The OGC API's items page for the city's GIS: 1,000 inspections (or permits) as GeoJSON,
beside the same SQL run bare, in one run.

Records ``--inspections`` real inspections (default 3,000, hygiene, spread over the city and the
last two days), serves the app with uvicorn (one worker, a process of its own, as ``police
serve`` does), then times ``--requests`` GET ``/ogc/collections/inspections/items?bbox=...&
limit=1000`` with a legal officer's API token (the token checked, the user loaded, the page
and its count queried, the GeoJSON written), beside the raw baseline: the very same two
statements on a plain connection, rows made into the same features and ``json.dumps``. Prints
p50/p99 of each and the ratio of p99s. Target: p99 < 200 ms.

``--collection permits``: the same page of the ``permits`` collection among ``--inspections``
permits (as many synthetic ``Permit`` aggregates as ``bench.permits`` loads, billboards among
them, which that collection leaves out) with the permits office's token.

Run: .venv/bin/python -m bench.ogc [--inspections 3000] [--requests 100]
     [--stores sqlite postgres] [--collection inspections|permits]
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx2 as httpx
import psycopg
from psycopg.rows import dict_row

from bench.append import BENCH_DB, PG, drop_schema, fresh_schema
from bench.permits import load as load_permits
from bench.web import free_port, serve
from police.app import PoliceApp
from police.identifiers import SubjectInput
from police.settings import Settings
from police.submission import Location
from projections.queries.features import INSPECTIONS, PERMITS, FeatureWindow, feature_statements
from projections.store import _postgres_sql
from tests.police.builders import hygiene, staff_of

CITY = (-7.75, 33.45, -7.45, 33.65)  # west, south, east, north
WINDOW = FeatureWindow(bbox=CITY, limit=1000)
BRIGADES = ("hygiene", "parking", "public_domain")  # legal staff of every brigade
PAGE = "/ogc/collections/{}/items?bbox=-7.75,33.45,-7.45,33.65&limit=1000"


def record(police: PoliceApp, officer: uuid.UUID, n: int) -> None:
    now = datetime.now(UTC)
    for i in range(n):
        submission = hygiene(
            observed_at=now - timedelta(seconds=40 * (n - i)),
            location=Location(
                arrondissement="maarif",
                address="Boulevard Zerktouni",
                lat=33.50 + (i % 97) / 970,
                lon=-7.70 + (i % 89) / 445,
                accuracy_m=8,
            ),
            subject=SubjectInput(
                kind="establishment", trade_name=f"Commerce {i}", ice=f"{i + 1:015d}"
            ),
        )
        police.record_inspection(replace(submission, sent_at=now), officer)


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def timed(work: Callable[[], object], runs: int) -> list[float]:
    for _ in range(5):
        work()  # warm caches, connections, prepared statements
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def bare(
    query: Callable[[str, dict[str, Any]], list[dict[str, Any]]], collection: str
) -> Callable[[], bytes]:
    source = INSPECTIONS if collection == "inspections" else PERMITS
    count_sql, rows_sql, params = feature_statements(source, WINDOW, BRIGADES)

    def page() -> bytes:
        rows = query(rows_sql, params)
        matched = query(count_sql, params)[0]["n"]
        features = [source.feature(r) for r in rows]
        document = {"type": "FeatureCollection", "features": features, "numberMatched": matched}
        return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()

    return page


def settle(schema: str, sqlite_path: Path) -> None:
    """What a database does on its own before anyone reads a table loaded at once: statistics
    for the planner, and on PostgreSQL the visibility map that lets a count read the index
    alone (autovacuum, about a minute after such a load)."""
    if schema:
        with psycopg.connect(
            dbname=BENCH_DB, autocommit=True, options=f"-c search_path={schema}", **PG
        ) as conn:
            conn.execute("VACUUM ANALYZE rm_permits")
    else:
        with sqlite3.connect(sqlite_path) as conn:
            conn.execute("ANALYZE")


def run(
    store: str, inspections: int, requests: int, collection: str
) -> tuple[list[float], list[float]]:
    path = PAGE.format(collection)
    with tempfile.TemporaryDirectory(prefix="bench-ogc-") as tmp:
        env = {"POLICE_DATA_DIR": str(Path(tmp) / "var"), "POLICE_LOG_FORMAT": "text"}
        schema = fresh_schema() if store == "postgres" else ""
        if schema:
            env |= {
                "POSTGRES_DBNAME": BENCH_DB,
                "POSTGRES_HOST": PG["host"],
                "POSTGRES_USER": PG["user"],
                "POSTGRES_SCHEMA": schema,
            }
        try:
            settings = Settings.from_env(env)
            police = PoliceApp(env=settings.event_store_env())
            staff = staff_of(police)
            if collection == "inspections":
                record(police, staff.hygiene_officer, inspections)
                reader = staff.legal
            else:
                load_permits(settings.event_store_env(), inspections, 1000)
                settle(schema, settings.sqlite_path)
                reader = staff.permits_clerk
            token = police.issue_api_token(staff.admin, reader, label="bench").token
            police.close()
            port = free_port()
            server = serve("web.app:serve_app", port, env, Path.cwd())
            try:
                client = httpx.Client(
                    base_url=f"http://127.0.0.1:{port}",
                    headers={"Authorization": f"Bearer {token}"},
                    timeout=30,
                )
                deadline, wanted = time.monotonic() + 300, inspections
                if collection == "permits":  # caught up already; billboards are not in it
                    wanted = client.get(path).json()["numberMatched"]
                while client.get(path).json()["numberMatched"] < wanted:
                    if time.monotonic() > deadline:
                        raise RuntimeError("the read models did not catch up")
                    time.sleep(0.5)  # the in-process projector catching up

                first = client.get(path).json()
                assert first["numberReturned"] == min(1000, wanted), first

                def through_app() -> None:  # the answer read whole, not parsed: server time
                    response = client.get(path)
                    assert response.status_code == 200, response.text

                app_ms = timed(through_app, requests)
                client.close()
            finally:
                server.terminate()
                server.wait(timeout=10)
            if schema:
                with psycopg.connect(
                    dbname=BENCH_DB, row_factory=dict_row, options=f"-c search_path={schema}", **PG
                ) as conn:

                    def pg_query(sql: str, params: dict[str, Any]) -> list[dict[str, Any]]:
                        return conn.execute(_postgres_sql(sql), params).fetchall()

                    bare_ms = timed(bare(pg_query, collection), requests)
            else:
                conn_lite = sqlite3.connect(settings.sqlite_path)
                conn_lite.row_factory = sqlite3.Row

                def lite_query(sql: str, params: dict[str, Any]) -> list[dict[str, Any]]:
                    return [dict(r) for r in conn_lite.execute(sql, params).fetchall()]

                bare_ms = timed(bare(lite_query, collection), requests)
                conn_lite.close()
        finally:
            if schema:
                drop_schema(schema)
    return app_ms, bare_ms


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--inspections", type=int, default=3000)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--stores", nargs="+", default=["sqlite"], choices=["sqlite", "postgres"])
    parser.add_argument("--collection", default="inspections", choices=["inspections", "permits"])
    args = parser.parse_args()
    print(
        f"OGC items page of 1,000 features among {args.inspections} {args.collection}, "
        f"{args.requests} requests; target p99 < 200 ms"
    )
    print(f"{'store':<10}{'path':<34}{'p50 ms':>9}{'p99 ms':>9}{'ratio':>8}")
    for store in args.stores:
        app_ms, bare_ms = run(store, args.inspections, args.requests, args.collection)
        (app50, app99), (bare50, bare99) = percentiles(app_ms), percentiles(bare_ms)
        ok = "ok" if app99 < 200 else "MISS"
        print(f"{store:<10}{'bare: same SQL + json.dumps':<34}{bare50:>9.1f}{bare99:>9.1f}")
        print(
            f"{store:<10}{'through the app (uvicorn, token)':<34}{app50:>9.1f}{app99:>9.1f}"
            f"{app99 / bare99:>8.2f}   {ok}"
        )


if __name__ == "__main__":
    main()
