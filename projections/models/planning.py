"""The ``planning`` read model: the brigades' rosters and campaigns as the officer's day, the
supervisors' planning page and the campaign pages read them. ``rm_visits``: every visit given to
an officer, open until made or withdrawn (an open visit given before today has rolled over);
``rm_coverage``: who covers which arrondissement; ``rm_campaigns`` and
``rm_campaign_targets``: each campaign with its progress, each target with its outcome.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from police.aggregates.campaign import Campaign
from police.aggregates.roster import Roster
from police.roles import Brigade
from projections.models import Applied, ReadModel, iso

if TYPE_CHECKING:
    from projections.store import Writer


class Planning(ReadModel):
    name = "planning"
    version = 1
    tables = {  # noqa: RUF012
        "rm_visits": """
            CREATE TABLE IF NOT EXISTS rm_visits (
                visit TEXT PRIMARY KEY,
                brigade TEXT NOT NULL,
                kind TEXT NOT NULL,
                label TEXT NOT NULL,
                arrondissement TEXT NOT NULL,
                address TEXT NOT NULL,
                lat REAL,
                lon REAL,
                note TEXT NOT NULL,
                due_on TEXT,
                officer_id TEXT,
                by_rule INTEGER NOT NULL,
                assigned_on TEXT NOT NULL,
                status TEXT NOT NULL,
                closed_on TEXT,
                inspection_id TEXT,
                reassigned INTEGER NOT NULL
            )""",
        "rm_visits_officer": "CREATE INDEX IF NOT EXISTS rm_visits_officer "
        "ON rm_visits (officer_id, status, due_on)",
        "rm_visits_brigade": "CREATE INDEX IF NOT EXISTS rm_visits_brigade "
        "ON rm_visits (brigade, status, assigned_on)",
        "rm_coverage": """
            CREATE TABLE IF NOT EXISTS rm_coverage (
                brigade TEXT NOT NULL,
                officer_id TEXT NOT NULL,
                arrondissement TEXT NOT NULL,
                PRIMARY KEY (brigade, officer_id, arrondissement)
            )""",
        "rm_campaigns": """
            CREATE TABLE IF NOT EXISTS rm_campaigns (
                campaign_id TEXT PRIMARY KEY,
                number TEXT NOT NULL UNIQUE,
                brigade TEXT NOT NULL,
                theme TEXT NOT NULL,
                arrondissements TEXT NOT NULL,
                zone TEXT,
                starts_on TEXT NOT NULL,
                ends_on TEXT NOT NULL,
                officers TEXT NOT NULL,
                targets INTEGER NOT NULL,
                visited INTEGER NOT NULL,
                with_findings INTEGER NOT NULL,
                closed_on TEXT,
                closing_note TEXT,
                planned_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                version INTEGER NOT NULL
            )""",
        "rm_campaign_targets": """
            CREATE TABLE IF NOT EXISTS rm_campaign_targets (
                campaign_id TEXT NOT NULL,
                target TEXT NOT NULL,
                kind TEXT NOT NULL,
                label TEXT NOT NULL,
                arrondissement TEXT NOT NULL,
                address TEXT NOT NULL,
                lat REAL,
                lon REAL,
                visited_on TEXT,
                officer_id TEXT,
                compliant INTEGER,
                inspection_id TEXT,
                PRIMARY KEY (campaign_id, target)
            )""",
    }

    def _day(self, event: Any) -> str:
        return self.territory.local_date(event.timestamp).isoformat()

    # --- rosters ---

    def opened(self, w: Writer, event: Any, at: Applied) -> None:
        """A roster's first event carries nothing to show."""

    def coverage_set(self, w: Writer, event: Any, at: Applied) -> None:
        brigade = self._brigade(w, event)
        key = {"brigade": brigade, "officer": str(event.officer_id)}
        w.execute("DELETE FROM rm_coverage WHERE brigade = :brigade AND officer_id = :officer", key)
        for code in event.arrondissements:
            w.execute(
                "INSERT INTO rm_coverage (brigade, officer_id, arrondissement) "
                "VALUES (:brigade, :officer, :code)",
                key | {"code": code},
            )

    def visit_assigned(self, w: Writer, event: Any, at: Applied) -> None:
        place = event.place
        row = {
            "visit": event.visit,
            "brigade": self._brigade(w, event),
            "kind": event.kind,
            "label": event.label,
            "arrondissement": event.arrondissement,
            "address": place.get("address") or "",
            "lat": place.get("lat"),
            "lon": place.get("lon"),
            "note": event.note,
            "due_on": event.due_on.isoformat() if event.due_on else None,
            "officer_id": str(event.officer_id) if event.officer_id else None,
            "by_rule": int(event.by_rule),
            "assigned_on": self._day(event),
            "reassigned": int(event.previous is not None),
        }
        w.execute(
            "INSERT INTO rm_visits (visit, brigade, kind, label, arrondissement, address, lat, "
            "lon, note, due_on, officer_id, by_rule, assigned_on, status, reassigned) VALUES ("
            ":visit, :brigade, :kind, :label, :arrondissement, :address, :lat, :lon, :note, "
            ":due_on, "
            ":officer_id, :by_rule, :assigned_on, 'open', :reassigned) "
            "ON CONFLICT (visit) DO UPDATE SET officer_id = excluded.officer_id, "
            "by_rule = excluded.by_rule, assigned_on = excluded.assigned_on, "
            "due_on = excluded.due_on, label = excluded.label, note = excluded.note, "
            "status = 'open', "
            "closed_on = NULL, inspection_id = NULL, reassigned = excluded.reassigned",
            row,
        )

    def visit_done(self, w: Writer, event: Any, at: Applied) -> None:
        self._close(w, event, "done", event.inspection_id)

    def visit_withdrawn(self, w: Writer, event: Any, at: Applied) -> None:
        self._close(w, event, "withdrawn", None)

    def _close(self, w: Writer, event: Any, status: str, inspection_id: Any) -> None:
        w.execute(
            "UPDATE rm_visits SET status = :status, closed_on = :on, inspection_id = :inspection "
            "WHERE visit = :visit",
            {
                "status": status,
                "on": self._day(event),
                "inspection": str(inspection_id) if inspection_id else None,
                "visit": event.visit,
            },
        )

    def _brigade(self, w: Writer, event: Any) -> str:
        return _BRIGADE_OF[event.originator_id]

    # --- campaigns ---

    def planned(self, w: Writer, event: Any, at: Applied) -> None:
        w.execute(
            "INSERT INTO rm_campaigns (campaign_id, number, brigade, theme, arrondissements, "
            "zone, starts_on, ends_on, officers, targets, visited, with_findings, planned_at, "
            "updated_at, version) VALUES (:id, :number, :brigade, :theme, :arrondissements, "
            ":zone, :starts_on, :ends_on, :officers, 0, 0, 0, :at, :at, :version)",
            {
                "id": str(event.originator_id),
                "number": event.number,
                "brigade": event.brigade,
                "theme": event.theme,
                "arrondissements": ",".join(event.arrondissements),
                "zone": json.dumps(event.zone) if event.zone else None,
                "starts_on": event.starts_on.isoformat(),
                "ends_on": event.ends_on.isoformat(),
                "officers": ",".join(str(o) for o in event.officer_ids),
                "at": iso(event.timestamp),
                "version": event.originator_version,
            },
        )

    def targets_added(self, w: Writer, event: Any, at: Applied) -> None:
        campaign_id = str(event.originator_id)
        for t in event.targets:
            w.execute(
                "INSERT INTO rm_campaign_targets (campaign_id, target, kind, label, "
                "arrondissement, address, lat, lon) VALUES (:id, :key, :kind, :label, "
                ":arrondissement, :address, :lat, :lon)",
                {"id": campaign_id, **{k: t.get(k) for k in _TARGET_FIELDS}},
            )
        self._campaign(w, event, "targets = targets + :n", {"n": len(event.targets)})

    def officers_changed(self, w: Writer, event: Any, at: Applied) -> None:
        officers = ",".join(str(o) for o in event.officer_ids)
        self._campaign(w, event, "officers = :officers", {"officers": officers})

    def target_visited(self, w: Writer, event: Any, at: Applied) -> None:
        w.execute(
            "UPDATE rm_campaign_targets SET visited_on = :on, officer_id = :officer, "
            "compliant = :compliant, inspection_id = :inspection "
            "WHERE campaign_id = :id AND target = :target",
            {
                "on": event.on.isoformat(),
                "officer": str(event.officer_id),
                "compliant": int(event.compliant),
                "inspection": str(event.inspection_id),
                "id": str(event.originator_id),
                "target": event.target,
            },
        )
        findings = 0 if event.compliant else 1
        self._campaign(
            w, event, "visited = visited + 1, with_findings = with_findings + :f", {"f": findings}
        )

    def closed(self, w: Writer, event: Any, at: Applied) -> None:
        self._campaign(
            w,
            event,
            "closed_on = :on, closing_note = :note",
            {"on": self._day(event), "note": event.note},
        )

    def _campaign(self, w: Writer, event: Any, assignments: str, params: dict[str, Any]) -> None:
        w.execute(
            f"UPDATE rm_campaigns SET {assignments}, updated_at = :at, version = :version "
            "WHERE campaign_id = :id",
            params
            | {
                "at": iso(event.timestamp),
                "version": event.originator_version,
                "id": str(event.originator_id),
            },
        )

    handlers = {  # noqa: RUF012
        Roster.Opened: opened,
        Roster.CoverageSet: coverage_set,
        Roster.VisitAssigned: visit_assigned,
        Roster.VisitDone: visit_done,
        Roster.VisitWithdrawn: visit_withdrawn,
        Campaign.Planned: planned,
        Campaign.TargetsAdded: targets_added,
        Campaign.OfficersChanged: officers_changed,
        Campaign.TargetVisited: target_visited,
        Campaign.Closed: closed,
    }


# A roster's id is named after its brigade.
_BRIGADE_OF = {Roster.create_id(b.value): b.value for b in Brigade}
_TARGET_FIELDS = ("key", "kind", "label", "arrondissement", "address", "lat", "lon")
