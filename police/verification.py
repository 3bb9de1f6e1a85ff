"""The proof that stored evidence and notices never changed: every object an event points at is
re-read and re-hashed, and compared with the SHA-256 the event recorded.

It reads the application's event log (``EvidenceAttached``, ``NoticeIssued``) and an
``ObjectReader`` it is handed; it never repairs anything, it reports.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.utils import get_topic

from police.aggregates.case import Case
from police.aggregates.inspection import Inspection
from police.log import notifications
from police.objects import ObjectReader

_KINDS = {
    get_topic(Inspection.EvidenceAttached): "evidence",
    get_topic(Case.NoticeIssued): "notice",
}


@dataclass(frozen=True)
class RecordedObject:
    kind: str  # "evidence" | "notice"
    aggregate_id: UUID
    position: int  # in the application's event log
    key: str
    sha256: str


@dataclass
class VerificationReport:
    checked: int = 0
    missing: list[RecordedObject] = field(default_factory=list)
    altered: list[tuple[RecordedObject, str]] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.missing and not self.altered


def recorded_objects(app: Application[UUID]) -> Iterator[RecordedObject]:
    """Every object key recorded in the log, in log order."""
    for notification in notifications(app, topics=tuple(_KINDS)):
        recorded = app.mapper.to_domain_event(notification)
        assert isinstance(recorded, Inspection.EvidenceAttached | Case.NoticeIssued)
        yield RecordedObject(
            kind=_KINDS[notification.topic],
            aggregate_id=UUID(str(notification.originator_id)),
            position=notification.id,
            key=recorded.key,
            sha256=recorded.sha256,
        )


def verify_objects(app: Application[UUID], reader: ObjectReader) -> VerificationReport:
    report = VerificationReport()
    hashes: dict[str, str | None] = {}  # a photo attached twice is read once
    for recorded in recorded_objects(app):
        report.checked += 1
        if recorded.key not in hashes:
            hashes[recorded.key] = reader.sha256_of(recorded.key)
        actual = hashes[recorded.key]
        if actual is None:
            report.missing.append(recorded)
        elif actual != recorded.sha256:
            report.altered.append((recorded, actual))
    return report
