"""The questions about planned work: an officer's open visits (the day), a brigade's open
visits with what rolled over, who covers which arrondissement, the campaigns with their
progress and targets, the targets a campaign may take (the registry's permits in force, the
register's establishments due, in its arrondissements and drawn zone), and the planning
figures."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Collection, Sequence
from datetime import date, timedelta
from typing import Any

from shapely.geometry import Point, Polygon
from shapely.prepared import prep

from police.aggregates.campaign import MAX_TARGETS, TARGET_KINDS, TargetKind
from projections.queries.base import Queries
from projections.store import Row
from projections.visit_rows import CampaignRow, CampaignTarget, PlanningKpi, VisitRow

_VISIT_COLUMNS = (
    "visit, brigade, kind, label, arrondissement, address, lat, lon, note, due_on, officer_id, "
    "by_rule, assigned_on, status, closed_on"
)
_CAMPAIGN_COLUMNS = (
    "campaign_id, number, brigade, theme, arrondissements, zone, starts_on, ends_on, officers, "
    "targets, visited, with_findings, closed_on, closing_note, version"
)
DAY_LIMIT = 200


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def rolled_over(status: str, due_on: str | None, assigned_on: str, today: date) -> bool:
    """Still to make once its day has passed: its due date, or (none set) the day it was
    given."""
    return status == "open" and (due_on or assigned_on) < today.isoformat()


def _visit(r: Row, today: date) -> VisitRow:
    assigned = date.fromisoformat(r["assigned_on"])
    return VisitRow(
        visit=r["visit"],
        brigade=r["brigade"],
        kind=r["kind"],
        label=r["label"],
        arrondissement=r["arrondissement"],
        address=r["address"],
        lat=r["lat"],
        lon=r["lon"],
        note=r["note"],
        due_on=_day(r["due_on"]),
        officer_id=r["officer_id"],
        by_rule=bool(r["by_rule"]),
        assigned_on=assigned,
        status=r["status"],
        closed_on=_day(r["closed_on"]),
        rolled_over=rolled_over(r["status"], r["due_on"], r["assigned_on"], today),
    )


def _campaign(r: Row) -> CampaignRow:
    return CampaignRow(
        campaign_id=r["campaign_id"],
        number=r["number"],
        brigade=r["brigade"],
        theme=r["theme"],
        arrondissements=tuple(filter(None, r["arrondissements"].split(","))),
        zone=json.loads(r["zone"]) if r["zone"] else None,
        starts_on=date.fromisoformat(r["starts_on"]),
        ends_on=date.fromisoformat(r["ends_on"]),
        officer_ids=tuple(filter(None, r["officers"].split(","))),
        targets=r["targets"],
        visited=r["visited"],
        with_findings=r["with_findings"],
        closed_on=_day(r["closed_on"]),
        closing_note=r["closing_note"],
        version=r["version"],
    )


def _candidate(kind: TargetKind, key: str, r: Row, label: str) -> dict[str, Any]:
    return {
        "key": key,
        "kind": kind.value,
        "label": label,
        "arrondissement": r["arrondissement"],
        "address": r["address"] or "",
        "lat": r["lat"],
        "lon": r["lon"],
    }


class PlanningQueries(Queries):
    def visits_for(self, officer_id: str, brigades: tuple[str, ...], today: date) -> list[VisitRow]:
        """The officer's open visits, and those of their brigades given to no one yet (no one
        on the roster, or the rule is "by hand"): those due first (the oldest due first), then
        the rest in the order they were given."""
        names = {f"b{i}": b for i, b in enumerate(brigades)} or {"b0": ""}
        rows = self._query(
            f"SELECT {_VISIT_COLUMNS} FROM rm_visits WHERE status = 'open' AND "
            "(officer_id = :officer OR (officer_id IS NULL AND brigade IN "
            f"({', '.join(':' + n for n in names)}))) "
            f"ORDER BY due_on IS NULL, due_on, assigned_on, visit LIMIT {DAY_LIMIT}",
            {"officer": officer_id} | names,
        )
        return [_visit(r, today) for r in rows]

    def visits_done_on(self, officer_id: str, day: date) -> list[VisitRow]:
        """The visits the officer made that day (ticked on the day's list)."""
        rows = self._query(
            f"SELECT {_VISIT_COLUMNS} FROM rm_visits v WHERE status = 'done' AND closed_on = :day "
            "AND EXISTS (SELECT 1 FROM rm_inspections i WHERE i.inspection_id = v.inspection_id "
            "AND i.officer_id = :officer) ORDER BY visit LIMIT 200",
            {"officer": officer_id, "day": day.isoformat()},
        )
        return [_visit(r, day) for r in rows]

    def brigade_visits(self, brigade: str, today: date) -> list[VisitRow]:
        """The brigade's open visits, the unassigned and rolled-over ones first."""
        rows = self._query(
            f"SELECT {_VISIT_COLUMNS} FROM rm_visits WHERE brigade = :brigade "
            "AND status = 'open' ORDER BY officer_id IS NOT NULL, assigned_on, visit LIMIT 1000",
            {"brigade": brigade},
        )
        return [_visit(r, today) for r in rows]

    def visit_row(self, visit: str, today: date) -> VisitRow | None:
        rows = self._query(f"SELECT {_VISIT_COLUMNS} FROM rm_visits WHERE visit = :v", {"v": visit})
        return _visit(rows[0], today) if rows else None

    def planned_keys(self, keys: list[str]) -> set[str]:
        """Those of ``keys`` the rosters hold (open or not)."""
        if not keys:
            return set()
        names = {f"k{i}": k for i, k in enumerate(keys)}
        rows = self._query(
            f"SELECT visit FROM rm_visits WHERE visit IN ({', '.join(':' + n for n in names)})",
            names,
        )
        return {r["visit"] for r in rows}

    def coverage(self, brigade: str) -> dict[str, list[str]]:
        """Officer id -> the arrondissements they cover."""
        found: dict[str, list[str]] = {}
        for r in self._query(
            "SELECT officer_id, arrondissement FROM rm_coverage WHERE brigade = :brigade "
            "ORDER BY officer_id, arrondissement",
            {"brigade": brigade},
        ):
            found.setdefault(r["officer_id"], []).append(r["arrondissement"])
        return found

    def campaigns(self, brigades: tuple[str, ...]) -> list[CampaignRow]:
        if not brigades:
            return []
        names = {f"b{i}": b for i, b in enumerate(brigades)}
        rows = self._query(
            f"SELECT {_CAMPAIGN_COLUMNS} FROM rm_campaigns WHERE brigade IN "
            f"({', '.join(':' + n for n in names)}) ORDER BY starts_on DESC, number DESC",
            names,
        )
        return [_campaign(r) for r in rows]

    def campaign_row(self, number: str) -> CampaignRow | None:
        rows = self._query(
            f"SELECT {_CAMPAIGN_COLUMNS} FROM rm_campaigns WHERE number = :n", {"n": number}
        )
        return _campaign(rows[0]) if rows else None

    def campaign_targets(self, campaign_id: str) -> list[CampaignTarget]:
        rows = self._query(
            "SELECT target, kind, label, arrondissement, address, lat, lon, visited_on, "
            "officer_id, compliant FROM rm_campaign_targets WHERE campaign_id = :id "
            "ORDER BY visited_on IS NOT NULL, arrondissement, label",
            {"id": campaign_id},
        )
        return [
            CampaignTarget(
                target=r["target"],
                kind=r["kind"],
                label=r["label"],
                arrondissement=r["arrondissement"],
                address=r["address"],
                lat=r["lat"],
                lon=r["lon"],
                visited_on=_day(r["visited_on"]),
                officer_id=r["officer_id"],
                compliant=None if r["compliant"] is None else bool(r["compliant"]),
            )
            for r in rows
        ]

    def campaign_candidates(
        self,
        brigade: str,
        arrondissements: Collection[str],
        zone: Sequence[Sequence[float]] | None,
        kinds: Collection[str],
        today: date,
    ) -> list[dict[str, Any]]:
        """The targets a campaign of ``brigade`` may take, as ``plan_campaign`` takes them:
        the permits in force on ``today`` and the establishments due by then (never inspected,
        or their routine visit due), in ``arrondissements`` and inside the ``zone`` ([lon, lat]
        points) when given; nothing when neither is. At most ``MAX_TARGETS``, by arrondissement
        and label."""
        wanted = [k for k in TARGET_KINDS.get(brigade, ()) if k in kinds]
        outline = prep(Polygon(zone)) if zone and len(zone) >= 3 else None
        if not wanted or not (arrondissements or outline):
            return []
        names = {f"a{i}": a for i, a in enumerate(sorted(set(arrondissements)))}
        where = f"arrondissement IN ({', '.join(':' + n for n in names)})" if names else "1 = 1"
        params: dict[str, Any] = names | {"today": today.isoformat()}
        found: list[dict[str, Any]] = []
        if TargetKind.PERMIT in wanted:
            found += [
                _candidate(TargetKind.PERMIT, f"permit:{r['number']}", r, r["label"])
                for r in self._query(
                    "SELECT number, holder_label || ' · ' || number AS label, arrondissement, "
                    f"address, lat, lon FROM rm_permits WHERE {where} AND revoked = 0 "
                    "AND suspended = 0 AND valid_from <= :today AND valid_until >= :today",
                    params,
                )
            ]
        if TargetKind.ESTABLISHMENT in wanted:
            found += [
                _candidate(TargetKind.ESTABLISHMENT, f"subject:{r['subject_id']}", r, r["label"])
                for r in self._query(
                    "SELECT subject_id, label, arrondissement, address, lat, lon FROM rm_register "
                    f"WHERE {where} AND due_on <= :today",
                    params,
                )
            ]
        if outline is not None:
            found = [
                t
                for t in found
                if t["lat"] is not None and outline.contains(Point(t["lon"], t["lat"]))
            ]
        found.sort(key=lambda t: (t["arrondissement"], t["label"], t["key"]))
        return found[:MAX_TARGETS]

    def campaign_assignments(self, campaign_id: str) -> dict[str, str]:
        """Target key -> the officer its visit went to (open, made or withdrawn since)."""
        prefix = f"campaign:{campaign_id}:"
        rows = self._query(
            "SELECT visit, officer_id FROM rm_visits WHERE visit LIKE :prefix",
            {"prefix": prefix + "%"},
        )
        return {
            r["visit"][len(prefix) :]: r["officer_id"]
            for r in rows
            if r["visit"].startswith(prefix) and r["officer_id"]
        }

    def planning_kpi(self, brigades: tuple[str, ...], today: date) -> PlanningKpi:
        names = {f"b{i}": b for i, b in enumerate(brigades)} or {"b0": ""}
        within = f"brigade IN ({', '.join(':' + n for n in names)})"
        overdue = Counter[str]()
        rolled = 0
        for r in self._query(
            f"SELECT arrondissement, due_on, assigned_on FROM rm_visits WHERE {within} "
            "AND status = 'open'",
            names,
        ):
            if r["due_on"] and r["due_on"] < today.isoformat():
                overdue[r["arrondissement"]] += 1
            if rolled_over("open", r["due_on"], r["assigned_on"], today):
                rolled += 1
        running = [
            (c.number, c.theme, c.visited, c.targets)
            for c in self.campaigns(tuple(brigades))
            if c.status(today) in ("running", "ended")
        ]
        since = (today - timedelta(days=30)).isoformat()
        [counted] = self._query(
            f"SELECT COUNT(*) AS visits, COUNT(DISTINCT officer_id || ' ' || recorded_on) AS "
            f"days FROM rm_inspections WHERE {within} AND recorded_on > :since",
            names | {"since": since},
        )
        per_day = counted["visits"] / counted["days"] if counted["days"] else 0.0
        return PlanningKpi(
            overdue_by_arrondissement=dict(overdue.most_common()),
            rolled_over=rolled,
            campaigns=running,
            visits_per_officer_day=per_day,
        )
