"""What every question to the read models shares: the store, today's date, the case filters
as SQL, and a case row read back."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import fields
from datetime import date
from decimal import Decimal
from typing import Any

from projections.rows import CaseFilters, CaseRow
from projections.store import ReadStore, Row

_CASE_FIELDS = tuple(f.name for f in fields(CaseRow))
# What a CaseRow reads from rm_cases (its assignee's name comes from rm_users).
_CASE_TABLE_COLUMNS = (
    *("case_id", "reference", "brigade", "workflow", "status", "is_open", "subject_id"),
    *("subject_kind", "subject_label", "subject_key", "arrondissement", "address", "lat", "lon"),
    *("opened_at", "opened_on", "updated_at", "assignee_id", "follow_up_on", "deadline"),
    *("ticket_number", "fine_due_cents", "fine_paid_cents", "inspections", "photos", "notices"),
    "vehicle_held",
    "main_infraction",
    "declared_on",
)


def _case_columns(present: Collection[str] = _CASE_TABLE_COLUMNS) -> str:
    listed = [f"c.{c}" if c in present else f"NULL AS {c}" for c in _CASE_TABLE_COLUMNS]
    return ", ".join([*listed, "u.full_name AS assignee_name"])


_CASE_COLUMNS = _case_columns()


class Queries:
    def __init__(self, store: ReadStore, today: Callable[[], date]) -> None:
        self.store = store
        self.today = today
        self._cases_complete = False

    def case_columns(self) -> str:
        """What to select of a case. While a rebuild that adds a column to ``rm_cases`` has
        not committed, pages read the table as it was, the column missing reads as NULL; once
        the table has them all, it is never asked again."""
        if self._cases_complete:
            return _CASE_COLUMNS
        with self.store.reader() as reader:
            present = set(reader.columns("rm_cases"))
        self._cases_complete = present.issuperset(_CASE_TABLE_COLUMNS)
        return _case_columns(present)

    def _query(self, sql: str, params: dict[str, Any] | None = None) -> list[Row]:
        with self.store.reader() as reader:
            rows: list[Row] = reader.query(sql, params)
            return rows

    def _where(self, f: CaseFilters) -> tuple[str, dict[str, Any]]:
        clauses: list[str] = ["1 = 1"]
        params: dict[str, Any] = {}
        if f.brigades:
            names = {f"b{i}": b for i, b in enumerate(f.brigades)}
            clauses.append(f"c.brigade IN ({', '.join(':' + n for n in names)})")
            params |= names
        for column, value in (
            ("status", f.status),
            ("arrondissement", f.arrondissement),
            ("assignee_id", f.assignee),
        ):
            if value:
                clauses.append(f"c.{column} = :{column}")
                params[column] = value
        if f.overdue:
            clauses.append("c.is_open = 1 AND c.deadline < :today")
            params["today"] = self.today().isoformat()
        if f.flagged:
            clauses.append(
                "EXISTS (SELECT 1 FROM rm_inspections i WHERE i.case_id = c.case_id "
                "AND i.flags <> '')"
            )
        if f.declared:
            clauses.append("c.declared_on IS NOT NULL")
        if f.opened_from:
            clauses.append("c.opened_on >= :opened_from")
            params["opened_from"] = f.opened_from.isoformat()
        if f.opened_to:
            clauses.append("c.opened_on <= :opened_to")
            params["opened_to"] = f.opened_to.isoformat()
        if f.text.strip():
            clauses.append("c.search LIKE :text")
            escaped = f.text.strip().lower().replace("\\", "").replace("%", "").replace("_", "")
            params["text"] = f"%{escaped}%"
        return " AND ".join(clauses), params

    def _case(self, r: Row, today: str | None = None) -> CaseRow:
        today = today or self.today().isoformat()
        values = {k: r[k] for k in _CASE_FIELDS if k in r}
        return CaseRow(
            **values
            | {
                "is_open": bool(r["is_open"]),
                "vehicle_held": bool(r["vehicle_held"]),
                "overdue": bool(r["is_open"])
                and r["deadline"] is not None
                and r["deadline"] < today,
                "fine_due": Decimal(int(r["fine_due_cents"])) / 100,
                "fine_paid": Decimal(int(r["fine_paid_cents"])) / 100,
            }
        )
