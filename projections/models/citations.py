"""The ``citations`` read model: which catalogue entry each inspection cited, under which
version of the catalogue (each finding carries the version it was copied from), for the
reference page's count of inspections per entry and version.

One row per inspection and entry cited: an inspection never cites the same entry twice (the
domain refuses it), so counting rows counts inspections.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from police.aggregates.inspection import Inspection
from projections.models import Applied, ReadModel

if TYPE_CHECKING:
    from projections.store import Writer


class Citations(ReadModel):
    name = "citations"
    version = 1
    tables = {  # noqa: RUF012
        "rm_citations": """
            CREATE TABLE IF NOT EXISTS rm_citations (
                inspection_id TEXT NOT NULL,
                catalogue_version TEXT NOT NULL,
                code TEXT NOT NULL,
                brigade TEXT NOT NULL,
                PRIMARY KEY (inspection_id, catalogue_version, code)
            )""",
        "rm_citations_entry": "CREATE INDEX IF NOT EXISTS rm_citations_entry "
        "ON rm_citations (catalogue_version, code)",
    }

    def recorded(self, w: Writer, event: Any, at: Applied) -> None:
        for finding in event.findings:
            w.execute(
                "INSERT INTO rm_citations (inspection_id, catalogue_version, code, brigade) "
                "VALUES (:id, :version, :code, :brigade) "
                "ON CONFLICT (inspection_id, catalogue_version, code) DO NOTHING",
                {
                    "id": str(event.originator_id),
                    # A finding keeps the version it was copied from; the inspection's own
                    # is the same (the law of the day of the offence).
                    "version": finding.get("catalogue_version") or event.catalogue_version,
                    "code": finding["code"],
                    "brigade": event.brigade,
                },
            )

    handlers = {  # noqa: RUF012
        Inspection.Recorded: recorded,
    }
