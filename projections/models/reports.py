"""The ``reports`` read model: residents' reports as the supervisors' triage queue, the
duplicate prompt of the public form, the officers' visits and the overview's figures read them,
one row per report. No contact of a reporter is kept here: it stays on the report's events.

The status column is the one ``Report.status`` derives (tested to agree); ``open`` is 1 while
it is received or planned, for the duplicate prompt's index.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from police.aggregates.report import Report as R
from police.aggregates.report import ReportStatus
from projections.models import Applied, ReadModel, iso, update_row

if TYPE_CHECKING:
    from projections.store import Writer


class Reports(ReadModel):
    name = "reports"
    version = 1
    tables = {  # noqa: RUF012
        "rm_reports": """
            CREATE TABLE IF NOT EXISTS rm_reports (
                report_id TEXT PRIMARY KEY,
                number TEXT NOT NULL UNIQUE,
                brigade TEXT NOT NULL,
                category TEXT NOT NULL,
                status TEXT NOT NULL,
                open INTEGER NOT NULL,
                arrondissement TEXT NOT NULL,
                address TEXT NOT NULL,
                lat REAL NOT NULL,
                lon REAL NOT NULL,
                description TEXT NOT NULL,
                photos TEXT NOT NULL,
                source TEXT NOT NULL,
                received_at TEXT NOT NULL,
                triage_due TEXT NOT NULL,
                triaged_at TEXT,
                officer_id TEXT,
                dispatch_note TEXT NOT NULL,
                original_number TEXT,
                refusal TEXT NOT NULL,
                inspected_at TEXT,
                inspection_id TEXT,
                case_reference TEXT,
                followers INTEGER NOT NULL,
                updated_at TEXT NOT NULL,
                version INTEGER NOT NULL
            )""",
        # The duplicate prompt: open reports of a category inside a square around a point.
        "rm_reports_near": "CREATE INDEX IF NOT EXISTS rm_reports_near "
        "ON rm_reports (category, open, lat, lon)",
        "rm_reports_queue": "CREATE INDEX IF NOT EXISTS rm_reports_queue "
        "ON rm_reports (brigade, status, received_at)",
        "rm_reports_officer": "CREATE INDEX IF NOT EXISTS rm_reports_officer "
        "ON rm_reports (officer_id, status)",
    }

    def received(self, w: Writer, event: Any, at: Applied) -> None:
        place = event.location
        row = {
            "report_id": str(event.originator_id),
            "number": event.number,
            "brigade": event.brigade,
            "category": event.category,
            "status": ReportStatus.RECEIVED.value,
            "open": 1,
            "arrondissement": place["arrondissement"],
            "address": place.get("address") or "",
            "lat": place["lat"],
            "lon": place["lon"],
            "description": event.description,
            # The keys of the photos, for the staff's pages (served through their own route).
            "photos": " ".join(p["key"] for p in event.photos),
            "source": event.source,
            "received_at": iso(event.timestamp),
            "triage_due": event.triage_due.isoformat(),
            "dispatch_note": "",
            "refusal": "",
            "followers": 1,
            "updated_at": iso(event.timestamp),
            "version": event.originator_version,
        }
        columns = ", ".join(row)
        values = ", ".join(f":{c}" for c in row)
        w.execute(
            f"INSERT INTO rm_reports ({columns}) VALUES ({values}) "  # names are ours
            "ON CONFLICT (report_id) DO NOTHING",
            row,
        )

    def followed(self, w: Writer, event: Any, at: Applied) -> None:
        w.execute(
            "UPDATE rm_reports SET followers = followers + 1, updated_at = :at, "
            "version = :version WHERE report_id = :id",
            {
                "at": iso(event.timestamp),
                "version": event.originator_version,
                "id": str(event.originator_id),
            },
        )

    def dispatched(self, w: Writer, event: Any, at: Applied) -> None:
        self._update(
            w,
            event,
            ReportStatus.PLANNED,
            {
                "triaged_at": iso(event.timestamp),
                "officer_id": str(event.officer_id),
                "dispatch_note": event.note,
            },
        )

    def merged_into(self, w: Writer, event: Any, at: Applied) -> None:
        self._update(
            w,
            event,
            ReportStatus.DUPLICATE,
            {"triaged_at": iso(event.timestamp), "original_number": event.original},
        )

    def duplicate_merged(self, w: Writer, event: Any, at: Applied) -> None:
        update_row(w, "rm_reports", "report_id", event, {})

    def refused(self, w: Writer, event: Any, at: Applied) -> None:
        self._update(
            w,
            event,
            ReportStatus.NOT_FOR_SERVICE,
            {"triaged_at": iso(event.timestamp), "refusal": event.reason},
        )

    def inspected(self, w: Writer, event: Any, at: Applied) -> None:
        found = event.infraction_found
        self._update(
            w,
            event,
            ReportStatus.INFRACTION_FOUND if found else ReportStatus.NO_INFRACTION,
            {
                "inspected_at": iso(event.timestamp),
                "inspection_id": str(event.inspection_id),
                "case_reference": event.case_reference,
            },
        )

    def _update(self, w: Writer, event: Any, status: ReportStatus, columns: dict[str, Any]) -> None:
        opened = 1 if status in (ReportStatus.RECEIVED, ReportStatus.PLANNED) else 0
        changes = columns | {"status": status.value, "open": opened}
        update_row(w, "rm_reports", "report_id", event, changes)

    handlers = {  # noqa: RUF012
        R.Received: received,
        R.Followed: followed,
        R.Dispatched: dispatched,
        R.MergedInto: merged_into,
        R.DuplicateMerged: duplicate_merged,
        R.Refused: refused,
        R.Inspected: inspected,
    }
