"""Recording inspections: the command an officer's phone sends, idempotent by submission id."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from police import clock
from police.aggregates.billboard import BillboardStructure
from police.aggregates.case import Case
from police.aggregates.inspection import Inspection
from police.aggregates.permit import Permit
from police.aggregates.report import Report
from police.aggregates.subject import Subject
from police.app.base import BaseApp
from police.app.receipts import InspectionReceipt, receipt_of
from police.catalogue import BrigadeRules, Workflow
from police.errors import N_, Conflict, DomainError, InvalidInput, NotAllowed
from police.evidence import Photo, check_evidence, store_photos
from police.identifiers import SubjectIdentity, identify, normalize_permit_number
from police.inspecting import InspectionDraft, assess, draft_inspection
from police.permit_terms import normalize_structure_id
from police.places import place_of, same_place
from police.roles import Actor, Brigade, Role, parse_brigade
from police.submission import Evidence, InspectionSubmission

REPEAT_WINDOW = timedelta(days=365)
_NO_REPORT = N_("Signalement introuvable pour cette brigade.")


class InspectionCommands(BaseApp):
    def record_inspection(
        self, submission: InspectionSubmission, actor_id: UUID, photos: Sequence[Photo] = ()
    ) -> InspectionReceipt:
        """Records an inspection; opens or feeds a case in the same atomic save.

        ``photos`` are stored first, once what was typed passed every check (a refused form
        leaves no object behind), and cited by the events. Sending the same submission again
        returns the first receipt and records nothing new (only photos the first attempt did
        not carry are attached).
        """
        if photos:
            try:
                self.check_inspection(submission, actor_id)
            except DomainError:
                # A phone replaying what was recorded before (its photos may not have made it)
                # is answered by the first record, even if the form would not pass today.
                if self._existing(submission.submission_id) is None:
                    raise
            stored = store_photos(self.photos, photos)
            submission = replace(submission, evidence=submission.evidence + stored)
        actor = self.actor(actor_id)
        brigade = parse_brigade(submission.brigade)
        actor.require([Role.OFFICER, Role.SUPERVISOR], brigade)
        identity = identify(submission.subject, brigade, submission.location.arrondissement)
        digest = submission.digest()
        attempts = 0

        def attempt() -> InspectionReceipt:
            # A replay is rare: look for the first recording only once the save collided or the
            # command was refused (a replay of a follow-up after the case closed must still
            # return the first receipt), not before every save.
            nonlocal attempts
            attempts += 1
            existing = self._existing(submission.submission_id) if attempts > 1 else None
            if existing is not None:
                return self._replayed(existing, submission, digest, actor)
            try:
                return self._record_once(submission, digest, actor, brigade, identity)
            except DomainError:
                existing = self._existing(submission.submission_id)
                if existing is None:
                    raise
                return self._replayed(existing, submission, digest, actor)

        with self._subject_locks.hold(identity.id):
            return self._retrying(attempt)

    def check_inspection(self, submission: InspectionSubmission, actor_id: UUID) -> None:
        """Every check on what was typed, recording nothing: run before photos are uploaded,
        so a refused form leaves no object behind."""
        actor = self.actor(actor_id)
        brigade = parse_brigade(submission.brigade)
        actor.require([Role.OFFICER, Role.SUPERVISOR], brigade)
        identify(submission.subject, brigade, submission.location.arrondissement)
        self._report_visited(submission)
        self._visits_made(submission, None, True)
        draft_inspection(
            submission,
            catalogue=self.catalogue,
            territory=self.territory,
            permit=self._permit_for(submission),
            received_at=clock.now(),
        )

    def inspection_receipt(self, inspection_id: UUID) -> InspectionReceipt:
        inspection = self.get_inspection(inspection_id)
        case = self._find(Case, inspection.case_id) if inspection.case_id else None
        subject = self._get(Subject, inspection.subject_id, N_("Mis en cause introuvable."))
        return self._receipt(inspection, case, subject, duplicate=False)

    def find_subject(self, key: str) -> Subject | None:
        return self._find(Subject, Subject.create_id(key))

    def attach_evidence(self, inspection_id: UUID, evidence: Evidence, actor_id: UUID) -> None:
        """Attaches a photo stored after the inspection was recorded (idempotent)."""
        recorded = check_evidence(evidence)

        def attempt() -> None:
            actor = self.actor(actor_id)
            inspection = self._get(Inspection, inspection_id, N_("Contrôle introuvable."))
            if not inspection.may_attach_evidence(actor):
                raise NotAllowed(
                    N_("Seul l'agent du contrôle ou son chef de brigade peut y joindre des photos.")
                )
            inspection.attach_evidence(actor, recorded)
            self.save(inspection)

        self._retrying(attempt)

    def find_inspection(self, inspection_id: UUID) -> Inspection | None:
        return self._find(Inspection, inspection_id)

    def get_inspection(self, inspection_id: UUID) -> Inspection:
        return self._get(Inspection, inspection_id, N_("Contrôle introuvable."))

    # --- the recording itself --------------------------------------------------------------

    def _record_once(
        self,
        submission: InspectionSubmission,
        digest: str,
        actor: Actor,
        brigade: Brigade,
        identity: SubjectIdentity,
    ) -> InspectionReceipt:
        draft = draft_inspection(
            submission,
            catalogue=self.catalogue,
            territory=self.territory,
            permit=self._permit_for(submission),
            received_at=clock.now(),
        )
        if draft.permit_check is not None and "permit_id" in draft.permit_check:
            holder = self._find(Permit, draft.permit_check["permit_id"])
            draft.permit_check["holder_matches"] = bool(
                holder and holder.holder_subject_id == identity.id
            )
        rules = draft.catalogue.rules(brigade)
        subject = self._subject(identity, actor.id)
        subject.note_details(
            actor_id=actor.id,
            label=identity.label,
            identifiers=identity.identifiers,
            details=identity.details,
        )
        case = self._case_to_feed(submission, draft, rules, subject, brigade)
        if case is not None:
            case.add_inspection(
                actor,
                inspection_id=submission.submission_id,
                compliant=draft.compliant,
                findings=draft.findings,
            )
        if case is not None or draft.compliant:
            inspection = self._inspection(submission, digest, draft, actor, identity, case)
            report = self._report_visited(submission, actor, draft.compliant, case)
            planned = self._visits_made(submission, actor, draft.compliant)
            self.save(inspection, subject, case, report, *planned)
            return self._receipt(inspection, case, subject, duplicate=False)
        return self._record_opening(submission, digest, draft, rules, actor, identity, subject)

    def _record_opening(
        self,
        submission: InspectionSubmission,
        digest: str,
        draft: InspectionDraft,
        rules: BrigadeRules,
        actor: Actor,
        identity: SubjectIdentity,
        subject: Subject,
    ) -> InspectionReceipt:
        """Opens a case: takes its reference (and ticket number) in the same save."""
        today = self.today()
        ticketing = rules.ticketing
        series = [rules.case_series, *([ticketing.series] if ticketing else [])]
        case_id = Case.create_id(submission.submission_id)
        prior = subject.cases_since(today - REPEAT_WINDOW)
        fines = assess(draft.findings, repeat_offence=bool(prior))
        with self.numbering.series(today.year, *series):
            counters = [self.numbering.counter(s, today.year) for s in series]
            reference = counters[0].take(case_id)
            ticket = None
            if ticketing:
                ticket = {
                    "number": counters[1].take(case_id),
                    "amount": fines,
                    "fees": draft.fees_total,
                    "payment_due": today + timedelta(days=ticketing.payment_days),
                }
            case = Case(
                opening_inspection_id=submission.submission_id,
                actor_id=actor.id,
                reference=reference,
                brigade=submission.brigade,
                workflow=rules.workflow,
                subject_id=subject.id,
                subject_label=identity.label,
                location=draft.location,
                findings=draft.findings,
                catalogue_version=draft.catalogue.version,
                fine_assessed=fines,
                amount_due=fines + draft.fees_total if ticket else Decimal("0"),
                compliance_due=None
                if ticket
                else today + timedelta(days=min(f["deadline_days"] for f in draft.findings)),
                ticket=ticket,
                measures=draft.measures,
                prior_case_ids=[c["case_id"] for c in prior],
            )
            subject.link_case(
                actor_id=actor.id,
                case_id=case.id,
                reference=reference,
                brigade=submission.brigade,
                place=place_of(draft.location),
                opened_on=today,
            )
            inspection = self._inspection(submission, digest, draft, actor, identity, case)
            report = self._report_visited(submission, actor, draft.compliant, case)
            planned = self._visits_made(submission, actor, draft.compliant)
            self.save(inspection, subject, case, report, *planned, *counters)
            self.numbering.saved(counters)
        return self._receipt(inspection, case, subject, duplicate=False)

    def _report_visited(
        self,
        submission: InspectionSubmission,
        actor: Actor | None = None,
        compliant: bool = True,
        case: Case | None = None,
    ) -> Report | None:
        """The resident's report this visit was made for, checked (planned, of this brigade)
        and, given the ``actor``, told the outcome, to save with the inspection."""
        if not submission.report_number.strip():
            return None
        report = self._get(
            Report, Report.create_id(submission.report_number.strip().upper()), _NO_REPORT
        )
        if report.brigade != submission.brigade:
            raise InvalidInput(_NO_REPORT, field="report_number")
        report.check_visit_to_make()
        if actor is not None:
            report.inspected(
                actor.id,
                inspection_id=submission.submission_id,
                infraction_found=not compliant,
                case_reference=case.reference if case and not compliant else None,
                on=self.today(),
            )
        return report

    def _case_to_feed(
        self,
        submission: InspectionSubmission,
        draft: InspectionDraft,
        rules: BrigadeRules,
        subject: Subject,
        brigade: Brigade,
    ) -> Case | None:
        """The open case this inspection follows up: the one named, or the one at that place."""
        if submission.follow_up_case_id is not None:
            case = self._get(
                Case, submission.follow_up_case_id, N_("Dossier de suivi introuvable.")
            )
            if case.subject_id != subject.id or case.brigade != brigade:
                raise InvalidInput(
                    N_("Ce contrôle ne concerne pas le mis en cause du dossier {reference}."),
                    field="subject",
                    reference=case.reference,
                )
            return case
        if rules.workflow is not Workflow.NOTICE:
            return None
        here = place_of(draft.location)
        for link in reversed(subject.cases):
            if link["brigade"] == brigade and same_place(
                link["place"], here, rules.same_place_radius_m
            ):
                linked = self._find(Case, link["case_id"])
                if linked is not None and linked.is_open:
                    return linked
        return None

    def _inspection(
        self,
        submission: InspectionSubmission,
        digest: str,
        draft: InspectionDraft,
        actor: Actor,
        identity: SubjectIdentity,
        case: Case | None,
    ) -> Inspection:
        inspection = Inspection(
            submission_id=submission.submission_id,
            submission_digest=digest,
            actor_id=actor.id,
            brigade=submission.brigade,
            observed_at=submission.observed_at,
            clock_trusted=draft.clock_trusted,
            catalogue_version=draft.catalogue.version,
            location=draft.location,
            subject_id=identity.id,
            subject=identity.as_recorded(),
            findings=draft.findings,
            measurements=draft.measurements,
            measures=draft.measures,
            observations=draft.observations,
            permit_check=draft.permit_check,
            compliant=draft.compliant,
            case_id=case.id if case else None,
            follow_up=submission.follow_up_case_id is not None,
            late_reason=draft.late_reason,
            opened_location=draft.opened_location,
            sent_at=draft.sent_at,
        )
        for evidence in draft.evidence:
            inspection.attach_evidence(actor, evidence)
        return inspection

    def _replayed(
        self, inspection: Inspection, submission: InspectionSubmission, digest: str, actor: Actor
    ) -> InspectionReceipt:
        if inspection.submission_digest != digest or inspection.officer_id != actor.id:
            raise Conflict(N_("Cet identifiant de soumission a déjà servi pour un autre constat."))
        for evidence in submission.evidence:
            inspection.attach_evidence(actor, check_evidence(evidence))
        if inspection.pending_events:
            self.save(inspection)
        case = self._find(Case, inspection.case_id) if inspection.case_id else None
        subject = self._get(Subject, inspection.subject_id, N_("Mis en cause introuvable."))
        return self._receipt(inspection, case, subject, duplicate=True)

    def _receipt(
        self, inspection: Inspection, case: Case | None, subject: Subject, *, duplicate: bool
    ) -> InspectionReceipt:
        since = self.today() - REPEAT_WINDOW
        return receipt_of(inspection, case, subject, duplicate=duplicate, since=since)

    def _existing(self, submission_id: UUID) -> Inspection | None:
        try:
            found: object = self.repository.get(submission_id)
        except AggregateNotFoundError:
            return None
        if not isinstance(found, Inspection):
            raise InvalidInput(N_("Identifiant de soumission invalide."), field="submission_id")
        return found

    def _permit_for(self, submission: InspectionSubmission) -> Permit | None:
        """The permit the officer picked or typed, or the one the billboard stands under."""
        if submission.structure_id.strip():
            structure_id = normalize_structure_id(submission.structure_id)
            structure = self._find(BillboardStructure, BillboardStructure.create_id(structure_id))
            return self._find(Permit, structure.permit_id) if structure else None
        if not submission.permit_number.strip():
            return None
        number = normalize_permit_number(submission.permit_number)
        return self._find(Permit, Permit.create_id(number))
