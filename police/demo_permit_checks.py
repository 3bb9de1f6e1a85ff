"""What the demo's public-domain officer checks against the permit registry in the street:
the permit picked nearby (a surface measured beyond it, a walking path too narrow), a
billboard's structure typed (a few unknown to the registry), or no permit found; and what the
officers know of the registry the demo's permits office keeps (``police.demo_permits``).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from police.app import PoliceApp
from police.demo_cases import location_in
from police.demo_data import ODP_TARGETS, STREETS
from police.identifiers import SubjectInput
from police.permit_check import SURFACE, WALKING_PATH
from police.permit_terms import PermitTerms
from police.submission import Finding, Location

UNKNOWN_BOARDS = range(900, 1000)  # structure ids painted on boards the registry never saw
_HALF = Decimal("0.5")


@dataclass
class DemoPermit:
    terms: PermitTerms
    number: str | None = None  # once granted


@dataclass
class DemoRegistry:
    """What the demo's permits office granted, as the demo's officers find it in the street."""

    by_holder: dict[str, list[DemoPermit]] = field(default_factory=dict)  # inspected places
    billboards: list[DemoPermit] = field(default_factory=list)
    companies: list[SubjectInput] = field(default_factory=list)  # the advertising companies
    granted: int = 0
    arretes: int = 0
    billboard_visits: int = 0
    _round: list[str] = field(default_factory=list)  # the places left to visit this round

    def next_place(self, rng: random.Random) -> str:
        """The next inspected place to check: each of ``ODP_TARGETS`` once a round, in a new
        order each round (so that even a small demo meets every fate)."""
        if not self._round:
            self._round = list(ODP_TARGETS)
            rng.shuffle(self._round)
        return self._round.pop()

    def current(self, app: PoliceApp, holder: str) -> DemoPermit | None:
        """The holder's latest permit the officer's list shows (revoked ones are left out)."""
        for permit in reversed(self.by_holder.get(holder, [])):
            if permit.number is None:
                continue
            found = app.find_permit(permit.number)
            if found is not None and not found.revoked:
                return permit
        return None


@dataclass(frozen=True)
class Visit:
    """What an officer records checking an occupation against the registry."""

    subject: SubjectInput
    location: Location
    findings: tuple[Finding, ...] = ()
    measurements: dict[str, Decimal] = field(default_factory=dict)
    permit_number: str = ""
    structure_id: str = ""
    no_permit_found: bool = False


def public_domain_visit(
    app: PoliceApp,
    rng: random.Random,
    registry: DemoRegistry,
    establishments: dict[str, tuple[SubjectInput, Location]],
    *,
    compliant: bool,
) -> Visit:
    """An occupation checked in the street: a billboard's structure typed (a few unknown to
    the registry), or a terrace or display measured against the permit picked nearby (beyond
    its surface, its walking path too narrow), or no permit found."""
    if rng.random() < 0.3:
        return _billboard_visit(app, rng, registry)
    subject, place = establishments[registry.next_place(rng)]
    permit = registry.current(app, subject.trade_name)
    if permit is None or permit.number is None:
        measured = step(rng.uniform(2, 20))
        return Visit(subject, place, measurements={SURFACE: measured}, no_permit_found=True)
    authorised = _surface(permit.terms)
    required = permit.terms.conditions.walking_path_m
    outcome = "compliant" if compliant else rng.choice(["excess", "excess", "path", "both", "cite"])
    factor = rng.uniform(1.2, 2.0) if outcome in ("excess", "both") else rng.uniform(0.6, 1.0)
    measurements = {SURFACE: max(_HALF, step(float(authorised) * factor))}
    if required is not None:
        narrow = outcome in ("path", "both")
        path = (
            float(required) - rng.uniform(0.3, 0.8)
            if narrow
            else float(required) + rng.uniform(0.1, 1)
        )
        measurements[WALKING_PATH] = Decimal(max(0.3, path)).quantize(Decimal("0.05"))
    findings = (Finding(rng.choice(["ODP-10", "ODP-09"])),) if outcome == "cite" else ()
    return Visit(
        subject,
        place,
        findings=findings,
        measurements=measurements,
        permit_number=permit.number,
    )


def _billboard_visit(app: PoliceApp, rng: random.Random, registry: DemoRegistry) -> Visit:
    granted = [b for b in registry.billboards if b.number is not None]
    registry.billboard_visits += 1
    # One board in five is unknown to the registry, the first one included, so that even a
    # small demo, whatever its day, shows an unknown board.
    if not granted or registry.billboard_visits % 5 == 1:
        code = rng.choice(sorted(STREETS))
        place = location_in(rng, app.territory.arrondissement(code), jitter=0.01)
        company = rng.choice(registry.companies)
        return Visit(company, place, structure_id=f"CAS-PUB-{rng.choice(UNKNOWN_BOARDS):04d}")
    board = rng.choice(granted)
    assert board.terms.billboard is not None
    typed = board.terms.billboard.structure_id
    if rng.random() < 0.3:  # typed as read on the structure, without the dashes
        typed = typed.replace("-", " ").lower()
    return Visit(board.terms.holder, board.terms.location, structure_id=typed)


def _surface(terms: PermitTerms) -> Decimal:
    assert terms.frontage_m is not None
    assert terms.depth_m is not None
    return terms.frontage_m * terms.depth_m


def visit_fields(visit: Visit) -> dict[str, Any]:
    """The submission's fields a visit sets."""
    return {
        "subject": visit.subject,
        "location": visit.location,
        "findings": visit.findings,
        "measurements": visit.measurements,
        "permit_number": visit.permit_number,
        "structure_id": visit.structure_id,
        "no_permit_found": visit.no_permit_found,
    }


def step(metres: float) -> Decimal:
    """A measure to the half metre, as a tape reads it on site."""
    return (Decimal(round(metres * 2)) / 2).quantize(Decimal("0.1"))
