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

import contextlib
import io
import random
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import timedelta
from decimal import Decimal
from uuid import UUID

from PIL import Image, ImageDraw

from police import clock
from police.app import PoliceApp
from police.application_terms import ApplicationInput
from police.catalogue import Workflow
from police.commands import ImposeFine, IssueNotice, ValidateCase
from police.demo_cases import location_in, random_id
from police.errors import DomainError
from police.evidence import Photo
from police.identifiers import SubjectInput, identify, subject_id
from police.permit_terms import Billboard
from police.roles import Brigade
from police.submission import Finding, InspectionSubmission, Location
from police.workflow import CaseStatus, NoticeKind

_CENTS = Decimal("0.01")


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
    desk = _Desk(app, rng, users)

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
    owing, place = _owing(app, users, establishments, case_ids, public_url)
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
            photos=[_photo(rng, "devanture.jpg")],
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
            photos=[_photo(rng, "trottoir.jpg")],
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


@dataclass
class _Filed:
    """A file to be sent; its number and secret once it is (``_Desk.run``)."""

    number: str = ""
    secret: str = ""


class _Desk:
    """The applicants at their phones, and the permits office at its desk."""

    def __init__(self, app: PoliceApp, rng: random.Random, users: dict[str, UUID]) -> None:
        self.app, self.rng = app, rng
        self.clerk, self.cashier = users["autorisations"], users["juriste"]
        self.numbers: list[str] = []
        self.receipts = 0
        self._forms: list[tuple[int, int, ApplicationInput, int, _Filed]] = []
        self._steps: list[Callable[[], object]] = []

    def company(self, name: str, activity: str) -> SubjectInput:
        return SubjectInput(
            kind="establishment",
            trade_name=name,
            ice="".join(str(self.rng.randint(0, 9)) for _ in range(13)) + "03",
            rc=self.rc(),
            activity=activity,
        )

    def rc(self) -> str:
        return str(self.rng.randint(100000, 699999))

    def person(self, full_name: str, letters: str) -> SubjectInput:
        cin = f"{letters}{self.rng.randint(100000, 999999)}"
        return SubjectInput(kind="person", full_name=full_name, cin=cin)

    def form(
        self,
        kind: str,
        holder: SubjectInput,
        email: str,
        *,
        start: int,
        days: int = 364,
        dims: tuple[str, str] | None = None,
        billboard: Billboard | None = None,
        note: str = "",
        place: Location | None = None,
    ) -> ApplicationInput:
        rng = self.rng
        if place is None:
            code = _ARRONDISSEMENT.get(holder.trade_name) or rng.choice(
                sorted(self.app.territory.arrondissements)
            )
            place = location_in(rng, self.app.territory.arrondissement(code), jitter=0.006)
        phone = f"0{rng.choice([661, 662, 667, 670, 700, 766])}{rng.randint(100000, 999999)}"
        valid_from = self.app.today() + timedelta(days=start)
        return ApplicationInput(
            kind=kind,
            holder=replace(holder, address=holder.address or place.address),
            email=email,
            phone=phone,
            location=place,
            valid_from=valid_from,
            valid_until=valid_from + timedelta(days=days),
            frontage_m=Decimal(dims[0]) if dims else None,
            depth_m=Decimal(dims[1]) if dims else None,
            billboard=billboard,
            note=note,
            language="ar" if rng.random() < 0.2 else "fr",
        )

    def submit(self, form: ApplicationInput, *, photos: int = 0, ago: int = 0) -> _Filed:
        """A file sent ``ago`` days ago (at ``run``): the queue has files past their deadline,
        and decisions their delays."""
        filed = _Filed()
        self._forms.append((ago, len(self._forms), form, photos, filed))
        return filed

    def then(self, step: Callable[[], object]) -> None:
        """What the office (or the applicant) does once the files are in, in this order."""
        self._steps.append(step)

    def run(self) -> None:
        """Sends the files oldest first, so their numbers follow the days they came in, then
        does what was done with them, today."""
        for ago, _, form, photos, filed in sorted(self._forms, key=lambda f: (-f[0], f[1])):
            sent = [_photo(self.rng, f"photo-{n + 1}.jpg") for n in range(photos)]
            moment = clock.now() - timedelta(days=ago, hours=self.rng.randint(0, 8))
            with clock.frozen_at(moment) if ago else contextlib.nullcontext():
                submitted = self.app.submit_application(form, photos=sent)
            filed.number, filed.secret = submitted.number, submitted.secret
            self.numbers.append(submitted.number)
        steps, self._forms, self._steps = self._steps, [], []
        for step in steps:
            step()

    def ask(self, filed: _Filed, missing: str) -> None:
        self.then(lambda: self.app.request_documents(self.clerk, filed.number, missing=missing))

    def visit(self, filed: _Filed, note: str) -> None:
        self.then(lambda: self.app.request_site_visit(self.clerk, filed.number, note=note))

    def grant(self, filed: _Filed, *, paid: bool) -> None:
        self.then(lambda: self.granted(filed.number, paid=paid))

    def granted(self, number: str, *, paid: bool) -> str:
        found = self.app.find_application(number)
        assert found is not None
        surface = Decimal(found.request["surface_m2"])
        rate = 600 if found.request["location"]["arrondissement"] in _CENTRAL else 350
        fee = (surface * rate).quantize(_CENTS)
        permit = self.app.grant_application(self.clerk, number, fee=fee)
        if paid:
            self.receipts += 1
            self.app.record_permit_payment(
                self.cashier,
                permit,
                receipt_number=f"Q-{self.app.today().year}-{7400 + self.receipts:05d}",
                amount_paid=fee,
            )
        return permit


_CENTRAL = ("anfa", "maarif", "sidi_belyout")
# The arrondissement each made-up applicant is in (the rest are drawn).
_ARRONDISSEMENT = {
    "Café Le Zénith": "maarif",
    "Librairie Carrefour des Livres": "sidi_belyout",
    "Brasserie La Tour": "anfa",
    "Fleuriste Les Jardins d'Anfa": "anfa",
    "Salon de thé Amandine": "sidi_belyout",
    "Atlas Média Régie": "al_fida",
    "Café Bab Marrakech": "mers_sultan",
    "Glacier Il Gelato": "maarif",
    "Épicerie fine Le Comptoir": "anfa",
    "Snack Le Détroit": "al_fida",
    "Café des Arts": "sidi_belyout",
}


def _owing(
    app: PoliceApp,
    users: dict[str, UUID],
    establishments: list[tuple[SubjectInput, Location]],
    case_ids: list[UUID],
    public_url: str,
) -> tuple[SubjectInput, Location]:
    """An establishment of the demo's cases that owes a fine: one already imposed and unpaid,
    else one the legal desk imposes now on a case its notice left unanswered, else (a demo too
    small to have one) a case made for it."""
    by_id = {
        subject_id(identify(s, Brigade.PUBLIC_DOMAIN, p.arrondissement).key): (s, p)
        for s, p in establishments
        if s.ice
    }
    cases = [app.get_case(case_id) for case_id in case_ids]
    cases = [c for c in cases if c.subject_id in by_id and c.workflow == Workflow.NOTICE]
    for case in cases:
        if case.balance > 0:
            return by_id[case.subject_id]
    legal, today = users["juriste"], app.today()
    for case in cases:  # each tried in turn: the rules may refuse one
        if case.status in (CaseStatus.NOTIFIED, CaseStatus.ESCALATED) and not case.pending_appeal:
            try:
                app.change_case(
                    ImposeFine(
                        case_id=case.id,
                        reason="Mise en demeure restée sans effet",
                        due_on=today + timedelta(days=15),
                    ),
                    legal,
                )
            except DomainError:
                continue
            if app.get_case(case.id).balance > 0:
                return by_id[case.subject_id]
    subject, place = establishments[0]
    return subject, _fined_now(app, users, subject, place, public_url)


def _fined_now(
    app: PoliceApp,
    users: dict[str, UUID],
    subject: SubjectInput,
    place: Location,
    public_url: str,
) -> Location:
    """A hygiene case opened, validated, its mise en demeure issued and the fine imposed."""
    now = clock.now()
    rng = random.Random(subject.trade_name)  # noqa: S311 - an id for the demo, not a secret
    receipt = app.record_inspection(
        InspectionSubmission(
            submission_id=random_id(rng),
            brigade=Brigade.HYGIENE,
            observed_at=now - timedelta(minutes=30),
            location=place,
            subject=subject,
            findings=(Finding("HYG-02"),),
            observations="Sols et plans de travail sales.",
            sent_at=now - timedelta(minutes=29),
        ),
        users["agent.hygiene"],
    )
    assert receipt.case_id is not None
    app.change_case(ValidateCase(case_id=receipt.case_id), users["chef.hygiene"])
    notice = IssueNotice(case_id=receipt.case_id, kind=NoticeKind.MISE_EN_DEMEURE)
    app.issue_notice(notice, users["juriste"], public_url=public_url)
    app.change_case(
        ImposeFine(
            case_id=receipt.case_id,
            reason="Mise en demeure restée sans effet",
            due_on=app.today() + timedelta(days=15),
        ),
        users["juriste"],
    )
    return place


def _photo(rng: random.Random, name: str) -> Photo:
    """A small photo of a shop front: a wall, a door and a striped awning."""
    wall = rng.choice(["#e8dcc4", "#f2efe6", "#d9c7a7"])
    image = Image.new("RGB", (480, 360), wall)
    draw = ImageDraw.Draw(image)
    awning = rng.choice(["#b03a2e", "#1f618d", "#1e8449"])
    for x in range(0, 480, 40):
        draw.rectangle((x, 60, x + 19, 110), fill=awning)
    draw.rectangle((190, 150, 290, 330), fill="#5d4037")
    draw.rectangle((0, 330, 480, 360), fill="#9e9e9e")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return Photo(name=name, file=io.BytesIO(out.getvalue()))
