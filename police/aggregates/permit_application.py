"""The application (demande): a permit asked for online (e-démarches), without an account, and
its instruction by the permits office: documents asked for and added, a site visit asked of the
public-domain brigade and its report, a hold while the holder owes the city, the decision
(granted: the permit's number and fee; refused: why), the renewal reminder. The applicant follows
it through a private link whose secret only its digest is recorded here.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from police.aggregates.base import PoliceAggregate
from police.errors import N_, InvalidTransition
from police.identifiers import natural_id
from police.private_links import opens


class ApplicationStatus(StrEnum):
    """What the applicant's page says, in the order a file usually goes through them."""

    RECEIVED = "received"
    HELD = "held"  # the holder owes fines or is under a closure order
    INCOMPLETE = "incomplete"  # documents asked for, not yet added
    SITE_VISIT = "site_visit"  # an officer is to visit the place
    UNDER_REVIEW = "under_review"  # documents added or visit reported: the office decides
    GRANTED = "granted"  # the permit is granted; its fee is to be paid
    REFUSED = "refused"


DECIDED = frozenset({ApplicationStatus.GRANTED, ApplicationStatus.REFUSED})


class PermitApplication(PoliceAggregate):
    # --- events: each fact it records, and what the fact carries ---

    class Event(PoliceAggregate.Event):
        pass

    class Created(Event, PoliceAggregate.Created):
        pass

    class Submitted(Created):
        """Sent by the applicant (no account: ``actor_id`` is None), or by the office on the
        phone's behalf (its user)."""

        number: str
        kind: str
        applicant: dict[str, str]  # the holder's fields as typed and checked (SubjectInput)
        holder_label: str
        contact: dict[str, str]  # email, phone: for this file only, never shown elsewhere
        language: str  # the applicant's, for the mail
        request: dict[str, Any]  # the permit's terms as asked (checked like the office's)
        documents: list[dict[str, Any]]
        token_digest: str
        deadline: date
        renewal_of: str | None
        actor_id: UUID | None

    class Held(Event):
        """The holder owes the city: what to settle before the file is instructed."""

        reasons: list[dict[str, Any]]

    class HoldLifted(Event):
        actor_id: UUID
        reason: str

    class DocumentsRequested(Event):
        actor_id: UUID
        missing: str

    class DocumentsAdded(Event):
        """Added by the applicant from the tracking page."""

        documents: list[dict[str, Any]]
        note: str

    class SiteVisitRequested(Event):
        actor_id: UUID
        note: str

    class SiteVisitReported(Event):
        actor_id: UUID  # the officer
        opinion: str  # favourable | unfavourable
        observations: str
        measured: dict[str, Any]  # frontage_m, depth_m as measured, when measured
        photos: list[dict[str, Any]]
        location: dict[str, Any] | None  # where the phone was

    class Granted(Event):
        actor_id: UUID
        permit_number: str
        fee: Decimal
        payment_reference: str

    class Refused(Event):
        actor_id: UUID
        reasons: str

    class TrackingReplaced(Event):
        """The office revoked the tracking link (lost, shared); a new one, if any, replaces it."""

        actor_id: UUID
        reason: str
        token_digest: str | None

    class RenewalReminded(Event):
        """The holder was sent the renewal reminder for the permit ending on ``valid_until``,
        with a link of its own to the file (the first one's secret is not known here)."""

        permit_number: str
        valid_until: date
        token_digest: str

    # --- state and commands ---

    @staticmethod
    def create_id(number: str) -> UUID:
        return natural_id("application", number)

    @event(Submitted)
    def __init__(
        self,
        *,
        number: str,
        kind: str,
        applicant: dict[str, str],
        holder_label: str,
        contact: dict[str, str],
        language: str,
        request: dict[str, Any],
        documents: list[dict[str, Any]],
        token_digest: str,
        deadline: date,
        renewal_of: str | None,
        actor_id: UUID | None,
    ) -> None:
        self.number = number
        self.kind = kind
        self.applicant = applicant
        self.holder_label = holder_label
        self.contact = contact
        self.language = language
        self.request = request
        self.documents = list(documents)
        self.token_digests = [token_digest]  # the links that open it: at submission, reminders
        self.deadline = deadline
        self.renewal_of = renewal_of
        self.holds: list[dict[str, Any]] = []
        self.missing = ""  # documents asked for and not yet added
        self.visit: dict[str, Any] | None = None  # requested, then reported
        self.permit_number: str | None = None
        self.fee: Decimal | None = None
        self.payment_reference = ""
        self.refusal = ""
        self.answered = False  # documents were added on request
        self.reminded: set[date] = set()

    @property
    def status(self) -> ApplicationStatus:
        if self.permit_number is not None:
            return ApplicationStatus.GRANTED
        if self.refusal:
            return ApplicationStatus.REFUSED
        if self.holds:
            return ApplicationStatus.HELD
        if self.missing:
            return ApplicationStatus.INCOMPLETE
        if self.visit is not None and "report" not in self.visit:
            return ApplicationStatus.SITE_VISIT
        if self.visit is not None or self.answered:
            return ApplicationStatus.UNDER_REVIEW
        return ApplicationStatus.RECEIVED

    @property
    def decided(self) -> bool:
        return self.status in DECIDED

    def opens_with(self, secret: str) -> bool:
        """Whether ``secret`` is this file's tracking secret, compared in constant time."""
        return opens(secret, self.token_digests)

    def hold(self, reasons: list[dict[str, Any]]) -> None:
        if reasons:
            self._held(reasons=reasons)

    def lift_hold(self, actor_id: UUID, reason: str) -> None:
        self._check_open()
        if not self.holds:
            raise InvalidTransition(
                N_("La demande {number} n'est pas retenue."), number=self.number
            )
        self._hold_lifted(actor_id=actor_id, reason=reason)

    def request_documents(self, actor_id: UUID, missing: str) -> None:
        self._check_open()
        self._documents_requested(actor_id=actor_id, missing=missing)

    def check_can_add_documents(self) -> None:
        self._check_open()
        if not self.missing:
            raise InvalidTransition(
                N_("Aucun document n'est demandé pour la demande {number}."), number=self.number
            )

    def add_documents(self, documents: list[dict[str, Any]], note: str) -> None:
        self.check_can_add_documents()
        self._documents_added(documents=documents, note=note)

    def request_site_visit(self, actor_id: UUID, note: str) -> None:
        self._check_open()
        if self.visit is not None and "report" not in self.visit:
            raise InvalidTransition(
                N_("Une visite sur place est déjà demandée pour la demande {number}."),
                number=self.number,
            )
        self._site_visit_requested(actor_id=actor_id, note=note)

    def report_site_visit(
        self,
        actor_id: UUID,
        *,
        opinion: str,
        observations: str,
        measured: dict[str, Any],
        photos: list[dict[str, Any]],
        location: dict[str, Any] | None,
    ) -> None:
        self.check_visit_to_report()
        self._site_visit_reported(
            actor_id=actor_id,
            opinion=opinion,
            observations=observations,
            measured=measured,
            photos=photos,
            location=location,
        )

    def check_visit_to_report(self) -> None:
        self._check_open()
        if self.visit is None or "report" in self.visit:
            raise InvalidTransition(
                N_("Aucune visite sur place n'est à faire pour la demande {number}."),
                number=self.number,
            )

    def check_decidable(self) -> None:
        """A file is decided once, and not while held."""
        self._check_open()
        if self.holds:
            raise InvalidTransition(
                N_(
                    "La demande {number} est retenue : le titulaire doit d'abord régler ce qui "
                    "est dû (levez la retenue une fois réglé)."
                ),
                number=self.number,
            )

    def grant(
        self, actor_id: UUID, *, permit_number: str, fee: Decimal, payment_reference: str
    ) -> None:
        self.check_decidable()
        self._granted(
            actor_id=actor_id,
            permit_number=permit_number,
            fee=fee,
            payment_reference=payment_reference,
        )

    def refuse(self, actor_id: UUID, reasons: str) -> None:
        self._check_open()  # a held file may be refused: its holder need not settle first
        self._refused(actor_id=actor_id, reasons=reasons)

    def replace_tracking(self, actor_id: UUID, reason: str, token_digest: str | None) -> None:
        self._tracking_replaced(actor_id=actor_id, reason=reason, token_digest=token_digest)

    def remind_renewal(self, permit_number: str, valid_until: date, token_digest: str) -> None:
        if valid_until not in self.reminded:
            self._renewal_reminded(
                permit_number=permit_number, valid_until=valid_until, token_digest=token_digest
            )

    def _check_open(self) -> None:
        if self.decided:
            raise InvalidTransition(N_("La demande {number} est déjà décidée."), number=self.number)

    @event(Held)
    def _held(self, *, reasons: list[dict[str, Any]]) -> None:
        self.holds = list(reasons)

    @event(HoldLifted)
    def _hold_lifted(self, *, actor_id: UUID, reason: str) -> None:
        self.holds = []

    @event(DocumentsRequested)
    def _documents_requested(self, *, actor_id: UUID, missing: str) -> None:
        self.missing = missing

    @event(DocumentsAdded)
    def _documents_added(self, *, documents: list[dict[str, Any]], note: str) -> None:
        self.documents.extend(documents)
        self.missing = ""
        self.answered = True

    @event(SiteVisitRequested)
    def _site_visit_requested(self, *, actor_id: UUID, note: str) -> None:
        self.visit = {"note": note, "requested_by": actor_id}

    @event(SiteVisitReported)
    def _site_visit_reported(
        self,
        *,
        actor_id: UUID,
        opinion: str,
        observations: str,
        measured: dict[str, Any],
        photos: list[dict[str, Any]],
        location: dict[str, Any] | None,
    ) -> None:
        assert self.visit is not None
        self.visit["report"] = {
            "officer_id": actor_id,
            "opinion": opinion,
            "observations": observations,
            "measured": measured,
            "photos": photos,
            "location": location,
        }

    @event(Granted)
    def _granted(
        self, *, actor_id: UUID, permit_number: str, fee: Decimal, payment_reference: str
    ) -> None:
        self.permit_number = permit_number
        self.fee = fee
        self.payment_reference = payment_reference

    @event(Refused)
    def _refused(self, *, actor_id: UUID, reasons: str) -> None:
        self.refusal = reasons

    @event(TrackingReplaced)
    def _tracking_replaced(self, *, actor_id: UUID, reason: str, token_digest: str | None) -> None:
        self.token_digests = [token_digest] if token_digest else []

    @event(RenewalReminded)
    def _renewal_reminded(
        self, *, permit_number: str, valid_until: date, token_digest: str
    ) -> None:
        self.reminded.add(valid_until)
        self.token_digests.append(token_digest)
