"""Read models: rebuild rate beside a raw read of the same events, and live lag, in one run.

For SQLite and PostgreSQL: records a history through the application (inspections of the three
brigades, validations, follow-ups, payments) until the log holds ``--events`` events, then prints
  - the raw read rate: the log read page by page from the store, as ``select_notifications``
    returns it (no decoding), events/s;
  - the same read with each event decoded by the library's mapper and nothing else: the
    ceiling of any projection written on the library, as a ratio too;
  - the rebuild rate of every read model (``Projector.rebuild``), events/s, and the ratio
    (target >= 0.25);
  - the live lag from a command's commit to its row being visible, p50 and p99, with the
    projector in its own process (as ``police project`` runs) and commands sent at 50/s
    (target p99 < 1 s on PostgreSQL).

Run: .venv/bin/python -m bench.projections [--events 200000] [--seconds 10]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

from bench.append import drop_schema, fresh_schema, postgres_env, sqlite_env
from police.app import PoliceApp
from police.commands import AssignCase, RecordPayment, ValidateCase
from police.submission import Finding
from projections.runner import Projector
from tests.police.builders import hygiene, opened_case, parking, public_domain, staff_of

WORKER = """
import os, signal, threading
from projections.runner import Projector
projector = Projector(os.environ)
stop = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: stop.set())
projector.run(stop)
"""


def record_history(app: PoliceApp, events: int) -> None:
    staff = staff_of(app)
    n = 0
    started = time.perf_counter()
    while (app.recorder.max_notification_id() or 0) < events:
        kind = n % 3
        if kind == 0:
            ticket = opened_case(app, parking(plate=f"{n % 99999 + 1}-A-6"), staff.parking_officer)
            if n % 6 == 0:
                due = app.get_case(ticket).balance
                app.change_case(
                    RecordPayment(
                        case_id=ticket,
                        amount=due,
                        receipt_number=f"Q{n}",
                        paid_on=app.today(),
                    ),
                    staff.legal,
                )
        elif kind == 1:
            subject = hygiene().subject.__class__(
                kind="establishment", trade_name=f"Snack {n}", ice=f"{n:013d}89"
            )
            cafe = opened_case(app, hygiene(subject=subject), staff.hygiene_officer)
            app.change_case(ValidateCase(case_id=cafe), staff.hygiene_chief)
            app.change_case(
                AssignCase(case_id=cafe, officer_id=staff.hygiene_officer_2),
                staff.hygiene_chief,
            )
        else:
            subject = public_domain().subject.__class__(
                kind="establishment", trade_name=f"Café {n}", ice=f"{n:013d}67"
            )
            app.record_inspection(
                public_domain(subject=subject, findings=(Finding("ODP-06"),)),
                staff.odp_officer,
            )
        n += 1
        if n % 2000 == 0:
            done = app.recorder.max_notification_id() or 0
            print(
                f"    … {done} events ({done / (time.perf_counter() - started):.0f}/s)", flush=True
            )


def raw_read_rate(projector: Projector) -> float:
    started, position, count = time.perf_counter(), 0, 0
    while page := projector.log.recorder.select_notifications(
        position, 500, inclusive_of_start=False
    ):
        count += len(page)
        position = page[-1].id
    return count / (time.perf_counter() - started)


def decode_rate(projector: Projector) -> float:
    """The same read with every event decoded by the library's mapper, and nothing else: the
    ceiling of any projection written on the library."""
    started, position, count = time.perf_counter(), 0, 0
    mapper = projector.log.mapper
    while page := projector.log.recorder.select_notifications(
        position, 500, inclusive_of_start=False
    ):
        for notification in page:
            mapper.to_domain_event(notification)
        count += len(page)
        position = page[-1].id
    return count / (time.perf_counter() - started)


def rebuild_rate(projector: Projector) -> float:
    started = time.perf_counter()
    replayed = projector.rebuild(["users", "cases", "timeline", "subjects", "stats", "inspections"])
    return replayed / (time.perf_counter() - started)


def live_lag(env: dict[str, str], seconds: float, per_second: int = 50) -> list[float]:
    app = PoliceApp(env=env)
    projector = Projector(env)
    projector.catch_up(timeout=600)
    worker = subprocess.Popen([sys.executable, "-c", WORKER], env=os.environ | env)
    committed: list[tuple[int, float]] = []
    lags: list[float] = []
    done = threading.Event()

    def watch() -> None:
        pending = 0
        while not done.is_set() or pending < len(committed):
            position = projector.position()
            now = time.perf_counter()
            while pending < len(committed) and committed[pending][0] <= position:
                lags.append(now - committed[pending][1])
                pending += 1
            time.sleep(0.002)

    watcher = threading.Thread(target=watch)
    watcher.start()
    staff_id = app.actor(staff_of_existing(app)).id
    try:
        interval, next_at, end = 1 / per_second, time.perf_counter(), time.perf_counter() + seconds
        n = 0
        while time.perf_counter() < end:
            time.sleep(max(0.0, next_at - time.perf_counter()))
            next_at += interval
            app.record_inspection(
                parking(plate=f"{n + 1}-H-9", submission_id=uuid.uuid4()), staff_id
            )
            committed.append((app.recorder.max_notification_id() or 0, time.perf_counter()))
            n += 1
    finally:
        done.set()
        watcher.join(timeout=30)
        worker.terminate()
        worker.wait(timeout=10)
        projector.close()
        app.close()
    return lags


def staff_of_existing(app: PoliceApp) -> uuid.UUID:
    from police.aggregates.user import User

    return User.create_id("agent.stationnement")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()
    for store in ("sqlite", "postgres"):
        with tempfile.TemporaryDirectory() as tmp:
            schema = fresh_schema() if store == "postgres" else ""
            env = postgres_env(schema) if schema else sqlite_env(Path(tmp, "events.db"))
            try:
                print(f"{store}: recording {args.events} events…", flush=True)
                app = PoliceApp(env=env)
                record_history(app, args.events)
                app.close()
                projector = Projector(env)
                projector.catch_up(timeout=3600)
                raw = raw_read_rate(projector)
                decoded = decode_rate(projector)
                rebuilt = rebuild_rate(projector)
                projector.close()
                lags = live_lag(env, args.seconds)
                ok = "ok" if rebuilt / raw >= 0.25 else "MISS"
                print(f"  raw read {raw:10.0f} events/s (select_notifications, no decoding)")
                print(
                    f"  decoded  {decoded:10.0f} events/s   ratio {decoded / raw:.2f} "
                    "(the library's mapper alone: the ceiling of any rebuild)"
                )
                ratio = rebuilt / raw
                print(f"  rebuild  {rebuilt:10.0f} events/s   ratio {ratio:.2f} (>= 0.25: {ok})")
                p99 = percentile(lags, 0.99)
                ok = "ok" if p99 < 1.0 else "MISS"
                print(
                    f"  live lag at 50 commands/s over {len(lags)} commands: "
                    f"p50 {statistics.median(lags) * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms "
                    f"(target p99 < 1 s: {ok})",
                    flush=True,
                )
            finally:
                if schema:
                    drop_schema(schema)


if __name__ == "__main__":
    main()
