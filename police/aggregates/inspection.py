"""The inspection (contrôle): one visit by one officer, with what was found and the photos.

Its id is the UUID the phone made for the form submission, so a replayed submission can never
record a second inspection: the second save collides with the first.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from police.aggregates.base import PoliceAggregate
from police.roles import Actor, Role


class Inspection(PoliceAggregate):
    # --- events: each fact it records, and what the fact carries ---

    class Event(PoliceAggregate.Event):
        pass

    class Created(Event, PoliceAggregate.Created):
        pass

    class Recorded(Created):
        submission_id: UUID
        submission_digest: str
        actor_id: UUID
        brigade: str
        observed_at: datetime
        clock_trusted: bool  # the phone's time fell within the offline window at its receipt
        catalogue_version: str
        location: dict[str, Any]
        subject_id: UUID
        subject: dict[str, Any]
        findings: list[dict[str, Any]]
        measurements: dict[str, Decimal]
        measures: list[dict[str, Any]]
        observations: str
        permit_check: dict[str, Any] | None
        compliant: bool
        case_id: UUID | None
        follow_up: bool
        late_reason: str = ""  # absent from the records made before late entries were asked why
        # Absent from the records made before they were kept: where the phone was when the form
        # opened ({lat, lon, accuracy_m}), and its clock when it sent the form.
        opened_location: dict[str, Any] | None = None
        sent_at: datetime | None = None

    class EvidenceAttached(Event):
        actor_id: UUID
        key: str
        sha256: str
        size: int
        content_type: str
        captured_at: datetime | None
        thumbnail_key: str | None
        latitude: float | None = None
        longitude: float | None = None

    # --- state and commands ---

    @staticmethod
    def create_id(submission_id: UUID) -> UUID:
        return submission_id

    @event(Recorded)
    def __init__(
        self,
        *,
        submission_id: UUID,
        submission_digest: str,
        actor_id: UUID,
        brigade: str,
        observed_at: datetime,
        clock_trusted: bool,
        catalogue_version: str,
        location: dict[str, Any],
        subject_id: UUID,
        subject: dict[str, Any],
        findings: list[dict[str, Any]],
        measurements: dict[str, Decimal],
        measures: list[dict[str, Any]],
        observations: str,
        permit_check: dict[str, Any] | None,
        compliant: bool,
        case_id: UUID | None,
        follow_up: bool,
        late_reason: str = "",
        opened_location: dict[str, Any] | None = None,
        sent_at: datetime | None = None,
    ) -> None:
        self.submission_digest = submission_digest
        self.officer_id = actor_id
        self.brigade = brigade
        self.observed_at = observed_at
        self.clock_trusted = clock_trusted
        self.late_reason = late_reason
        self.opened_location = opened_location
        self.sent_at = sent_at
        self.catalogue_version = catalogue_version
        self.location = location
        self.subject_id = subject_id
        self.subject = subject
        self.findings = findings
        self.measurements = measurements
        self.measures = measures
        self.observations = observations
        self.permit_check = permit_check
        self.compliant = compliant
        self.case_id = case_id
        self.follow_up = follow_up
        self.evidence: list[dict[str, Any]] = []

    def has_evidence(self, sha256: str) -> bool:
        return any(e["sha256"] == sha256 for e in self.evidence)

    def may_attach_evidence(self, actor: Actor) -> bool:
        """The officer who recorded it, or a supervisor of its brigade."""
        return actor.id == self.officer_id or (
            actor.has_role(Role.SUPERVISOR) and actor.in_scope(self.brigade)
        )

    def may_view(self, actor: Actor) -> bool:
        """Its officer, and the officers, supervisors and legal staff of its brigade."""
        roles = (Role.OFFICER, Role.SUPERVISOR, Role.LEGAL)
        return actor.id == self.officer_id or (
            any(actor.has_role(r) for r in roles) and actor.in_scope(self.brigade)
        )

    def evidence_by_hash(self, sha256: str) -> dict[str, Any] | None:
        return next((e for e in self.evidence if e["sha256"] == sha256), None)

    def attach_evidence(self, actor: Actor, evidence: dict[str, Any]) -> None:
        if not self.has_evidence(evidence["sha256"]):
            self._evidence_attached(actor_id=actor.id, **evidence)

    @event(EvidenceAttached)
    def _evidence_attached(
        self,
        *,
        actor_id: UUID,
        key: str,
        sha256: str,
        size: int,
        content_type: str,
        captured_at: datetime | None,
        thumbnail_key: str | None,
        latitude: float | None = None,
        longitude: float | None = None,
    ) -> None:
        self.evidence.append(
            {
                "key": key,
                "sha256": sha256,
                "size": size,
                "content_type": content_type,
                "captured_at": captured_at,
                "thumbnail_key": thumbnail_key,
                "latitude": latitude,
                "longitude": longitude,
            }
        )
