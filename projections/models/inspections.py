"""The ``inspections`` read model: every inspection recorded (an officer's day, a case's
inspections) and the photos attached to each, in the order attached."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from police.aggregates.inspection import Inspection
from projections.models import Applied, ReadModel, iso

if TYPE_CHECKING:
    from projections.store import Writer


class Inspections(ReadModel):
    name = "inspections"
    version = 1
    tables = {  # noqa: RUF012
        "rm_inspections": """
            CREATE TABLE IF NOT EXISTS rm_inspections (
                inspection_id TEXT PRIMARY KEY,
                officer_id TEXT NOT NULL,
                brigade TEXT NOT NULL,
                recorded_at TEXT NOT NULL,
                recorded_on TEXT NOT NULL,
                observed_at TEXT NOT NULL,
                case_id TEXT,
                subject_label TEXT NOT NULL,
                arrondissement TEXT NOT NULL,
                address TEXT NOT NULL,
                compliant INTEGER NOT NULL,
                follow_up INTEGER NOT NULL,
                photos INTEGER NOT NULL
            )""",
        "rm_evidence": """
            CREATE TABLE IF NOT EXISTS rm_evidence (
                inspection_id TEXT NOT NULL,
                sha256 TEXT NOT NULL,
                content_type TEXT NOT NULL,
                captured_at TEXT,
                position BIGINT NOT NULL,
                PRIMARY KEY (inspection_id, sha256)
            )""",
        "rm_inspections_officer": "CREATE INDEX IF NOT EXISTS rm_inspections_officer "
        "ON rm_inspections (officer_id, recorded_on)",
        "rm_inspections_case": "CREATE INDEX IF NOT EXISTS rm_inspections_case "
        "ON rm_inspections (case_id)",
    }

    def recorded(self, w: Writer, event: Any, at: Applied) -> None:
        location = event.location
        w.execute(
            "INSERT INTO rm_inspections (inspection_id, officer_id, brigade, recorded_at, "
            "recorded_on, observed_at, case_id, subject_label, arrondissement, address, "
            "compliant, follow_up, photos) VALUES (:id, :officer, :brigade, :at, :on, "
            ":observed, :case_id, :label, :arrondissement, :address, :compliant, :follow_up, "
            "0) ON CONFLICT (inspection_id) DO NOTHING",
            {
                "id": str(event.originator_id),
                "officer": str(event.actor_id),
                "brigade": event.brigade,
                "at": iso(event.timestamp),
                "on": self.territory.local_date(event.timestamp).isoformat(),
                "observed": iso(event.observed_at),
                "case_id": str(event.case_id) if event.case_id else None,
                "label": event.subject.get("label", ""),
                "arrondissement": location.get("arrondissement", ""),
                "address": location.get("address", "") or "",
                "compliant": int(event.compliant),
                "follow_up": int(event.follow_up),
            },
        )

    def evidence_attached(self, w: Writer, event: Any, at: Applied) -> None:
        params = {"id": str(event.originator_id)}
        w.execute("UPDATE rm_inspections SET photos = photos + 1 WHERE inspection_id = :id", params)
        w.execute(
            "INSERT INTO rm_evidence (inspection_id, sha256, content_type, captured_at, "
            "position) VALUES (:id, :sha256, :content_type, :captured_at, :position) "
            "ON CONFLICT (inspection_id, sha256) DO NOTHING",
            params
            | {
                "sha256": event.sha256,
                "content_type": event.content_type,
                "captured_at": iso(event.captured_at) if event.captured_at else None,
                "position": at.position,
            },
        )

    handlers = {  # noqa: RUF012
        Inspection.Recorded: recorded,
        Inspection.EvidenceAttached: evidence_attached,
    }
