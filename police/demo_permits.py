"""The demo's permit registry: what the permits office granted over the past year (terraces
and displays in front of the cafés and shops the brigades inspect and of many others, billboards,
worksites, kiosks, vending pitches, in every arrondissement) and what it did since (renewals,
suspensions, amendments, revocations, arrêtés printed). What the public-domain officer checks
against it in the street is ``police.demo_permit_checks``.

``police.demo`` schedules every step at its moment; each goes through the commands.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from uuid import UUID

from police.app import PoliceApp
from police.demo_cases import Later, location_in, working_hours
from police.demo_data import (
    ADVERTISERS,
    AMEND_REASONS,
    BILLBOARD_COMPANY,
    DEVELOPERS,
    DISPLAY_NAMES,
    ESTABLISHMENT_PERMITS,
    FIRST_NAMES,
    LAST_NAMES,
    REVOKE_REASONS,
    STREETS,
    SUSPEND_REASONS,
    TERRACE_NAMES,
)
from police.demo_permit_checks import DemoPermit, DemoRegistry, step
from police.identifiers import SubjectInput
from police.permit_terms import Billboard, Conditions, PermitTerms
from police.submission import Location

CENTRAL = ("anfa", "maarif", "sidi_belyout")  # the dearer fee rates
TERRACES, DISPLAYS, BILLBOARDS, WORKSITES, KIOSKS, PITCHES = 95, 75, 60, 20, 25, 25
ARRETES = 4  # arrêtés printed at the grant, beside those of the amended permits
_METRES_PER_DEGREE = 111_320.0
_CENTS = Decimal("0.01")


def schedule_registry(
    app: PoliceApp,
    rng: random.Random,
    clerk: UUID,
    establishments: list[tuple[SubjectInput, Location]],
    now: datetime,
    later: Later,
) -> DemoRegistry:
    """Schedules every grant at its day (the inspected places' before the inspections began)
    and what the permits office did with the permits since."""
    registry = DemoRegistry()
    office = _Office(app, rng, clerk, registry, later, app.territory.local_date(now))
    places = {subject.trade_name: (subject, place) for subject, place in establishments}
    for name, (kind, fate) in ESTABLISHMENT_PERMITS.items():
        subject, place = places[name]
        terms = office.terms(kind, subject, _in_front(place), outline=fate == "outline")
        registry.by_holder.setdefault(name, []).append(office.fated(terms, fate))
    board_holder = places[BILLBOARD_COMPANY][0]
    codes = sorted(STREETS)
    others = [_company(rng, name, "Affichage publicitaire") for name in ADVERTISERS]
    registry.companies = [board_holder, *others]
    developers = [_company(rng, name, "Promotion immobilière") for name in DEVELOPERS]
    for n in range(1, BILLBOARDS + 1):
        place = location_in(rng, app.territory.arrondissement(codes[n % 16]), jitter=0.012)
        terms = office.billboard(n, rng.choice(registry.companies), place)
        registry.billboards.append(office.generated(terms))
    makers: list[tuple[int, str, Callable[[int], SubjectInput]]] = [
        (TERRACES, "terrace", lambda n: _named(rng, TERRACE_NAMES, n)),
        (DISPLAYS, "display", lambda n: _named(rng, DISPLAY_NAMES, n)),
        (WORKSITES, "worksite", lambda n: developers[n % len(developers)]),
        (KIOSKS, "kiosk", lambda n: _person(rng)),
        (PITCHES, "vending", lambda n: _person(rng)),
    ]
    for count, kind, holder in makers:
        for n in range(count):
            place = location_in(rng, app.territory.arrondissement(codes[n % 16]), jitter=0.01)
            outline = kind in ("terrace", "display") and rng.random() < 0.3
            office.generated(office.terms(kind, holder(n), place, outline=outline))
    return registry


class _Office:
    """The permits office's clerk at work: terms as typed, and the steps scheduled."""

    def __init__(
        self,
        app: PoliceApp,
        rng: random.Random,
        clerk: UUID,
        registry: DemoRegistry,
        later: Later,
        today: date,
    ) -> None:
        self.app, self.rng, self.clerk, self.registry = app, rng, clerk, registry
        self.later, self.today = later, today
        self.printed = 0

    # --- what is typed --------------------------------------------------------------------

    def terms(
        self, kind: str, holder: SubjectInput, place: Location, *, outline: bool
    ) -> PermitTerms:
        rng = self.rng
        dims = {
            "terrace": ((4, 15), (1.5, 4)),
            "display": ((2, 8), (0.5, 1.5)),
            "worksite": ((10, 40), (2, 4)),
            "kiosk": ((2, 3), (1.5, 2.5)),
            "vending": ((1.5, 3), (1, 2)),
        }[kind]
        frontage, depth = (step(rng.uniform(*span)) for span in dims)
        surface = frontage * depth
        central = place.arrondissement in CENTRAL
        fee = {
            "terrace": surface * (600 if central else 350),
            "display": surface * (450 if central else 250),
            "worksite": surface * 180,
            "kiosk": Decimal(rng.choice([3600, 4800, 6000])),
            "vending": Decimal(rng.choice([900, 1200, 1800])),
        }[kind]
        hours = {
            "terrace": ["08:00-23:00", "07:00-24:00", "09:00-01:00"],
            "display": ["08:00-20:00", "09:00-21:00"],
            "worksite": ["07:00-19:00"],
            "kiosk": ["07:00-22:00"],
            "vending": ["09:00-21:00", "16:00-23:00"],
        }[kind]
        season = {
            "terrace": ["toute l'année", "toute l'année", "du 1er mai au 30 septembre"],
            "vending": ["toute l'année", "mois de Ramadan", "saison estivale"],
        }.get(kind, ["toute l'année"])
        path = rng.choice(["1.20", "1.50", "1.50", "1.80", "2.00"])
        return PermitTerms(
            kind=kind,
            holder=holder,
            location=place,
            valid_from=self.today,  # set with the fate
            valid_until=self.today,
            fee=fee.quantize(_CENTS),
            frontage_m=frontage,
            depth_m=depth,
            outline=_rectangle(place, frontage, depth) if outline else (),
            conditions=Conditions(
                walking_path_m=Decimal(path) if kind != "vending" else None,
                hours=rng.choice(hours),
                season=rng.choice(season),
            ),
        )

    def billboard(self, n: int, company: SubjectInput, place: Location) -> PermitTerms:
        rng = self.rng
        faces = rng.choice([1, 2, 2])
        per_face = Decimal(rng.choice([2, 4, 8, 12, 12, 18, 32]))
        lit = rng.random() < 0.6
        return PermitTerms(
            kind="billboard",
            holder=company,
            location=place,
            valid_from=self.today,
            valid_until=self.today,
            fee=(faces * per_face * (700 if lit else 500)).quantize(_CENTS),
            billboard=Billboard(
                structure_id=f"CAS-PUB-{n:04d}",
                faces=faces,
                m2_per_face=per_face,
                lit=lit,
                company=company.trade_name,
            ),
        )

    # --- what is done, and when -----------------------------------------------------------

    def fated(self, terms: PermitTerms, fate: str) -> DemoPermit:
        """A permit of an inspected place, granted before the inspections began, whose fate
        is chosen (``ESTABLISHMENT_PERMITS``)."""
        rng, today = self.rng, self.today
        until = {
            "expiring": today + timedelta(days=rng.randint(5, 25)),
            "expired": today - timedelta(days=rng.randint(70, 110)),
            "renewed": today - timedelta(days=rng.randint(25, 45)),
        }.get(fate, today + timedelta(days=rng.randint(40, 280)))
        permit = DemoPermit(
            replace(terms, valid_from=until - timedelta(days=364), valid_until=until)
        )
        self._grant(permit, permit.terms.valid_from - timedelta(days=rng.randint(0, 10)))
        if fate == "renewed":
            self._renew(permit, today - timedelta(days=rng.randint(5, 20)))
        elif fate == "suspended":
            self._suspend(permit, today - timedelta(days=rng.randint(25, 45)), reinstate=False)
        elif fate == "amended":
            self._amend(permit, today - timedelta(days=rng.randint(30, 50)), printed=True)
        elif fate == "revoked":
            self._revoke(permit, today - timedelta(days=rng.randint(20, 40)))
        return permit

    def generated(self, terms: PermitTerms) -> DemoPermit:
        """A permit granted some day of the past 16 months, for its kind's usual term; a few
        renewed, suspended, amended or revoked, and a few arrêtés printed."""
        rng, today = self.rng, self.today
        days = {
            "terrace": [364],
            "display": [364],
            "billboard": [364, 729, 1094],
            "worksite": [89, 179, 269],
            "kiosk": [364, 729],
            "vending": [181, 364],
        }[terms.kind]
        granted = today - timedelta(days=rng.randint(10, 480))
        start = granted + timedelta(days=rng.randint(0, 7))
        until = start + timedelta(days=rng.choice(days))
        permit = DemoPermit(replace(terms, valid_from=start, valid_until=until))
        self._grant(permit, granted, printed=self.printed < ARRETES and rng.random() < 0.05)
        renewed = until < today + timedelta(days=10) and rng.random() < 0.4
        if renewed:
            self._renew(permit, until - timedelta(days=rng.randint(0, 20)))
        roll = rng.random()
        if roll < 0.04:
            self._suspend(permit, _between(rng, granted, today), reinstate=rng.random() < 0.5)
        elif roll < 0.08 and terms.kind != "billboard":
            self._amend(permit, _between(rng, granted, until), printed=False)
        elif roll < 0.1 and not renewed:
            self._revoke(permit, _between(rng, granted, today))
        return permit

    def _at(self, day: date, run: Callable[[], None]) -> None:
        moment = datetime.combine(day, time(12), self.app.territory.timezone)
        self.later(working_hours(moment, self.rng, self.app.territory.timezone), run)

    def _grant(self, permit: DemoPermit, day: date, *, printed: bool = False) -> None:
        if printed:
            self.printed += 1

        def run() -> None:
            permit.number = self.app.grant_permit(self.clerk, permit.terms)
            self.registry.granted += 1
            if printed:
                self._print(permit.number)

        self._at(day, run)

    def _renew(self, permit: DemoPermit, day: date) -> None:
        def run() -> None:
            assert permit.number is not None
            terms = permit.terms
            until = terms.valid_until + (terms.valid_until - terms.valid_from) + timedelta(days=1)
            fee = (terms.fee * Decimal("1.05")).quantize(_CENTS)  # the year's new rate
            self.app.renew_permit(self.clerk, permit.number, valid_until=until, fee=fee)
            permit.terms = replace(terms, valid_until=until, fee=fee)

        self._later_than_grant(day, run)

    def _suspend(self, permit: DemoPermit, day: date, *, reinstate: bool) -> None:
        reason = self.rng.choice(SUSPEND_REASONS)

        def run() -> None:
            assert permit.number is not None
            self.app.suspend_permit(self.clerk, permit.number, reason=reason)

        self._later_than_grant(day, run)
        if reinstate:
            back = day + timedelta(days=self.rng.randint(7, 30))

            def reinstated() -> None:
                assert permit.number is not None
                self.app.reinstate_permit(
                    self.clerk, permit.number, reason="Régularisation constatée"
                )

            self._later_than_grant(back, reinstated)

    def _amend(self, permit: DemoPermit, day: date, *, printed: bool) -> None:
        reason = self.rng.choice(AMEND_REASONS)
        grow = self.rng.choice([Decimal("0.5"), Decimal("1")])

        def run() -> None:
            assert permit.number is not None
            terms = permit.terms
            assert terms.frontage_m is not None
            assert terms.depth_m is not None
            depth = terms.depth_m + grow
            amended = replace(
                terms,
                depth_m=depth,
                fee=(terms.fee * depth / terms.depth_m).quantize(_CENTS),
                outline=_rectangle(terms.location, terms.frontage_m, depth)
                if terms.outline
                else (),
            )
            self.app.amend_permit(self.clerk, permit.number, amended, reason=reason)
            permit.terms = amended
            if printed:
                self._print(permit.number)

        self._later_than_grant(day, run)

    def _revoke(self, permit: DemoPermit, day: date) -> None:
        reason = self.rng.choice(REVOKE_REASONS)

        def run() -> None:
            assert permit.number is not None
            self.app.revoke_permit(self.clerk, permit.number, reason=reason)

        self._later_than_grant(day, run)

    def _later_than_grant(self, day: date, run: Callable[[], None]) -> None:
        """A step on ``day`` (never before the grant: the grant's day ends at 18:00)."""
        moment = datetime.combine(day, time(18, 30), self.app.territory.timezone)
        self.later(moment, run)

    def _print(self, number: str) -> None:
        self.app.print_arrete(self.clerk, number)
        self.registry.arretes += 1


def _between(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(1, max(1, (last - first).days)))


def _in_front(place: Location) -> Location:
    """The permit's pin, on the pavement a few metres south of the shop's door."""
    assert place.lat is not None
    return replace(place, lat=round(place.lat - 4 / _METRES_PER_DEGREE, 6))


def _rectangle(
    place: Location, frontage: Decimal, depth: Decimal
) -> tuple[tuple[float, float], ...]:
    """The authorised surface drawn on the map: frontage along the street (east-west) from the
    pin, depth towards the roadway (south); a closed ring of (lon, lat)."""
    assert place.lat is not None
    assert place.lon is not None
    lat, lon = place.lat, place.lon
    dlat = float(depth) / _METRES_PER_DEGREE
    dlon = float(frontage) / (_METRES_PER_DEGREE * math.cos(math.radians(lat)))
    west, east = lon - dlon / 2, lon + dlon / 2
    corners = [(west, lat), (east, lat), (east, lat - dlat), (west, lat - dlat)]
    ring = [(round(x, 7), round(y, 7)) for x, y in corners]
    return (*ring, ring[0])


def _ice(rng: random.Random) -> str:
    return "".join(str(rng.randint(0, 9)) for _ in range(13)) + "02"


def _named(rng: random.Random, names: list[tuple[str, str]], n: int) -> SubjectInput:
    activity, name = names[n % len(names)]
    trade_name = f"{activity} {name}" + (f" {n // len(names) + 1}" if n >= len(names) else "")
    return SubjectInput(
        kind="establishment", trade_name=trade_name, ice=_ice(rng), activity=activity
    )


def _company(rng: random.Random, name: str, activity: str) -> SubjectInput:
    return SubjectInput(kind="establishment", trade_name=name, ice=_ice(rng), activity=activity)


def _person(rng: random.Random) -> SubjectInput:
    letters = rng.choice(["BE", "BK", "BH", "BJ", "BL", "BB"])
    return SubjectInput(
        kind="person",
        full_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
        cin=f"{letters}{rng.randint(100000, 999999)}",
    )
