"""The ``inspections`` read model: every inspection recorded (an officer's day, a case's
inspections, an officer's track in time) and the photos attached to each, in the order attached,
with what a court could doubt in each (``flags``: the doubts' names, comma-separated), judged by
``police.plausibility`` from the facts kept here, for the list of flagged cases.

An inspection is judged again when a photo is attached to it, and when an inspection of the same
officer lands just before or after it (the speed between the two).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from police.aggregates.inspection import Inspection
from police.plausibility import Fix, flags_of
from projections.models import Applied, ReadModel, iso

if TYPE_CHECKING:
    from projections.store import Row, Writer

Query = Callable[[str, dict[str, Any]], list["Row"]]
_TRACK = (
    "SELECT inspection_id, observed_at, lat, lon, accuracy_m FROM rm_inspections "
    "WHERE officer_id = :officer AND lat IS NOT NULL AND inspection_id <> :id AND "
)


def neighbours(
    query: Query, officer_id: str, inspection_id: str, observed_at: str | None = None
) -> list[Fix]:
    """The fixes of the officer's inspections just before and just after this one, in
    observation time (ties broken by id); none when this one is not projected yet.
    ``observed_at``: its row's, when the caller has read it already."""
    if observed_at is None:
        found = query(
            "SELECT observed_at FROM rm_inspections WHERE inspection_id = :id",
            {"id": inspection_id},
        )
        if not found:
            return []
        observed_at = found[0]["observed_at"]
    params = {"officer": officer_id, "id": inspection_id, "at": observed_at}
    before = query(
        _TRACK + "(observed_at < :at OR (observed_at = :at AND inspection_id < :id)) "
        "ORDER BY observed_at DESC, inspection_id DESC LIMIT 1",
        params,
    )
    after = query(
        _TRACK + "(observed_at > :at OR (observed_at = :at AND inspection_id > :id)) "
        "ORDER BY observed_at, inspection_id LIMIT 1",
        params,
    )
    return [
        Fix(
            UUID(r["inspection_id"]),
            datetime.fromisoformat(r["observed_at"]),
            r["lat"],
            r["lon"],
            r["accuracy_m"],
        )
        for r in before + after
    ]


@dataclass(frozen=True)
class _Facts:
    """An inspection as its rows keep it: what ``flags_of`` judges (a ``FieldRecord``)."""

    id: UUID
    observed_at: datetime
    created_on: datetime
    sent_at: datetime | None
    clock_trusted: bool
    late_reason: str
    location: dict[str, Any]
    evidence: list[dict[str, Any]]


class Inspections(ReadModel):
    name = "inspections"
    version = 3  # 2: the facts judged, the flags, observation times in UTC; 3: codes, map index
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
                photos INTEGER NOT NULL,
                lat DOUBLE PRECISION,
                lon DOUBLE PRECISION,
                accuracy_m DOUBLE PRECISION,
                sent_at TEXT,
                clock_trusted INTEGER NOT NULL,
                late_reason TEXT NOT NULL,
                flags TEXT NOT NULL,
                codes TEXT NOT NULL
            )""",
        "rm_evidence": """
            CREATE TABLE IF NOT EXISTS rm_evidence (
                inspection_id TEXT NOT NULL,
                sha256 TEXT NOT NULL,
                content_type TEXT NOT NULL,
                captured_at TEXT,
                latitude DOUBLE PRECISION,
                longitude DOUBLE PRECISION,
                position BIGINT NOT NULL,
                PRIMARY KEY (inspection_id, sha256)
            )""",
        "rm_inspections_officer": "CREATE INDEX IF NOT EXISTS rm_inspections_officer "
        "ON rm_inspections (officer_id, recorded_on)",
        "rm_inspections_case": "CREATE INDEX IF NOT EXISTS rm_inspections_case "
        "ON rm_inspections (case_id, flags)",
        "rm_inspections_track": "CREATE INDEX IF NOT EXISTS rm_inspections_track "
        "ON rm_inspections (officer_id, observed_at, inspection_id)",
        "rm_inspections_map": "CREATE INDEX IF NOT EXISTS rm_inspections_map "
        "ON rm_inspections (brigade, observed_at)",
    }

    def recorded(self, w: Writer, event: Any, at: Applied) -> None:
        location = event.location
        w.execute(
            "INSERT INTO rm_inspections (inspection_id, officer_id, brigade, recorded_at, "
            "recorded_on, observed_at, case_id, subject_label, arrondissement, address, "
            "compliant, follow_up, photos, lat, lon, accuracy_m, sent_at, clock_trusted, "
            "late_reason, flags, codes) VALUES (:id, :officer, :brigade, :at, :on, :observed, "
            ":case_id, :label, :arrondissement, :address, :compliant, :follow_up, 0, :lat, "
            ":lon, :accuracy_m, :sent_at, :clock_trusted, :late_reason, '', :codes) "
            "ON CONFLICT (inspection_id) DO NOTHING",
            {
                "id": str(event.originator_id),
                "officer": str(event.actor_id),
                "brigade": event.brigade,
                "at": iso(event.timestamp),
                "on": self.territory.local_date(event.timestamp).isoformat(),
                # In UTC: the track is ordered by this text, whatever offset the phone used.
                "observed": iso(event.observed_at.astimezone(UTC)),
                "case_id": str(event.case_id) if event.case_id else None,
                "label": event.subject.get("label", ""),
                "arrondissement": location.get("arrondissement", ""),
                "address": location.get("address", "") or "",
                "compliant": int(event.compliant),
                "follow_up": int(event.follow_up),
                "lat": location.get("lat"),
                "lon": location.get("lon"),
                "accuracy_m": location.get("accuracy_m"),
                # Both default on the event class, for records made before they were kept.
                "sent_at": iso(event.sent_at) if event.sent_at else None,
                "clock_trusted": int(event.clock_trusted),
                "late_reason": event.late_reason,
                # The infractions found, in the order cited: for the map, without personal data.
                "codes": ",".join(f["code"] for f in event.findings),
            },
        )
        track = self._judge(w, str(event.originator_id))
        if location.get("lat") is not None:  # its neighbours' speed is judged against it now
            for fix in track:
                self._judge(w, str(fix.inspection_id))

    def evidence_attached(self, w: Writer, event: Any, at: Applied) -> None:
        params = {"id": str(event.originator_id)}
        w.execute("UPDATE rm_inspections SET photos = photos + 1 WHERE inspection_id = :id", params)
        w.execute(
            "INSERT INTO rm_evidence (inspection_id, sha256, content_type, captured_at, "
            "latitude, longitude, position) VALUES (:id, :sha256, :content_type, "
            ":captured_at, :latitude, :longitude, :position) "
            "ON CONFLICT (inspection_id, sha256) DO NOTHING",
            params
            | {
                "sha256": event.sha256,
                "content_type": event.content_type,
                "captured_at": iso(event.captured_at) if event.captured_at else None,
                "latitude": event.latitude,
                "longitude": event.longitude,
                "position": at.position,
            },
        )
        self._judge(w, params["id"])

    def _judge(self, w: Writer, inspection_id: str) -> list[Fix]:
        """Writes the inspection's flags; returns the neighbours its speed was judged against."""
        rows = w.query(
            "SELECT officer_id, brigade, recorded_at, observed_at, lat, lon, accuracy_m, "
            "sent_at, clock_trusted, late_reason FROM rm_inspections WHERE inspection_id = :id",
            {"id": inspection_id},
        )
        if not rows:
            return []
        row = rows[0]
        photos = w.query(
            "SELECT latitude, longitude, captured_at FROM rm_evidence WHERE inspection_id = :id "
            "ORDER BY position",
            {"id": inspection_id},
        )
        facts = _Facts(
            id=UUID(inspection_id),
            observed_at=datetime.fromisoformat(row["observed_at"]),
            created_on=datetime.fromisoformat(row["recorded_at"]),
            sent_at=datetime.fromisoformat(row["sent_at"]) if row["sent_at"] else None,
            clock_trusted=bool(row["clock_trusted"]),
            late_reason=row["late_reason"],
            location={"lat": row["lat"], "lon": row["lon"], "accuracy_m": row["accuracy_m"]},
            evidence=[p | {"captured_at": _moment(p["captured_at"])} for p in photos],
        )
        day = self.territory.local_date(facts.observed_at)
        rules = self.catalogue.in_force_on(day).rules(row["brigade"])
        track = neighbours(w.query, row["officer_id"], inspection_id, row["observed_at"])
        flags = flags_of(facts, rules, self.territory, track)
        w.execute(
            "UPDATE rm_inspections SET flags = :flags WHERE inspection_id = :id",
            {"id": inspection_id, "flags": ",".join(dict.fromkeys(f.doubt for f in flags))},
        )
        return track

    handlers = {  # noqa: RUF012
        Inspection.Recorded: recorded,
        Inspection.EvidenceAttached: evidence_attached,
    }


def _moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None
