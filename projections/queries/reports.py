"""The questions about residents' reports: the open ones of a category near a point (the
public form's duplicate prompt, which must stay fast among a million reports: one index range
on category, open and latitude), the supervisors' triage queue with what is late, one report's
row, the visits dispatched to an officer, the Open311 list, and the overview's figures."""

from __future__ import annotations

import math
import statistics
from collections.abc import Collection
from datetime import date, datetime
from typing import Any

from police.territory import distance_m
from projections.queries.base import Queries
from projections.rows import ReportKpi, ReportRow
from projections.store import Row

NEARBY_M = 50.0
QUEUE_LIMIT = 300
_METRES_PER_DEGREE = 111_320.0
_COLUMNS = (
    "number, brigade, category, status, open, arrondissement, address, lat, lon, description, "
    "photos, source, received_at, triage_due, triaged_at, officer_id, dispatch_note, "
    "original_number, refusal, inspected_at, case_reference, followers, updated_at, version"
)
_SELECT = f"SELECT {_COLUMNS} FROM rm_reports"


def _row(r: Row, today: date, distance: float | None = None) -> ReportRow:
    due = date.fromisoformat(r["triage_due"])
    return ReportRow(
        number=r["number"],
        brigade=r["brigade"],
        category=r["category"],
        status=r["status"],
        is_open=bool(r["open"]),
        arrondissement=r["arrondissement"],
        address=r["address"],
        lat=r["lat"],
        lon=r["lon"],
        description=r["description"],
        photo_keys=tuple(r["photos"].split()),
        source=r["source"],
        received_at=r["received_at"],
        triage_due=due,
        late=r["triaged_at"] is None and due < today,
        triaged_at=r["triaged_at"],
        officer_id=r["officer_id"],
        dispatch_note=r["dispatch_note"],
        original_number=r["original_number"],
        refusal=r["refusal"],
        inspected_at=r["inspected_at"],
        case_reference=r["case_reference"],
        followers=r["followers"],
        updated_at=r["updated_at"],
        version=r["version"],
        distance_m=distance,
    )


def _brigades(brigades: Collection[str]) -> tuple[str, dict[str, Any]]:
    names = {f"b{i}": b for i, b in enumerate(sorted(brigades))}
    if not names:
        return "1 = 0", {}
    return f"brigade IN ({', '.join(':' + n for n in names)})", names


class ReportQueries(Queries):
    def reports_near(
        self, category: str, lat: float, lon: float, radius_m: float = NEARBY_M, limit: int = 5
    ) -> list[ReportRow]:
        """The open reports of ``category`` within ``radius_m`` of the point, nearest first."""
        dlat = radius_m / _METRES_PER_DEGREE
        dlon = radius_m / (_METRES_PER_DEGREE * max(math.cos(math.radians(lat)), 0.01))
        rows = self._query(
            f"{_SELECT} WHERE category = :category AND open = 1 "
            "AND lat BETWEEN :south AND :north AND lon BETWEEN :west AND :east",
            {
                "category": category,
                "south": lat - dlat,
                "north": lat + dlat,
                "west": lon - dlon,
                "east": lon + dlon,
            },
        )
        near = [(distance_m((lat, lon), (r["lat"], r["lon"])), r) for r in rows]
        near.sort(key=lambda pair: pair[0])
        today = self.today()
        return [_row(r, today, round(d)) for d, r in near if d <= radius_m][:limit]

    def report_queue(
        self, brigades: Collection[str], *, status: str = "received"
    ) -> list[ReportRow]:
        """The reports of those brigades in ``status``: the untriaged oldest first (the late
        ones are at the top by that order), the others latest first."""
        where, params = _brigades(brigades)
        order = "received_at, number" if status == "received" else "updated_at DESC"
        rows = self._query(
            f"{_SELECT} WHERE {where} AND status = :status "  # ours
            f"ORDER BY {order} LIMIT {QUEUE_LIMIT}",
            params | {"status": status},
        )
        today = self.today()
        return [_row(r, today) for r in rows]

    def report_row(self, number: str) -> ReportRow | None:
        rows = self._query(f"{_SELECT} WHERE number = :number", {"number": number})
        return _row(rows[0], self.today()) if rows else None

    def report_visits(self, officer_id: str) -> list[ReportRow]:
        """The reports dispatched to the officer and not yet inspected, oldest first."""
        rows = self._query(
            f"{_SELECT} WHERE officer_id = :officer AND status = 'planned' "
            "ORDER BY triaged_at, number",
            {"officer": officer_id},
        )
        today = self.today()
        return [_row(r, today) for r in rows]

    def report_search(
        self,
        *,
        categories: Collection[str] = (),
        open_only: bool | None = None,
        received_from: str = "",
        received_until: str = "",
        numbers: Collection[str] = (),
        limit: int = 1000,
    ) -> list[ReportRow]:
        """Reports by category, open or not, received between two instants (ISO 8601), or by
        number, latest first: the Open311 list."""
        clauses: list[str] = ["1 = 1"]
        params: dict[str, Any] = {}
        for column, values in (("category", categories), ("number", numbers)):
            if values:
                names = {f"{column[0]}{i}": v for i, v in enumerate(values)}
                clauses.append(f"{column} IN ({', '.join(':' + n for n in names)})")
                params |= names
        if open_only is not None:
            clauses.append("open = :open")
            params["open"] = 1 if open_only else 0
        if received_from:
            clauses.append("received_at >= :start")
            params["start"] = received_from
        if received_until:
            clauses.append("received_at <= :end")
            params["end"] = received_until
        rows = self._query(
            f"{_SELECT} WHERE {' AND '.join(clauses)} "  # ours
            f"ORDER BY received_at DESC, number DESC LIMIT {int(limit)}",
            params,
        )
        today = self.today()
        return [_row(r, today) for r in rows]

    def report_kpis(self, brigades: Collection[str]) -> list[ReportKpi]:
        """Per brigade: reports received, triaged, the share triaged by the deadline, the
        share of inspected ones that found an infraction, the median days from receipt to
        the inspection, and the untriaged ones late today."""
        where, params = _brigades(brigades)
        rows = self._query(
            "SELECT brigade, status, received_at, triage_due, triaged_at, inspected_at "
            f"FROM rm_reports WHERE {where} ORDER BY brigade",  # ours
            params,
        )
        today = self.today().isoformat()
        by_brigade: dict[str, list[Row]] = {}
        for r in rows:
            by_brigade.setdefault(r["brigade"], []).append(r)
        kpis = []
        for brigade, reports in by_brigade.items():
            triaged = [r for r in reports if r["triaged_at"]]
            in_time = [r for r in triaged if r["triaged_at"][:10] <= r["triage_due"]]
            inspected = [r for r in reports if r["inspected_at"]]
            found = [r for r in inspected if r["status"] == "infraction_found"]
            days = [_days(r["received_at"], r["inspected_at"]) for r in inspected]
            kpis.append(
                ReportKpi(
                    brigade=brigade,
                    received=len(reports),
                    triaged=len(triaged),
                    triaged_in_time=len(in_time) / len(triaged) if triaged else None,
                    led_to_case=len(found) / len(inspected) if inspected else None,
                    median_days_to_inspection=statistics.median(days) if days else None,
                    late=sum(1 for r in reports if not r["triaged_at"] and r["triage_due"] < today),
                )
            )
        return kpis


def _days(start: str, end: str) -> float:
    delta = datetime.fromisoformat(end) - datetime.fromisoformat(start)
    return round(delta.total_seconds() / 86400, 1)
