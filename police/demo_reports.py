"""The demo's residents' reports: what the people of Casablanca reported over the last ten days,
and what the brigades' supervisors and officers did with each, so that the triage queue holds
new and late reports and every status is on record: received, planned, inspected with an
infraction found (a parking ticket) or none, merged as a duplicate (a neighbour also followed
the original), refused as not the service's.

Everything goes through the commands, at the day it happened; deterministic for a seed (the
tracking secrets excepted: they are secrets).
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from police import clock
from police.app import PoliceApp
from police.demo_application_desk import photo
from police.demo_cases import working_hours
from police.identifiers import SubjectInput
from police.report_terms import ReportInput
from police.submission import Finding, InspectionSubmission, Location, Position


@dataclass
class DemoReports:
    numbers: list[str] = field(default_factory=list)
    tracking_path: str = ""  # an inspected report's page, for the visitor to open


@dataclass(frozen=True)
class _Seen:
    category: str
    address: str
    lat: float
    lon: float
    description: str
    email: str = ""
    photos: int = 0


_SEEN = (
    _Seen(
        "parking-sidewalk",
        "Boulevard Mohammed V, devant le n° 120",
        33.59752,
        -7.61698,
        "Une voiture grise garée sur le trottoir tous les matins, les poussettes passent sur "
        "la chaussée.",
        "n.bennani@example.ma",
        1,
    ),
    _Seen(
        "hygiene-discharge",
        "Derb Sultan, rue 14",
        33.57385,
        -7.60551,
        "Un atelier vide ses eaux grasses dans le caniveau, l'odeur est forte le soir.",
        photos=2,
    ),
    _Seen(
        "odp-terrace",
        "Boulevard d'Anfa, angle rue Moulay Rachid",
        33.58905,
        -7.64185,
        "La terrasse du café occupe tout le trottoir, on doit marcher sur la route.",
        "riverain.anfa@example.ma",
        1,
    ),
    _Seen(
        "hygiene-shop",
        "Marché de Hay Mohammadi",
        33.59341,
        -7.55992,
        "Viande exposée au soleil sans vitrine ni froid près de l'entrée du marché.",
    ),
    _Seen(
        "parking-reserved",
        "Rue Socrate, place handicapé devant la pharmacie",
        33.58702,
        -7.63388,
        "Une camionnette occupe la place réservée aux personnes handicapées depuis deux jours.",
        photos=1,
    ),
    _Seen(
        "odp-billboard",
        "Route d'El Jadida, sortie de la rocade",
        33.54281,
        -7.65102,
        "Un grand panneau publicitaire neuf sans numéro, posé sur le terre-plein.",
        "asso.quartier@example.ma",
    ),
    _Seen(
        "hygiene-noise",
        "Maârif, rue Ibnou Mounir",
        33.58411,
        -7.63702,
        "Bruit de fête chez des voisins toutes les nuits jusqu'à trois heures.",
    ),
    _Seen(
        "odp-goods",
        "Boulevard de la Résistance, devant le n° 48",
        33.58291,
        -7.60732,
        "Des sacs de ciment et du sable bloquent le trottoir depuis une semaine.",
        photos=1,
    ),
    _Seen(
        "parking-double",
        "Boulevard Zerktouni, devant l'école",
        33.58612,
        -7.63287,
        "Voitures en double file à la sortie de l'école, les bus ne passent plus.",
    ),
)


def load_reports(app: PoliceApp, rng: random.Random, users: dict[str, UUID]) -> DemoReports:
    done = DemoReports()
    sent = {}
    now = clock.now()
    for days_ago, seen in zip((9, 8, 7, 6, 5, 4, 3, 2, 0), _SEEN, strict=True):
        at = min((now - timedelta(days=days_ago)).replace(hour=8 + rng.randrange(10)), now)
        sent[seen.category] = _send(app, rng, seen, at)
        done.numbers.append(sent[seen.category][0])

    def number(category: str) -> str:
        return sent[category][0]

    chief = {
        "hygiene": users["chef.hygiene"],
        "parking": users["chef.stationnement"],
        "public_domain": users["chef.odp"],
    }
    # A neighbour about to report the same car follows the first report instead; another sent
    # it anyway, and the supervisor merged it.
    app.follow_report(number("parking-sidewalk"), email="voisine.bd.med5@example.ma")
    again = _send(
        app,
        rng,
        _Seen(
            "parking-sidewalk",
            "Boulevard Mohammed V, n° 118",
            33.59760,
            -7.61701,
            "Encore la voiture grise sur le trottoir devant chez nous.",
        ),
        now - timedelta(days=2),
    )
    done.numbers.append(again[0])
    # Yesterday: triaged first thing, then the visits in the officers' hours.
    visits_at = working_hours(now - timedelta(days=1), rng, app.territory.timezone)
    with clock.frozen_at(visits_at.replace(hour=7, minute=30)):
        app.merge_report(chief["parking"], again[0], original=number("parking-sidewalk"))
        app.refuse_report(
            chief["hygiene"],
            number("hygiene-noise"),
            reason="Le bruit de voisinage relève de la police nationale : appelez le 19 la nuit "
            "où il a lieu.",
        )
        for category, officer in (
            ("parking-sidewalk", "agent.stationnement"),
            ("hygiene-discharge", "agent.hygiene"),
            ("odp-terrace", "agent.odp"),
            ("odp-goods", "agent.odp"),
        ):
            brigade = app.find_report(number(category))
            assert brigade is not None
            app.dispatch_report(
                chief[brigade.brigade],
                number(category),
                officer_id=users[officer],
                note="En passant ce matin" if category == "odp-goods" else "",
            )
    # The officers' visits: a ticket for the car, nothing found at the café's terrace.
    with clock.frozen_at(visits_at):
        car = SubjectInput(kind="vehicle", plate="40217-B-6", make="Renault Clio", colour="grise")
        ticket = _visit(app, number("parking-sidewalk"), car, findings=(Finding("STA-02"),))
        app.record_inspection(ticket, users["agent.stationnement"])
        cafe = SubjectInput(
            kind="establishment", trade_name="Café Le Boulevard", ice="003344556000078"
        )
        terrace = _visit(
            app,
            number("odp-terrace"),
            cafe,
            observations="Terrasse rangée au passage, 1,60 m de trottoir libre.",
        )
        app.record_inspection(terrace, users["agent.odp"])
    done.tracking_path = (
        f"/signaler/suivi/{number('parking-sidewalk')}/{sent['parking-sidewalk'][1]}"
    )
    return done


def _send(app: PoliceApp, rng: random.Random, seen: _Seen, at: datetime) -> tuple[str, str]:
    form = ReportInput(
        category=seen.category,
        location=Location(
            arrondissement="", address=seen.address, lat=seen.lat, lon=seen.lon, accuracy_m=12
        ),
        description=seen.description,
        email=seen.email,
    )
    photos = [photo(rng, f"signalement-{i}.jpg") for i in range(seen.photos)]
    with clock.frozen_at(at):
        followed = app.submit_report(form, photos)
    return followed.number, followed.secret


def _visit(
    app: PoliceApp, number: str, subject: SubjectInput, **found: Any
) -> InspectionSubmission:
    """The inspection an officer records at the report's place, answering it."""
    report = app.find_report(number)
    assert report is not None
    place = report.location
    return InspectionSubmission(
        submission_id=uuid.uuid5(uuid.NAMESPACE_URL, f"demo-report:{number}"),
        brigade=report.brigade,
        observed_at=clock.now(),
        location=Location(
            arrondissement=place["arrondissement"],
            address=place["address"],
            lat=place["lat"],
            lon=place["lon"],
            accuracy_m=8,
        ),
        subject=subject,
        report_number=number,
        opened_position=Position(lat=place["lat"], lon=place["lon"], accuracy_m=10),
        sent_at=clock.now(),
        **found,
    )
