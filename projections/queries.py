"""What the screens ask of the read models: filtered, sorted, paginated case lists, a case, its
timeline, a subject's cases, an officer's day, the overview, map points.

Sorting and filtering only by whitelisted columns; every value is a bound parameter.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Any

from projections.store import ReadStore, Row

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


@dataclass(frozen=True)
class CaseFilters:
    brigades: tuple[str, ...] = ()  # the viewer's scope; empty: every brigade
    status: str = ""
    arrondissement: str = ""
    assignee: str = ""
    overdue: bool = False
    opened_from: date | None = None
    opened_to: date | None = None
    text: str = ""


@dataclass(frozen=True)
class CaseRow:
    case_id: str
    reference: str
    brigade: str
    workflow: str
    status: str
    is_open: bool
    subject_id: str
    subject_kind: str
    subject_label: str
    subject_key: str
    arrondissement: str
    address: str
    lat: float | None
    lon: float | None
    opened_at: str
    opened_on: str
    updated_at: str
    assignee_id: str | None
    assignee_name: str | None
    follow_up_on: str | None
    deadline: str | None
    overdue: bool
    ticket_number: str | None
    fine_due: Decimal
    fine_paid: Decimal
    inspections: int
    photos: int
    notices: int


@dataclass(frozen=True)
class Page:
    rows: list[CaseRow]
    total: int
    page: int
    per_page: int
    more: bool = False  # more than ``total`` (the count stopped at COUNT_CAP)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


@dataclass(frozen=True)
class TimelineLine:
    position: int
    version: int
    at: str
    actor_id: str | None
    actor_name: str
    kind: str
    params: str
    text_fr: str

    @cached_property
    def values(self) -> dict[str, Any]:
        """``params`` read once: what the line's wording is made of."""
        return json.loads(self.params)


@dataclass(frozen=True)
class InspectionLine:
    inspection_id: str
    brigade: str
    recorded_at: str
    case_id: str | None
    case_reference: str | None
    subject_label: str
    address: str
    arrondissement: str
    compliant: bool
    follow_up: bool
    photos: int


@dataclass(frozen=True)
class CaseInspection:
    inspection_id: str
    officer_name: str
    brigade: str
    recorded_at: str
    observed_at: str
    compliant: bool
    follow_up: bool
    photos: list[str]  # SHA-256 of each photo, in the order attached


@dataclass(frozen=True)
class NoticeRow:
    number: str
    case_id: str
    kind: str
    issued_on: str
    deadline: str | None
    object_key: str
    sha256: str
    size: int
    replaces: str | None
    replaced_by: str | None
    served_on: str | None


@dataclass(frozen=True)
class DayTicket:
    """A parking ticket handed over in the street, and its avis de contravention once issued."""

    case_id: str
    reference: str
    ticket_number: str
    subject_label: str
    status: str
    notice_number: str | None
    notice_key: str | None
    notice_sha256: str | None


@dataclass(frozen=True)
class SubjectRow:
    subject_id: str
    kind: str
    subject_key: str
    label: str
    cases: int
    brigades: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Kpi:
    brigade: str
    arrondissement: str
    open: int
    overdue: int
    resolved_this_month: int
    average_days_to_resolution: float | None
    fines_imposed: Decimal
    fines_collected: Decimal


COUNT_CAP = 10_000
_CASE_FIELDS = tuple(f.name for f in fields(CaseRow))

_CASE_COLUMNS = (
    "c.case_id, c.reference, c.brigade, c.workflow, c.status, c.is_open, c.subject_id, "
    "c.subject_kind, c.subject_label, c.subject_key, c.arrondissement, c.address, c.lat, c.lon, "
    "c.opened_at, "
    "c.opened_on, c.updated_at, c.assignee_id, u.full_name AS assignee_name, c.follow_up_on, "
    "c.deadline, c.ticket_number, c.fine_due_cents, c.fine_paid_cents, c.inspections, "
    "c.photos, c.notices"
)


class ReadModels:
    def __init__(self, store: ReadStore, today: Callable[[], date]) -> None:
        self.store = store
        self.today = today

    def _query(self, sql: str, params: dict[str, Any] | None = None) -> list[Row]:
        with self.store.reader() as reader:
            return reader.query(sql, params)

    # --- cases ---------------------------------------------------------------------------

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
            f"SELECT {_CASE_COLUMNS} FROM rm_cases c "
            "LEFT JOIN rm_users u ON u.user_id = c.assignee_id "
            f"WHERE {where} ORDER BY c.{column} {order}, c.case_id {order} "
            "LIMIT :limit OFFSET :offset"
        )
        return count_sql, rows_sql, params

    def status_counts(self, filters: CaseFilters) -> dict[str, int]:
        """Counts per status under every filter but the status itself; from the maintained
        counters when only brigades and arrondissement filter."""
        plain = CaseFilters(brigades=filters.brigades, arrondissement=filters.arrondissement)
        if _without_status(filters) == plain:
            where, params = self._where(plain)
            rows = self._query(
                f"SELECT status, SUM(cases) AS n FROM rm_status_counts c WHERE {where} "
                "GROUP BY status",
                params,
            )
            return {r["status"]: int(r["n"]) for r in rows if int(r["n"])}
        where, params = self._where(_without_status(filters))
        rows = self._query(
            f"SELECT status, COUNT(*) AS n FROM rm_cases c WHERE {where} GROUP BY status",
            params,
        )
        return {r["status"]: int(r["n"]) for r in rows}

    def case(self, case_id: str) -> CaseRow | None:
        rows = self._query(
            f"SELECT {_CASE_COLUMNS} FROM rm_cases c "
            "LEFT JOIN rm_users u ON u.user_id = c.assignee_id WHERE c.case_id = :id",
            {"id": case_id},
        )
        return self._case(rows[0]) if rows else None

    def timeline(self, case_id: str) -> list[TimelineLine]:
        rows = self._query(
            "SELECT t.position, t.version, t.at, t.actor_id, "
            "COALESCE(u.full_name, 'Système') AS actor_name, t.kind, t.params, t.text_fr "
            "FROM rm_timeline t LEFT JOIN rm_users u ON u.user_id = t.actor_id "
            "WHERE t.case_id = :id ORDER BY t.position",
            {"id": case_id},
        )
        return [TimelineLine(**r) for r in rows]

    def user_names(self, user_ids: Sequence[str]) -> dict[str, str]:
        if not user_ids:
            return {}
        marks = ", ".join(f":u{i}" for i in range(len(user_ids)))
        rows = self._query(
            f"SELECT user_id, full_name FROM rm_users WHERE user_id IN ({marks})",
            {f"u{i}": user_id for i, user_id in enumerate(user_ids)},
        )
        return {r["user_id"]: r["full_name"] for r in rows}

    def subject(self, subject_id: str) -> SubjectRow | None:
        rows = self._query(
            "SELECT subject_id, kind, subject_key, label, cases, brigades FROM rm_subjects "
            "WHERE subject_id = :id",
            {"id": subject_id},
        )
        if not rows:
            return None
        row = rows[0]
        return SubjectRow(**(row | {"brigades": [b for b in row["brigades"].split(",") if b]}))

    def subject_cases(self, subject_id: str, brigades: Sequence[str] = ()) -> list[CaseRow]:
        where, params = self._where(CaseFilters(brigades=tuple(brigades)))
        rows = self._query(
            f"SELECT {_CASE_COLUMNS} FROM rm_cases c "
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

    def case_inspections(self, case_id: str) -> list[CaseInspection]:
        rows = self._query(
            "SELECT i.inspection_id, COALESCE(u.full_name, '') AS officer_name, i.brigade, "
            "i.recorded_at, i.observed_at, i.compliant, i.follow_up FROM rm_inspections i "
            "LEFT JOIN rm_users u ON u.user_id = i.officer_id "
            "WHERE i.case_id = :id ORDER BY i.recorded_at",
            {"id": case_id},
        )
        photos = self._query(
            "SELECT e.inspection_id, e.sha256 FROM rm_evidence e JOIN rm_inspections i "
            "ON i.inspection_id = e.inspection_id WHERE i.case_id = :id ORDER BY e.position",
            {"id": case_id},
        )
        by_inspection: dict[str, list[str]] = {}
        for p in photos:
            by_inspection.setdefault(p["inspection_id"], []).append(p["sha256"])
        return [
            CaseInspection(
                **(
                    r
                    | {
                        "compliant": bool(r["compliant"]),
                        "follow_up": bool(r["follow_up"]),
                        "photos": by_inspection.get(r["inspection_id"], []),
                    }
                )
            )
            for r in rows
        ]

    def notice(self, number: str) -> NoticeRow | None:
        rows = self._query("SELECT * FROM rm_notices WHERE number = :n", {"n": number})
        return NoticeRow(**rows[0]) if rows else None

    def notices_of(self, case_id: str) -> list[NoticeRow]:
        rows = self._query(
            "SELECT * FROM rm_notices WHERE case_id = :id ORDER BY issued_on, number",
            {"id": case_id},
        )
        return [NoticeRow(**r) for r in rows]

    def officers(self, brigade: str) -> list[tuple[str, str]]:
        """Active officers of a brigade, (user id, full name), for the assignment list."""
        rows = self._query(
            "SELECT user_id, full_name, roles, brigades FROM rm_users WHERE active = 1 "
            "ORDER BY full_name"
        )
        return [
            (r["user_id"], r["full_name"])
            for r in rows
            if "officer" in r["roles"].split(",") and brigade in r["brigades"].split(",")
        ]

    # --- officers --------------------------------------------------------------------------

    def officer_day(self, officer_id: str, day: date) -> list[InspectionLine]:
        rows = self._query(
            "SELECT i.inspection_id, i.brigade, i.recorded_at, i.case_id, "
            "c.reference AS case_reference, i.subject_label, i.address, i.arrondissement, "
            "i.compliant, i.follow_up, i.photos FROM rm_inspections i "
            "LEFT JOIN rm_cases c ON c.case_id = i.case_id "
            "WHERE i.officer_id = :officer AND i.recorded_on = :day ORDER BY i.recorded_at DESC",
            {"officer": officer_id, "day": day.isoformat()},
        )
        return [
            InspectionLine(
                **(r | {"compliant": bool(r["compliant"]), "follow_up": bool(r["follow_up"])})
            )
            for r in rows
        ]

    def follow_ups_for(self, officer_id: str) -> list[CaseRow]:
        rows = self._query(
            f"SELECT {_CASE_COLUMNS} FROM rm_cases c "
            "LEFT JOIN rm_users u ON u.user_id = c.assignee_id "
            "WHERE c.assignee_id = :officer AND c.is_open = 1 "
            "ORDER BY c.follow_up_on IS NULL, c.follow_up_on, c.deadline",
            {"officer": officer_id},
        )
        return [self._case(r) for r in rows]

    # --- overview and map --------------------------------------------------------------------

    def overview(self, brigades: Sequence[str] = ()) -> list[Kpi]:
        today = self.today()
        scope, params = self._where(CaseFilters(brigades=tuple(brigades)))
        params |= {"today": today.isoformat(), "month": today.replace(day=1).isoformat()}
        open_rows = self._query(
            "SELECT brigade, arrondissement, COUNT(*) AS open, "
            "SUM(CASE WHEN deadline < :today THEN 1 ELSE 0 END) AS overdue "
            f"FROM rm_cases c WHERE c.is_open = 1 AND {scope} "
            "GROUP BY brigade, arrondissement",
            params,
        )
        daily = self._query(
            "SELECT brigade, arrondissement, "
            "SUM(CASE WHEN day >= :month THEN resolved ELSE 0 END) AS resolved_month, "
            "SUM(resolved) AS resolved, SUM(resolution_days) AS days, "
            "SUM(fines_imposed_cents) AS imposed, SUM(fines_collected_cents) AS collected "
            f"FROM rm_daily c WHERE {scope} GROUP BY brigade, arrondissement",
            params,
        )
        keys = {(r["brigade"], r["arrondissement"]) for r in open_rows + daily}
        opened = {(r["brigade"], r["arrondissement"]): r for r in open_rows}
        done = {(r["brigade"], r["arrondissement"]): r for r in daily}
        kpis = []
        for key in sorted(keys):
            o, d = opened.get(key, {}), done.get(key, {})
            resolved = int(d.get("resolved") or 0)
            kpis.append(
                Kpi(
                    brigade=key[0],
                    arrondissement=key[1],
                    open=int(o.get("open") or 0),
                    overdue=int(o.get("overdue") or 0),
                    resolved_this_month=int(d.get("resolved_month") or 0),
                    average_days_to_resolution=(
                        round(int(d.get("days") or 0) / resolved, 1) if resolved else None
                    ),
                    fines_imposed=Decimal(int(d.get("imposed") or 0)) / 100,
                    fines_collected=Decimal(int(d.get("collected") or 0)) / 100,
                )
            )
        return kpis

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

    # --- helpers ----------------------------------------------------------------------------

    def _where(self, f: CaseFilters) -> tuple[str, dict[str, Any]]:
        clauses, params = ["1 = 1"], {}
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
                "overdue": bool(r["is_open"])
                and r["deadline"] is not None
                and r["deadline"] < today,
                "fine_due": Decimal(int(r["fine_due_cents"])) / 100,
                "fine_paid": Decimal(int(r["fine_paid_cents"])) / 100,
            }
        )


def _without_status(f: CaseFilters) -> CaseFilters:
    return replace(f, status="")
