"""The questions the maps ask of the read models beyond the cases' own export: recent
inspections as GeoJSON points, with no personal data (brigade, time, outcome, infraction
codes, the case's reference)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from projections.queries.base import Queries


class MapQueries(Queries):
    _inspection_codes = False  # rm_inspections has its codes column (a rebuild may add it)

    def inspection_map(
        self, brigades: Sequence[str], since: datetime, limit: int = 5000
    ) -> dict[str, Any]:
        """The inspections of these brigades observed since ``since`` that carry a GPS fix,
        newest first, as a GeoJSON FeatureCollection of points."""
        if not brigades:
            return {"type": "FeatureCollection", "features": []}
        names = {f"b{i}": b for i, b in enumerate(brigades)}
        rows = self._query(
            f"SELECT i.inspection_id, i.brigade, i.observed_at, i.compliant, {self._codes()}, "
            "i.case_id, c.reference AS case_reference, i.lat, i.lon FROM rm_inspections i "
            "LEFT JOIN rm_cases c ON c.case_id = i.case_id "
            f"WHERE i.brigade IN ({', '.join(':' + n for n in names)}) "
            "AND i.observed_at >= :since AND i.lat IS NOT NULL AND i.lon IS NOT NULL "
            "ORDER BY i.observed_at DESC, i.inspection_id LIMIT :limit",
            names | {"since": since.astimezone(UTC).isoformat(), "limit": limit},
        )
        return {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "id": r["inspection_id"],
                    "geometry": {"type": "Point", "coordinates": [r["lon"], r["lat"]]},
                    "properties": {
                        "brigade": r["brigade"],
                        "observed_at": r["observed_at"],
                        "compliant": bool(r["compliant"]),
                        "codes": [c for c in (r["codes"] or "").split(",") if c],
                        "case_reference": r["case_reference"],
                        "url": f"/cases/{r['case_id']}" if r["case_id"] else None,
                    },
                }
                for r in rows
            ],
        }

    def _codes(self) -> str:
        """The codes column, or an empty one while a rebuild that adds it has not committed."""
        if not self._inspection_codes:
            with self.store.reader() as reader:
                self._inspection_codes = "codes" in reader.columns("rm_inspections")
        return "i.codes" if self._inspection_codes else "'' AS codes"
