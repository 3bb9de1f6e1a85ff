"""The demo's planned work: the brigades' rosters (who covers which arrondissement, set before
the history so the follow-ups of the last weeks went by the rule), a hygiene campaign closed
last month with its summary, one running now (some targets visited, one with findings), an
establishment whose risk category a supervisor raised, and a follow-up planned yesterday and
not made, so the officer's day shows what rolled over.

Everything goes through the commands, at the day it happened; deterministic for a seed.
"""

from __future__ import annotations

import random
import uuid
from datetime import datetime, timedelta
from uuid import UUID

from police import clock
from police.aggregates.campaign import Campaign
from police.app import CampaignPlan, PoliceApp
from police.demo_cases import working_hours
from police.identifiers import SubjectInput, subject_id
from police.planning import EstablishmentRecord
from police.submission import Finding, InspectionSubmission, Location, Position

# The hygiene officers share the city, west and east; one officer each for the others.
WEST = ("anfa", "maarif", "sidi_belyout", "mers_sultan", "al_fida", "hay_hassani", "ain_chock")
COVERAGE = {
    ("hygiene", "agent.hygiene"): WEST,
    ("hygiene", "agent.hygiene2"): (
        "ain_sebaa", "hay_mohammadi", "roches_noires", "ben_msick", "sbata", "moulay_rachid",
        "sidi_othmane", "sidi_bernoussi", "sidi_moumen",
    ),
}  # fmt: skip
CHIEFS = {"hygiene": "chef.hygiene", "parking": "chef.stationnement", "public_domain": "chef.odp"}
SINGLE = {"parking": "agent.stationnement", "public_domain": "agent.odp"}


def set_rosters(app: PoliceApp, users: dict[str, UUID]) -> None:
    for (brigade, officer), arrondissements in COVERAGE.items():
        app.set_coverage(users[CHIEFS[brigade]], brigade, users[officer], arrondissements)
    everywhere = sorted(app.territory.arrondissements)
    for brigade, officer in SINGLE.items():
        app.set_coverage(users[CHIEFS[brigade]], brigade, users[officer], everywhere)


def load_planning(
    app: PoliceApp,
    rng: random.Random,
    users: dict[str, UUID],
    establishments: list[tuple[SubjectInput, Location]],
    now: datetime,
) -> list[str]:
    """The campaigns (their numbers) and the rest, once the history is recorded."""
    chief = users["chef.hygiene"]
    rules = app.planning_rules
    food = [
        (s, p)
        for s, p in establishments
        if s.ice
        and app.find_subject(f"ice:{s.ice}")
        and rules.assess(EstablishmentRecord(s.activity)).routine  # not a billboard firm
    ]
    rng.shuffle(food)
    zone = app.territory.timezone  # the visits are made in the officers' hours
    numbers = []
    with clock.frozen_at(now - timedelta(days=40)):
        past = _plan(app, chief, users, food[:5], "Commerces de bouche avant l'Aïd", 0, 14)
        numbers.append(past.number)
    for n, (subject, place) in enumerate(food[:4]):
        with clock.frozen_at(working_hours(now - timedelta(days=38 - 2 * n), rng, zone)):
            _visit(app, users, past, subject, place, found=n == 1)
    with clock.frozen_at(now - timedelta(days=25)):
        app.close_campaign(
            chief,
            past.number,
            note="Quatre établissements sur cinq visités ; un mis en demeure pour la chaîne "
            "du froid. Le dernier, fermé, reste à revoir.",
        )
    with clock.frozen_at(now - timedelta(days=3)):
        running = _plan(app, chief, users, food[5:13], "Chaîne du froid : vague de chaleur", 0, 10)
        numbers.append(running.number)
    for n, (subject, place) in enumerate(food[5:8]):
        with clock.frozen_at(working_hours(now - timedelta(days=2 - n % 2), rng, zone)):
            _visit(app, users, running, subject, place, found=n == 0)
    if food[13:]:
        raised = food[13][0]
        with clock.frozen_at(now - timedelta(days=1)):
            app.override_risk(
                chief,
                subject_id(f"ice:{raised.ice}"),
                "A",
                "Plainte pour intoxication alimentaire transmise par la délégation de santé.",
            )
    return numbers


def _plan(
    app: PoliceApp,
    chief: UUID,
    users: dict[str, UUID],
    targets: list[tuple[SubjectInput, Location]],
    theme: str,
    starts_in: int,
    days: int,
) -> Campaign:
    today = app.today()
    return app.plan_campaign(
        chief,
        CampaignPlan(
            brigade="hygiene",
            theme=theme,
            starts_on=today + timedelta(days=starts_in),
            ends_on=today + timedelta(days=days),
            officer_ids=[users["agent.hygiene"], users["agent.hygiene2"]],
            arrondissements=sorted({p.arrondissement for _, p in targets}),
            targets=[
                {
                    "key": f"subject:{subject_id(f'ice:{s.ice}')}",
                    "kind": "establishment",
                    "label": s.trade_name,
                    "arrondissement": p.arrondissement,
                    "address": p.address,
                    "lat": p.lat,
                    "lon": p.lon,
                }
                for s, p in targets
            ],
        ),
    )


def _visit(
    app: PoliceApp,
    users: dict[str, UUID],
    campaign: Campaign,
    subject: SubjectInput,
    place: Location,
    *,
    found: bool,
) -> None:
    key = f"subject:{subject_id(f'ice:{subject.ice}')}"
    visit = Campaign.visit_key(campaign.id, key)
    officer = app.roster("hygiene").officer_of(visit) or users["agent.hygiene"]
    app.record_inspection(
        InspectionSubmission(
            submission_id=uuid.uuid4(),
            brigade="hygiene",
            observed_at=clock.now(),
            location=place,
            subject=subject,
            findings=(Finding("HYG-03"),) if found else (),
            observations="Chambre froide à 9 °C, thermomètre absent."
            if found
            else "Températures relevées conformes (chambre froide à 3 °C).",
            visit=visit,
            opened_position=Position(lat=place.lat, lon=place.lon, accuracy_m=10)
            if place.lat is not None and place.lon is not None
            else None,
            sent_at=clock.now(),
        ),
        officer,
    )
