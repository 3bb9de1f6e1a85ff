"""The ``stats`` read model: counters for the overview, maintained rather than counted: cases
per status (``rm_status_counts``) and each day's figures per brigade and arrondissement
(``rm_daily``: inspections, cases opened and resolved, days to resolution, fines).

Counters add up in memory and are written once per batch.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import TYPE_CHECKING, Any

from police.aggregates.case import Case
from police.aggregates.inspection import Inspection
from police.workflow import ENDED, CaseStatus
from projections.models import Applied, ReadModel, cents

if TYPE_CHECKING:
    from projections.store import Writer

RESOLVED = frozenset({CaseStatus.RESOLVED, CaseStatus.CLOSED})
Place = tuple[str, str]  # brigade, arrondissement


class Stats(ReadModel):
    name = "stats"
    version = 1
    needs_cases = True
    tables = {  # noqa: RUF012
        "rm_daily": """
            CREATE TABLE IF NOT EXISTS rm_daily (
                day TEXT NOT NULL,
                brigade TEXT NOT NULL,
                arrondissement TEXT NOT NULL,
                inspections INTEGER NOT NULL DEFAULT 0,
                opened INTEGER NOT NULL DEFAULT 0,
                resolved INTEGER NOT NULL DEFAULT 0,
                resolution_days INTEGER NOT NULL DEFAULT 0,
                fines_imposed_cents BIGINT NOT NULL DEFAULT 0,
                fines_collected_cents BIGINT NOT NULL DEFAULT 0,
                PRIMARY KEY (day, brigade, arrondissement)
            )""",
        "rm_status_counts": """
            CREATE TABLE IF NOT EXISTS rm_status_counts (
                brigade TEXT NOT NULL,
                arrondissement TEXT NOT NULL,
                status TEXT NOT NULL,
                cases INTEGER NOT NULL,
                PRIMARY KEY (brigade, arrondissement, status)
            )""",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._status: Counter[tuple[str, str, str]] = Counter()
        self._daily: dict[tuple[str, str, str], Counter[str]] = {}

    def forget(self) -> None:
        self._status.clear()
        self._daily.clear()

    def flush(self, w: Writer) -> None:
        for (brigade, arrondissement, status), delta in self._status.items():
            if delta:
                w.execute(
                    "INSERT INTO rm_status_counts (brigade, arrondissement, status, cases) "
                    "VALUES (:brigade, :arrondissement, :status, :delta) "
                    "ON CONFLICT (brigade, arrondissement, status) "
                    "DO UPDATE SET cases = rm_status_counts.cases + excluded.cases",
                    {
                        "brigade": brigade,
                        "arrondissement": arrondissement,
                        "status": status,
                        "delta": delta,
                    },
                )
        if any(delta < 0 for delta in self._status.values()):
            # No zero rows: the table must not depend on where batches ended.
            w.execute("DELETE FROM rm_status_counts WHERE cases = 0")
        for (day, brigade, arrondissement), increments in self._daily.items():
            columns = ", ".join(increments)
            values = ", ".join(f":{c}" for c in increments)
            updates = ", ".join(f"{c} = rm_daily.{c} + excluded.{c}" for c in increments)
            w.execute(
                f"INSERT INTO rm_daily (day, brigade, arrondissement, {columns}) "
                f"VALUES (:day, :brigade, :arrondissement, {values}) "
                f"ON CONFLICT (day, brigade, arrondissement) DO UPDATE SET {updates}",
                {"day": day, "brigade": brigade, "arrondissement": arrondissement, **increments},
            )
        self.forget()

    def _add_daily(self, day: str, place: Place, **increments: int) -> None:
        self._daily.setdefault((day, *place), Counter()).update(increments)

    def case_changed(self, w: Writer, event: Any, at: Applied) -> None:
        case, before = at.case, at.status_before
        assert case is not None
        place = (case.brigade, case.location.get("arrondissement", ""))
        after = CaseStatus(case.status)
        if before != after:
            if before is not None:
                self._status[(*place, str(before))] -= 1
            self._status[(*place, str(after))] += 1
        day = self.territory.local_date(event.timestamp).isoformat()
        if isinstance(event, Case.Opened):
            self._add_daily(day, place, opened=1, fines_imposed_cents=cents(case.amount_due))
        if before is not None and before not in ENDED and after in RESOLVED:
            opened_on = self.territory.local_date(case.created_on)
            days = (date.fromisoformat(day) - opened_on).days
            self._add_daily(day, place, resolved=1, resolution_days=days)
        if isinstance(event, Case.FineImposed):
            self._add_daily(day, place, fines_imposed_cents=cents(event.amount))
        if isinstance(event, Case.PaymentRecorded):
            self._add_daily(day, place, fines_collected_cents=cents(event.amount))

    def inspection_recorded(self, w: Writer, event: Any, at: Applied) -> None:
        place = (event.brigade, event.location.get("arrondissement", ""))
        day = self.territory.local_date(event.timestamp).isoformat()
        self._add_daily(day, place, inspections=1)

    handlers = {  # noqa: RUF012
        Case.Event: case_changed,
        Inspection.Recorded: inspection_recorded,
    }
