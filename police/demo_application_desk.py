"""The demo's applicants at their phones and the permits office at its desk: the files they
send (oldest first, numbered as they come in) and what the office does with them, for
``police.demo_applications``; and the establishment that owes the city a fine.
"""

from __future__ import annotations

import contextlib
import io
import random
from collections.abc import Callable
from dataclasses import dataclass, replace
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
class Filed:
    """A file to be sent; its number and secret once it is (``Desk.run``)."""

    number: str = ""
    secret: str = ""


class Desk:
    """The applicants at their phones, and the permits office at its desk."""

    def __init__(self, app: PoliceApp, rng: random.Random, users: dict[str, UUID]) -> None:
        self.app, self.rng = app, rng
        self.clerk, self.cashier = users["autorisations"], users["juriste"]
        self.numbers: list[str] = []
        self.receipts = 0
        self._forms: list[tuple[int, int, ApplicationInput, int, Filed]] = []
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

    def submit(self, form: ApplicationInput, *, photos: int = 0, ago: int = 0) -> Filed:
        """A file sent ``ago`` days ago (at ``run``): the queue has files past their deadline,
        and decisions their delays."""
        filed = Filed()
        self._forms.append((ago, len(self._forms), form, photos, filed))
        return filed

    def then(self, step: Callable[[], object]) -> None:
        """What the office (or the applicant) does once the files are in, in this order."""
        self._steps.append(step)

    def run(self) -> None:
        """Sends the files oldest first, so their numbers follow the days they came in, then
        does what was done with them, today."""
        for ago, _, form, photos, filed in sorted(self._forms, key=lambda f: (-f[0], f[1])):
            sent = [photo(self.rng, f"photo-{n + 1}.jpg") for n in range(photos)]
            moment = clock.now() - timedelta(days=ago, hours=self.rng.randint(0, 8))
            with clock.frozen_at(moment) if ago else contextlib.nullcontext():
                submitted = self.app.submit_application(form, photos=sent)
            filed.number, filed.secret = submitted.number, submitted.secret
            self.numbers.append(submitted.number)
        steps, self._forms, self._steps = self._steps, [], []
        for step in steps:
            step()

    def ask(self, filed: Filed, missing: str) -> None:
        self.then(lambda: self.app.request_documents(self.clerk, filed.number, missing=missing))

    def visit(self, filed: Filed, note: str) -> None:
        self.then(lambda: self.app.request_site_visit(self.clerk, filed.number, note=note))

    def grant(self, filed: Filed, *, paid: bool) -> None:
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


def owing_establishment(
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


def photo(rng: random.Random, name: str) -> Photo:
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
