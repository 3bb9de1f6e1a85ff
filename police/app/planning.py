"""Planned work: the brigades' rosters (who covers which arrondissement, every visit given to an
officer by rule or by hand), campaigns and their targets, and a supervisor's override of an
establishment's risk category. The commands that create a visit (a follow-up, a dispatched
report, a site visit) give it through ``_plan_visit`` and save the roster with their own record;
an inspection ticks the visit it was made for in its own save (``_visits_made``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any
from uuid import UUID

from shapely.geometry import Polygon

from police.aggregates.campaign import Campaign, TargetKind
from police.aggregates.roster import Roster
from police.aggregates.subject import Subject
from police.aggregates.user import User
from police.app.base import BaseApp
from police.errors import N_, Conflict, InvalidInput, NotFound
from police.identifiers import clean_text
from police.planning import PlanningRules, RiskCategory, VisitKind
from police.roles import Actor, Brigade, Role, parse_brigade
from police.submission import InspectionSubmission

SERIES = "CAM"
MAX_CAMPAIGN_DAYS = 366
_UNKNOWN_CAMPAIGN = N_("Campagne introuvable.")
_STALE_CAMPAIGN = N_(
    "La campagne {number} a changé entre-temps : rechargez la page, puis recommencez."
)


@dataclass(frozen=True)
class CampaignPlan:
    """What the supervisor's form says of a new campaign."""

    brigade: str
    theme: str
    starts_on: date
    ends_on: date
    officer_ids: Sequence[UUID]
    arrondissements: Sequence[str] = ()
    zone: Sequence[tuple[float, float]] | None = None  # (lon, lat) points of a drawn outline
    targets: Sequence[dict[str, Any]] = field(default_factory=tuple)


class PlanningCommands(BaseApp):
    @cached_property
    def planning_rules(self) -> PlanningRules:
        return PlanningRules.load()

    # --- rosters ---------------------------------------------------------------------------

    def roster(self, brigade: str) -> Roster:
        """The brigade's roster (opened the first time it is needed, saved with its first
        change)."""
        return self._find(Roster, Roster.create_id(brigade)) or Roster(brigade=brigade)

    def set_coverage(
        self, actor_id: UUID, brigade: str, officer_id: UUID, arrondissements: Sequence[str]
    ) -> None:
        """The arrondissements an officer covers (none: takes them off the roster)."""
        for code in arrondissements:
            self.territory.arrondissement(code)

        def attempt() -> None:
            actor = self._supervisor(actor_id, brigade)
            self._officer_of(brigade, officer_id)
            roster = self.roster(brigade)
            roster.set_coverage(actor.id, officer_id, arrondissements)
            if roster.pending_events:
                self.save(roster)

        self._retrying(attempt)

    def reassign_visit(self, actor_id: UUID, brigade: str, visit: str, officer_id: UUID) -> None:
        def attempt() -> None:
            actor = self._supervisor(actor_id, brigade)
            self._officer_of(brigade, officer_id)
            roster = self.roster(brigade)
            roster.reassign(actor.id, visit, officer_id)
            if roster.pending_events:
                self.save(roster)

        self._retrying(attempt)

    def _plan_visit(
        self,
        actor_id: UUID,
        brigade: str,
        *,
        visit: str,
        kind: VisitKind,
        label: str,
        place: dict[str, Any],
        note: str = "",
        due_on: date | None = None,
        officer_id: UUID | None = None,
        among: Sequence[UUID] = (),
    ) -> tuple[Roster, UUID | None]:
        """The roster with the new visit given (to ``officer_id``, or by the rule), to save with
        the record the visit comes from, and the officer it went to. A visit planned again (a
        follow-up rescheduled) is withdrawn first, then given anew."""
        roster = self.roster(brigade)
        roster.withdraw(actor_id, visit, "replanned")
        chosen = roster.assign(
            actor_id,
            visit=visit,
            kind=kind.value,
            label=label,
            arrondissement=str(place.get("arrondissement", "")),
            place={k: place.get(k) for k in ("address", "lat", "lon")},
            note=note,
            due_on=due_on,
            rules=self.planning_rules,
            officer_id=officer_id,
            among=among,
        )
        return roster, chosen

    def _visit_over(
        self, brigade: str, visit: str, actor_id: UUID, *, done: bool, why: str = ""
    ) -> list[Any]:
        roster = self._find(Roster, Roster.create_id(brigade))
        if roster is None or not roster.is_open(visit):
            return []
        if done:
            roster.done(visit, actor_id, None)
        else:
            roster.withdraw(actor_id, visit, why)
        return [roster]

    def _visits_made(
        self, submission: InspectionSubmission, actor: Actor | None, compliant: bool
    ) -> list[Any]:
        """The roster (and campaign) whose visit this inspection was made for, ticked, to save
        with the inspection; nothing when it was made of the officer's own accord."""
        if submission.visit.startswith("routine:"):
            return []  # the register follows the inspection by itself
        if actor is None:
            if submission.visit:
                self._campaign_visited(submission, None, compliant)
            return []
        keys = []
        if submission.follow_up_case_id is not None:
            keys.append(f"{VisitKind.FOLLOW_UP}:{submission.follow_up_case_id}")
        if submission.report_number.strip():
            keys.append(f"{VisitKind.REPORT}:{submission.report_number.strip().upper()}")
        touched: list[Any] = []
        if submission.visit:
            campaign = self._campaign_visited(submission, actor, compliant)
            touched.append(campaign)
            keys.append(submission.visit)
        roster = self._find(Roster, Roster.create_id(submission.brigade)) if keys else None
        if roster is not None and [
            k for k in keys if roster.done(k, actor.id, submission.submission_id)
        ]:
            touched.append(roster)
        return touched

    def _campaign_visited(
        self, submission: InspectionSubmission, actor: Actor | None, compliant: bool
    ) -> Campaign:
        """The campaign whose target this inspection visits, ticked given the ``actor``."""
        parts = submission.visit.split(":", 2)
        try:
            if len(parts) != 3 or parts[0] != VisitKind.CAMPAIGN:
                raise ValueError(submission.visit)
            campaign = self._get(Campaign, UUID(parts[1]), _UNKNOWN_CAMPAIGN)
        except ValueError:
            raise InvalidInput(_UNKNOWN_CAMPAIGN, field="visit") from None
        target = parts[2]
        if campaign.brigade != submission.brigade:
            raise InvalidInput(_UNKNOWN_CAMPAIGN, field="visit")
        if actor is None:
            campaign.check_target(target)
            return campaign
        campaign.target_visited(
            target,
            inspection_id=submission.submission_id,
            officer_id=actor.id,
            compliant=compliant,
            on=self.today(),
        )
        return campaign

    # --- campaigns -------------------------------------------------------------------------

    def plan_campaign(self, actor_id: UUID, plan: CampaignPlan) -> Campaign:
        """Numbers the campaign (CAM-2026-0007) and gives each target to one of its officers,
        the lightest loaded of those covering the target's arrondissement."""
        brigade = parse_brigade(plan.brigade)
        theme = clean_text(
            plan.theme, field="theme", label=N_("Thème"), required=True, max_length=200
        )
        today = self.today()
        if plan.ends_on < plan.starts_on:
            raise InvalidInput(N_("La campagne finit avant de commencer."), field="ends_on")
        if plan.ends_on < today:
            raise InvalidInput(N_("La campagne serait déjà finie."), field="ends_on")
        if (plan.ends_on - plan.starts_on).days > MAX_CAMPAIGN_DAYS:
            raise InvalidInput(N_("Une campagne dure un an au plus."), field="ends_on")
        for code in plan.arrondissements:
            self.territory.arrondissement(code)
        zone = self._zone(plan.zone)
        if not plan.officer_ids:
            raise InvalidInput(N_("Choisissez au moins un agent."), field="officers")
        targets = [_target(t) for t in plan.targets]

        def attempt() -> Campaign:
            actor = self._supervisor(actor_id, brigade)
            for officer_id in plan.officer_ids:
                self._officer_of(brigade, officer_id)
            counter = self.numbering.counter(SERIES, today.year)
            campaign = Campaign(
                number=counter.format(counter.last + 1),
                brigade=brigade,
                theme=theme,
                arrondissements=sorted(set(plan.arrondissements)),
                zone=zone,
                starts_on=plan.starts_on,
                ends_on=plan.ends_on,
                officer_ids=list(dict.fromkeys(plan.officer_ids)),
                actor_id=actor.id,
            )
            counter.take(campaign.id)
            roster, _ = self._give_targets(actor, campaign, targets)
            self.save(campaign, counter, roster)
            self.numbering.saved([counter])
            return campaign

        with self.numbering.series(today.year, SERIES):
            return self._retrying(attempt)

    def add_campaign_targets(
        self,
        actor_id: UUID,
        number: str,
        targets: Sequence[dict[str, Any]],
        *,
        expected_version: int | None = None,
    ) -> int:
        """Adds targets to a campaign not closed yet; how many were new."""
        checked = [_target(t) for t in targets]

        def attempt() -> int:
            campaign = self._campaign_to_change(number, expected_version)
            actor = self._supervisor(actor_id, campaign.brigade)
            roster, added = self._give_targets(actor, campaign, checked)
            if added:
                self.save(campaign, roster)
            return len(added)

        return self._retrying(attempt)

    def close_campaign(
        self, actor_id: UUID, number: str, *, note: str, expected_version: int | None = None
    ) -> None:
        """Closes it: the targets not visited leave the officers' days."""
        text = clean_text(note, field="note", label=N_("Bilan"), max_length=2000)

        def attempt() -> None:
            campaign = self._campaign_to_change(number, expected_version)
            actor = self._supervisor(actor_id, campaign.brigade)
            left = campaign.close(actor.id, text)
            roster = self.roster(campaign.brigade)
            for target in left:
                roster.withdraw(actor.id, Campaign.visit_key(campaign.id, target), text)
            self.save(campaign, *([roster] if roster.pending_events else []))

        self._retrying(attempt)

    def find_campaign(self, number: str) -> Campaign | None:
        key = number.strip().upper()
        if not key or len(key) > 40:
            return None
        return self._find(Campaign, Campaign.create_id(key))

    def _give_targets(
        self, actor: Actor, campaign: Campaign, targets: list[dict[str, Any]]
    ) -> tuple[Roster, list[str]]:
        roster = self.roster(campaign.brigade)
        added = campaign.add_targets(actor.id, targets)
        for key in added:
            target = campaign.targets[key]
            roster.assign(
                actor.id,
                visit=Campaign.visit_key(campaign.id, key),
                kind=VisitKind.CAMPAIGN.value,
                label=f"{campaign.number} · {target['label']}",
                arrondissement=target["arrondissement"],
                place={k: target.get(k) for k in ("address", "lat", "lon")},
                note=campaign.theme,
                due_on=campaign.ends_on,
                rules=self.planning_rules,
                among=campaign.officer_ids,
            )
        return roster, added

    def _campaign_to_change(self, number: str, expected_version: int | None) -> Campaign:
        campaign = self.find_campaign(number)
        if campaign is None:
            raise NotFound(_UNKNOWN_CAMPAIGN)
        if expected_version is not None and campaign.version != expected_version:
            raise Conflict(_STALE_CAMPAIGN, number=campaign.number)
        return campaign

    def _zone(self, points: Sequence[tuple[float, float]] | None) -> list[list[float]] | None:
        if not points:
            return None
        outline = Polygon(points) if len(points) >= 3 else None
        if outline is None or not outline.is_valid or outline.area == 0:
            raise InvalidInput(N_("La zone dessinée n'est pas un contour valide."), field="zone")
        if not all(self.territory.contains(lat, lon) for lon, lat in points):
            raise InvalidInput(N_("La zone dessinée sort du territoire."), field="zone")
        return [[float(lon), float(lat)] for lon, lat in points]

    # --- the register ----------------------------------------------------------------------

    def override_risk(self, actor_id: UUID, subject_id: UUID, category: str, reason: str) -> None:
        """A hygiene supervisor's category for an establishment, with the reason ("" for the
        category: back to the computed one)."""
        if category and category not in set(RiskCategory):
            raise InvalidInput(N_("Catégorie de risque inconnue."), field="category")
        why = clean_text(
            reason, field="reason", label=N_("Motif"), required=bool(category), max_length=500
        )

        def attempt() -> None:
            self._supervisor(actor_id, Brigade.HYGIENE)
            subject = self._get(Subject, subject_id, N_("Établissement introuvable."))
            if subject.kind != "establishment":
                raise NotFound(N_("Établissement introuvable."))
            subject.override_risk(actor_id, category or None, why)
            if subject.pending_events:
                self.save(subject)

        self._retrying(attempt)

    def establishment(self, subject_id: UUID) -> Subject | None:
        """An establishment of the register (None for a vehicle, a person, or no one)."""
        found = self._find(Subject, subject_id)
        return found if found is not None and found.kind == "establishment" else None

    # --- helpers ---------------------------------------------------------------------------

    def _supervisor(self, actor_id: UUID, brigade: str) -> Actor:
        actor = self.actor(actor_id)
        actor.require([Role.SUPERVISOR], Brigade(brigade))
        return actor

    def _officer_of(self, brigade: str, officer_id: UUID) -> Actor:
        user = self._find(User, officer_id)
        officer = user.as_actor() if user is not None and user.active else None
        if officer is None or not officer.has_role(Role.OFFICER) or not officer.in_scope(brigade):
            raise InvalidInput(N_("Choisissez un agent actif de la brigade."), field="officer_id")
        return officer


def _target(raw: dict[str, Any]) -> dict[str, Any]:
    """A campaign target as the register or the registry describes it."""
    kind = str(raw.get("kind", ""))
    key = str(raw.get("key", ""))
    if kind not in set(TargetKind) or not key.startswith(("subject:", "permit:")):
        raise InvalidInput(N_("Cible de campagne inconnue."), field="targets")
    return {
        "key": key,
        "kind": kind,
        "label": str(raw.get("label", ""))[:200],
        "arrondissement": str(raw.get("arrondissement", "")),
        "address": str(raw.get("address", ""))[:200],
        "lat": raw.get("lat"),
        "lon": raw.get("lon"),
    }
