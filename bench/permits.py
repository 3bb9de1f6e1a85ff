"""The officer's "permits within 50 m" among a big registry, beside the same SQL run bare.

Loads ``--permits`` permits (default 100,000) on SQLite and PostgreSQL the way the log holds
them: ``Permit`` aggregates built by the domain (a grant each, 2% then suspended, 1% revoked),
saved through ``PoliceApp.save`` a batch of ``--batch`` aggregates per transaction, then the
read models caught up by the projector (its pages of 500 events, one transaction each). Their
pins crowd around the arrondissements' centres as shops do (four in five, within about a
kilometre), the rest anywhere in the city.

Then at ``--points`` random points of the city drawn the same way (default 1,000) times, in
turns after the same warm-up, ``ReadModels.permits_near(lat, lon)`` (what the officer's form
calls) and the very same statement run bare on a plain connection of the same kind (sqlite3 on
the same file, psycopg on the same schema): the bounding-box SELECT, its rows fetched as
tuples, the distance computed and sorted, no dataclass built. Prints p50/p99 of each and the
ratio of p99s (and of p50s). Targets: p99 < 20 ms, ratio <= 2. Also printed: the query plan
of each store, and the floor: the same SQL read through the read store (its pool, the pooled
connection checked on PostgreSQL, the transaction and search path, rows as dicts) with no
``PermitRow`` built, against bare: no query method on the store can do better than that.

The OGC ``items`` page of 1,000 features (the issue's other figure) is measured by
``bench/ogc.py``.

Run: .venv/bin/python -m bench.permits [--permits 100000] [--points 1000]
     [--stores sqlite postgres]
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg

from bench.append import BENCH_DB, PG, drop_schema, fresh_schema, postgres_env, sqlite_env
from police.aggregates.permit import Permit, PermitKind
from police.app import PoliceApp
from police.permit_terms import SERIES
from police.territory import Territory, distance_m
from projections.queries import ReadModels
from projections.queries.permits import NEARBY_M
from projections.runner import Projector
from projections.store import _postgres_sql, open_read_store

TODAY = date(2026, 12, 2)
TARGET_MS = 20.0
TARGET_RATIO = 2.0
CLERK = uuid.UUID(int=7)
KINDS = list(PermitKind)
_LAT, _LON = 7, 8  # where lat and lon sit in the statement's columns


def position(rnd: random.Random, territory: Territory) -> tuple[float, float]:
    """Around an arrondissement's centre (sigma ~900 m) four times in five, else anywhere."""
    b = territory.bounds
    if rnd.random() < 0.8:
        lat0, lon0 = rnd.choice(list(territory.arrondissements.values())).centre
        lat, lon = rnd.gauss(lat0, 0.008), rnd.gauss(lon0, 0.0095)
    else:
        lat, lon = rnd.uniform(b.south, b.north), rnd.uniform(b.west, b.east)
    return min(max(lat, b.south), b.north), min(max(lon, b.west), b.east)


def synthetic(n: int, rnd: random.Random, territory: Territory) -> Permit:
    kind = KINDS[n % len(KINDS)]
    lat, lon = position(rnd, territory)
    arrondissement = territory.nearest_arrondissement(lat, lon)
    start = TODAY - timedelta(days=rnd.randint(0, 700))
    frontage, depth = Decimal(rnd.randint(2, 24)) / 2, Decimal(rnd.randint(2, 8)) / 2
    board: dict[str, Any] | None = None
    if kind is PermitKind.BILLBOARD:
        board = {
            "structure_id": f"CAS-PUB-{n:06d}",
            "faces": 2,
            "m2_per_face": Decimal("12"),
            "lit": True,
            "company": "Affichage Atlas",
        }
    permit = Permit(
        number=f"{SERIES[kind]}-{2025 + n % 2}-{n:06d}",
        actor_id=CLERK,
        holder_subject_id=uuid.UUID(int=n + 10**9),
        holder_label=f"Commerce {n}",
        kind=kind,
        location={
            "arrondissement": arrondissement.code,
            "arrondissement_name": arrondissement.name_fr,
            "address": f"{n % 250 + 1}, Boulevard {n % 97}",
            "lat": round(lat, 6),
            "lon": round(lon, 6),
            "accuracy_m": 8.0,
        },
        surface_m2=board["faces"] * board["m2_per_face"] if board else frontage * depth,
        valid_from=start,
        valid_until=start + timedelta(days=364),
        fee=Decimal("3600.00"),
        dimensions=None if board else {"frontage_m": frontage, "depth_m": depth},
        outline=None,
        outline_m2=None,
        conditions={"walking_path_m": Decimal("1.50"), "hours": "08:00-23:00", "season": ""},
        billboard=board,
    )
    roll = rnd.random()
    if roll < 0.02:
        permit.suspend(CLERK, "Travaux de voirie")
    elif roll < 0.03:
        permit.revoke(CLERK, "Redevance impayée")
    return permit


def load(env: dict[str, str], permits: int, batch: int) -> tuple[float, float]:
    """Saves the permits a batch per transaction, then projects them; the seconds of each."""
    app = PoliceApp(env=env)
    rnd = random.Random(permits)
    started = time.perf_counter()
    try:
        for first in range(0, permits, batch):
            app.save(
                *(
                    synthetic(n, rnd, app.territory)
                    for n in range(first, min(permits, first + batch))
                )
            )
    finally:
        app.close()
    saved = time.perf_counter() - started
    projector = Projector(env)
    started = time.perf_counter()
    try:
        projector.catch_up(timeout=600)
    finally:
        projector.close()
    return saved, time.perf_counter() - started


def nearest(
    rows: list[Any], lat: float, lon: float, at: tuple[Any, Any] = (_LAT, _LON)
) -> list[tuple[float, Any]]:
    """What the query does after the SELECT, on bare rows: distance, cut, sort."""
    near = [(distance_m((lat, lon), (r[at[0]], r[at[1]])), r) for r in rows]
    near.sort(key=lambda pair: pair[0])
    return [pair for pair in near if pair[0] <= NEARBY_M][:20]


def timed_pairs(
    app: Callable[[float, float], Any],
    bare: Callable[[float, float], Any],
    points: list[tuple[float, float]],
) -> tuple[list[float], list[float], int]:
    """Each point asked of both, in turns (alternating which goes first), after the same
    warm-up; the times in ms of each, and how many permits the app found in all."""
    for lat, lon in points[:20]:
        app(lat, lon)
        bare(lat, lon)
    samples: tuple[list[float], list[float]] = ([], [])
    found = 0
    for i, (lat, lon) in enumerate(points):
        order = ((0, app), (1, bare)) if i % 2 else ((1, bare), (0, app))
        for side, work in order:
            started = time.perf_counter()
            result = work(lat, lon)
            samples[side].append((time.perf_counter() - started) * 1000)
            if side == 0:
                found += len(result)
    return samples[0], samples[1], found


def p50_p99(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--permits", type=int, default=100_000)
    parser.add_argument("--points", type=int, default=1_000)
    parser.add_argument("--batch", type=int, default=1_000)
    parser.add_argument("--stores", nargs="+", default=["sqlite", "postgres"])
    args = parser.parse_args()
    territory = Territory.load("")
    rnd = random.Random(2026)
    points = [position(rnd, territory) for _ in range(args.points)]
    print(
        f"{args.permits} permits; permits within {NEARBY_M:.0f} m of {args.points} points; "
        f"times in ms; targets p99 < {TARGET_MS:.0f} ms, ratio <= {TARGET_RATIO:.0f}"
    )
    for store in args.stores:
        with tempfile.TemporaryDirectory() as tmp:
            schema = fresh_schema() if store == "postgres" else ""
            # The read store as the application configures it (on PostgreSQL: each pooled
            # connection checked before use).
            env = (
                postgres_env(schema) | {"POSTGRES_PRE_PING": "y"}
                if schema
                else sqlite_env(Path(tmp, "events.db"))
            )
            try:
                saved, projected = load(env, args.permits, args.batch)
                print(
                    f"{store}: {args.permits} permits saved in {saved:.1f} s "
                    f"({args.permits / saved:.0f}/s, {args.batch} aggregates per transaction), "
                    f"projected in {projected:.1f} s ({args.permits / projected:.0f} events/s)",
                    flush=True,
                )
                measure(store, env, schema, points)
            finally:
                if schema:
                    drop_schema(schema)


def measure(
    store: str, env: dict[str, str], schema: str, points: list[tuple[float, float]]
) -> None:
    read_store = open_read_store(env)
    models = ReadModels(read_store, lambda: TODAY)
    bare_db: Any
    if schema:
        bare_db = psycopg.connect(dbname=BENCH_DB, autocommit=True, **PG)
        bare_db.execute(f"SET search_path TO {schema}")
        bare_db.execute("ANALYZE rm_permits")
        to_sql: Callable[[str], str] = _postgres_sql
        explain = "EXPLAIN (ANALYZE, BUFFERS) "
    else:
        bare_db = sqlite3.connect(env["SQLITE_DBNAME"])
        bare_db.execute("ANALYZE")
        to_sql = lambda sql: sql  # noqa: E731
        explain = "EXPLAIN QUERY PLAN "

    def bare(lat: float, lon: float) -> list[tuple[float, Any]]:
        sql, params = models.near_statement(lat, lon)
        return nearest(bare_db.execute(to_sql(sql), params).fetchall(), lat, lon)

    def floor(lat: float, lon: float) -> list[tuple[float, Any]]:
        """The same SQL read through the store (its pool, transaction and search path, the
        rows as dicts), no ``PermitRow`` built: what any query method costs at least."""
        sql, params = models.near_statement(lat, lon)
        with read_store.reader() as reader:
            rows = reader.query(sql, params)
        return nearest(rows, lat, lon, ("lat", "lon"))

    try:
        app_ms, bare_ms, found = timed_pairs(models.permits_near, bare, points)
        floor_ms, floor_bare_ms, _ = timed_pairs(floor, bare, points)
        sql, params = models.near_statement(*points[0])
        for row in bare_db.execute(to_sql(explain + sql), params).fetchall():
            print(f"    plan: {' | '.join(str(c) for c in row)}")
        report(store, "permits_near", p50_p99(app_ms), p50_p99(bare_ms), found / len(points))
        report(store, "floor: store read", p50_p99(floor_ms), p50_p99(floor_bare_ms), None)
    finally:
        bare_db.close()
        read_store.close()


def report(
    store: str,
    name: str,
    app: tuple[float, float],
    raw: tuple[float, float],
    found: float | None,
) -> None:
    ratio = app[1] / raw[1] if raw[1] else float("inf")
    median_ratio = app[0] / raw[0] if raw[0] else float("inf")
    verdict = ""
    if found is not None:
        ok = app[1] < TARGET_MS and ratio <= TARGET_RATIO
        verdict = f"{'ok' if ok else 'MISS'} ({found:.1f} permits found per point)"
    print(
        f"  {store:<9} {name:<18} p50 {app[0]:6.2f} p99 {app[1]:6.2f} | "
        f"bare p50 {raw[0]:6.2f} p99 {raw[1]:6.2f} | ratio of p99s {ratio:4.2f} "
        f"(of p50s {median_ratio:4.2f}) {verdict}",
        flush=True,
    )


if __name__ == "__main__":
    main()
