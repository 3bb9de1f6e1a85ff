"""Demo data: the staff of each role and a few hundred realistic inspections over past weeks.

Everything goes through the application's commands, as users would drive them; only the clock
is moved back so dashboards show history. Deterministic for a given seed.
"""

from __future__ import annotations

import heapq
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from police import clock
from police.app import PoliceApp
from police.catalogue import Measurement
from police.identifiers import SubjectInput
from police.roles import SYSTEM, Brigade
from police.submission import Finding, InspectionSubmission, Location
from police.territory import Arrondissement
from police.workflow import CaseStatus


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    full_name: str
    roles: tuple[str, ...]
    brigades: tuple[str, ...]


LOGINS = (
    DemoLogin("admin", "admin-demo-2026", "Said Benkirane", ("admin",), ()),
    DemoLogin("chef.hygiene", "chef-hygiene-2026", "Nadia Berrada", ("supervisor",), ("hygiene",)),
    DemoLogin(
        "chef.stationnement",
        "chef-stationnement-2026",
        "Omar Chraibi",
        ("supervisor",),
        ("parking",),
    ),
    DemoLogin("chef.odp", "chef-odp-2026", "Khadija Lahlou", ("supervisor",), ("public_domain",)),
    DemoLogin(
        "agent.hygiene", "agent-hygiene-2026", "Youssef El Amrani", ("officer",), ("hygiene",)
    ),
    DemoLogin(
        "agent.hygiene2", "agent-hygiene2-2026", "Samira El Idrissi", ("officer",), ("hygiene",)
    ),
    DemoLogin(
        "agent.stationnement", "agent-stationnement-2026", "Karim Tazi", ("officer",), ("parking",)
    ),
    DemoLogin(
        "agent.stationnement2",
        "agent-stationnement2-2026",
        "Hicham Alaoui",
        ("officer",),
        ("parking",),
    ),
    DemoLogin("agent.odp", "agent-odp-2026", "Rachid Fassi", ("officer",), ("public_domain",)),
    DemoLogin(
        "juriste",
        "juriste-demo-2026",
        "Meryem Benjelloun",
        ("legal",),
        ("hygiene", "parking", "public_domain"),
    ),
)

STREETS = {
    "anfa": ["Boulevard d'Anfa", "Boulevard de la Corniche", "Boulevard Moulay Youssef"],
    "maarif": ["Boulevard Zerktouni", "Boulevard Bir Anzarane", "Rue Socrate"],
    "sidi_belyout": ["Boulevard Mohammed V", "Avenue des FAR", "Rue Tahar Sebti"],
    "al_fida": ["Boulevard Al Fida", "Avenue Abdellah Ben Yassine"],
    "mers_sultan": ["Boulevard de la Résistance", "Rue d'Agadir"],
    "ain_sebaa": ["Route de Rabat", "Boulevard Chefchaouni"],
    "hay_mohammadi": ["Boulevard Ali Yaâta", "Boulevard de la Grande Ceinture"],
    "roches_noires": ["Boulevard Ambassadeur Ben Aïcha", "Boulevard Moulay Slimane"],
    "ain_chock": ["Boulevard Al Qods", "Route d'El Jadida"],
    "hay_hassani": ["Boulevard Oued Oum Rabii", "Boulevard Abderrahim Bouabid"],
    "ben_msick": ["Boulevard Driss El Harti", "Rue Ben M'Sick"],
    "sbata": ["Boulevard Mohammed Bouziane", "Rue 12 Sbata"],
    "moulay_rachid": ["Boulevard Moulay Rachid", "Boulevard Driss El Harti"],
    "sidi_othmane": ["Boulevard Oqba Ben Nafii", "Rue 45 Sidi Othmane"],
    "sidi_bernoussi": ["Boulevard Ahl Loghlam", "Rue Sidi Bernoussi"],
    "sidi_moumen": ["Boulevard Sidi Moumen", "Route de Tit Mellil"],
}
FOOD_PLACES = [
    ("Café Atlas", "Café"),
    ("Snack Chez Hassan", "Snack"),
    ("Boulangerie Al Baraka", "Boulangerie"),
    ("Restaurant Dar Beida", "Restaurant"),
    ("Pâtisserie Les Délices", "Pâtisserie"),
    ("Boucherie El Fath", "Boucherie"),
    ("Épicerie Nour", "Épicerie"),
    ("Café Al Amal", "Café"),
    ("Snack Al Andalous", "Snack"),
    ("Poissonnerie Bahia", "Poissonnerie"),
    ("Laiterie Centrale", "Laiterie"),
    ("Pizzeria Napoli", "Restaurant"),
    ("Rôtisserie Marrakech", "Rôtisserie"),
    ("Salon de thé Yasmine", "Salon de thé"),
]
STREET_PLACES = [
    ("Café La Corniche", "Café"),
    ("Café de France", "Café"),
    ("Quincaillerie Atlas", "Quincaillerie"),
    ("Droguerie Moderne", "Droguerie"),
    ("Primeur Ben Ali", "Fruits et légumes"),
    ("Résidence Al Firdaous (chantier)", "Promotion immobilière"),
    ("Média Plus Affichage", "Affichage publicitaire"),
    ("Glacier Venezia", "Glacier"),
]
VENDORS = ["Abdelilah Ouazzani", "Mustapha Naciri", "Aïcha Skalli", "Brahim Ait Lahcen"]
MAKES = [
    "Dacia Logan",
    "Renault Clio",
    "Peugeot 208",
    "Hyundai Accent",
    "Fiat Uno",
    "Toyota Yaris",
    "Kia Picanto",
    "Volkswagen Golf",
    "Mercedes Classe C",
    "Dacia Sandero",
]
COLOURS = ["blanche", "grise", "noire", "rouge", "bleue", "beige"]
PLATE_LETTERS = ["A", "B", "D", "H", "W"]
CASABLANCA_PREFECTURES = [6, 7, 8, 9, 10, 11, 12, 13]
DISMISS_REASONS = [
    "Doublon d'un constat existant",
    "Erreur sur le mis en cause",
    "Activité cessée avant le constat",
]
OWNERS = [
    "M. Karim Bennani, CIN BK284511",
    "Mme Salma Idrissi, CIN BE771230",
    "M. Omar Tazi, CIN BH102938",
    "Mme Nadia Chraibi, CIN BJ650417",
]


@dataclass(order=True)
class _Step:
    at: datetime
    seq: int
    run: Callable[[], None] = field(compare=False)


@dataclass
class DemoSummary:
    inspections: int = 0
    cases: int = 0
    transitions: int = 0


def create_demo_users(app: PoliceApp) -> dict[str, UUID]:
    return {
        login.username: app.register_user(
            SYSTEM.id,
            username=login.username,
            full_name=login.full_name,
            password=login.password,
            badge=f"PA-{100 + i:04d}",
            roles=login.roles,
            brigades=login.brigades,
        )
        for i, login in enumerate(LOGINS)
    }


def load_demo(
    app: PoliceApp, *, inspections: int = 300, days: int = 60, seed: int = 2026
) -> DemoSummary:
    """Registers the demo staff, then records ``inspections`` over the last ``days``."""
    users = create_demo_users(app)
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not secrets
    now = clock.now()
    start = now - timedelta(days=days)
    summary = DemoSummary()
    steps: list[_Step] = []
    counter = iter(range(1_000_000))

    def later(at: datetime, run: Callable[[], None]) -> None:
        if at < now:
            heapq.heappush(steps, _Step(at, next(counter), run))

    establishments = _establishments(app, rng)
    for i in range(inspections):
        at = start + timedelta(seconds=(days * 86400) * (i + rng.random()) / inspections)
        at = at.replace(hour=rng.randint(8, 18))
        later(at, _inspection_step(app, rng, users, establishments, at, later, summary))
    while steps:
        step = heapq.heappop(steps)
        with clock.frozen_at(step.at):
            step.run()
    return summary


def _uuid(rng: random.Random) -> UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _establishments(app: PoliceApp, rng: random.Random) -> list[tuple[SubjectInput, Location]]:
    places = []
    for name, activity in FOOD_PLACES + STREET_PLACES:
        code = rng.choice(sorted(STREETS))
        arrondissement = app.territory.arrondissement(code)
        ice = "".join(str(rng.randint(0, 9)) for _ in range(13)) + "01"
        subject = SubjectInput(kind="establishment", trade_name=name, ice=ice, activity=activity)
        places.append((subject, _location(rng, arrondissement, jitter=0.006)))
    return places


def _location(rng: random.Random, arrondissement: Arrondissement, *, jitter: float) -> Location:
    lat, lon = arrondissement.centre
    return Location(
        arrondissement=arrondissement.code,
        address=f"{rng.randint(1, 250)}, {rng.choice(STREETS[arrondissement.code])}",
        lat=round(lat + rng.uniform(-jitter, jitter), 6),
        lon=round(lon + rng.uniform(-jitter, jitter), 6),
        accuracy_m=float(rng.choice([5, 8, 12, 20, 35])),
    )


def _plate(rng: random.Random) -> str:
    if rng.random() < 0.03:
        return f"WW-{rng.randint(1000, 999999)}"
    region = (
        rng.choice(CASABLANCA_PREFECTURES) if rng.random() < 0.85 else rng.choice([1, 14, 26, 40])
    )
    return f"{rng.randint(1, 99999)}-{rng.choice(PLATE_LETTERS)}-{region}"


def _findings(
    app: PoliceApp, rng: random.Random, brigade: Brigade, at: datetime
) -> tuple[Finding, ...]:
    catalogue = app.catalogue.in_force_on(app.territory.local_date(at))
    chosen = rng.sample(
        catalogue.for_brigade(brigade), k=1 if brigade == Brigade.PARKING else rng.choice([1, 1, 2])
    )
    findings = []
    for infraction in chosen:
        quantity = None
        if infraction.measurement is Measurement.SQUARE_METRES:
            quantity = Decimal(rng.randint(2, 40)) / 2
        elif infraction.measurement is Measurement.COUNT:
            quantity = Decimal(rng.randint(1, 4))
        findings.append(Finding(infraction.code, quantity))
    return tuple(findings)


def _inspection_step(
    app: PoliceApp,
    rng: random.Random,
    users: dict[str, UUID],
    establishments: list[tuple[SubjectInput, Location]],
    at: datetime,
    later: Callable[[datetime, Callable[[], None]], None],
    summary: DemoSummary,
) -> Callable[[], None]:
    brigade = rng.choices(list(Brigade), weights=[25, 50, 25])[0]
    compliant = rng.random() < (0.1 if brigade == Brigade.PARKING else 0.3)
    findings = () if compliant else _findings(app, rng, brigade, at)
    measures: tuple[str, ...] = ()
    if brigade == Brigade.PARKING:
        officer = users[rng.choice(["agent.stationnement", "agent.stationnement2"])]
        arrondissement = app.territory.arrondissement(rng.choice(sorted(STREETS)))
        subject = SubjectInput(
            kind="vehicle", plate=_plate(rng), make=rng.choice(MAKES), colour=rng.choice(COLOURS)
        )
        location = _location(rng, arrondissement, jitter=0.01)
        if findings and rng.random() < 0.1:
            measures = (rng.choice(["clamp", "impound"]),)
    elif brigade == Brigade.HYGIENE:
        officer = users[rng.choice(["agent.hygiene", "agent.hygiene2"])]
        subject, location = rng.choice(establishments[: len(FOOD_PLACES)])
    else:
        officer = users["agent.odp"]
        if rng.random() < 0.2:
            arrondissement = app.territory.arrondissement(rng.choice(sorted(STREETS)))
            subject = SubjectInput(kind="person", full_name=rng.choice(VENDORS))
            location = _location(rng, arrondissement, jitter=0.004)
            findings = () if compliant else (Finding("ODP-06"),)
        else:
            subject, location = rng.choice(establishments[len(FOOD_PLACES) :])
    submission = InspectionSubmission(
        submission_id=_uuid(rng),
        brigade=brigade,
        observed_at=at - timedelta(minutes=rng.randint(1, 20)),
        location=location,
        subject=subject,
        findings=findings,
        measures=measures,
        observations=rng.choice(
            [
                "",
                "",
                "Constat effectué en présence du gérant.",
                "Le contrevenant a refusé de signer.",
                "Photos jointes.",
            ]
        ),
    )

    def run() -> None:
        receipt = app.record_inspection(submission, officer)
        summary.inspections += 1
        if receipt.case_opened and receipt.case_id:
            summary.cases += 1
            _follow_case(app, rng, users, brigade, receipt.case_id, at, later, summary)

    return run


def _follow_case(
    app: PoliceApp,
    rng: random.Random,
    users: dict[str, UUID],
    brigade: Brigade,
    case_id: UUID,
    at: datetime,
    later: Callable[[datetime, Callable[[], None]], None],
    summary: DemoSummary,
) -> None:
    """Schedules what a supervisor and officers do with the case in the following days."""
    chief = users[
        {
            Brigade.HYGIENE: "chef.hygiene",
            Brigade.PARKING: "chef.stationnement",
            Brigade.PUBLIC_DOMAIN: "chef.odp",
        }[brigade]
    ]
    officer = users[
        {
            Brigade.HYGIENE: "agent.hygiene2",
            Brigade.PARKING: "agent.stationnement",
            Brigade.PUBLIC_DOMAIN: "agent.odp",
        }[brigade]
    ]
    roll = rng.random()

    def act(command: Callable[[], object]) -> Callable[[], None]:
        def run() -> None:
            case = app.get_case(case_id)
            if case.is_open:
                command()
                summary.transitions += 1

        return run

    review = at + timedelta(hours=rng.randint(2, 48))
    if brigade == Brigade.PARKING:
        if roll < 0.08:
            later(
                review,
                act(
                    lambda: app.dismiss_case(
                        case_id, chief, reason="Véhicule prioritaire en intervention"
                    )
                ),
            )
        elif roll < 0.55:  # paid at the counter; a clamped or impounded vehicle then released
            paid = review + timedelta(hours=rng.randint(1, 72))
            owner = rng.choice(OWNERS)
            later(paid, act(lambda: _pay_and_release(app, case_id, users, chief, owner)))
        return
    if roll < 0.12:
        later(
            review,
            act(lambda: app.dismiss_case(case_id, chief, reason=rng.choice(DISMISS_REASONS))),
        )
        return
    if roll < 0.25:
        return  # still awaiting review
    later(review, act(lambda: app.validate_case(case_id, chief, note="Constat vérifié sur photos")))
    due_days = rng.randint(3, 15)
    plan = review + timedelta(hours=1)
    later(
        plan,
        act(
            lambda: app.schedule_follow_up(
                case_id, chief, due_on=app.today() + timedelta(days=due_days), officer_id=officer
            )
        ),
    )
    visit = plan + timedelta(days=due_days, hours=rng.randint(0, 6))
    if rng.random() < 0.7:

        def follow_up() -> None:
            case = app.get_case(case_id)
            if case.status not in (CaseStatus.VALIDATED, CaseStatus.NOTIFIED):
                return
            inspection = app.get_inspection(case.inspection_ids[0])
            compliant = rng.random() < 0.7
            receipt = app.record_inspection(
                InspectionSubmission(
                    submission_id=_uuid(rng),
                    brigade=brigade,
                    observed_at=clock.now() - timedelta(minutes=5),
                    location=Location(
                        **{
                            k: inspection.location[k]
                            for k in ("arrondissement", "address", "lat", "lon", "accuracy_m")
                        }
                    ),
                    subject=_subject_input(inspection.subject),
                    findings=()
                    if compliant
                    else tuple(
                        Finding(f["code"], f["quantity"])
                        for f in inspection.findings
                        if not f["derived"]
                    ),
                    follow_up_case_id=case_id,
                    observations="Contrôle de suivi.",
                ),
                officer,
            )
            summary.inspections += 1
            decided = clock.now() + timedelta(hours=rng.randint(1, 30))
            if compliant:
                later(
                    decided,
                    act(
                        lambda: app.record_compliance(
                            case_id,
                            chief,
                            note="Mise en conformité constatée",
                            inspection_id=receipt.inspection_id,
                        )
                    ),
                )
            else:
                later(
                    decided,
                    act(
                        lambda: app.escalate_case(
                            case_id, chief, reason="Aucune régularisation au contrôle de suivi"
                        )
                    ),
                )

        later(visit, follow_up)


def _pay_and_release(
    app: PoliceApp, case_id: UUID, users: dict[str, UUID], chief: UUID, owner: str
) -> None:
    case = app.get_case(case_id)
    app.record_payment(
        case_id,
        users["juriste"],
        amount=case.balance,
        receipt_number=f"Q-{case.reference}",
        paid_on=app.today(),
    )
    if case.measures:
        app.release_vehicle(case_id, chief, released_on=app.today(), released_to=owner)


def _subject_input(recorded: dict[str, Any]) -> SubjectInput:
    identifiers, details = recorded["identifiers"], recorded["details"]
    if recorded["kind"] == "person":
        return SubjectInput(
            kind="person", full_name=str(recorded["label"]), cin=identifiers.get("cin", "")
        )
    return SubjectInput(
        kind="establishment",
        trade_name=str(recorded["label"]),
        ice=identifiers.get("ice", ""),
        rc=identifiers.get("rc", ""),
        activity=details.get("activity", ""),
        address=details.get("address", ""),
    )
