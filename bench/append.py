"""Write throughput: the record-inspection command against its raw baselines, in one run.

For SQLite and PostgreSQL, with 1 and 8 threads, prints inspections recorded per second through
the application (each opening a new subject and a new case), beside:
  - the bare eventsourcing library saving one one-event aggregate per transaction;
  - plain sqlite3 / psycopg inserting one row per transaction.
Targets (issue 2): application >= 60% of the bare library, >= 25% of plain SQL.

Also printed, for context: the bare library saving five one-event aggregates per transaction,
which is what a case-opening inspection writes at least (inspection, subject registered and
case linked, case, counter). No application logic can beat that floor.

Run: .venv/bin/python bench/append.py [--seconds 4]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TypedDict

import psycopg
from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

from police.app import PoliceApp
from police.identifiers import SubjectInput
from police.roles import SYSTEM
from police.submission import Finding, InspectionSubmission, Location


class ServerParams(TypedDict):
    """How psycopg reaches the bench's PostgreSQL server: its connect parameters of those names."""

    host: str
    port: int
    user: str


PG: ServerParams = {
    "host": os.environ.get("POSTGRES_HOST", "127.0.0.1"),
    "port": 5432,
    "user": "postgres",
}
BENCH_DB = "police_bench"


class Ping(Aggregate):
    @event("Created")
    def __init__(self, n: int) -> None:
        self.n = n


def rate(work: Callable[[int], object], threads: int, seconds: float) -> float:
    """Operations per second of ``work(i)`` run by ``threads`` threads for ``seconds``."""
    stop = time.perf_counter() + seconds
    counts = [0] * threads

    def loop(t: int) -> None:
        i = t * 10_000_000
        while time.perf_counter() < stop:
            work(i)
            i += 1
            counts[t] += 1

    started = time.perf_counter()
    workers = [threading.Thread(target=loop, args=(t,)) for t in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return sum(counts) / (time.perf_counter() - started)


def submission(i: int) -> InspectionSubmission:
    return InspectionSubmission(
        submission_id=uuid.uuid4(),
        brigade="hygiene",
        observed_at=datetime.now(UTC),
        location=Location(
            arrondissement="maarif",
            address="Boulevard Zerktouni",
            lat=33.586,
            lon=-7.633,
            accuracy_m=10,
        ),
        subject=SubjectInput(kind="establishment", trade_name=f"Commerce {i}", ice=f"{i + 1:015d}"),
        findings=(Finding("HYG-02"),),
    )


def application_rate(env: dict[str, str], threads: int, seconds: float) -> float:
    app = PoliceApp(env=env)
    officer = app.register_user(
        SYSTEM.id,
        username="agent.bench",
        full_name="Agent Bench",
        password="bench-password",
        roles=["officer"],
        brigades=["hygiene"],
    )
    try:
        return rate(lambda i: app.record_inspection(submission(i), officer), threads, seconds)
    finally:
        app.close()


def bare_library_rate(
    env: dict[str, str], threads: int, seconds: float, aggregates: int = 1
) -> float:
    app: Application[uuid.UUID] = Application(env=env)
    try:
        return rate(lambda i: app.save(*(Ping(n=i) for _ in range(aggregates))), threads, seconds)
    finally:
        app.close()


def plain_sqlite_rate(path: Path, threads: int, seconds: float) -> float:
    setup = sqlite3.connect(path)
    setup.execute("PRAGMA journal_mode=WAL")
    setup.execute(
        "CREATE TABLE rows (id TEXT, version INTEGER, topic TEXT, state BLOB, "
        "PRIMARY KEY (id, version))"
    )
    setup.close()
    local = threading.local()
    lock = threading.Lock()  # sqlite3 has one writer: queue in-process rather than spin on BUSY

    def work(i: int) -> None:
        if not hasattr(local, "c"):
            local.c = sqlite3.connect(path, isolation_level=None, timeout=30)
        with lock:
            local.c.execute("BEGIN")
            local.c.execute(
                "INSERT INTO rows VALUES (?, 1, 'bench', ?)", (uuid.uuid4().hex, b'{"n":%d}' % i)
            )
            local.c.execute("COMMIT")

    return rate(work, threads, seconds)


def plain_postgres_rate(schema: str, threads: int, seconds: float) -> float:
    with psycopg.connect(dbname=BENCH_DB, autocommit=True, **PG) as c:
        c.execute(
            f"CREATE TABLE {schema}.rows (id uuid, version int, topic text, state bytea, "
            "PRIMARY KEY (id, version))"
        )
    local = threading.local()
    connections: list[psycopg.Connection] = []

    def work(i: int) -> None:
        if not hasattr(local, "c"):
            local.c = psycopg.connect(dbname=BENCH_DB, **PG)
            connections.append(local.c)
        with local.c.transaction():
            local.c.execute(
                f"INSERT INTO {schema}.rows VALUES (%s, 1, 'bench', %s)",
                (uuid.uuid4(), b'{"n":%d}' % i),
            )

    try:
        return rate(work, threads, seconds)
    finally:
        for c in connections:
            c.close()


def fresh_schema() -> str:
    with psycopg.connect(dbname="postgres", autocommit=True, **PG) as c:
        if not c.execute("SELECT 1 FROM pg_database WHERE datname=%s", (BENCH_DB,)).fetchone():
            c.execute(f"CREATE DATABASE {BENCH_DB}")
    schema = f"b_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(dbname=BENCH_DB, autocommit=True, **PG) as c:
        c.execute(f"CREATE SCHEMA {schema}")
    return schema


def drop_schema(schema: str) -> None:
    with psycopg.connect(dbname=BENCH_DB, autocommit=True, **PG) as c:
        c.execute(f"DROP SCHEMA {schema} CASCADE")


def sqlite_env(path: Path) -> dict[str, str]:
    return {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": str(path),
        "SQLITE_LOCK_TIMEOUT": "30",
    }


def postgres_env(schema: str) -> dict[str, str]:
    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": BENCH_DB,
        "POSTGRES_HOST": PG["host"],
        "POSTGRES_PORT": "5432",
        "POSTGRES_USER": PG["user"],
        "POSTGRES_PASSWORD": "",
        "POSTGRES_SCHEMA": schema,
        "POSTGRES_POOL_SIZE": "10",
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=4.0)
    seconds = parser.parse_args().seconds
    print(
        f"{'store':<10}{'threads':>8}{'app insp/s':>12}{'bare lib/s':>12}{'plain SQL/s':>13}"
        f"{'app/bare':>10}{'app/SQL':>9}{'floor/bare':>13}"
        "  targets: app/bare >= 0.60, app/SQL >= 0.25; floor = bare lib, 5 aggregates/txn"
    )
    for store in ("sqlite", "postgres"):
        for threads in (1, 8):
            with tempfile.TemporaryDirectory() as tmp:
                if store == "sqlite":
                    app = application_rate(sqlite_env(Path(tmp, "app.db")), threads, seconds)
                    bare = bare_library_rate(sqlite_env(Path(tmp, "bare.db")), threads, seconds)
                    floor = bare_library_rate(sqlite_env(Path(tmp, "five.db")), threads, seconds, 5)
                    plain = plain_sqlite_rate(Path(tmp, "plain.db"), threads, seconds)
                else:
                    schemas = [fresh_schema() for _ in range(4)]
                    try:
                        app = application_rate(postgres_env(schemas[0]), threads, seconds)
                        bare = bare_library_rate(postgres_env(schemas[1]), threads, seconds)
                        floor = bare_library_rate(postgres_env(schemas[3]), threads, seconds, 5)
                        plain = plain_postgres_rate(schemas[2], threads, seconds)
                    finally:
                        for s in schemas:
                            drop_schema(s)
            ok = "PASS" if app / bare >= 0.6 and app / plain >= 0.25 else "MISS"
            print(
                f"{store:<10}{threads:>8}{app:>12.0f}{bare:>12.0f}{plain:>13.0f}"
                f"{app / bare:>10.2f}{app / plain:>9.2f}{floor / bare:>13.2f}  {ok}",
                flush=True,
            )


if __name__ == "__main__":
    main()
