"""Online applications (e-démarches): submitted without an account, followed by a private link,
instructed by the permits office (documents asked for, a site visit by the public-domain brigade,
a hold while the holder owes the city, refusal) and reminded of their renewal. Granting one is
composed with the registry in ``police.app.PoliceApp``: one atomic save makes the permit and
decides the file.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from police.aggregates.case import Case
from police.aggregates.permit import Permit
from police.aggregates.permit_application import ApplicationStatus, PermitApplication
from police.aggregates.subject import Subject
from police.app.base import BaseApp
from police.application_terms import (
    DEFAULT_PROCESSING_DAYS,
    ApplicationInput,
    check_application,
    holder_input,
)
from police.errors import N_, Conflict, InvalidInput, NotAllowed
from police.evidence import Photo, check_evidence, store_documents, store_photos
from police.identifiers import clean_text, identify, normalize_permit_number, subject_id
from police.inspecting import check_location
from police.permit_terms import amount
from police.planning import VisitKind
from police.private_links import digest_of
from police.roles import Brigade, Role
from police.submission import Location
from police.workflow import NoticeKind

SERIES = "DEM"
MAX_DOCUMENTS = 6
_OFFICE = (Role.PERMITS,)
_STALE = N_(
    "La demande {number} a changé entre-temps : rechargez la page pour voir ce qui est "
    "nouveau, puis recommencez."
)
_UNKNOWN = N_("Demande introuvable.")
OPINIONS = ("favourable", "unfavourable")


@dataclass(frozen=True)
class Submitted:
    """What the applicant is given once: the file's number and its tracking secret."""

    number: str
    secret: str
    status: ApplicationStatus


class ApplicationCommands(BaseApp):
    def submit_application(
        self,
        form: ApplicationInput,
        photos: Sequence[Photo] = (),
        plans: Sequence[Photo] = (),
        actor_id: UUID | None = None,
    ) -> Submitted:
        """Checks the form, stores its documents (object first, event second), numbers the file
        (DEM-2026-000042) and holds it when its holder owes the city."""
        today = self.today()
        checked = check_application(form, self.territory, today)
        renewal_of = self._check_renewal(form.renewal_of, checked.holder_key, checked.kind)
        if len(photos) + len(plans) > MAX_DOCUMENTS:
            raise InvalidInput(
                N_("Pas plus de {count} documents par demande."),
                field="documents",
                count=MAX_DOCUMENTS,
            )
        documents = self._stored(photos, plans)
        secret = secrets.token_urlsafe(24)
        days = self.territory.processing_days.get(checked.kind, DEFAULT_PROCESSING_DAYS)
        holds = self.holds_of(checked.holder_key)
        year = today.year

        def attempt() -> str:
            counter = self.numbering.counter(SERIES, year)
            number = counter.format(counter.last + 1)
            application = PermitApplication(
                number=number,
                kind=checked.kind,
                applicant=checked.applicant,
                holder_label=checked.holder_label,
                contact=checked.contact,
                language=checked.language,
                request=checked.request,
                documents=documents,
                token_digest=digest_of(secret),
                deadline=date.fromordinal(today.toordinal() + days),
                renewal_of=renewal_of,
                actor_id=actor_id,
            )
            application.hold(holds)
            counter.take(application.id)
            self.save(application, counter)
            self.numbering.saved([counter])
            return number

        with self.numbering.series(year, SERIES):
            number = self._retrying(attempt)
        status = ApplicationStatus.HELD if holds else ApplicationStatus.RECEIVED
        return Submitted(number=number, secret=secret, status=status)

    def holds_of(self, holder_key: str) -> list[dict[str, Any]]:
        """What the holder owes the city: fines unpaid, closure orders in force on open cases."""
        subject = self._find(Subject, subject_id(holder_key))
        if subject is None:
            return []
        reasons: list[dict[str, Any]] = []
        for linked in subject.cases:
            case = self._find(Case, linked["case_id"])
            if case is None:
                continue
            if case.balance > 0:
                reasons.append(
                    {"kind": "unpaid", "reference": case.reference, "amount": case.balance}
                )
            if case.is_open and case.notice_in_force(NoticeKind.ORDRE_FERMETURE):
                reasons.append({"kind": "closure", "reference": case.reference})
        return reasons

    def find_application(self, number: str) -> PermitApplication | None:
        try:
            key = normalize_permit_number(number)
        except InvalidInput:
            return None
        return self._find(PermitApplication, PermitApplication.create_id(key))

    def tracked_application(self, number: str, secret: str) -> PermitApplication | None:
        """The file the tracking link opens, or None: the same answer for an unknown number and
        a wrong secret, and the secret compared in constant time."""
        application = self.find_application(number)
        if application is None:
            digest_of(secret)  # as long as a comparison, so timing tells nothing either
            return None
        return application if application.opens_with(secret) else None

    def add_documents(
        self,
        number: str,
        secret: str,
        *,
        photos: Sequence[Photo] = (),
        plans: Sequence[Photo] = (),
        note: str = "",
    ) -> None:
        """The applicant answers a request for documents from the tracking page."""
        if self.tracked_application(number, secret) is None:
            raise NotAllowed(N_("Lien de suivi invalide ou révoqué."))
        if not photos and not plans:
            raise InvalidInput(N_("Joignez au moins un document."), field="documents")
        if len(photos) + len(plans) > MAX_DOCUMENTS:
            raise InvalidInput(
                N_("Pas plus de {count} documents à la fois."),
                field="documents",
                count=MAX_DOCUMENTS,
            )
        text = clean_text(note, field="note", label=N_("Précisions"), max_length=1000)
        application = self.find_application(number)
        assert application is not None
        application.check_can_add_documents()
        documents = self._stored(photos, plans)

        def attempt() -> None:
            found = self.find_application(number)
            assert found is not None
            found.add_documents(documents, text)
            self.save(found)

        self._retrying(attempt)

    def request_documents(
        self, actor_id: UUID, number: str, *, missing: str, expected_version: int | None = None
    ) -> None:
        what = clean_text(
            missing,
            field="missing",
            label=N_("Documents manquants"),
            required=True,
            max_length=1000,
        )
        self._instruct(
            actor_id, number, expected_version, lambda a, u: a.request_documents(u, what)
        )

    def request_site_visit(
        self, actor_id: UUID, number: str, *, note: str, expected_version: int | None = None
    ) -> None:
        text = clean_text(note, field="note", label=N_("Consignes"), max_length=1000)

        def change(application: PermitApplication, actor: UUID) -> list[Any]:
            """The visit goes to a public-domain officer covering the place, by the rule."""
            application.request_site_visit(actor, text)
            roster, _ = self._plan_visit(
                actor,
                Brigade.PUBLIC_DOMAIN,
                visit=f"{VisitKind.SITE_VISIT}:{application.number}",
                kind=VisitKind.SITE_VISIT,
                label=f"{application.number} · {application.holder_label}",
                place=application.request["location"],
                note=text,
            )
            return [roster]

        self._instruct(actor_id, number, expected_version, change)

    def refuse_application(
        self, actor_id: UUID, number: str, *, reasons: str, expected_version: int | None = None
    ) -> None:
        why = clean_text(
            reasons, field="reasons", label=N_("Motifs du refus"), required=True, max_length=2000
        )

        def change(application: PermitApplication, actor: UUID) -> list[Any]:
            application.refuse(actor, why)
            return self._site_visit_over(application, actor)

        self._instruct(actor_id, number, expected_version, change)

    def _site_visit_over(self, application: PermitApplication, actor: UUID) -> list[Any]:
        """A file decided before its site visit was made: the visit leaves the officer's day."""
        key = f"{VisitKind.SITE_VISIT}:{application.number}"
        return self._visit_over(Brigade.PUBLIC_DOMAIN, key, actor, done=False, why="decided")

    def lift_hold(
        self, actor_id: UUID, number: str, *, expected_version: int | None = None
    ) -> None:
        """Lifts the hold once the holder owes nothing more (checked again now)."""

        def change(application: PermitApplication, actor: UUID) -> None:
            still = self.holds_of(self._holder_key(application))
            if still:
                raise InvalidInput(
                    N_("Le titulaire doit encore : {what}."),
                    field="hold",
                    what=", ".join(h["reference"] for h in still),
                )
            application.lift_hold(actor, N_("Réglé : plus rien n'est dû."))

        self._instruct(actor_id, number, expected_version, change)

    def replace_tracking(self, actor_id: UUID, number: str, *, reason: str) -> str:
        """Revokes the tracking link; returns the new link's secret (given to the applicant)."""
        why = clean_text(reason, field="reason", label=N_("Motif"), required=True)
        secret = secrets.token_urlsafe(24)

        def change(application: PermitApplication, actor: UUID) -> None:
            application.replace_tracking(actor, why, digest_of(secret))

        self._instruct(actor_id, number, None, change, decided_too=True)
        return secret

    def report_site_visit(
        self,
        actor_id: UUID,
        number: str,
        *,
        opinion: str,
        observations: str,
        frontage_m: Decimal | None = None,
        depth_m: Decimal | None = None,
        location: Location | None = None,
        photos: Sequence[Photo] = (),
    ) -> None:
        """The public-domain officer's report of the site visit, back to the file."""
        actor = self.actor(actor_id)
        actor.require((Role.OFFICER, Role.SUPERVISOR), Brigade.PUBLIC_DOMAIN)
        if opinion not in OPINIONS:
            raise InvalidInput(N_("Donnez votre avis : favorable ou défavorable."), field="opinion")
        text = clean_text(
            observations,
            field="observations",
            label=N_("Observations"),
            required=True,
            max_length=2000,
        )
        measured = {
            name: amount(value, name)
            for name, value in (("frontage_m", frontage_m), ("depth_m", depth_m))
            if value is not None
        }
        place = check_location(location, self.territory) if location else None
        application = self._get(PermitApplication, self._id(number), _UNKNOWN)
        application.check_visit_to_report()
        stored = [check_evidence(e) | {"role": "photo"} for e in store_photos(self.photos, photos)]

        def attempt() -> None:
            found = self._get(PermitApplication, self._id(number), _UNKNOWN)
            found.report_site_visit(
                actor.id,
                opinion=opinion,
                observations=text,
                measured=measured,
                photos=stored,
                location=place,
            )
            key = f"{VisitKind.SITE_VISIT}:{found.number}"
            self.save(found, *self._visit_over(Brigade.PUBLIC_DOMAIN, key, actor.id, done=True))

        self._retrying(attempt)

    def remind_renewal(
        self, number: str, send: Callable[[PermitApplication, Permit, str], None]
    ) -> bool:
        """Sends (``send(application, permit, secret)``: ``secret`` opens the file, for the
        renewal link) and records the renewal reminder of the permit granted on this file, once
        per expiry date; False when there is nothing to remind."""
        application = self.find_application(number)
        if application is None or application.permit_number is None:
            return False
        permit = self._find(Permit, Permit.create_id(application.permit_number))
        if permit is None or permit.unpaid or permit.revoked:
            return False
        days_left = (permit.valid_until - self.today()).days
        if not 0 <= days_left <= 30 or permit.valid_until in application.reminded:
            return False
        if not application.contact.get("email"):
            return False
        secret = secrets.token_urlsafe(24)
        send(application, permit, secret)  # then recorded: a crash between sends it twice

        def attempt() -> None:
            found = self.find_application(number)
            assert found is not None
            found.remind_renewal(permit.number, permit.valid_until, digest_of(secret))
            if found.pending_events:
                self.save(found)

        self._retrying(attempt)
        return True

    # --- helpers ---------------------------------------------------------------------------

    def _instruct(
        self,
        actor_id: UUID,
        number: str,
        expected_version: int | None,
        change: Any,
        *,
        decided_too: bool = False,
    ) -> PermitApplication:
        application_id = self._id(number)

        def attempt() -> PermitApplication:
            actor = self.actor(actor_id)
            actor.require(_OFFICE)
            application = self._get(PermitApplication, application_id, _UNKNOWN)
            if expected_version is not None and application.version != expected_version:
                raise Conflict(_STALE, number=application.number)
            also = change(application, actor.id) or []
            if application.pending_events:
                self.save(application, *also)
            return application

        return self._retrying(attempt)

    def _id(self, number: str) -> UUID:
        try:
            return PermitApplication.create_id(normalize_permit_number(number))
        except InvalidInput:
            raise InvalidInput(_UNKNOWN, field="number") from None

    def _holder_key(self, application: PermitApplication) -> str:
        place = application.request["location"]["arrondissement"]
        return identify(holder_input(application.applicant), Brigade.PUBLIC_DOMAIN, place).key

    def _check_renewal(self, number: str | None, holder_key: str, kind: str) -> str | None:
        if not number:
            return None
        permit = self._find(Permit, Permit.create_id(normalize_permit_number(number)))
        holder = self._find(Subject, subject_id(holder_key))
        if permit is None or holder is None or permit.id not in holder.permit_ids:
            raise InvalidInput(
                N_("L'autorisation {number} à renouveler n'est pas à ce titulaire."),
                field="renewal_of",
                number=number[:40],
            )
        if permit.kind != kind:
            raise InvalidInput(
                N_("Un renouvellement demande le même type d'autorisation."), field="kind"
            )
        return permit.number

    def _stored(self, photos: Sequence[Photo], plans: Sequence[Photo]) -> list[dict[str, Any]]:
        stored = [check_evidence(e) | {"role": "photo"} for e in store_photos(self.photos, photos)]
        return stored + self._stored_plans(plans)

    def _stored_plans(self, plans: Sequence[Photo]) -> list[dict[str, Any]]:
        return store_documents(self.photos, plans)
