"""The questions to the other read models: a case's timeline and inspections, an officer's
day, a subject, users' names, the accounts and a brigade's officers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from uuid import UUID

from police.plausibility import Fix
from projections.models.inspections import neighbours
from projections.queries.base import Queries
from projections.rows import CaseInspection, InspectionLine, SubjectRow, TimelineLine


class RecordQueries(Queries):
    def timeline(self, case_id: str) -> list[TimelineLine]:
        rows = self._query(
            "SELECT t.position, t.version, t.at, t.actor_id, "
            "COALESCE(u.full_name, 'Système') AS actor_name, t.kind, t.params "
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

    def neighbours(self, officer_id: UUID, inspection_id: UUID) -> list[Fix]:
        """The officer's inspections just before and after this one (``police.plausibility``'s
        ``Track``: the speed between them)."""
        return neighbours(self._query, str(officer_id), str(inspection_id))

    def case_inspections(self, case_id: str) -> list[CaseInspection]:
        rows = self._query(
            "SELECT i.inspection_id, COALESCE(u.full_name, '') AS officer_name, "
            "COALESCE(u.badge, '') AS officer_badge, i.brigade, "
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

    def account_choices(self) -> list[tuple[str, str, str, bool]]:
        """Every account, (user id, username, full name, active), by username: the choices of
        the admin's forms and filters."""
        rows = self._query(
            "SELECT user_id, username, full_name, active FROM rm_users ORDER BY username"
        )
        return [(r["user_id"], r["username"], r["full_name"], bool(r["active"])) for r in rows]

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
