"""The report (signalement): what a resident saw in the street, sent without an account from
``/signaler`` or by another app through Open311, triaged by the brigade's supervisor (dispatched
to an officer as a visit, merged into the report it repeats, or refused as not this service's),
and then following the inspection made from it. Whoever follows it (the reporter, a neighbour
who found it before sending the same) holds a private link whose digest only is kept here.

Its status always says what happened: there is no bare "closed".
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from police.aggregates.base import PoliceAggregate
from police.errors import N_, InvalidTransition
from police.identifiers import natural_id
from police.private_links import opens


class ReportStatus(StrEnum):
    RECEIVED = "received"
    PLANNED = "planned"  # accepted, an officer is to visit
    INFRACTION_FOUND = "infraction_found"  # inspected: a case is open
    NO_INFRACTION = "no_infraction"  # inspected: nothing against the rules was found
    DUPLICATE = "duplicate"  # the same as another report, which its followers now follow
    NOT_FOR_SERVICE = "not_for_service"  # refused, with the reason


OPEN = frozenset({ReportStatus.RECEIVED, ReportStatus.PLANNED})


class Report(PoliceAggregate):
    class Event(PoliceAggregate.Event):
        pass

    class Created(Event, PoliceAggregate.Created):
        pass

    class Received(Created):
        """Sent from the public page (``actor_id`` None) or by an app through Open311 (the
        user its API key belongs to)."""

        number: str
        brigade: str
        category: str
        location: dict[str, Any]  # as ``police.inspecting.check_location`` records it
        description: str
        photos: list[dict[str, Any]]  # evidence records; seen by staff only
        contact: dict[str, str]  # email, phone: for the updates, never shown to anyone else
        language: str
        token_digest: str
        triage_due: date
        source: str  # web | open311
        actor_id: UUID | None

    class Followed(Event):
        """Someone about to report the same thing follows this one instead."""

        contact: dict[str, str]
        language: str
        token_digest: str

    class Dispatched(Event):
        actor_id: UUID  # the supervisor
        officer_id: UUID
        note: str

    class MergedInto(Event):
        """Closed as a duplicate: its followers follow ``original`` from now on."""

        actor_id: UUID
        original: str  # the original's number

    class DuplicateMerged(Event):
        """Recorded on the original: a report merged into it, whose followers it now answers."""

        actor_id: UUID
        duplicate: str

    class Refused(Event):
        actor_id: UUID
        reason: str

    class Inspected(Event):
        """The inspection made from the visit, saved with it: the report follows its outcome."""

        actor_id: UUID  # the officer
        inspection_id: UUID
        infraction_found: bool
        case_reference: str | None
        on: date  # the day of the visit, in the territory's time

    @staticmethod
    def create_id(number: str) -> UUID:
        return natural_id("report", number)

    @event(Received)
    def __init__(
        self,
        *,
        number: str,
        brigade: str,
        category: str,
        location: dict[str, Any],
        description: str,
        photos: list[dict[str, Any]],
        contact: dict[str, str],
        language: str,
        token_digest: str,
        triage_due: date,
        source: str,
        actor_id: UUID | None,
    ) -> None:
        self.number = number
        self.brigade = brigade
        self.category = category
        self.location = location
        self.description = description
        self.photos = list(photos)
        self.contacts = [dict(contact, language=language)] if any(contact.values()) else []
        self.language = language
        self.token_digests = [token_digest]
        self.triage_due = triage_due
        self.source = source
        self.dispatch: dict[str, Any] | None = None
        self.original: str | None = None
        self.duplicates: list[str] = []
        self.refusal = ""
        self.inspection: dict[str, Any] | None = None

    @property
    def status(self) -> ReportStatus:
        if self.inspection is not None:
            if self.inspection["infraction_found"]:
                return ReportStatus.INFRACTION_FOUND
            return ReportStatus.NO_INFRACTION
        if self.original is not None:
            return ReportStatus.DUPLICATE
        if self.refusal:
            return ReportStatus.NOT_FOR_SERVICE
        if self.dispatch is not None:
            return ReportStatus.PLANNED
        return ReportStatus.RECEIVED

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    def opens_with(self, secret: str) -> bool:
        return opens(secret, self.token_digests)

    def follow(self, contact: dict[str, str], language: str, token_digest: str) -> None:
        self._check_open(N_("Le signalement {number} est clos : il ne se suit plus."))
        self._followed(contact=contact, language=language, token_digest=token_digest)

    def dispatch_to(self, actor_id: UUID, officer_id: UUID, note: str) -> None:
        self._check_untriaged()
        self._dispatched(actor_id=actor_id, officer_id=officer_id, note=note)

    def merge_into(self, actor_id: UUID, original: Report) -> None:
        self._check_untriaged()
        if original.id == self.id:
            raise InvalidTransition(N_("Un signalement ne peut être le doublon de lui-même."))
        if original.original is not None:
            raise InvalidTransition(
                N_("Le signalement {number} est lui-même un doublon : choisissez l'original."),
                number=original.number,
            )
        if original.brigade != self.brigade:
            raise InvalidTransition(
                N_("Le signalement {number} relève d'une autre brigade."), number=original.number
            )
        self._merged_into(actor_id=actor_id, original=original.number)
        original._duplicate_merged(actor_id=actor_id, duplicate=self.number)

    def refuse(self, actor_id: UUID, reason: str) -> None:
        self._check_untriaged()
        self._refused(actor_id=actor_id, reason=reason)

    def check_visit_to_make(self) -> None:
        if self.status is not ReportStatus.PLANNED:
            raise InvalidTransition(
                N_("Le signalement {number} n'est pas une visite à faire."), number=self.number
            )

    def inspected(
        self,
        actor_id: UUID,
        *,
        inspection_id: UUID,
        infraction_found: bool,
        case_reference: str | None,
        on: date,
    ) -> None:
        self.check_visit_to_make()
        self._inspected(
            actor_id=actor_id,
            inspection_id=inspection_id,
            infraction_found=infraction_found,
            case_reference=case_reference,
            on=on,
        )

    def _check_untriaged(self) -> None:
        if self.status is not ReportStatus.RECEIVED:
            raise InvalidTransition(
                N_("Le signalement {number} est déjà trié."), number=self.number
            )

    def _check_open(self, message: str) -> None:
        if not self.is_open:
            raise InvalidTransition(message, number=self.number)

    @event(Followed)
    def _followed(self, *, contact: dict[str, str], language: str, token_digest: str) -> None:
        if any(contact.values()):
            self.contacts.append(dict(contact, language=language))
        self.token_digests.append(token_digest)

    @event(Dispatched)
    def _dispatched(self, *, actor_id: UUID, officer_id: UUID, note: str) -> None:
        self.dispatch = {"by": actor_id, "officer_id": officer_id, "note": note}

    @event(MergedInto)
    def _merged_into(self, *, actor_id: UUID, original: str) -> None:
        self.original = original

    @event(DuplicateMerged)
    def _duplicate_merged(self, *, actor_id: UUID, duplicate: str) -> None:
        self.duplicates.append(duplicate)

    @event(Refused)
    def _refused(self, *, actor_id: UUID, reason: str) -> None:
        self.refusal = reason

    @event(Inspected)
    def _inspected(
        self,
        *,
        actor_id: UUID,
        inspection_id: UUID,
        infraction_found: bool,
        case_reference: str | None,
        on: date,
    ) -> None:
        self.inspection = {
            "id": inspection_id,
            "officer_id": actor_id,
            "infraction_found": infraction_found,
            "case_reference": case_reference,
            "on": on,
        }
