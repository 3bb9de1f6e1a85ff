"""The ``timeline`` read model: one line per case event, its kind, its parameters and a French
sentence (``projections.timeline``), for the case's history. Who did it is the event's
``actor_id``; the page joins it to the user's name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from police.aggregates.case import Case
from projections.models import Applied, ReadModel, iso
from projections.timeline import describe, params_json

if TYPE_CHECKING:
    from projections.store import Writer


class Timeline(ReadModel):
    name = "timeline"
    version = 1
    needs_cases = True
    tables = {  # noqa: RUF012
        "rm_timeline": """
            CREATE TABLE IF NOT EXISTS rm_timeline (
                case_id TEXT NOT NULL,
                position BIGINT NOT NULL,
                version INTEGER NOT NULL,
                at TEXT NOT NULL,
                actor_id TEXT,
                kind TEXT NOT NULL,
                params TEXT NOT NULL,
                text_fr TEXT NOT NULL,
                PRIMARY KEY (case_id, position)
            )""",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._lines: list[dict[str, Any]] = []

    def forget(self) -> None:
        self._lines.clear()

    def flush(self, w: Writer) -> None:
        if self._lines:
            w.execute_many(
                "INSERT INTO rm_timeline (case_id, position, version, at, actor_id, kind, "
                "params, text_fr) VALUES (:case_id, :position, :version, :at, :actor_id, :kind, "
                ":params, :text_fr) ON CONFLICT (case_id, position) DO NOTHING",
                self._lines,
            )
        self._lines.clear()

    def case_changed(self, w: Writer, event: Any, at: Applied) -> None:
        case = at.case
        assert case is not None
        kind, params, text = describe(event, case)
        self._lines.append(
            {
                "case_id": str(case.id),
                "position": at.position,
                "version": event.originator_version,
                "at": iso(event.timestamp),
                "actor_id": str(getattr(event, "actor_id", "") or "") or None,
                "kind": kind,
                "params": params_json(params),
                "text_fr": text,
            }
        )

    handlers = {Case.Event: case_changed}  # noqa: RUF012
