"""The ``subjects`` read model: each establishment, vehicle or person inspected, with how many
cases it has had and in which brigades (repeat offences, across brigades)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from police.aggregates.subject import Subject
from projections.models import Applied, ReadModel, Recent

if TYPE_CHECKING:
    from projections.store import Writer


class Subjects(ReadModel):
    name = "subjects"
    version = 1
    tables = {  # noqa: RUF012
        "rm_subjects": """
            CREATE TABLE IF NOT EXISTS rm_subjects (
                subject_id TEXT PRIMARY KEY,
                kind TEXT NOT NULL,
                subject_key TEXT NOT NULL,
                label TEXT NOT NULL,
                cases INTEGER NOT NULL,
                brigades TEXT NOT NULL,
                last_case_on TEXT
            )""",
        "rm_subjects_cases": "CREATE INDEX IF NOT EXISTS rm_subjects_cases ON rm_subjects (cases)",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Each subject's brigades as its row holds them: a case linked to a subject it has
        # seen is one UPDATE, without reading the row back first.
        self.brigades: Recent[str, tuple[str, ...]] = Recent(self.cache_size)

    def forget(self) -> None:
        self.brigades.clear()

    def registered(self, w: Writer, event: Any, at: Applied) -> None:
        subject_id = str(event.originator_id)
        self.brigades.keep(subject_id, ())
        w.execute(
            "INSERT INTO rm_subjects (subject_id, kind, subject_key, label, cases, brigades) "
            "VALUES (:id, :kind, :key, :label, 0, '') ON CONFLICT (subject_id) DO NOTHING",
            {"id": subject_id, "kind": event.kind, "key": event.key, "label": event.label},
        )

    def details_recorded(self, w: Writer, event: Any, at: Applied) -> None:
        w.execute(
            "UPDATE rm_subjects SET label = :label WHERE subject_id = :id",
            {"id": str(event.originator_id), "label": event.label},
        )

    def case_linked(self, w: Writer, event: Any, at: Applied) -> None:
        subject_id = str(event.originator_id)
        known = self.brigades.get(subject_id)
        if known is None:
            [row] = w.query(
                "SELECT brigades FROM rm_subjects WHERE subject_id = :id", {"id": subject_id}
            )
            known = tuple(filter(None, row["brigades"].split(",")))
        brigades = tuple(sorted({*known, event.brigade}))
        self.brigades.keep(subject_id, brigades)
        w.execute(
            "UPDATE rm_subjects SET cases = cases + 1, brigades = :brigades, "
            "last_case_on = :on WHERE subject_id = :id",
            {"id": subject_id, "brigades": ",".join(brigades), "on": event.opened_on.isoformat()},
        )

    handlers = {  # noqa: RUF012
        Subject.Registered: registered,
        Subject.DetailsRecorded: details_recorded,
        Subject.CaseLinked: case_linked,
    }
