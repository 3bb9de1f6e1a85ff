"""The team page's question: the officers of some brigades, from the ``users`` read model, each
with their load from the ``planning`` one (open visits, those rolled over from an earlier day,
visits made in the last seven days), counting only the visits of those brigades."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from projections.queries.base import Queries
from projections.visit_rows import TeamMember

WEEK = 7  # days, today included


class TeamQueries(Queries):
    def team(self, brigades: Sequence[str], today: date) -> list[TeamMember]:
        """The officers (active or not) holding one of ``brigades``, by name."""
        if not brigades:
            return []
        scope = set(brigades)
        members = [
            r
            for r in self._query(
                "SELECT user_id, username, full_name, badge, roles, brigades, active "
                "FROM rm_users ORDER BY full_name, username"
            )
            if "officer" in _items(r["roles"]) and scope & set(_items(r["brigades"]))
        ]
        names = {f"b{i}": b for i, b in enumerate(sorted(scope))}
        within = f"v.brigade IN ({', '.join(':' + n for n in names)})"
        params = names | {
            "today": today.isoformat(),
            "since": (today - timedelta(days=WEEK - 1)).isoformat(),
        }
        open_counts = {
            r["officer_id"]: (int(r["open"]), int(r["rolled"]))
            for r in self._query(
                "SELECT v.officer_id, COUNT(*) AS open, SUM(CASE WHEN "
                "COALESCE(v.due_on, v.assigned_on) < :today THEN 1 ELSE 0 END) AS rolled "
                "FROM rm_visits v WHERE v.status = 'open' AND v.officer_id IS NOT NULL "
                f"AND {within} GROUP BY v.officer_id",
                params,
            )
        }
        # A visit made counts for the officer whose inspection ticked it off.
        done_counts = {
            r["officer_id"]: int(r["done"])
            for r in self._query(
                "SELECT i.officer_id, COUNT(*) AS done FROM rm_visits v "
                "JOIN rm_inspections i ON i.inspection_id = v.inspection_id "
                f"WHERE v.status = 'done' AND v.closed_on >= :since AND {within} "
                "GROUP BY i.officer_id",
                params,
            )
        }
        return [
            TeamMember(
                user_id=r["user_id"],
                username=r["username"],
                full_name=r["full_name"],
                badge=r["badge"],
                brigades=tuple(b for b in _items(r["brigades"]) if b in scope),
                active=bool(r["active"]),
                open_visits=open_counts.get(r["user_id"], (0, 0))[0],
                rolled_over=open_counts.get(r["user_id"], (0, 0))[1],
                done_this_week=done_counts.get(r["user_id"], 0),
            )
            for r in members
        ]


def _items(listed: str) -> list[str]:
    """A comma list of the ``users`` read model (roles, brigades)."""
    return [item for item in listed.split(",") if item]
