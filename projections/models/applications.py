"""The ``applications`` read model: the online applications as the permits office's queue, the
public-domain officers' site visits and the overview's figures read them, one row per file.
No contact of the applicant is kept here: it stays on the file's own events.

The row keeps the facts a status follows from (held, documents asked for, visit asked or
reported, decision), and the query words the status as ``PermitApplication.status`` does
(tested to agree).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from police.aggregates.permit import Permit
from police.aggregates.permit_application import PermitApplication as A
from projections.models import Applied, ReadModel, cents, iso, update_row

if TYPE_CHECKING:
    from projections.store import Writer

VISIT_NONE, VISIT_ASKED, VISIT_REPORTED = 0, 1, 2


class Applications(ReadModel):
    name = "applications"
    version = 1
    tables = {  # noqa: RUF012
        "rm_applications": """
            CREATE TABLE IF NOT EXISTS rm_applications (
                application_id TEXT PRIMARY KEY,
                number TEXT NOT NULL UNIQUE,
                kind TEXT NOT NULL,
                holder_label TEXT NOT NULL,
                arrondissement TEXT NOT NULL,
                address TEXT NOT NULL,
                lat REAL NOT NULL,
                lon REAL NOT NULL,
                surface_m2 TEXT NOT NULL,
                valid_from TEXT NOT NULL,
                valid_until TEXT NOT NULL,
                renewal_of TEXT,
                submitted_at TEXT NOT NULL,
                deadline TEXT NOT NULL,
                documents INTEGER NOT NULL,
                held INTEGER NOT NULL,
                missing INTEGER NOT NULL,
                answered INTEGER NOT NULL,
                visit INTEGER NOT NULL,
                visit_note TEXT NOT NULL,
                visit_asked_at TEXT,
                decision TEXT,
                decided_at TEXT,
                permit_id TEXT,
                permit_number TEXT,
                fee_cents INTEGER,
                paid INTEGER NOT NULL,
                reminded_until TEXT,
                updated_at TEXT NOT NULL,
                version INTEGER NOT NULL
            )""",
        # The queue, oldest first; the figures per kind.
        "rm_applications_queue": "CREATE INDEX IF NOT EXISTS rm_applications_queue "
        "ON rm_applications (decision, submitted_at)",
        "rm_applications_kind": "CREATE INDEX IF NOT EXISTS rm_applications_kind "
        "ON rm_applications (kind, submitted_at)",
        "rm_applications_permit": "CREATE INDEX IF NOT EXISTS rm_applications_permit "
        "ON rm_applications (permit_id)",
    }

    def submitted(self, w: Writer, event: Any, at: Applied) -> None:
        place, asked = event.request["location"], event.request
        row = {
            "application_id": str(event.originator_id),
            "number": event.number,
            "kind": event.kind,
            "holder_label": event.holder_label,
            "arrondissement": place["arrondissement"],
            "address": place.get("address", ""),
            "lat": place["lat"],
            "lon": place["lon"],
            "surface_m2": str(asked["surface_m2"]),
            "valid_from": asked["valid_from"].isoformat(),
            "valid_until": asked["valid_until"].isoformat(),
            "renewal_of": event.renewal_of,
            "submitted_at": iso(event.timestamp),
            "deadline": event.deadline.isoformat(),
            "documents": len(event.documents),
            "held": 0,
            "missing": 0,
            "answered": 0,
            "visit": VISIT_NONE,
            "visit_note": "",
            "paid": 0,
            "updated_at": iso(event.timestamp),
            "version": event.originator_version,
        }
        columns = ", ".join(row)
        values = ", ".join(f":{c}" for c in row)
        w.execute(
            f"INSERT INTO rm_applications ({columns}) VALUES ({values}) "  # names are ours
            "ON CONFLICT (application_id) DO NOTHING",
            row,
        )

    def held(self, w: Writer, event: Any, at: Applied) -> None:
        self._update(w, event, {"held": 1})

    def hold_lifted(self, w: Writer, event: Any, at: Applied) -> None:
        self._update(w, event, {"held": 0})

    def documents_requested(self, w: Writer, event: Any, at: Applied) -> None:
        self._update(w, event, {"missing": 1})

    def documents_added(self, w: Writer, event: Any, at: Applied) -> None:
        w.execute(
            "UPDATE rm_applications SET missing = 0, answered = 1, "
            "documents = documents + :added, updated_at = :at, version = :version "
            "WHERE application_id = :id",
            {
                "added": len(event.documents),
                "at": iso(event.timestamp),
                "version": event.originator_version,
                "id": str(event.originator_id),
            },
        )

    def visit_requested(self, w: Writer, event: Any, at: Applied) -> None:
        self._update(
            w,
            event,
            {
                "visit": VISIT_ASKED,
                "visit_note": event.note,
                "visit_asked_at": iso(event.timestamp),
            },
        )

    def visit_reported(self, w: Writer, event: Any, at: Applied) -> None:
        self._update(w, event, {"visit": VISIT_REPORTED})

    def granted(self, w: Writer, event: Any, at: Applied) -> None:
        self._update(
            w,
            event,
            {
                "decision": "granted",
                "decided_at": iso(event.timestamp),
                "permit_id": str(Permit.create_id(event.permit_number)),
                "permit_number": event.permit_number,
                "fee_cents": cents(event.fee),
            },
        )

    def refused(self, w: Writer, event: Any, at: Applied) -> None:
        self._update(w, event, {"decision": "refused", "decided_at": iso(event.timestamp)})

    def reminded(self, w: Writer, event: Any, at: Applied) -> None:
        self._update(w, event, {"reminded_until": event.valid_until.isoformat()})

    def tracking_replaced(self, w: Writer, event: Any, at: Applied) -> None:
        self._update(w, event, {})  # the secret's digest is never in a table

    def fee_paid(self, w: Writer, event: Any, at: Applied) -> None:
        w.execute(
            "UPDATE rm_applications SET paid = 1 WHERE permit_id = :permit_id",
            {"permit_id": str(event.originator_id)},
        )

    def _update(self, w: Writer, event: Any, columns: dict[str, Any]) -> None:
        update_row(w, "rm_applications", "application_id", event, columns)

    handlers = {  # noqa: RUF012
        A.Submitted: submitted,
        A.Held: held,
        A.HoldLifted: hold_lifted,
        A.DocumentsRequested: documents_requested,
        A.DocumentsAdded: documents_added,
        A.SiteVisitRequested: visit_requested,
        A.SiteVisitReported: visit_reported,
        A.Granted: granted,
        A.Refused: refused,
        A.RenewalReminded: reminded,
        A.TrackingReplaced: tracking_replaced,
        Permit.FeePaid: fee_paid,
    }
