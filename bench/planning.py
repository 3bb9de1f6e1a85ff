"""The register's due list and the officer's day for 100,000 establishments and 1,000 officers,
beside the same SQL run bare.

The hygiene supervisor opens the register's overdue establishments (``ReadModels.register_page``
with ``RegisterFilters(due="overdue")``: the count and the first page of 50, by due date then
name), for one arrondissement or for the whole city; an officer opens the day, which lists the
visits given on the roster (``ReadModels.visits_for``: their own open visits and their
brigades' visits given to no one) and the routine visits due in the arrondissements they cover
(``ReadModels.routine_due(arrondissements, today, 20)``, most overdue first).

This fills ``rm_register`` with ``--establishments`` rows (default 100,000) and ``rm_visits``
and ``rm_coverage`` for ``--officers`` officers (default 1,000) straight by SQL (executemany on
SQLite, COPY on PostgreSQL, in batches), the tables and their indexes built by the read models'
own statements (``create_statements(("register", "planning"))``, the indexes after the rows, as
a rebuild would find them). The rows look like the city's:

- establishments over Casablanca's 16 arrondissements (``police/data/territories/
  casablanca.yaml``), more in the centre, each around its arrondissement's centre; an activity
  from the words of ``police/data/planning.yaml`` (about a third high inherent risk); a record
  (last hygiene inspection compliant or not, hygiene cases, a closure order now and then) whose
  category and reasons are the rule's own (``PlanningRules.assess``, the reasons as the JSON
  the model writes), about 1 % overridden by a supervisor, which gives roughly A 3 %, B 10 %,
  C 32 %, D 29 %, E 26 %; known and last inspected over the past 3 years, due a frequency after
  (``routine_visit_days``), about 70 % on time and the rest late by up to a year; 6 % never
  inspected (due the day they became known), most of them placed by a permit, the others not
  placed yet (no arrondissement, as the model leaves them): about a third of the city overdue;
- officers over the 3 brigades (hygiene 40 %, public domain 33 %, parking 27 %), each covering
  1 to 3 arrondissements; about 20 open visits each, given over the last weeks (those before
  today have rolled over), and about 200 closed ones each (done or withdrawn) over the past 3
  years: ~220,000 visits for 1,000 officers; follow-ups (due a few weeks after), reports,
  site visits (public domain) and campaign targets (due at the campaign's end) in each
  brigade's proportions; 1.5 % of the open visits given to no one (waiting for a supervisor).

Then, after ``ANALYZE`` (``VACUUM ANALYZE`` on PostgreSQL), for each question in ``--turns``
turns (default 2,000) after the same warm-up, each turn with a random arrondissement or a
random officer (a hygiene officer for the routine visits, as the day asks only theirs): the
read models' call (what the page calls, rows built) and, as the raw baseline, the same SQL
written out here by hand (the same WHERE, ORDER BY and LIMIT) run on a bare connection (sqlite3
on the same file, psycopg on the same schema), its rows fetched as tuples. Prints p50/p95/p99
(ms) of each, the ratio of p99s (and of p50s), the query plan of each statement, how many rows
each answer holds, the machine's load average (the tail is the machine's: other work on its
cores shows in both columns), and whether the issue's target holds: p99 < 100 ms and a ratio
of p99s <= 2. The plan printed is that of the widest turn (the officer covering the most
arrondissements); on PostgreSQL, ``EXPLAIN (ANALYZE, BUFFERS)`` of it.

Never run by the tests (nothing under ``tests/`` imports it).

Run: .venv/bin/python -m bench.planning [--establishments 100000] [--officers 1000]
     [--turns 2000] [--store sqlite|postgres|both]
"""

from __future__ import annotations

import argparse
import json
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
from datetime import time as clock
from pathlib import Path
from typing import Any

import psycopg

from bench.append import BENCH_DB, PG, drop_schema, fresh_schema, postgres_env, sqlite_env
from police.identifiers import slug, subject_id
from police.planning import EstablishmentRecord, PlanningRules
from police.territory import Territory
from projections.queries import ReadModels
from projections.queries.planning import DAY_LIMIT
from projections.register_rows import RegisterFilters
from projections.schema import create_statements
from projections.store import open_read_store

TODAY = date(2026, 12, 2)
TARGET_MS = 100.0
TARGET_RATIO = 2.0
PER_PAGE = 50  # register_page's page
ROUTINE_LIMIT = 20  # the day's routine visits
BATCH = 20_000
HISTORY_DAYS = 3 * 365
NEVER_INSPECTED = 0.06
ON_TIME = 0.70
OPEN_VISITS, CLOSED_VISITS = (10, 30), (150, 250)  # per officer, uniform: ~20 and ~200
UNASSIGNED = 0.015
# Establishments per arrondissement, as weights: more shops in the centre.
AREA_WEIGHTS = {
    "sidi_belyout": 12,
    "maarif": 11,
    "anfa": 8,
    "mers_sultan": 8,
    "al_fida": 7,
    "hay_hassani": 7,
    "ain_chock": 6,
    "hay_mohammadi": 6,
    "ben_msick": 6,
    "ain_sebaa": 5,
    "roches_noires": 5,
    "sidi_bernoussi": 5,
    "sidi_moumen": 5,
    "moulay_rachid": 4,
    "sidi_othmane": 4,
    "sbata": 4,
}
# Activities as officers write them, with weights: about a third of high inherent risk.
ACTIVITIES = (
    ("Snack", 9),
    ("Restaurant", 8),
    ("Boucherie", 5),
    ("Rôtisserie", 3),
    ("Poissonnerie", 2),
    ("Pizzeria", 3),
    ("Traiteur", 2),
    ("Laiterie", 2),
    ("Café", 12),
    ("Boulangerie", 6),
    ("Pâtisserie", 4),
    ("Salon de thé", 2),
    ("Jus et glaces", 2),
    ("Salon de coiffure", 4),  # no word of the rule: medium
    ("Épicerie", 14),
    ("Superette", 6),
    ("Fruits et légumes", 5),
    ("Droguerie", 3),
    ("Pressing", 3),
    ("Librairie", 2),
    ("Tabac", 3),
)
NAMES = (
    "Al Amal", "Atlas", "Anfa", "Chez Hamid", "Zerktouni", "Al Baraka", "Le Palmier",
    "Essaada", "Nour", "Oasis", "Al Andalous", "La Corniche", "Bab Marrakech", "Yasmine",
    "Al Wafa", "Derb Sultan", "Le Zénith", "Sidi Maarouf", "Al Manar", "Les Amis",
)  # fmt: skip
STREETS = (
    "Boulevard Zerktouni", "Boulevard Mohammed V", "Rue Allal Ben Abdellah", "Avenue des FAR",
    "Boulevard d'Anfa", "Rue Mustapha El Maani", "Boulevard Al Massira", "Route de Médiouna",
    "Boulevard Ghandi", "Rue du Prince Moulay Abdellah", "Boulevard Moulay Ismail",
)  # fmt: skip
# Brigades with their share of the officers and the kinds of their visits, with weights.
BRIGADES = {
    "hygiene": (40, (("follow_up", 40), ("report", 35), ("campaign", 25))),
    "public_domain": (
        33,
        (("follow_up", 25), ("report", 25), ("site_visit", 35), ("campaign", 15)),
    ),
    "parking": (27, (("follow_up", 30), ("report", 55), ("campaign", 15))),
}
REGISTER_COLUMNS = (
    "subject_id",
    "subject_key",
    "label",
    "activity",
    "ice",
    "address",
    "arrondissement",
    "lat",
    "lon",
    "placed_by",
    "known_since",
    "last_hygiene_on",
    "last_compliant",
    "hygiene_cases",
    "closure_orders",
    "computed_category",
    "reasons",
    "override_category",
    "override_reason",
    "category",
    "frequency_days",
    "due_on",
    "updated_at",
    "version",
)
VISIT_COLUMNS = (
    "visit",
    "brigade",
    "kind",
    "label",
    "arrondissement",
    "address",
    "lat",
    "lon",
    "note",
    "due_on",
    "officer_id",
    "by_rule",
    "assigned_on",
    "status",
    "closed_on",
    "inspection_id",
    "reassigned",
)
COVERAGE_COLUMNS = ("brigade", "officer_id", "arrondissement")
# The raw baselines, written out by hand: the columns each query reads, the same WHERE (without
# the query's "1 = 1"), ORDER BY and LIMIT; {p} the driver's placeholder, {in} a list of them.
_REGISTER = (
    "SELECT subject_id, subject_key, label, activity, ice, address, arrondissement, lat, lon, "
    "known_since, last_hygiene_on, last_compliant, hygiene_cases, closure_orders, "
    "computed_category, reasons, override_category, override_reason, category, "
    "frequency_days, due_on FROM rm_register"
)
AREA_COUNT = "SELECT COUNT(*) FROM rm_register WHERE arrondissement = {p} AND due_on < {p}"
AREA_PAGE = (
    _REGISTER + " WHERE arrondissement = {p} AND due_on < {p} "
    "ORDER BY due_on, label, subject_id LIMIT {p} OFFSET {p}"
)
CITY_COUNT = "SELECT COUNT(*) FROM rm_register WHERE due_on < {p}"
CITY_PAGE = (
    _REGISTER + " WHERE due_on < {p} ORDER BY due_on, label, subject_id LIMIT {p} OFFSET {p}"
)
ROUTINE = (
    _REGISTER + " WHERE arrondissement IN ({in}) AND due_on <= {p} "
    "ORDER BY due_on, label, subject_id LIMIT {p}"
)
DAY = (
    "SELECT visit, brigade, kind, label, arrondissement, address, lat, lon, note, due_on, "
    "officer_id, by_rule, assigned_on, status, closed_on FROM rm_visits "
    "WHERE status = 'open' AND (officer_id = {p} OR (officer_id IS NULL AND brigade IN ({in}))) "
    "ORDER BY due_on IS NULL, due_on, assigned_on, visit LIMIT {p}"
)


@dataclass(frozen=True)
class City:
    """What the synthetic establishments and visits are drawn from."""

    territory: Territory
    rules: PlanningRules
    areas: list[tuple[str, tuple[float, float]]]  # (arrondissement, centre)
    weights: list[int]

    @classmethod
    def load(cls) -> City:
        territory = Territory.load("")
        areas = [(code, a.centre) for code, a in territory.arrondissements.items()]
        return cls(territory, PlanningRules.load(), areas, [AREA_WEIGHTS[a] for a, _ in areas])

    def area(self, rnd: random.Random) -> tuple[str, tuple[float, float]]:
        return rnd.choices(self.areas, self.weights)[0]

    def near(self, rnd: random.Random, centre: tuple[float, float]) -> tuple[float, float]:
        """Around ``centre`` (sigma ~900 m), inside the city's bounds."""
        b = self.territory.bounds
        lat, lon = rnd.gauss(centre[0], 0.008), rnd.gauss(centre[1], 0.0096)
        return round(min(max(lat, b.south), b.north), 6), round(min(max(lon, b.west), b.east), 6)

    @property
    def frequencies(self) -> dict[str, int]:
        return dict(self.territory.routine_visit_days)


@dataclass(frozen=True)
class Officer:
    officer_id: str
    brigade: str
    arrondissements: tuple[str, ...]


_ASSESSED: dict[EstablishmentRecord, tuple[str, str]] = {}


def _assessed(rules: PlanningRules, record: EstablishmentRecord) -> tuple[str, str]:
    """The rule's category and its reasons as the model writes them (few distinct records:
    each assessed once)."""
    if record not in _ASSESSED:
        assessment = rules.assess(record)
        reasons = [
            {"text": r.text, "params": dict(r.params), "points": r.points}
            for r in assessment.reasons
        ]
        _ASSESSED[record] = assessment.category.value, json.dumps(reasons, ensure_ascii=False)
    return _ASSESSED[record]


def _at(day: date, rnd: random.Random) -> str:
    """A moment of that working day, as the model's ``updated_at`` (UTC, ISO)."""
    return datetime.combine(day, clock(8 + rnd.randrange(9), rnd.randrange(60))).isoformat()


def establishment(n: int, rnd: random.Random, city: City) -> tuple[Any, ...]:
    """Establishment ``n`` as its row of ``rm_register`` (in ``REGISTER_COLUMNS`` order)."""
    code, centre = city.area(rnd)
    activity = rnd.choices([a for a, _ in ACTIVITIES], [w for _, w in ACTIVITIES])[0]
    name = f"{activity} {NAMES[n % len(NAMES)]} {n % 997 + 1}"
    address = f"{n % 240 + 1}, {STREETS[n % len(STREETS)]}"
    ice = f"{n + 1:015d}" if rnd.random() < 0.85 else ""
    key = f"ice:{ice}" if ice else f"establishment:{code}:{slug(name)}:{slug(address)}"
    inspected = rnd.random() >= NEVER_INSPECTED
    compliant = (rnd.random() >= 0.22) if inspected else None
    cases = rnd.choices((0, 1, 2, 3), (74, 18, 6, 2))[0] if inspected else 0
    closures = int(cases > 0 and rnd.random() < 0.15)
    computed, reasons = _assessed(
        city.rules, EstablishmentRecord(activity, compliant, cases, closures)
    )
    override = rnd.choice("AB") if rnd.random() < 0.01 else None
    category = override or computed
    frequency = city.frequencies[category]
    lat, lon = city.near(rnd, centre)
    placed_by = "inspection"
    if inspected:
        late = rnd.random() >= ON_TIME
        age = min(frequency + rnd.randint(1, 365) if late else rnd.randrange(frequency), 1095)
        last: date | None = TODAY - timedelta(days=age)
        known = TODAY - timedelta(days=age + rnd.randint(0, HISTORY_DAYS - age))
        due = TODAY - timedelta(days=age - frequency)
    else:  # registered lately, waiting for a first visit; placed by a permit, or not yet
        last = None
        known = TODAY - timedelta(days=rnd.randint(0, 120))
        due = known
        placed_by = "permit" if rnd.random() < 0.6 else ""
    place = (code, lat, lon) if placed_by else ("", None, None)  # not placed: no arrondissement
    return (
        str(subject_id(key)),
        key,
        name,
        activity,
        ice,
        address,
        *place,
        placed_by,
        known.isoformat(),
        last.isoformat() if last else None,
        None if compliant is None else int(compliant),
        cases,
        closures,
        computed,
        reasons,
        override,
        "Plaintes répétées des riverains" if override else "",
        category,
        frequency,
        due.isoformat(),
        _at(last or known, rnd),
        1 + cases + rnd.randrange(3),
    )


def establishments(count: int, city: City) -> Iterator[tuple[Any, ...]]:
    rnd = random.Random(count)
    return (establishment(n, rnd, city) for n in range(count))


def officers(count: int, city: City) -> list[Officer]:
    rnd = random.Random(count)
    brigades, shares = list(BRIGADES), [share for share, _ in BRIGADES.values()]
    codes = [a for a, _ in city.areas]
    return [
        Officer(
            str(uuid.UUID(int=10**6 + i)),
            rnd.choices(brigades, shares)[0],
            tuple(sorted(rnd.sample(codes, rnd.choices((1, 2, 3), (50, 35, 15))[0]))),
        )
        for i in range(count)
    ]


def coverage(staff: list[Officer]) -> Iterator[tuple[Any, ...]]:
    return ((o.brigade, o.officer_id, a) for o in staff for a in o.arrondissements)


def visit(
    n: int, rnd: random.Random, city: City, officer: Officer, closed: bool
) -> tuple[Any, ...]:
    """Visit ``n`` given to ``officer`` (or, for a few, to no one) as its row of ``rm_visits``
    (in ``VISIT_COLUMNS`` order)."""
    kinds = BRIGADES[officer.brigade][1]
    kind = rnd.choices([k for k, _ in kinds], [w for _, w in kinds])[0]
    if rnd.random() < 0.9:
        code = rnd.choice(officer.arrondissements)
        centre = dict(city.areas)[code]
    else:  # given by hand outside the officer's arrondissements
        code, centre = city.area(rnd)
    if closed:
        assigned = TODAY - timedelta(days=rnd.randint(1, HISTORY_DAYS))
        closed_on: date | None = min(assigned + timedelta(days=rnd.randint(0, 20)), TODAY)
        status = "done" if rnd.random() < 0.85 else "withdrawn"
    else:
        assigned = TODAY - timedelta(days=min(int(rnd.expovariate(1 / 6)), 60))
        closed_on, status = None, "open"
    given = not (status != "done" and rnd.random() < UNASSIGNED)
    year = assigned.year
    subject = f"{NAMES[n % len(NAMES)]} {n % 997 + 1}"
    due: date | None = None
    if kind == "follow_up":
        key, label = f"follow_up:{uuid.UUID(int=n + 1)}", f"HYG-{year}-{n:06d} · {subject}"
        due = assigned + timedelta(days=rnd.randint(3, 30))
        note = ""
    elif kind == "report":
        key = f"report:SIG-{year}-{n:07d}"
        label = f"SIG-{year}-{n:07d} · Signalement devant le {n % 240 + 1}"
        note = "Passer en matinée" if rnd.random() < 0.3 else ""
    elif kind == "site_visit":
        key, label = f"site_visit:DEM-{year}-{n:06d}", f"DEM-{year}-{n:06d} · {subject}"
        note = "Vérifier l'emprise de la terrasse"
    else:
        campaign = uuid.UUID(int=10**9 + n // 50)
        key = f"campaign:{campaign}:ice:{n + 1:015d}"
        label = f"CAMP-{year}-{n // 50 % 1000:03d} · {subject}"
        due = assigned + timedelta(days=rnd.randint(7, 45))
        note = "Campagne ramadan : contrôle des denrées"
    lat, lon = city.near(rnd, centre) if rnd.random() < 0.9 else (None, None)
    return (
        key,
        officer.brigade,
        kind,
        label,
        code,
        f"{n % 240 + 1}, {STREETS[n % len(STREETS)]}",
        lat,
        lon,
        note,
        due.isoformat() if due else None,
        officer.officer_id if given else None,
        int(given and rnd.random() < 0.9),
        assigned.isoformat(),
        status,
        closed_on.isoformat() if closed_on else None,
        str(uuid.UUID(int=10**10 + n)) if status == "done" else None,
        int(rnd.random() < 0.05),
    )


def visits(staff: list[Officer], city: City) -> Iterator[tuple[Any, ...]]:
    rnd = random.Random(len(staff))
    n = 0
    for officer in staff:
        for closed, (low, high) in ((False, OPEN_VISITS), (True, CLOSED_VISITS)):
            for _ in range(rnd.randint(low, high)):
                yield visit(n, rnd, city, officer, closed)
                n += 1


def split(statements: list[str]) -> tuple[list[str], list[str]]:
    """The models' statements: their tables, then their indexes."""
    tables = [s for s in statements if "CREATE TABLE" in s]
    return tables, [s for s in statements if s not in tables]


Fill = tuple[str, tuple[str, ...], Iterator[tuple[Any, ...]]]


def fills(count: int, staff: list[Officer], city: City) -> list[Fill]:
    return [
        ("rm_register", REGISTER_COLUMNS, establishments(count, city)),
        ("rm_coverage", COVERAGE_COLUMNS, coverage(staff)),
        ("rm_visits", VISIT_COLUMNS, visits(staff, city)),
    ]


def batches(rows: Iterator[tuple[Any, ...]]) -> Iterator[list[tuple[Any, ...]]]:
    while batch := [row for _, row in zip(range(BATCH), rows, strict=False)]:
        yield batch


def fill_sqlite(path: Path, count: int, staff: list[Officer], city: City) -> dict[str, int]:
    tables, indexes = split(create_statements(("register", "planning")))
    filled: dict[str, int] = {}
    db = sqlite3.connect(path)
    try:
        for sql in tables:
            db.execute(sql)
        for table, columns, rows in fills(count, staff, city):
            marks = ", ".join("?" * len(columns))
            insert = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
            for batch in batches(rows):
                db.executemany(insert, batch)
                db.commit()
                filled[table] = filled.get(table, 0) + len(batch)
        for sql in indexes:
            db.execute(sql)
        db.execute("ANALYZE")
        db.commit()
    finally:
        db.close()
    return filled


def fill_postgres(schema: str, count: int, staff: list[Officer], city: City) -> dict[str, int]:
    tables, indexes = split(create_statements(("register", "planning")))
    filled: dict[str, int] = {}
    with psycopg.connect(dbname=BENCH_DB, **PG) as db:
        db.execute(f"SET search_path TO {schema}")
        for sql in tables:
            db.execute(sql)
        with db.cursor() as cur:
            for table, columns, rows in fills(count, staff, city):
                for batch in batches(rows):
                    with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                        for row in batch:
                            copy.write_row(row)
                    db.commit()
                    filled[table] = filled.get(table, 0) + len(batch)
        for sql in indexes:
            db.execute(sql)
        db.commit()
        # VACUUM too: the rows just copied would otherwise get their hint bits written (and
        # autovacuum start) while the queries are timed; tables a projector built over months
        # have been vacuumed long since.
        db.autocommit = True
        for table in ("rm_register", "rm_coverage", "rm_visits"):
            db.execute(f"VACUUM ANALYZE {table}")
    return filled


Ask = Callable[..., Any]


def timed_pairs(app: Ask, bare: Ask, asked: list[tuple[Any, ...]]) -> tuple[list[float], ...]:
    """Each question asked of both, in turns (alternating which goes first), after the same
    warm-up; the times in ms of each, and how many rows each app answer showed."""
    for args in asked[:50]:
        app(*args)
        bare(*args)
    samples: tuple[list[float], list[float], list[float]] = ([], [], [])
    for i, args in enumerate(asked):
        order = ((0, app), (1, bare)) if i % 2 else ((1, bare), (0, app))
        for side, work in order:
            started = time.perf_counter()
            result = work(*args)
            samples[side].append((time.perf_counter() - started) * 1000)
            if side == 0:
                samples[2].append(len(result.rows) if hasattr(result, "rows") else len(result))
    return samples


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(len(ordered) * q))]

    return statistics.median(ordered), at(0.95), at(0.99)


@dataclass(frozen=True)
class Question:
    """One question of the pages: the read models' call, the bare statements (SQL, params)
    for the same arguments, and the arguments of each turn."""

    name: str
    app: Ask
    statements: Callable[..., list[tuple[str, tuple[Any, ...]]]]
    asked: list[tuple[Any, ...]]


def questions(
    models: ReadModels, p: str, staff: list[Officer], city: City, turns: int
) -> list[Question]:
    rnd = random.Random(turns)
    today = TODAY.isoformat()
    codes = [a for a, _ in city.areas]
    hygiene = [o for o in staff if o.brigade == "hygiene"] or staff

    def marks(n: int) -> str:
        return ", ".join([p] * n)

    def area(code: str) -> list[tuple[str, tuple[Any, ...]]]:
        return [
            (AREA_COUNT.format(p=p), (code, today)),
            (AREA_PAGE.format(p=p), (code, today, PER_PAGE, 0)),
        ]

    def city_wide() -> list[tuple[str, tuple[Any, ...]]]:
        return [
            (CITY_COUNT.format(p=p), (today,)),
            (CITY_PAGE.format(p=p), (today, PER_PAGE, 0)),
        ]

    def routine(codes: tuple[str, ...]) -> list[tuple[str, tuple[Any, ...]]]:
        sql = ROUTINE.format(p=p, **{"in": marks(len(codes))})
        return [(sql, (*codes, today, ROUTINE_LIMIT))]

    def day(officer_id: str, brigades: tuple[str, ...]) -> list[tuple[str, tuple[Any, ...]]]:
        sql = DAY.format(p=p, **{"in": marks(len(brigades))})
        return [(sql, (officer_id, *brigades, DAY_LIMIT))]

    return [
        Question(
            "register_page(overdue, arrondissement)",
            lambda code: models.register_page(
                RegisterFilters(arrondissement=code, due="overdue"), TODAY
            ),
            area,
            [(rnd.choice(codes),) for _ in range(turns)],
        ),
        Question(
            "register_page(overdue, whole city)",
            lambda: models.register_page(RegisterFilters(due="overdue"), TODAY),
            city_wide,
            [() for _ in range(turns)],
        ),
        Question(
            "routine_due(officer's arrondissements, 20)",
            lambda codes: models.routine_due(codes, TODAY, ROUTINE_LIMIT),
            routine,
            [(rnd.choice(hygiene).arrondissements,) for _ in range(turns)],
        ),
        Question(
            "visits_for(officer, brigades)",
            lambda officer_id, brigades: models.visits_for(officer_id, brigades, TODAY),
            day,
            [(o.officer_id, (o.brigade,)) for o in (rnd.choice(staff) for _ in range(turns))],
        ),
    ]


def describe(bare_db: Any, p: str, store: str) -> None:
    """What was filled, as the bare connection reads it."""
    today = TODAY.isoformat()
    rows = bare_db.execute(
        "SELECT category, COUNT(*), "
        f"SUM(CASE WHEN due_on < {p} THEN 1 ELSE 0 END) FROM rm_register "
        "GROUP BY category ORDER BY category",
        (today,),
    ).fetchall()
    total = sum(r[1] for r in rows)
    overdue = sum(r[2] for r in rows)
    shares = ", ".join(f"{r[0]} {r[1] / total:.0%} ({r[2] / r[1]:.0%} overdue)" for r in rows)
    print(f"  {store:<8} register: {shares}; {overdue / total:.0%} of the city overdue")
    [(open_, unassigned, closed)] = bare_db.execute(
        "SELECT SUM(CASE WHEN status = 'open' THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN status = 'open' AND officer_id IS NULL THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN status <> 'open' THEN 1 ELSE 0 END) FROM rm_visits"
    ).fetchall()
    print(f"  {store:<8} visits: {open_} open ({unassigned} given to no one), {closed} closed")


def measure(
    store: str, env: dict[str, str], schema: str, staff: list[Officer], city: City, turns: int
) -> bool:
    """Times both sides of each question on ``store``; prints the figures and the plans;
    whether the target holds for all."""
    read_store = open_read_store(env)
    models = ReadModels(read_store, lambda: TODAY)
    bare_db: Any
    if schema:
        bare_db = psycopg.connect(dbname=BENCH_DB, autocommit=True, **PG)
        bare_db.execute(f"SET search_path TO {schema}")
        p, explain = "%s", "EXPLAIN (ANALYZE, BUFFERS) "
    else:
        bare_db = sqlite3.connect(env["SQLITE_DBNAME"])
        p, explain = "?", "EXPLAIN QUERY PLAN "
    all_ok = True
    try:
        describe(bare_db, p, store)
        for q in questions(models, p, staff, city, turns):

            def bare(*args: Any, q: Question = q) -> list[Any]:
                # Each statement run and its rows fetched as tuples, nothing built.
                return [
                    bare_db.execute(sql, params).fetchall() for sql, params in q.statements(*args)
                ][-1]

            app_ms, bare_ms, shown = timed_pairs(q.app, bare, q.asked)
            app, raw = percentiles(app_ms), percentiles(bare_ms)
            ok = app[2] < TARGET_MS and app[2] / raw[2] <= TARGET_RATIO
            all_ok &= ok
            print(f"  {store:<8} {q.name}", flush=True)
            print(
                f"  {store:<8}   app  p50 {app[0]:6.2f} p95 {app[1]:6.2f} p99 {app[2]:6.2f} | "
                f"bare p50 {raw[0]:6.2f} p95 {raw[1]:6.2f} p99 {raw[2]:6.2f} | "
                f"ratio of p99s {app[2] / raw[2]:4.2f} (of p50s {app[0] / raw[0]:4.2f}); "
                f"{statistics.mean(shown):.1f} rows shown on average (min {min(shown):.0f}, "
                f"max {max(shown):.0f})",
                flush=True,
            )
            # The plan of the widest turn (the most arrondissements: the longest sort).
            widest = max(q.asked, key=lambda args: len(repr(args)))
            for sql, params in q.statements(*widest):
                print(f"  {store:<8}   plan of {sql.split(' FROM ')[0][:40]}...:")
                for row in bare_db.execute(explain + sql, params).fetchall():
                    print(f"  {store:<8}     {' | '.join(str(c) for c in row)}")
            print(
                f"  {store:<8}   target p99 < {TARGET_MS:.0f} ms and ratio <= {TARGET_RATIO:.0f}: "
                f"{'met' if ok else 'NOT MET'} ({app[2]:.2f} ms, ratio {app[2] / raw[2]:.2f}); "
                f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} "
                f"on {os.cpu_count()} CPUs",
                flush=True,
            )
    finally:
        bare_db.close()
        read_store.close()
    return all_ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--establishments", type=int, default=100_000)
    parser.add_argument("--officers", type=int, default=1_000)
    parser.add_argument("--turns", type=int, default=2_000)
    parser.add_argument("--store", choices=["sqlite", "postgres", "both"], default="both")
    args = parser.parse_args()
    stores = ["sqlite", "postgres"] if args.store == "both" else [args.store]
    city = City.load()
    staff = officers(args.officers, city)
    print(
        f"{args.establishments} establishments, {args.officers} officers; "
        f"{args.turns} turns per question; times in ms; "
        f"target p99 < {TARGET_MS:.0f} ms and ratio of p99s <= {TARGET_RATIO:.0f}",
        flush=True,
    )
    verdicts = []
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
                    filled = fill_postgres(schema, args.establishments, staff, city)
                else:
                    filled = fill_sqlite(
                        Path(env["SQLITE_DBNAME"]), args.establishments, staff, city
                    )
                seconds = time.perf_counter() - started
                counts = ", ".join(f"{n} {table}" for table, n in filled.items())
                print(
                    f"{store}: {counts} filled, indexed and analysed in {seconds:.0f} s",
                    flush=True,
                )
                verdicts.append((store, measure(store, env, schema, staff, city, args.turns)))
            finally:
                if schema:
                    drop_schema(schema)
    for store, ok in verdicts:
        print(f"{store}: {'every target met' if ok else 'some targets NOT met'}")


if __name__ == "__main__":
    main()
