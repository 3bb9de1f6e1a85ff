"""The questions to the permit registry: a page of permits by kind, state, arrondissement and
"expiring within 30 days"; one permit; the permits near a point (the officer's list), nearest
first; all of them for the map and the exports."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from police.aggregates.permit import EXPIRING_DAYS
from police.territory import distance_m
from projections.queries.base import Queries
from projections.rows import PermitFilters, PermitPage, PermitRow
from projections.store import Row

_COLUMNS = (
    "permit_id, number, kind, holder_subject_id, holder_label, arrondissement, address, lat, "
    "lon, surface_m2, frontage_m, depth_m, outline, walking_path_m, hours, season, valid_from, "
    "valid_until, fee_cents, structure_id, faces, m2_per_face, lit, company, edition, "
    "printed_edition, payment_reference, receipt_number, application_number, version"
)
# The state on :today, as ``Permit.state_on`` says it (tested to agree).
_STATE = (
    "CASE WHEN revoked = 1 THEN 'revoked' WHEN suspended = 1 THEN 'suspended' "
    "WHEN unpaid = 1 THEN 'unpaid' WHEN valid_until < :today THEN 'expired' "
    "WHEN valid_from > :today THEN 'pending' "
    "WHEN valid_until < :soon THEN 'expiring' ELSE 'valid' END"
)
_SELECT = f"SELECT {_COLUMNS}, {_STATE} AS state FROM rm_permits"
NEARBY_M = 50.0
_METRES_PER_DEGREE = 111_320.0


def _decimal(value: str | None) -> Decimal | None:
    return Decimal(value) if value is not None else None


def _permit(r: Row, distance: float | None = None) -> PermitRow:
    return PermitRow(
        permit_id=r["permit_id"],
        number=r["number"],
        kind=r["kind"],
        state=r["state"],
        holder_subject_id=r["holder_subject_id"],
        holder_label=r["holder_label"],
        arrondissement=r["arrondissement"],
        address=r["address"],
        lat=r["lat"],
        lon=r["lon"],
        surface_m2=Decimal(r["surface_m2"]),
        frontage_m=_decimal(r["frontage_m"]),
        depth_m=_decimal(r["depth_m"]),
        outline=json.loads(r["outline"]) if r["outline"] else None,
        walking_path_m=_decimal(r["walking_path_m"]),
        hours=r["hours"],
        season=r["season"],
        valid_from=r["valid_from"],
        valid_until=r["valid_until"],
        fee=Decimal(int(r["fee_cents"])) / 100,
        structure_id=r["structure_id"],
        faces=r["faces"],
        m2_per_face=_decimal(r["m2_per_face"]),
        lit=bool(r["lit"]) if r["lit"] is not None else None,
        company=r["company"],
        edition=r["edition"],
        printed_edition=r["printed_edition"],
        version=r["version"],
        distance_m=distance,
        payment_reference=r["payment_reference"],
        receipt_number=r["receipt_number"],
        application_number=r["application_number"],
    )


class PermitQueries(Queries):
    def _days(self, day: date | None = None) -> dict[str, str]:
        today = day or self.today()
        return {
            "today": today.isoformat(),
            "soon": (today + timedelta(days=EXPIRING_DAYS)).isoformat(),
        }

    def _permit_where(self, f: PermitFilters) -> tuple[str, dict[str, Any]]:
        clauses, params = ["1 = 1"], self._days()
        for column, value in (("kind", f.kind), ("arrondissement", f.arrondissement)):
            if value:
                clauses.append(f"{column} = :{column}")
                params[column] = value
        if f.state:
            clauses.append(f"{_STATE} = :state")
            params["state"] = f.state
        if f.billboards is not None:
            clauses.append("kind = 'billboard'" if f.billboards else "kind <> 'billboard'")
        if f.expiring:
            clauses.append(f"{_STATE} = 'expiring'")
        if f.text.strip():
            clauses.append(
                "(LOWER(number) LIKE :text OR LOWER(holder_label) LIKE :text "
                "OR LOWER(address) LIKE :text OR LOWER(COALESCE(structure_id, '')) LIKE :text)"
            )
            escaped = f.text.strip().lower().replace("\\", "").replace("%", "").replace("_", "")
            params["text"] = f"%{escaped}%"
        return " AND ".join(clauses), params

    def permits(self, f: PermitFilters, page: int = 1, per_page: int = 50) -> PermitPage:
        where, params = self._permit_where(f)
        page = max(1, page)
        with self.store.reader() as reader:
            [count] = reader.query(
                f"SELECT COUNT(*) AS n FROM rm_permits WHERE {where}",
                params,
            )
            rows = reader.query(
                f"{_SELECT} WHERE {where} ORDER BY valid_until, number LIMIT :limit OFFSET :offset",
                params | {"limit": per_page, "offset": (page - 1) * per_page},
            )
        return PermitPage([_permit(r) for r in rows], int(count["n"]), page, per_page)

    def all_permits(self, f: PermitFilters, batch: int = 1000) -> Iterator[PermitRow]:
        """Every permit the filters keep, in number order, read a batch at a time (exports)."""
        where, params = self._permit_where(f)
        after = ""
        while True:
            rows = self._query(
                f"{_SELECT} WHERE {where} AND number > :after ORDER BY number LIMIT :limit",
                params | {"after": after, "limit": batch},
            )
            yield from (_permit(r) for r in rows)
            if len(rows) < batch:
                return
            after = rows[-1]["number"]

    def permit(self, number: str) -> PermitRow | None:
        rows = self._query(f"{_SELECT} WHERE number = :number", self._days() | {"number": number})
        return _permit(rows[0]) if rows else None

    def near_statement(
        self, lat: float, lon: float, radius_m: float = NEARBY_M
    ) -> tuple[str, dict[str, Any]]:
        """The SELECT of the permits inside the square around the point that holds the circle
        of ``radius_m`` (revoked ones left out), and its parameters."""
        dlat = radius_m / _METRES_PER_DEGREE
        dlon = radius_m / (_METRES_PER_DEGREE * max(math.cos(math.radians(lat)), 0.01))
        sql = (
            f"{_SELECT} WHERE lat BETWEEN :south AND :north "
            "AND lon BETWEEN :west AND :east AND revoked = 0"
        )
        box = {"south": lat - dlat, "north": lat + dlat, "west": lon - dlon, "east": lon + dlon}
        return sql, self._days() | box

    def permits_near(
        self, lat: float, lon: float, radius_m: float = NEARBY_M, limit: int = 20
    ) -> list[PermitRow]:
        """The permits within ``radius_m`` of the point, nearest first (revoked ones left out:
        they authorise nothing, and the officer records "no permit found")."""
        rows = self._query(*self.near_statement(lat, lon, radius_m))
        near = [(distance_m((lat, lon), (r["lat"], r["lon"])), r) for r in rows]
        near.sort(key=lambda pair: pair[0])
        return [_permit(r, round(d, 1)) for d, r in near if d <= radius_m][:limit]
