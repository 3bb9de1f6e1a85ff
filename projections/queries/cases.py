"""The ``cases`` read model's questions: filtered, sorted, paginated case lists, a case, a
subject's cases, an officer's follow-ups, a day's parking tickets, map points, notices."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from datetime import date
from typing import Any

from projections.queries.base import Queries
from projections.rows import CaseFilters, CaseRow, DayTicket, NoticeRow, Page

SORTS = {
    "reference": "reference",
    "opened": "opened_at",
    "updated": "updated_at",
    "status": "status",
    "deadline": "deadline",
    "brigade": "brigade",
    "arrondissement": "arrondissement",
    "subject": "subject_label",
    "fine": "fine_due_cents",
}
COUNT_CAP = 10_000
_NOTICE_COLUMNS = ", ".join(f.name for f in fields(NoticeRow))


class CaseQueries(Queries):
    def case_list(
        self,
        filters: CaseFilters,
        sort: str = "opened",
        direction: str = "desc",
        page: int = 1,
        per_page: int = 25,
    ) -> Page:
        page, per_page = max(1, page), min(max(1, per_page), 200)
        count_sql, rows_sql, params = self.list_statements(filters, sort, direction, page, per_page)
        with self.store.reader() as reader:
            total = reader.query(count_sql, params)
            rows = reader.query(rows_sql, params)
        count = int(total[0]["n"])
        today = self.today().isoformat()
        return Page(
            [self._case(r, today) for r in rows],
            min(count, COUNT_CAP),
            page,
            per_page,
            count > COUNT_CAP,
        )

    def list_statements(
        self, filters: CaseFilters, sort: str, direction: str, page: int, per_page: int
    ) -> tuple[str, str, dict[str, Any]]:
        """The two statements of a list page (capped count, rows), for benchmarks to run bare."""
        where, params = self._where(filters)
        column = SORTS.get(sort, "opened_at")
        order = "ASC" if direction == "asc" else "DESC"
        params |= {"limit": per_page, "offset": (page - 1) * per_page, "cap": COUNT_CAP + 1}
        # Counting stops past COUNT_CAP: an exact count of a third of a million rows costs
        # more than the page itself, and "more than 10,000" is all a person can use.
        count_sql = (
            f"SELECT COUNT(*) AS n FROM (SELECT 1 FROM rm_cases c WHERE {where} "
            "LIMIT :cap) AS counted"
        )
        rows_sql = (
            f"SELECT {self.case_columns()} FROM rm_cases c "
            "LEFT JOIN rm_users u ON u.user_id = c.assignee_id "
            f"WHERE {where} ORDER BY c.{column} {order}, c.case_id {order} "
            "LIMIT :limit OFFSET :offset"
        )
        return count_sql, rows_sql, params

    def case(self, case_id: str) -> CaseRow | None:
        rows = self._query(
            f"SELECT {self.case_columns()} FROM rm_cases c "
            "LEFT JOIN rm_users u ON u.user_id = c.assignee_id WHERE c.case_id = :id",
            {"id": case_id},
        )
        return self._case(rows[0]) if rows else None

    def subject_cases(self, subject_id: str, brigades: Sequence[str] = ()) -> list[CaseRow]:
        where, params = self._where(CaseFilters(brigades=tuple(brigades)))
        rows = self._query(
            f"SELECT {self.case_columns()} FROM rm_cases c "
            "LEFT JOIN rm_users u ON u.user_id = c.assignee_id "
            f"WHERE c.subject_id = :subject AND {where} ORDER BY c.opened_at DESC",
            params | {"subject": subject_id},
        )
        return [self._case(r) for r in rows]

    def day_tickets(self, day: date, brigades: Sequence[str]) -> list[DayTicket]:
        """The parking tickets of cases opened on ``day``, with the avis in force of each."""
        where, params = self._where(CaseFilters(brigades=tuple(brigades)))
        rows = self._query(
            "SELECT c.case_id, c.reference, c.ticket_number, c.subject_label, c.status, "
            "n.number AS notice_number, n.object_key AS notice_key, n.sha256 AS notice_sha256 "
            "FROM rm_cases c LEFT JOIN rm_notices n ON n.case_id = c.case_id "
            "AND n.kind = 'avis_contravention' AND n.replaced_by IS NULL "
            "WHERE c.opened_on = :day AND c.workflow = 'ticket' "
            f"AND c.ticket_number IS NOT NULL AND {where} ORDER BY c.ticket_number, c.case_id",
            params | {"day": day.isoformat()},
        )
        return [DayTicket(**r) for r in rows]

    def follow_ups_for(self, officer_id: str) -> list[CaseRow]:
        rows = self._query(
            f"SELECT {self.case_columns()} FROM rm_cases c "
            "LEFT JOIN rm_users u ON u.user_id = c.assignee_id "
            "WHERE c.assignee_id = :officer AND c.is_open = 1 "
            "ORDER BY c.follow_up_on IS NULL, c.follow_up_on, c.deadline",
            {"officer": officer_id},
        )
        return [self._case(r) for r in rows]

    def map_features(self, filters: CaseFilters, limit: int = 5000) -> dict[str, Any]:
        where, params = self._where(filters)
        rows = self._query(
            "SELECT case_id, reference, brigade, status, subject_label, lat, lon FROM rm_cases c "
            f"WHERE {where} AND lat IS NOT NULL AND lon IS NOT NULL "
            "ORDER BY opened_at DESC LIMIT :limit",
            params | {"limit": limit},
        )
        return {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [r["lon"], r["lat"]]},
                    "properties": {
                        "case_id": r["case_id"],
                        "reference": r["reference"],
                        "brigade": r["brigade"],
                        "status": r["status"],
                        "subject": r["subject_label"],
                    },
                }
                for r in rows
            ],
        }

    def notice(self, number: str) -> NoticeRow | None:
        rows = self._query(
            f"SELECT {_NOTICE_COLUMNS} FROM rm_notices WHERE number = :n", {"n": number}
        )
        return NoticeRow(**rows[0]) if rows else None

    def notices_of(self, case_id: str) -> list[NoticeRow]:
        rows = self._query(
            f"SELECT {_NOTICE_COLUMNS} FROM rm_notices WHERE case_id = :id "
            "ORDER BY issued_on, number",
            {"id": case_id},
        )
        return [NoticeRow(**r) for r in rows]
