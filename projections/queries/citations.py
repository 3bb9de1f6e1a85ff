"""The ``citations`` read model's question: how many inspections cited each entry of a version
of the infraction catalogue."""

from __future__ import annotations

from projections.queries.base import Queries


class CitationQueries(Queries):
    def citation_counts(self, catalogue_version: str) -> dict[str, int]:
        """Entry code -> how many inspections cited it under ``catalogue_version`` (the codes
        never cited are absent)."""
        rows = self._query(
            "SELECT code, COUNT(*) AS n FROM rm_citations WHERE catalogue_version = :version "
            "GROUP BY code",
            {"version": catalogue_version},
        )
        return {r["code"]: int(r["n"]) for r in rows}
