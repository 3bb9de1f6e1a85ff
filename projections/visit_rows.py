"""The rows of planned work: a visit given to an officer, a campaign and its targets, the
planning figures, an officer's load on the team page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class VisitRow:
    """A visit given to an officer: ``rolled_over`` when its day (its due date, or else the day
    it was given) has passed and it is still to make."""

    visit: str
    brigade: str
    kind: str
    label: str
    arrondissement: str
    address: str
    lat: float | None
    lon: float | None
    note: str
    due_on: date | None
    officer_id: str | None
    by_rule: bool
    assigned_on: date
    status: str
    closed_on: date | None
    rolled_over: bool

    @property
    def campaign_id(self) -> str | None:
        return self.visit.split(":")[1] if self.kind == "campaign" else None

    @property
    def target(self) -> str | None:
        return self.visit.split(":", 2)[2] if self.kind == "campaign" else None


@dataclass(frozen=True)
class CampaignRow:
    campaign_id: str
    number: str
    brigade: str
    theme: str
    arrondissements: tuple[str, ...]
    zone: list[list[float]] | None
    starts_on: date
    ends_on: date
    officer_ids: tuple[str, ...]
    targets: int
    visited: int
    with_findings: int
    closed_on: date | None
    closing_note: str | None
    version: int

    def status(self, today: date) -> str:
        """As ``Campaign.status`` says it (tested to agree)."""
        if self.closed_on is not None:
            return "closed"
        if today < self.starts_on:
            return "planned"
        return "running" if today <= self.ends_on else "ended"

    @property
    def completion(self) -> float:
        return self.visited / self.targets if self.targets else 0.0


@dataclass(frozen=True)
class CampaignTarget:
    target: str
    kind: str
    label: str
    arrondissement: str
    address: str
    lat: float | None
    lon: float | None
    visited_on: date | None
    officer_id: str | None
    compliant: bool | None


@dataclass(frozen=True)
class PlanningKpi:
    """Overdue visits per arrondissement, campaign completion, visits per officer per day."""

    overdue_by_arrondissement: dict[str, int]
    rolled_over: int
    campaigns: list[tuple[str, str, int, int]]  # number, theme, visited, targets (running)
    visits_per_officer_day: float  # inspections per officer and working day, last 30 days


@dataclass(frozen=True)
class TeamMember:
    """An officer as the team page lists them, with their load in the brigades it shows:
    ``open_visits`` still to make (``rolled_over`` of them from an earlier day), and the visits
    their inspections made in the last seven days."""

    user_id: str
    username: str
    full_name: str
    badge: str
    brigades: tuple[str, ...]
    active: bool
    open_visits: int
    rolled_over: int
    done_this_week: int
