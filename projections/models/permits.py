"""The ``permits`` read model: the registry as its screens read it (the permits office's list
and map, the officer's permits nearby, the GIS collections), one row per permit with its current
terms. Its state on a given day (valid, expiring, expired...) follows from the row and that
day, so the query computes it: nothing needs rewriting when a date passes.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from police.aggregates.permit import Permit
from projections.models import Applied, ReadModel, cents, iso, update_row

if TYPE_CHECKING:
    from projections.store import Writer


def _terms(facts: dict[str, Any]) -> dict[str, Any]:
    """The columns an event's terms (a grant, or an amendment's changes) set."""
    columns: dict[str, Any] = {}
    if "location" in facts:
        place = facts["location"]
        columns |= {
            "arrondissement": place["arrondissement"],
            "address": place.get("address", ""),
            "lat": place["lat"],
            "lon": place["lon"],
        }
    if "surface_m2" in facts:
        columns["surface_m2"] = str(facts["surface_m2"])
    if "dimensions" in facts:
        dims = facts["dimensions"] or {}
        columns["frontage_m"] = str(dims["frontage_m"]) if dims else None
        columns["depth_m"] = str(dims["depth_m"]) if dims else None
    if "outline" in facts:
        columns["outline"] = json.dumps(facts["outline"]) if facts["outline"] else None
    if "conditions" in facts:
        conditions = facts["conditions"] or {}
        path = conditions.get("walking_path_m")
        columns |= {
            "walking_path_m": str(path) if path is not None else None,
            "hours": conditions.get("hours", ""),
            "season": conditions.get("season", ""),
        }
    for day in ("valid_from", "valid_until"):
        if day in facts:
            columns[day] = facts[day].isoformat()
    if "fee" in facts:
        columns["fee_cents"] = cents(Decimal(facts["fee"]))
    if "billboard" in facts:
        board = facts["billboard"] or {}
        columns |= {
            "structure_id": board.get("structure_id"),
            "faces": board.get("faces"),
            "m2_per_face": str(board["m2_per_face"]) if board else None,
            "lit": int(bool(board.get("lit"))) if board else None,
            "company": board.get("company"),
        }
    return columns


class Permits(ReadModel):
    name = "permits"
    version = 3
    tables = {  # noqa: RUF012
        "rm_permits": """
            CREATE TABLE IF NOT EXISTS rm_permits (
                permit_id TEXT PRIMARY KEY,
                number TEXT NOT NULL UNIQUE,
                kind TEXT NOT NULL,
                holder_subject_id TEXT NOT NULL,
                holder_label TEXT NOT NULL,
                arrondissement TEXT NOT NULL,
                address TEXT NOT NULL,
                lat REAL NOT NULL,
                lon REAL NOT NULL,
                surface_m2 TEXT NOT NULL,
                frontage_m TEXT,
                depth_m TEXT,
                outline TEXT,
                walking_path_m TEXT,
                hours TEXT NOT NULL,
                season TEXT NOT NULL,
                valid_from TEXT NOT NULL,
                valid_until TEXT NOT NULL,
                fee_cents INTEGER NOT NULL,
                structure_id TEXT,
                faces INTEGER,
                m2_per_face TEXT,
                lit INTEGER,
                company TEXT,
                suspended INTEGER NOT NULL,
                revoked INTEGER NOT NULL,
                unpaid INTEGER NOT NULL,
                payment_reference TEXT,
                receipt_number TEXT,
                application_number TEXT,
                edition INTEGER NOT NULL,
                printed_edition INTEGER NOT NULL,
                granted_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                version INTEGER NOT NULL
            )""",
        # Permits near a point: a range on latitude, then longitude, inside one index; and the
        # GIS's count of a box, from the index alone (its kind too).
        "rm_permits_position": "CREATE INDEX IF NOT EXISTS rm_permits_position "
        "ON rm_permits (lat, lon, kind)",
        "rm_permits_kind": "CREATE INDEX IF NOT EXISTS rm_permits_kind "
        "ON rm_permits (kind, valid_until)",
        "rm_permits_until": "CREATE INDEX IF NOT EXISTS rm_permits_until "
        "ON rm_permits (valid_until)",
        "rm_permits_structure": "CREATE INDEX IF NOT EXISTS rm_permits_structure "
        "ON rm_permits (structure_id)",
        # The GIS's pages, walked in the order they are paged (granted_at, then number).
        "rm_permits_granted": "CREATE INDEX IF NOT EXISTS rm_permits_granted "
        "ON rm_permits (granted_at, number)",
    }

    def granted(self, w: Writer, event: Any, at: Applied) -> None:
        facts = {name: getattr(event, name) for name in Permit.Granted.__annotations__}
        payment = getattr(event, "payment", None)
        row = {
            "permit_id": str(event.originator_id),
            "number": event.number,
            "kind": event.kind,
            "holder_subject_id": str(event.holder_subject_id),
            "holder_label": event.holder_label,
            "frontage_m": None,
            "depth_m": None,
            "outline": None,
            "walking_path_m": None,
            "hours": "",
            "season": "",
            "structure_id": None,
            "faces": None,
            "m2_per_face": None,
            "lit": None,
            "company": None,
            **_terms(facts),
            "suspended": 0,
            "revoked": 0,
            "unpaid": int(payment is not None),
            "payment_reference": payment["reference"] if payment else None,
            "receipt_number": None,
            "application_number": payment["application"] if payment else None,
            "edition": 1,
            "printed_edition": 0,
            "granted_at": iso(event.timestamp),
            "updated_at": iso(event.timestamp),
            "version": event.originator_version,
        }
        columns = ", ".join(row)
        values = ", ".join(f":{c}" for c in row)
        w.execute(
            f"INSERT INTO rm_permits ({columns}) VALUES ({values}) "  # names are ours
            "ON CONFLICT (permit_id) DO NOTHING",
            row,
        )

    def amended(self, w: Writer, event: Any, at: Applied) -> None:
        self._update(w, event, _terms(event.changes) | {"edition": event.edition})

    def renewed(self, w: Writer, event: Any, at: Applied) -> None:
        self._update(
            w,
            event,
            {
                "valid_until": event.valid_until.isoformat(),
                "fee_cents": cents(event.fee),
                "edition": event.edition,
            },
        )

    def paid(self, w: Writer, event: Any, at: Applied) -> None:
        self._update(w, event, {"unpaid": 0, "receipt_number": event.receipt_number})

    def suspended(self, w: Writer, event: Any, at: Applied) -> None:
        self._update(w, event, {"suspended": 1})

    def reinstated(self, w: Writer, event: Any, at: Applied) -> None:
        self._update(w, event, {"suspended": 0})

    def revoked(self, w: Writer, event: Any, at: Applied) -> None:
        self._update(w, event, {"revoked": 1})

    def printed(self, w: Writer, event: Any, at: Applied) -> None:
        self._update(w, event, {"printed_edition": event.edition})

    def _update(self, w: Writer, event: Any, columns: dict[str, Any]) -> None:
        update_row(w, "rm_permits", "permit_id", event, columns)

    handlers = {  # noqa: RUF012
        Permit.Granted: granted,
        Permit.Amended: amended,
        Permit.Renewed: renewed,
        Permit.FeePaid: paid,
        Permit.Suspended: suspended,
        Permit.Reinstated: reinstated,
        Permit.Revoked: revoked,
        Permit.ArreteIssued: printed,
    }
