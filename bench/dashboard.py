"""The supervisors' list and overview on a big read model, beside the same SQL run bare.

Loads ``--cases`` synthetic cases (default 1,000,000) into the read model (SQLite and PostgreSQL),
then times, through ``ReadModels`` (what the web page calls) and as the very same statements
run bare on a plain connection: the filtered, sorted, paginated list (with its total) for a
supervisor of one brigade, a deep page, a status filter, and the overview. Prints server time
p50/p99 and the ratio of p99s. Targets: list p99 < 100 ms on both stores, ratio <= 3.

Run: .venv/bin/python -m bench.dashboard [--cases 1000000] [--runs 200] [--stores sqlite postgres]
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
from datetime import date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import psycopg

from bench.append import BENCH_DB, PG, drop_schema, fresh_schema, postgres_env, sqlite_env
from projections.queries import CaseFilters, ReadModels
from projections.runner import Projector
from projections.store import _postgres_sql, open_read_store

BRIGADES = ["hygiene", "parking", "public_domain"]
STATUSES = ["opened", "validated", "notified", "escalated", "resolved", "closed", "dismissed"]
ARRONDISSEMENTS = ["anfa", "maarif", "sidi_belyout", "ain_chock", "hay_hassani", "sbata"]
TODAY = date(2026, 11, 23)
COLUMNS = (
    "case_id, reference, brigade, workflow, status, is_open, subject_id, subject_kind, "
    "subject_label, subject_key, arrondissement, address, lat, lon, opened_at, opened_on, "
    "updated_at, closed_at, opened_by, assignee_id, follow_up_on, deadline, ticket_number, "
    "fine_due_cents, fine_paid_cents, inspections, photos, notices, search, vehicle_held"
)


def synthetic(n: int) -> tuple[Any, ...]:
    rnd = random.Random(n)
    brigade = BRIGADES[n % 3]
    status = rnd.choice(STATUSES)
    opened = datetime(2025, 1, 1) + timedelta(minutes=n * 0.9)
    label = f"{n % 99999 + 1}-A-6" if brigade == "parking" else f"Commerce {n}"
    reference = f"{brigade[:3].upper()}-{opened.year}-{n:06d}"
    deadline = (opened.date() + timedelta(days=rnd.randint(5, 60))).isoformat()
    return (
        str(uuid.UUID(int=n)), reference, brigade, "ticket" if brigade == "parking" else "notice",
        status, int(status in STATUSES[:4]), str(uuid.UUID(int=n + 10**9)), "vehicle",
        label, f"k:{label}", ARRONDISSEMENTS[n % 6], "Boulevard", 33.5 + rnd.random() / 10,
        -7.6 + rnd.random() / 10, opened.isoformat(), opened.date().isoformat(),
        opened.isoformat(), None, str(uuid.UUID(int=1)), None, None, deadline, None,
        30000, 0, 1, 2, 0, f"{reference} {label}".lower(), 0,
    )  # fmt: skip


def load_sqlite(path: Path, cases: int) -> None:
    with sqlite3.connect(path) as db:
        db.executemany(
            f"INSERT INTO rm_cases ({COLUMNS}) VALUES ({', '.join('?' * 30)})",
            (synthetic(n) for n in range(cases)),
        )
        db.execute("ANALYZE")


def load_postgres(schema: str, cases: int) -> None:
    with psycopg.connect(dbname=BENCH_DB, **PG) as db, db.cursor() as cur:
        with cur.copy(f"COPY {schema}.rm_cases ({COLUMNS}) FROM STDIN") as copy:
            for n in range(cases):
                copy.write_row(synthetic(n))
        db.commit()
        db.execute(f"ANALYZE {schema}.rm_cases")


def timed_pair(
    app: Callable[[], Any], bare: Callable[[], Any], runs: int
) -> tuple[tuple[float, float], tuple[float, float]]:
    """p50 and p99 (ms) of each, measured in turns (alternating which goes first) after the
    same warm-up, so neither gets a colder cache or a noisier moment than the other."""
    for _ in range(5):
        app()
        bare()
    samples: tuple[list[float], list[float]] = ([], [])
    for n in range(runs):
        order = ((0, app), (1, bare)) if n % 2 else ((1, bare), (0, app))
        for side, work in order:
            started = time.perf_counter()
            work()
            samples[side].append((time.perf_counter() - started) * 1000)
    return _p50_p99(samples[0]), _p50_p99(samples[1])


def _p50_p99(samples: list[float]) -> tuple[float, float]:
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(len(samples) * 0.99))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--stores", nargs="+", default=["sqlite", "postgres"])
    args = parser.parse_args()
    scope = CaseFilters(brigades=("hygiene",))
    scenarios: list[tuple[str, CaseFilters, int]] = [
        ("list: one brigade, newest first, page 1", scope, 1),
        ("list: same, page 200", scope, 200),
        (
            "list: status escalated, page 1",
            CaseFilters(brigades=("hygiene",), status="escalated"),
            1,
        ),
    ]
    print(f"{args.cases} cases; times in ms (server side), p99 over {args.runs} runs")
    for store in args.stores:
        with tempfile.TemporaryDirectory() as tmp:
            schema = fresh_schema() if store == "postgres" else ""
            env = postgres_env(schema) if schema else sqlite_env(Path(tmp, "events.db"))
            try:
                read_store = open_read_store(env)
                built = Projector(env)  # the tables and their indexes, as a first start builds
                built.migrate()
                built.close()
                started = time.perf_counter()
                placeholder: Callable[[str], str]
                if schema:
                    load_postgres(schema, args.cases)
                    bare_db: Any = psycopg.connect(dbname=BENCH_DB, autocommit=True, **PG)
                    bare_db.execute(f"SET search_path TO {schema}")
                    placeholder = _postgres_sql
                else:
                    load_sqlite(Path(env["SQLITE_DBNAME"]), args.cases)
                    bare_db = sqlite3.connect(env["SQLITE_DBNAME"])
                    placeholder = lambda sql: sql  # noqa: E731
                print(f"{store}: loaded in {time.perf_counter() - started:.0f} s")
                models = ReadModels(read_store, lambda: TODAY)
                for name, filters, page in scenarios:
                    count_sql, rows_sql, params = models.list_statements(
                        filters, "opened", "desc", page, 25
                    )

                    def bare(
                        count_sql: str = count_sql,
                        rows_sql: str = rows_sql,
                        params: dict[str, Any] = params,
                    ) -> None:
                        bare_db.execute(placeholder(count_sql), params).fetchall()
                        bare_db.execute(placeholder(rows_sql), params).fetchall()

                    app, raw = timed_pair(
                        partial(models.case_list, filters, "opened", "desc", page, 25),
                        bare,
                        args.runs,
                    )
                    report(name, app, raw, target_ms=100)
                app, raw = timed_pair(
                    lambda: models.overview(("hygiene",)),
                    lambda: bare_db.execute(
                        placeholder(
                            "SELECT brigade, arrondissement, COUNT(*), "
                            "SUM(CASE WHEN deadline < :today THEN 1 ELSE 0 END) FROM rm_cases "
                            "WHERE is_open = 1 AND brigade = :brigade "
                            "GROUP BY brigade, arrondissement"
                        ),
                        {"today": TODAY.isoformat(), "brigade": "hygiene"},
                    ).fetchall(),
                    max(5, args.runs // 5),
                )
                report("overview: one brigade", app, raw, target_ms=None)
                bare_db.close()
                read_store.close()
            finally:
                if schema:
                    drop_schema(schema)


def report(
    name: str, app: tuple[float, float], raw: tuple[float, float], target_ms: float | None
) -> None:
    ratio = app[1] / raw[1] if raw[1] else float("inf")
    verdict = ""
    if target_ms is not None:
        verdict = "ok" if app[1] < target_ms and ratio <= 3 else "MISS"
    print(
        f"  {name:<42} app p50 {app[0]:7.1f} p99 {app[1]:7.1f} | bare p50 {raw[0]:7.1f} "
        f"p99 {raw[1]:7.1f} | ratio {ratio:5.2f} {verdict}",
        flush=True,
    )


if __name__ == "__main__":
    main()
