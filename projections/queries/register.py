"""The questions to the establishment register: a page of establishments by arrondissement,
category, due date and name, ICE or address; one establishment; the routine visits due in an
officer's arrondissements, most overdue first; the share inspected within their frequency."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from projections.queries.base import Queries
from projections.register_rows import (
    Coverage,
    RegisterFilters,
    RegisterPage,
    RegisterRow,
    RiskReason,
)
from projections.store import Row

DUE_SOON_DAYS = 30
_COLUMNS = (
    "subject_id, subject_key, label, activity, ice, address, arrondissement, lat, lon, "
    "known_since, last_hygiene_on, last_compliant, hygiene_cases, closure_orders, "
    "computed_category, reasons, override_category, override_reason, category, "
    "frequency_days, due_on"
)
_SELECT = f"SELECT {_COLUMNS} FROM rm_register"


def _row(r: Row, today: date) -> RegisterRow:
    values = {k: v for k, v in r.items() if k not in ("reasons", "last_compliant")}
    compliant = r["last_compliant"]
    return RegisterRow(
        **values,
        last_compliant=None if compliant is None else bool(compliant),
        reasons=tuple(RiskReason(**reason) for reason in json.loads(r["reasons"])),
        overdue=r["due_on"] is not None and r["due_on"] < today.isoformat(),
    )


class RegisterQueries(Queries):
    def _register_where(self, f: RegisterFilters, today: date) -> tuple[str, dict[str, Any]]:
        clauses, params = ["1 = 1"], {}
        for column, value in (("arrondissement", f.arrondissement), ("category", f.category)):
            if value:
                clauses.append(f"{column} = :{column}")
                params[column] = value
        if f.due == "overdue":
            clauses.append("due_on < :today")
            params["today"] = today.isoformat()
        elif f.due == "due":
            clauses.append("due_on <= :soon")
            params["soon"] = (today + timedelta(days=DUE_SOON_DAYS)).isoformat()
        if f.text.strip():
            clauses.append(
                "(LOWER(label) LIKE :text OR LOWER(ice) LIKE :text OR LOWER(address) LIKE :text)"
            )
            escaped = f.text.strip().lower().replace("\\", "").replace("%", "").replace("_", "")
            params["text"] = f"%{escaped}%"
        return " AND ".join(clauses), params

    def register_page(
        self, f: RegisterFilters, today: date, page: int = 1, per_page: int = 50
    ) -> RegisterPage:
        """Establishments by due date, then name."""
        where, params = self._register_where(f, today)
        page = max(1, page)
        with self.store.reader() as reader:
            [count] = reader.query(f"SELECT COUNT(*) AS n FROM rm_register WHERE {where}", params)
            rows = reader.query(
                f"{_SELECT} WHERE {where} ORDER BY due_on IS NULL, due_on, label, subject_id "
                "LIMIT :limit OFFSET :offset",
                params | {"limit": per_page, "offset": (page - 1) * per_page},
            )
        return RegisterPage([_row(r, today) for r in rows], int(count["n"]), page, per_page)

    def routine_due(
        self, arrondissements: Sequence[str], today: date, limit: int = 20
    ) -> list[RegisterRow]:
        """The establishments of those arrondissements due a routine visit, most overdue
        first."""
        if not arrondissements:
            return []
        names = {f"a{i}": a for i, a in enumerate(arrondissements)}
        rows = self._query(
            f"{_SELECT} WHERE arrondissement IN ({', '.join(':' + n for n in names)}) "
            "AND due_on <= :today ORDER BY due_on, label, subject_id LIMIT :limit",
            names | {"today": today.isoformat(), "limit": limit},
        )
        return [_row(r, today) for r in rows]

    def register_row(self, subject_id: str) -> RegisterRow | None:
        rows = self._query(f"{_SELECT} WHERE subject_id = :id", {"id": subject_id})
        return _row(rows[0], self.today()) if rows else None

    def routine_coverage(self, today: date) -> tuple[Coverage, list[Coverage]]:
        """Overall (arrondissement ""), and each arrondissement ("" too for the establishments
        not placed yet): the establishments, those inspected within their frequency, those
        overdue."""
        rows = self._query(
            "SELECT arrondissement, COUNT(due_on) AS establishments, "
            "SUM(CASE WHEN last_hygiene_on IS NOT NULL AND due_on >= :today "
            "THEN 1 ELSE 0 END) AS covered, "
            "SUM(CASE WHEN due_on < :today THEN 1 ELSE 0 END) AS overdue "
            "FROM rm_register GROUP BY arrondissement ORDER BY arrondissement",
            {"today": today.isoformat()},
        )
        areas = [
            Coverage(
                r["arrondissement"], int(r["establishments"]), int(r["covered"]), int(r["overdue"])
            )
            for r in rows
        ]
        overall = Coverage(
            "",
            sum(a.establishments for a in areas),
            sum(a.covered for a in areas),
            sum(a.overdue for a in areas),
        )
        return overall, areas
