"""The ``citations`` read model's questions: how many inspections cited each entry of a version
of the infraction catalogue, and which (the latest first)."""

from __future__ import annotations

from dataclasses import dataclass

from projections.queries.base import Queries

CITING_LIMIT = 200


@dataclass(frozen=True)
class Citing:
    """An inspection that cited an entry: when, by whom, where, and its case."""

    inspection_id: str
    recorded_at: str
    brigade: str
    officer_name: str
    subject_label: str
    address: str
    arrondissement: str
    case_id: str | None
    case_reference: str | None


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

    def citing_inspections(self, catalogue_version: str, code: str) -> list[Citing]:
        """The inspections that cited ``code`` under ``catalogue_version``, the latest first
        (at most ``CITING_LIMIT``)."""
        rows = self._query(
            "SELECT i.inspection_id, i.recorded_at, i.brigade, COALESCE(u.full_name, '') AS "
            "officer_name, i.subject_label, i.address, i.arrondissement, i.case_id, "
            "c.reference AS case_reference FROM rm_citations t "
            "JOIN rm_inspections i ON i.inspection_id = t.inspection_id "
            "LEFT JOIN rm_users u ON u.user_id = i.officer_id "
            "LEFT JOIN rm_cases c ON c.case_id = i.case_id "
            "WHERE t.catalogue_version = :version AND t.code = :code "
            f"ORDER BY i.recorded_at DESC, i.inspection_id LIMIT {CITING_LIMIT}",
            {"version": catalogue_version, "code": code},
        )
        return [Citing(**r) for r in rows]
