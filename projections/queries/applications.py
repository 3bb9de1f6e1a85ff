"""The questions about online applications: the permits office's queue (open files oldest
first, with their legal deadline and what is late), one file's row, the site visits the
public-domain brigade is asked to make, the files whose permit is to be reminded of its renewal,
and the overview's figures per kind."""

from __future__ import annotations

import statistics
from datetime import date, datetime, timedelta
from decimal import Decimal

from projections.queries.base import Queries
from projections.rows import ApplicationKpi, ApplicationRow
from projections.store import Row

# The status, as ``PermitApplication.status`` words it (tested to agree).
_STATUS = (
    "CASE WHEN decision = 'granted' THEN 'granted' WHEN decision = 'refused' THEN 'refused' "
    "WHEN held = 1 THEN 'held' WHEN missing = 1 THEN 'incomplete' "
    "WHEN visit = 1 THEN 'site_visit' WHEN visit = 2 OR answered = 1 THEN 'under_review' "
    "ELSE 'received' END"
)
_COLUMNS = (
    "number, kind, holder_label, arrondissement, address, lat, lon, surface_m2, valid_from, "
    "valid_until, renewal_of, submitted_at, deadline, documents, visit_note, visit_asked_at, "
    "decided_at, permit_number, fee_cents, paid, version"
)
_SELECT = f"SELECT {_COLUMNS}, {_STATUS} AS status FROM rm_applications"
QUEUE_LIMIT = 200
REMIND_DAYS = 30


def _row(r: Row, today: date) -> ApplicationRow:
    deadline = date.fromisoformat(r["deadline"])
    decided = r["decided_at"]
    return ApplicationRow(
        number=r["number"],
        kind=r["kind"],
        status=r["status"],
        holder_label=r["holder_label"],
        arrondissement=r["arrondissement"],
        address=r["address"],
        lat=r["lat"],
        lon=r["lon"],
        surface_m2=Decimal(r["surface_m2"]),
        valid_from=r["valid_from"],
        valid_until=r["valid_until"],
        renewal_of=r["renewal_of"],
        submitted_at=r["submitted_at"],
        deadline=deadline,
        late=decided is None and deadline < today,
        documents=r["documents"],
        visit_note=r["visit_note"],
        visit_asked_at=r["visit_asked_at"],
        decided_at=decided,
        permit_number=r["permit_number"],
        fee=Decimal(int(r["fee_cents"])) / 100 if r["fee_cents"] is not None else None,
        paid=bool(r["paid"]),
        version=r["version"],
    )


class ApplicationQueries(Queries):
    def application_queue(self, *, decided: bool = False, kind: str = "") -> list[ApplicationRow]:
        """Open files oldest first (or the decided ones, latest decision first)."""
        where = "decision IS NOT NULL" if decided else "decision IS NULL"
        params: dict[str, str] = {}
        if kind:
            where += " AND kind = :kind"
            params["kind"] = kind
        order = "decided_at DESC" if decided else "submitted_at, number"
        rows = self._query(
            f"{_SELECT} WHERE {where} ORDER BY {order} LIMIT {QUEUE_LIMIT}",  # ours
            params,
        )
        today = self.today()
        return [_row(r, today) for r in rows]

    def application(self, number: str) -> ApplicationRow | None:
        rows = self._query(f"{_SELECT} WHERE number = :number", {"number": number})
        return _row(rows[0], self.today()) if rows else None

    def site_visits(self) -> list[ApplicationRow]:
        """The visits the permits office asked of the public-domain brigade, oldest first."""
        rows = self._query(
            f"{_SELECT} WHERE visit = 1 AND decision IS NULL ORDER BY visit_asked_at, number"
        )
        today = self.today()
        return [_row(r, today) for r in rows]

    def renewals_to_remind(self) -> list[str]:
        """Files whose paid permit ends within 30 days and was not reminded for that end."""
        today = self.today()
        rows = self._query(
            "SELECT a.number FROM rm_applications a JOIN rm_permits p "
            "ON p.permit_id = a.permit_id WHERE a.paid = 1 AND p.revoked = 0 "
            "AND p.valid_until >= :today AND p.valid_until <= :soon "
            "AND (a.reminded_until IS NULL OR a.reminded_until <> p.valid_until) "
            "ORDER BY p.valid_until, a.number",
            {
                "today": today.isoformat(),
                "soon": (today + timedelta(days=REMIND_DAYS)).isoformat(),
            },
        )
        return [r["number"] for r in rows]

    def application_kpis(self) -> list[ApplicationKpi]:
        """Per kind: files received, decided, the median days to a decision and the share
        decided within the legal deadline."""
        rows = self._query(
            "SELECT kind, submitted_at, decided_at, deadline FROM rm_applications ORDER BY kind"
        )
        by_kind: dict[str, list[Row]] = {}
        for r in rows:
            by_kind.setdefault(r["kind"], []).append(r)
        kpis = []
        for kind, files in by_kind.items():
            decided = [r for r in files if r["decided_at"]]
            days = [_days(r["submitted_at"], r["decided_at"]) for r in decided]
            on_time = [r for r in decided if r["decided_at"][:10] <= r["deadline"]]
            kpis.append(
                ApplicationKpi(
                    kind=kind,
                    received=len(files),
                    decided=len(decided),
                    median_days=statistics.median(days) if days else None,
                    within_deadline=len(on_time) / len(decided) if decided else None,
                )
            )
        return kpis


def _days(start: str, end: str) -> float:
    delta = datetime.fromisoformat(end) - datetime.fromisoformat(start)
    return round(delta.total_seconds() / 86400, 1)
