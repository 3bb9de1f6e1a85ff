"""The public form's duplicate prompt among a million reports, beside the same SQL run bare.

Before a resident sends a report, the form shows the open reports of the same category within
50 m ("is it one of these?"): ``ReadModels.reports_near(category, lat, lon)``. This fills
``rm_reports`` with ``--reports`` rows (default 1,000,000) straight by SQL (executemany on
SQLite, COPY on PostgreSQL, in batches; a million domain commands would take hours), the table
and its indexes built by the read model's own statements (``create_statements(("reports",))``,
the indexes after the rows, as a rebuild would find them). The rows look like the city's: the 9
categories of ``police/data/report_categories.yaml`` each with its brigade, points over
Casablanca (lat 33.45-33.65, lon -7.75 to -7.45) crowded around the centre and the
arrondissements' centres, about 15 % open (received or planned), the rest closed (inspected
with or without an infraction, merged as duplicates, refused), every NOT NULL column filled.

Then, after ``ANALYZE`` (``VACUUM ANALYZE`` on PostgreSQL), at ``--points`` points (default
2,000) drawn a few tens of metres from existing reports, with the category of that report (so
that some prompts find something), in turns after the same warm-up: ``ReadModels.reports_near``
(what the form calls) and, as the raw baseline, the same bounding-box SELECT written out here by
hand and run on a bare connection
(sqlite3 on the same file, psycopg on the same schema): its rows fetched as tuples, the distance
computed, cut at 50 m, sorted and the first 5 kept, no ``ReportRow`` built. Prints p50/p95/p99
(ms) of each, the ratio of p99s (and of p50s), the query plan of each store, how many rows the
square holds and how many index entries the range reads, the machine's load average (the tail
is the machine's: other work on its cores shows in both columns), and whether the issue's
target holds: p99 < 20 ms.

Never run by the tests (nothing under ``tests/`` imports it).

Run: .venv/bin/python -m bench.reports [--reports 1000000] [--points 2000]
     [--store sqlite|postgres|both]
"""

from __future__ import annotations

import argparse
import math
import os
import random
import sqlite3
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg

from bench.append import BENCH_DB, PG, drop_schema, fresh_schema, postgres_env, sqlite_env
from police.report_categories import ReportCategories
from police.territory import Territory, distance_m
from projections.queries import ReadModels
from projections.queries.reports import NEARBY_M
from projections.schema import create_statements
from projections.store import open_read_store

TODAY = date(2026, 12, 2)
TARGET_MS = 20.0
LIMIT = 5
BATCH = 20_000
CITY_CENTRE = (33.592, -7.620)  # between Sidi Belyout, Anfa and Maârif
# Closed statuses and their weights among the closed reports (the open ones are 15 %).
CLOSED = (
    ("infraction_found", 40),
    ("no_infraction", 30),
    ("duplicate", 18),
    ("not_for_service", 12),
)
OPEN_SHARE = 0.15
COLUMNS = (
    "report_id",
    "number",
    "brigade",
    "category",
    "status",
    "open",
    "arrondissement",
    "address",
    "lat",
    "lon",
    "description",
    "photos",
    "source",
    "received_at",
    "triage_due",
    "triaged_at",
    "officer_id",
    "dispatch_note",
    "original_number",
    "refusal",
    "inspected_at",
    "inspection_id",
    "case_reference",
    "followers",
    "updated_at",
    "version",
)
# The raw baseline's SELECT, written out by hand: the columns reports_near reads, lat and lon
# at 7 and 8.
BARE_SELECT = (
    "SELECT number, brigade, category, status, open, arrondissement, address, lat, lon, "
    "description, photos, source, received_at, triage_due, triaged_at, officer_id, "
    "dispatch_note, original_number, refusal, inspected_at, case_reference, followers, "
    "updated_at, version FROM rm_reports WHERE category = {p} AND open = 1 "
    "AND lat BETWEEN {p} AND {p} AND lon BETWEEN {p} AND {p}"
)
BAND = (
    "SELECT COUNT(*) FROM rm_reports WHERE category = {p} AND open = 1 AND lat BETWEEN {p} AND {p}"
)
_LAT, _LON = 7, 8
_METRES_PER_DEGREE = 111_320.0


@dataclass(frozen=True)
class City:
    """What the synthetic reports are drawn from."""

    territory: Territory
    categories: list[tuple[str, str]]  # (code, brigade)
    centres: list[tuple[str, tuple[float, float]]]  # (arrondissement, centre)

    @classmethod
    def load(cls) -> City:
        territory = Territory.load("")
        categories = [
            (c.code, c.brigade.value) for c in ReportCategories.load().categories.values()
        ]
        centres = [(code, a.centre) for code, a in territory.arrondissements.items()]
        return cls(territory, categories, centres)

    def position(self, rnd: random.Random) -> tuple[float, float]:
        """A third around the city centre (sigma ~1.3 km), half around an arrondissement's
        centre (sigma ~800 m), the rest anywhere in the city; inside its bounds."""
        b = self.territory.bounds
        roll = rnd.random()
        if roll < 0.33:
            lat, lon = rnd.gauss(CITY_CENTRE[0], 0.012), rnd.gauss(CITY_CENTRE[1], 0.014)
        elif roll < 0.83:
            lat0, lon0 = rnd.choice(self.centres)[1]
            lat, lon = rnd.gauss(lat0, 0.0072), rnd.gauss(lon0, 0.0086)
        else:
            lat, lon = rnd.uniform(b.south, b.north), rnd.uniform(b.west, b.east)
        return min(max(lat, b.south), b.north), min(max(lon, b.west), b.east)

    def arrondissement(self, lat: float, lon: float) -> str:
        """The nearest centre's (on the plane, cheap enough for a million rows)."""
        return min(self.centres, key=lambda c: (c[1][0] - lat) ** 2 + (c[1][1] - lon) ** 2)[0]


def synthetic(n: int, rnd: random.Random, city: City) -> tuple[Any, ...]:
    """Report ``n`` as its row of ``rm_reports`` (in ``COLUMNS`` order)."""
    category, brigade = city.categories[rnd.randrange(len(city.categories))]
    lat, lon = city.position(rnd)
    if rnd.random() < OPEN_SHARE:
        status = "received" if rnd.random() < 0.55 else "planned"
        received = datetime(2026, 12, 2, 18) - timedelta(minutes=rnd.randint(0, 60 * 24 * 40))
    else:
        status = rnd.choices([s for s, _ in CLOSED], [w for _, w in CLOSED])[0]
        received = datetime(2025, 1, 1, 7) + timedelta(minutes=rnd.randint(0, 60 * 24 * 660))
    triaged = received + timedelta(hours=rnd.randint(1, 60)) if status != "received" else None
    inspected = (
        triaged + timedelta(days=rnd.randint(1, 20))
        if triaged and status in ("infraction_found", "no_infraction")
        else None
    )
    officer = (
        str(uuid.UUID(int=100 + n % 40))
        if status in ("planned", "infraction_found", "no_infraction")
        else None
    )
    number = f"SIG-{received.year}-{n:07d}"
    updated = inspected or triaged or received
    return (
        str(uuid.UUID(int=n + 1)),
        number,
        brigade,
        category,
        status,
        1 if status in ("received", "planned") else 0,
        city.arrondissement(lat, lon),
        f"{n % 250 + 1}, Rue {n % 113}" if rnd.random() < 0.7 else "",
        round(lat, 6),
        round(lon, 6),
        f"Signalement {n}: {category} devant le {n % 250 + 1}",
        f"reports/{n:07d}/1.jpg" if rnd.random() < 0.6 else "",
        "open311" if rnd.random() < 0.1 else "web",
        received.isoformat(),
        (received.date() + timedelta(days=2 if received.weekday() < 3 else 4)).isoformat(),
        triaged.isoformat() if triaged else None,
        officer,
        "Passer en matinée" if status == "planned" else "",
        f"SIG-{received.year}-{max(n - 7, 0):07d}" if status == "duplicate" else None,
        "Voie privée" if status == "not_for_service" else "",
        inspected.isoformat() if inspected else None,
        str(uuid.UUID(int=n + 10**9)) if inspected else None,
        f"{brigade[:3].upper()}-{received.year}-{n:07d}" if status == "infraction_found" else None,
        1 + (rnd.random() < 0.1) + (rnd.random() < 0.02),
        updated.isoformat(),
        1 + (triaged is not None) + (inspected is not None),
    )


def reports(count: int, city: City) -> Iterator[tuple[Any, ...]]:
    rnd = random.Random(count)
    return (synthetic(n, rnd, city) for n in range(count))


def split(statements: list[str]) -> tuple[list[str], list[str]]:
    """The model's statements: its tables, then its indexes."""
    tables = [s for s in statements if "CREATE TABLE" in s]
    return tables, [s for s in statements if s not in tables]


def fill_sqlite(path: Path, count: int, city: City) -> None:
    tables, indexes = split(create_statements(("reports",)))
    insert = f"INSERT INTO rm_reports ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * 26)})"
    db = sqlite3.connect(path)
    try:
        for sql in tables:
            db.execute(sql)
        rows = reports(count, city)
        while batch := [row for _, row in zip(range(BATCH), rows, strict=False)]:
            db.executemany(insert, batch)
            db.commit()
        for sql in indexes:
            db.execute(sql)
        db.execute("ANALYZE")
        db.commit()
    finally:
        db.close()


def fill_postgres(schema: str, count: int, city: City) -> None:
    tables, indexes = split(create_statements(("reports",)))
    with psycopg.connect(dbname=BENCH_DB, **PG) as db:
        db.execute(f"SET search_path TO {schema}")
        for sql in tables:
            db.execute(sql)
        rows = reports(count, city)
        with db.cursor() as cur:
            while batch := [row for _, row in zip(range(BATCH), rows, strict=False)]:
                with cur.copy(f"COPY rm_reports ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                    for row in batch:
                        copy.write_row(row)
                db.commit()
        for sql in indexes:
            db.execute(sql)
        db.commit()
        # VACUUM too: the rows just copied would otherwise get their hint bits written (and
        # autovacuum start) while the queries are timed; a table a projector built over months
        # has been vacuumed long since.
        db.autocommit = True
        db.execute("VACUUM ANALYZE rm_reports")


def points(n: int, reports_count: int, city: City) -> list[tuple[str, float, float]]:
    """``n`` points a few tens of metres (up to ~60 m) from existing reports, each with that
    report's category: the rows are drawn again (the same generator, every k-th kept)."""
    step = max(1, reports_count // (n * 4))
    kept = [row for i, row in enumerate(reports(reports_count, city)) if i % step == 0]
    rnd = random.Random(n)
    chosen = []
    for row in rnd.sample(kept, min(n, len(kept))):
        bearing, metres = rnd.uniform(0, 2 * math.pi), rnd.uniform(0, 60)
        dlat = metres * math.cos(bearing) / _METRES_PER_DEGREE
        dlon = metres * math.sin(bearing) / (_METRES_PER_DEGREE * math.cos(math.radians(row[8])))
        chosen.append((row[3], row[8] + dlat, row[9] + dlon))
    return chosen


def box(lat: float, lon: float, radius_m: float = NEARBY_M) -> tuple[float, float, float, float]:
    """South, north, west, east of the square around the circle (as the query computes it)."""
    dlat = radius_m / _METRES_PER_DEGREE
    dlon = radius_m / (_METRES_PER_DEGREE * max(math.cos(math.radians(lat)), 0.01))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


def nearest(rows: list[Any], lat: float, lon: float) -> list[tuple[float, Any]]:
    """What the query does after its SELECT, on bare tuples: distance, cut, sort, first 5."""
    near = [(distance_m((lat, lon), (r[_LAT], r[_LON])), r) for r in rows]
    near.sort(key=lambda pair: pair[0])
    return [pair for pair in near if pair[0] <= NEARBY_M][:LIMIT]


Ask = Callable[[str, float, float], list[Any]]


def timed_pairs(
    app: Ask, bare: Ask, asked: list[tuple[str, float, float]]
) -> tuple[list[float], list[float], list[int]]:
    """Each point asked of both, in turns (alternating which goes first), after the same
    warm-up; the times in ms of each, and how many reports the app found at each point."""
    for point in asked[:50]:
        app(*point)
        bare(*point)
    samples: tuple[list[float], list[float]] = ([], [])
    found: list[int] = []
    for i, point in enumerate(asked):
        order = ((0, app), (1, bare)) if i % 2 else ((1, bare), (0, app))
        for side, work in order:
            started = time.perf_counter()
            result = work(*point)
            samples[side].append((time.perf_counter() - started) * 1000)
            if side == 0:
                found.append(len(result))
    return samples[0], samples[1], found


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(len(ordered) * q))]

    return statistics.median(ordered), at(0.95), at(0.99)


def measure(
    store: str, env: dict[str, str], schema: str, asked: list[tuple[str, float, float]]
) -> bool:
    """Times both sides on ``store``; prints the figures and the plan; whether the target
    holds."""
    read_store = open_read_store(env)
    models = ReadModels(read_store, lambda: TODAY)
    bare_db: Any
    if schema:
        bare_db = psycopg.connect(dbname=BENCH_DB, autocommit=True, **PG)
        bare_db.execute(f"SET search_path TO {schema}")
        sql = BARE_SELECT.format(p="%s")
        explain = "EXPLAIN (ANALYZE, BUFFERS) "
    else:
        bare_db = sqlite3.connect(env["SQLITE_DBNAME"])
        sql = BARE_SELECT.format(p="?")
        explain = "EXPLAIN QUERY PLAN "

    def bare(category: str, lat: float, lon: float) -> list[tuple[float, Any]]:
        return nearest(bare_db.execute(sql, (category, *box(lat, lon))).fetchall(), lat, lon)

    try:
        app_ms, bare_ms, found = timed_pairs(models.reports_near, bare, asked)
        for row in bare_db.execute(explain + sql, (asked[0][0], *box(*asked[0][1:]))).fetchall():
            print(f"    plan: {' | '.join(str(c) for c in row)}")
        scanned = [len(bare_db.execute(sql, (c, *box(la, lo))).fetchall()) for c, la, lo in asked]
        # What the index range reads: its entries of the category, open, in the latitude band
        # (the longitude is checked on each entry, in the index, before any row is read).
        band_sql = BAND.format(p="%s" if schema else "?")
        band = [
            bare_db.execute(band_sql, (c, *box(la, lo)[:2])).fetchone()[0] for c, la, lo in asked
        ]
    finally:
        bare_db.close()
        read_store.close()
    app, raw = percentiles(app_ms), percentiles(bare_ms)
    ok = app[2] < TARGET_MS
    print(
        f"  {store:<8} reports_near p50 {app[0]:6.2f} p95 {app[1]:6.2f} p99 {app[2]:6.2f} | "
        f"bare p50 {raw[0]:6.2f} p95 {raw[1]:6.2f} p99 {raw[2]:6.2f} | "
        f"ratio of p99s {app[2] / raw[2]:4.2f} (of p50s {app[0] / raw[0]:4.2f})",
        flush=True,
    )
    print(
        f"  {store:<8} {sum(found) / len(found):.2f} reports shown per point, "
        f"{sum(1 for f in found if f) / len(found):.0%} of points with one or more; "
        f"{statistics.mean(scanned):.1f} rows in the square on average (max {max(scanned)}), "
        f"{statistics.mean(band):.0f} index entries in the latitude band (max {max(band)}); "
        f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs",
    )
    print(
        f"  {store:<8} target p99 < {TARGET_MS:.0f} ms: "
        f"{'met' if ok else 'MISSED'} ({app[2]:.2f} ms)",
        flush=True,
    )
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--points", type=int, default=2_000)
    parser.add_argument("--store", choices=["sqlite", "postgres", "both"], default="both")
    args = parser.parse_args()
    stores = ["sqlite", "postgres"] if args.store == "both" else [args.store]
    city = City.load()
    asked = points(args.points, args.reports, city)
    print(
        f"{args.reports} reports; open reports of the category within {NEARBY_M:.0f} m of "
        f"{len(asked)} points; times in ms; target p99 < {TARGET_MS:.0f} ms",
        flush=True,
    )
    for store in stores:
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
                started = time.perf_counter()
                if schema:
                    fill_postgres(schema, args.reports, city)
                else:
                    fill_sqlite(Path(env["SQLITE_DBNAME"]), args.reports, city)
                filled = time.perf_counter() - started
                print(
                    f"{store}: {args.reports} rows filled, indexed and analysed in {filled:.0f} s "
                    f"({args.reports / filled:.0f} rows/s)",
                    flush=True,
                )
                measure(store, env, schema, asked)
            finally:
                if schema:
                    drop_schema(schema)


if __name__ == "__main__":
    main()
