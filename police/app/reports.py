"""Residents' reports (signalements): sent without an account (or by an app through Open311),
followed by private links, triaged by the brigade's supervisors (dispatched to an officer as a
visit, merged into the report they repeat, refused as not this service's). The inspection made
from a visit is linked to its report in the inspection's own save
(``police.app.inspections``), so the report follows its outcome by itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any
from uuid import UUID

from police.aggregates.report import Report
from police.aggregates.user import User
from police.app.base import BaseApp
from police.errors import N_, Conflict, InvalidInput
from police.evidence import Photo, check_evidence, store_photos
from police.identifiers import clean_text
from police.planning import VisitKind
from police.private_links import digest_of, new_secret
from police.report_categories import ReportCategories
from police.report_terms import ReportInput, check_report, check_reporter_contact
from police.roles import Role

SERIES = "SIG"
MAX_PHOTOS = 4
SOURCES = ("web", "open311")
_TRIAGE = (Role.SUPERVISOR,)
_UNKNOWN = N_("Signalement introuvable.")
_NO_OFFICER = N_("Choisissez un agent actif de la brigade.")
_STALE = N_(
    "Le signalement {number} a changé entre-temps : rechargez la page pour voir ce qui est "
    "nouveau, puis recommencez."
)


@dataclass(frozen=True)
class Followed:
    """What a reporter (or follower) is given once: the report's number and their secret."""

    number: str
    secret: str


class ReportCommands(BaseApp):
    @cached_property
    def report_categories(self) -> ReportCategories:
        return ReportCategories.load()

    def submit_report(
        self,
        form: ReportInput,
        photos: Sequence[Photo] = (),
        *,
        source: str = "web",
        actor_id: UUID | None = None,
    ) -> Followed:
        """Checks the form, stores its photos (object first, event second) and numbers the
        report (SIG-2026-000042), due for triage within the configured working days."""
        assert source in SOURCES
        if actor_id is not None:
            self.actor(actor_id)  # an app's key whose account was disabled posts nothing
        checked = check_report(form, self.report_categories, self.territory)
        if len(photos) > MAX_PHOTOS:
            raise InvalidInput(
                N_("Pas plus de {count} photos par signalement."), field="photos", count=MAX_PHOTOS
            )
        stored = [check_evidence(e) for e in store_photos(self.photos, photos)]
        secret = new_secret()
        today = self.today()

        def attempt() -> str:
            counter = self.numbering.counter(SERIES, today.year)
            number = counter.format(counter.last + 1)
            report = Report(
                number=number,
                brigade=checked.category.brigade.value,
                category=checked.category.code,
                location=checked.location,
                description=checked.description,
                photos=stored,
                contact=checked.contact,
                language=checked.language,
                token_digest=digest_of(secret),
                triage_due=self.report_categories.triage_due(today),
                source=source,
                actor_id=actor_id,
            )
            counter.take(report.id)
            self.save(report, counter)
            self.numbering.saved([counter])
            return number

        with self.numbering.series(today.year, SERIES):
            number = self._retrying(attempt)
        return Followed(number=number, secret=secret)

    def find_report(self, number: str) -> Report | None:
        key = number.strip().upper()
        if not key or len(key) > 40:
            return None
        return self._find(Report, Report.create_id(key))

    def tracked_report(self, number: str, secret: str) -> Report | None:
        """The report the private link opens, or None: the same answer for an unknown number
        and a wrong secret, the secret compared in constant time."""
        report = self.find_report(number)
        if report is None:
            digest_of(secret)  # as long as a comparison, so timing tells nothing either
            return None
        return report if report.opens_with(secret) else None

    def follow_report(
        self, number: str, *, email: str = "", phone: str = "", language: str = "fr"
    ) -> Followed:
        """Someone about to send the same report follows this one instead: a link of their own
        (and the updates, if they leave a contact)."""
        contact = check_reporter_contact(email, phone)
        secret = new_secret()

        def attempt() -> None:
            report = self._get(Report, self._report_id(number), _UNKNOWN)
            report.follow(
                contact, language if language in ("fr", "ar") else "fr", digest_of(secret)
            )
            self.save(report)

        self._retrying(attempt)
        return Followed(number=number.strip().upper(), secret=secret)

    def dispatch_report(
        self,
        actor_id: UUID,
        number: str,
        *,
        officer_id: UUID | None = None,
        note: str = "",
        expected_version: int | None = None,
    ) -> None:
        """Accepts the report and makes it a visit in that officer's day (none named: the
        brigade's rule gives it to an officer covering its arrondissement)."""
        text = clean_text(note, field="note", label=N_("Consignes"), max_length=1000)

        def change(report: Report, actor_id: UUID) -> list[Any]:
            if officer_id is not None:
                officer = self._find(User, officer_id)
                if (
                    officer is None
                    or not officer.active
                    or not officer.as_actor().has_role(Role.OFFICER)
                    or not officer.as_actor().in_scope(report.brigade)
                ):
                    raise InvalidInput(_NO_OFFICER, field="officer_id")
            roster, chosen = self._plan_visit(
                actor_id,
                report.brigade,
                visit=f"{VisitKind.REPORT}:{report.number}",
                kind=VisitKind.REPORT,
                label=f"{report.number} · {report.description[:80]}",
                place=report.location,
                note=text,
                officer_id=officer_id,
            )
            if chosen is None:
                raise InvalidInput(
                    N_("Aucun agent n'est au tableau de service de la brigade : choisissez-en un."),
                    field="officer_id",
                )
            report.dispatch_to(actor_id, chosen, text)
            return [report, roster]

        self._triage(actor_id, number, expected_version, change)

    def merge_report(
        self,
        actor_id: UUID,
        number: str,
        *,
        original: str,
        expected_version: int | None = None,
    ) -> None:
        """Closes the report as a duplicate of ``original``, whose followers it now joins."""

        def change(report: Report, actor_id: UUID) -> list[Report]:
            found = self.find_report(original)
            if found is None:
                raise InvalidInput(
                    N_("Signalement original « {number} » introuvable."),
                    field="original",
                    number=original[:40],
                )
            report.merge_into(actor_id, found)
            return [report, found]

        self._triage(actor_id, number, expected_version, change)

    def refuse_report(
        self, actor_id: UUID, number: str, *, reason: str, expected_version: int | None = None
    ) -> None:
        """Not for this service: the reporter is told why (and where to turn, if the reason
        says so)."""
        why = clean_text(reason, field="reason", label=N_("Motif"), required=True, max_length=1000)

        def change(report: Report, actor_id: UUID) -> list[Report]:
            report.refuse(actor_id, why)
            return [report]

        self._triage(actor_id, number, expected_version, change)

    def report_for_visit(self, actor_id: UUID, number: str) -> Report:
        """The report an officer's visit was made for: planned, of a brigade of theirs."""
        actor = self.actor(actor_id)
        report = self._get(Report, self._report_id(number), _UNKNOWN)
        actor.require((Role.OFFICER, Role.SUPERVISOR), report.brigade)
        report.check_visit_to_make()
        return report

    # --- helpers ---------------------------------------------------------------------------

    def _triage(
        self,
        actor_id: UUID,
        number: str,
        expected_version: int | None,
        change: Callable[[Report, UUID], list[Any]],
    ) -> None:
        report_id = self._report_id(number)

        def attempt() -> None:
            actor = self.actor(actor_id)
            report = self._get(Report, report_id, _UNKNOWN)
            actor.require(_TRIAGE, report.brigade)
            if expected_version is not None and report.version != expected_version:
                raise Conflict(_STALE, number=report.number)
            self.save(*change(report, actor.id))

        self._retrying(attempt)

    def _report_id(self, number: str) -> UUID:
        key = number.strip().upper()
        if not key or len(key) > 40:
            raise InvalidInput(_UNKNOWN, field="number")
        return Report.create_id(key)
