"""The demo's online applications (e-démarches): cafés, shops, an advertiser and street vendors
of Casablanca who asked for a permit online, and what the permits office, the public-domain
officer and the cashier did with each file, so that the office's queue shows files in every
status: received, held (the holder owes a fine), incomplete, answered, at the site visit, visited,
granted (fee unpaid, or paid and the arrêté printed), refused, and a renewal.

The files came in over the last six weeks (``police.demo`` calls this last), oldest first so
that their numbers follow their days, and the office acts on them today: the queue shows files
past their legal deadline, and the figures real delays. Everything goes through the commands;
deterministic for a seed (the tracking secrets excepted: they are secrets).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from decimal import Decimal
from uuid import UUID

from police.app import PoliceApp
from police.demo_application_desk import Desk, owing_establishment, photo
from police.identifiers import SubjectInput
from police.permit_terms import Billboard
from police.submission import Location


@dataclass
class DemoApplications:
    numbers: list[str] = field(default_factory=list)  # in the order they were submitted
    tracking_path: str = ""  # the incomplete file's tracking page, for the visitor to open


def load_applications(
    app: PoliceApp,
    rng: random.Random,
    users: dict[str, UUID],
    establishments: list[tuple[SubjectInput, Location]],
    case_ids: list[UUID],
    public_url: str,
) -> DemoApplications:
    """Submits the demo's applications over the past weeks and has the office instruct them
    today."""
    desk = Desk(app, rng, users)

    # Received: nothing done yet.
    desk.submit(
        desk.form(
            "terrace",
            desk.company("Café Le Zénith", "Café"),
            "contact@cafe-zenith.example.ma",
            start=14,
            dims=("6", "2.5"),
            note="Huit tables et seize chaises, parasols repliables.",
        ),
        ago=41,
    )
    desk.submit(
        desk.form(
            "display",
            desk.company("Librairie Carrefour des Livres", "Librairie"),
            "",
            start=7,
            dims=("3", "0.8"),
            note="Deux présentoirs de journaux devant la vitrine.",
        ),
        ago=2,
    )
    desk.submit(
        desk.form(
            "vending",
            desk.person("Abdelkader Mernissi", "BH"),
            "a.mernissi@example.ma",
            start=3,
            days=181,
            dims=("2", "1.5"),
            note="Charrette de maïs grillé, le soir.",
        )
    )

    # Held: an establishment the brigades fined, which has not paid.
    owing, place = owing_establishment(app, users, establishments, case_ids, public_url)
    desk.submit(
        desk.form(
            "terrace",
            replace(owing, rc=desk.rc(), address=place.address),
            "gerance@example.ma",
            start=10,
            dims=("5", "2"),
            note="Agrandissement de la terrasse.",
            place=place,
        ),
        photos=1,
    )

    # Incomplete: documents asked for. The first is the one the printed tracking link opens.
    incomplete = desk.submit(
        desk.form(
            "terrace",
            desk.company("Brasserie La Tour", "Brasserie"),
            "direction@brasserie-latour.example.ma",
            start=21,
            dims=("8", "3"),
            note="Terrasse couverte d'un store, côté boulevard.",
        ),
        photos=1,
        ago=6,
    )
    desk.ask(
        incomplete,
        "Plan coté de la terrasse (largeur du trottoir et passage laissé aux piétons) et "
        "attestation d'assurance responsabilité civile.",
    )
    kiosk = desk.submit(
        desk.form(
            "kiosk",
            desk.person("Fatima Zahra Bennis", "BE"),
            "",
            start=30,
            days=729,
            dims=("2.5", "2"),
            note="Kiosque à journaux et tabac.",
        ),
        ago=33,
    )
    desk.ask(kiosk, "Copie recto verso de la CIN et photo de l'emplacement.")

    # Answered: documents asked for and added; the office is to decide.
    answered = desk.submit(
        desk.form(
            "display",
            desk.company("Fleuriste Les Jardins d'Anfa", "Fleuriste"),
            "boutique@jardins-anfa.example.ma",
            start=10,
            dims=("4", "1"),
        ),
        ago=18,
    )
    desk.ask(answered, "Photo de la devanture avec l'étalage prévu.")
    desk.then(
        lambda: app.add_documents(
            answered.number,
            answered.secret,
            photos=[photo(rng, "devanture.jpg")],
            note="Voici la photo demandée ; l'étalage ne dépasse pas un mètre.",
        )
    )

    # At the site visit: asked of the public-domain brigade, not reported yet.
    visited_later = desk.submit(
        desk.form(
            "terrace",
            desk.company("Salon de thé Amandine", "Salon de thé"),
            "amandine@example.ma",
            start=15,
            dims=("7", "3"),
            note="Trottoir large, arrêt de bus à proximité.",
        ),
        photos=1,
        ago=25,
    )
    desk.visit(visited_later, "Vérifier la distance à l'arrêt de bus et mesurer le trottoir.")
    board = desk.submit(
        desk.form(
            "billboard",
            desk.company("Atlas Média Régie", "Affichage publicitaire"),
            "regie@atlasmedia.example.ma",
            start=20,
            days=729,
            billboard=Billboard(
                structure_id="",
                faces=2,
                m2_per_face=Decimal("12"),
                lit=True,
                company="Atlas Média Régie",
            ),
            note="Panneau double face éclairé, au carrefour.",
        ),
        ago=12,
    )
    desk.visit(board, "Vérifier la visibilité de la signalisation au carrefour.")

    # Visited: the officer reported; the office is to decide.
    reported = desk.submit(
        desk.form(
            "terrace",
            desk.company("Café Bab Marrakech", "Café"),
            "cafe.babmarrakech@example.ma",
            start=12,
            dims=("5", "2"),
        ),
        ago=28,
    )
    desk.visit(reported, "Mesurer la façade.")
    desk.then(
        lambda: app.report_site_visit(
            users["agent.odp"],
            reported.number,
            opinion="favourable",
            observations="Trottoir de 4,5 m : la terrasse laisse 2,5 m aux piétons.",
            frontage_m=Decimal("5.2"),
            depth_m=Decimal("2"),
            photos=[photo(rng, "trottoir.jpg")],
        )
    )

    # Granted, its fee not paid yet.
    unpaid = desk.submit(
        desk.form(
            "terrace",
            desk.company("Glacier Il Gelato", "Glacier"),
            "ilgelato@example.ma",
            start=10,
            dims=("4", "2"),
        ),
        ago=14,
    )
    desk.grant(unpaid, paid=False)

    # Granted and paid: the permit is in force and its arrêté printed.
    paid = desk.submit(
        desk.form(
            "display",
            desk.company("Épicerie fine Le Comptoir", "Épicerie"),
            "",
            start=5,
            dims=("3", "1"),
        ),
        ago=22,
    )
    desk.grant(paid, paid=True)

    # Refused, with its reasons, after an unfavourable visit.
    refused = desk.submit(
        desk.form(
            "terrace",
            desk.company("Snack Le Détroit", "Snack"),
            "snack.detroit@example.ma",
            start=7,
            dims=("6", "3"),
        ),
        ago=38,
    )
    desk.visit(refused, "Mesurer le trottoir.")
    desk.then(
        lambda: app.report_site_visit(
            users["agent.odp"],
            refused.number,
            opinion="unfavourable",
            observations="Trottoir de 2,2 m : une terrasse de 3 m occuperait tout le passage.",
            depth_m=Decimal("2.2"),
        )
    )
    desk.then(
        lambda: app.refuse_application(
            users["autorisations"],
            refused.number,
            reasons="Le trottoir (2,2 m) ne laisse pas le passage de 1,50 m dû aux piétons.",
        )
    )
    vendor = desk.submit(
        desk.form(
            "vending",
            desk.person("Hassan Ouahbi", "BK"),
            "",
            start=2,
            days=90,
            dims=("2", "1"),
        ),
        ago=9,
    )
    desk.then(
        lambda: app.refuse_application(
            users["autorisations"],
            vendor.number,
            reasons="Emplacement devant l'entrée d'une école : la vente ambulante y est interdite.",
        )
    )

    desk.run()  # the files, oldest first, each numbered when it came in; then the office

    # A renewal: a short permit granted on an earlier file, paid, ending within 30 days.
    season = desk.company("Café des Arts", "Café")
    first = desk.submit(
        desk.form(
            "terrace",
            season,
            "cafe.desarts@example.ma",
            start=0,
            days=20,
            dims=("4", "2"),
            note="Terrasse pour la saison des festivals.",
        )
    )
    desk.run()
    ending = desk.granted(first.number, paid=True)
    asked = desk.form("terrace", season, "cafe.desarts@example.ma", start=21, dims=("4", "2"))
    desk.submit(replace(asked, renewal_of=ending, note="Renouvellement pour l'année."))
    desk.run()

    assert desk.numbers[-1].endswith(f"{len(desk.numbers):06d}"), "numbered in order"
    return DemoApplications(
        numbers=desk.numbers,
        tracking_path=f"/demarches/suivi/{incomplete.number}/{incomplete.secret}",
    )
