"""A brigade's roster: which arrondissements each officer covers, and every visit given to an
officer (a follow-up, a resident's report, a permit application's site visit, a campaign
target) until it is made or withdrawn. Every assignment, by rule or by a supervisor, is one
event here, so who was sent where, and why, is on the record; the open visits give each
officer's load, which the rule reads to pick the lightest.

One roster per brigade (its id named after the brigade), saved in the same save as the visit's
own record (the case, report, application or campaign), so neither is ever without the other.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from police.aggregates.base import PoliceAggregate
from police.errors import N_, InvalidTransition
from police.identifiers import natural_id
from police.planning import PlanningRules, lightest


def roster_id(brigade: str) -> UUID:
    return natural_id("roster", brigade)


class Roster(PoliceAggregate):
    class Event(PoliceAggregate.Event):
        pass

    class Created(Event, PoliceAggregate.Created):
        pass

    class Opened(Created):
        brigade: str

    class CoverageSet(Event):
        """The arrondissements an officer covers from now on (none: off the roster)."""

        actor_id: UUID
        officer_id: UUID
        arrondissements: list[str]

    class VisitAssigned(Event):
        """A visit given to an officer (``officer_id`` None: waiting for a supervisor's
        choice), by the rule or by ``actor_id``; ``previous`` says whom it was taken from."""

        visit: str  # the visit's key: follow_up:<case id>, report:<number>, ...
        kind: str
        label: str  # what it is, as the day shows it (a case reference, a report number)
        arrondissement: str
        place: dict[str, Any]  # address, lat, lon: where the officer goes
        note: str  # why: the supervisor's instructions, the office's request, the campaign
        due_on: date | None
        officer_id: UUID | None
        by_rule: bool
        actor_id: UUID
        previous: UUID | None

    class VisitDone(Event):
        visit: str
        inspection_id: UUID | None
        actor_id: UUID

    class VisitWithdrawn(Event):
        visit: str
        actor_id: UUID
        reason: str

    @staticmethod
    def create_id(brigade: str) -> UUID:
        return roster_id(brigade)

    @event(Opened)
    def __init__(self, *, brigade: str) -> None:
        self.brigade = brigade
        self.coverage: dict[str, list[str]] = {}  # officer id -> arrondissements
        self.visits: dict[str, dict[str, Any]] = {}  # the open visits, by key
        self.given = 0  # how many assignments so far
        self.last_given: dict[str, int] = {}  # officer id -> number of their last assignment

    # --- reading ---

    def covering(self, arrondissement: str) -> list[UUID]:
        return [UUID(o) for o, where in self.coverage.items() if arrondissement in where]

    def loads(self, rules: PlanningRules) -> dict[UUID, int]:
        kinds: dict[str, list[str]] = {o: [] for o in self.coverage}
        for visit in self.visits.values():
            if visit["officer_id"] is not None:
                kinds.setdefault(str(visit["officer_id"]), []).append(visit["kind"])
        return {UUID(o): rules.load_of(k) for o, k in kinds.items()}

    def officer_of(self, visit: str) -> UUID | None:
        found = self.visits.get(visit)
        return found["officer_id"] if found else None

    def is_open(self, visit: str) -> bool:
        return visit in self.visits

    # --- commands ---

    def set_coverage(
        self, actor_id: UUID, officer_id: UUID, arrondissements: Sequence[str]
    ) -> None:
        wanted = sorted(set(arrondissements))
        if self.coverage.get(str(officer_id), []) == wanted and (
            wanted or str(officer_id) not in self.coverage
        ):
            return
        self._coverage_set(actor_id=actor_id, officer_id=officer_id, arrondissements=wanted)

    def assign(
        self,
        actor_id: UUID,
        *,
        visit: str,
        kind: str,
        label: str,
        arrondissement: str,
        place: dict[str, Any],
        due_on: date | None,
        rules: PlanningRules,
        note: str = "",
        officer_id: UUID | None = None,
        among: Collection[UUID] = (),
    ) -> UUID | None:
        """Gives a new visit to ``officer_id``, or by the rule to the officer covering its
        arrondissement (within ``among`` when given, e.g. a campaign's officers) with the
        lightest load; None when the rule is "by hand" or no officer is on the roster."""
        if visit in self.visits:
            raise InvalidTransition(N_("Cette visite est déjà prévue."))
        by_rule = officer_id is None
        if by_rule and rules.assignment == "lightest_load":
            officer_id = self._pick(arrondissement, rules, among)
        self._visit_assigned(
            visit=visit,
            kind=kind,
            label=label,
            arrondissement=arrondissement,
            place=place,
            note=note,
            due_on=due_on,
            officer_id=officer_id,
            by_rule=by_rule,
            actor_id=actor_id,
            previous=None,
        )
        return officer_id

    def reassign(self, actor_id: UUID, visit: str, officer_id: UUID) -> None:
        found = self._open(visit)
        if found["officer_id"] == officer_id:
            return
        self._visit_assigned(
            **{
                k: found[k]
                for k in ("visit", "kind", "label", "arrondissement", "place", "note", "due_on")
            },
            officer_id=officer_id,
            by_rule=False,
            actor_id=actor_id,
            previous=found["officer_id"],
        )

    def done(self, visit: str, actor_id: UUID, inspection_id: UUID | None) -> bool:
        """Ticks the visit off if it is open; False if there was none to tick."""
        if visit not in self.visits:
            return False
        self._visit_done(visit=visit, inspection_id=inspection_id, actor_id=actor_id)
        return True

    def withdraw(self, actor_id: UUID, visit: str, reason: str) -> None:
        if visit in self.visits:
            self._visit_withdrawn(visit=visit, actor_id=actor_id, reason=reason)

    def _pick(
        self, arrondissement: str, rules: PlanningRules, among: Collection[UUID]
    ) -> UUID | None:
        # A campaign's officers are its pool, on the roster or not (their load still counts).
        pool = list(dict.fromkeys(among)) if among else [UUID(o) for o in self.coverage]
        candidates = [o for o in pool if o in self.covering(arrondissement)] or pool
        if not candidates:
            return None
        order: Mapping[UUID, int] = {UUID(o): n for o, n in self.last_given.items()}
        return lightest(candidates, self.loads(rules), order)

    def _open(self, visit: str) -> dict[str, Any]:
        found = self.visits.get(visit)
        if found is None:
            raise InvalidTransition(N_("Cette visite n'est plus à faire."))
        return found

    # --- events applied ---

    @event(CoverageSet)
    def _coverage_set(
        self, *, actor_id: UUID, officer_id: UUID, arrondissements: list[str]
    ) -> None:
        if arrondissements:
            self.coverage[str(officer_id)] = list(arrondissements)
        else:
            self.coverage.pop(str(officer_id), None)

    @event(VisitAssigned)
    def _visit_assigned(
        self,
        *,
        visit: str,
        kind: str,
        label: str,
        arrondissement: str,
        place: dict[str, Any],
        note: str,
        due_on: date | None,
        officer_id: UUID | None,
        by_rule: bool,
        actor_id: UUID,
        previous: UUID | None,
    ) -> None:
        self.visits[visit] = {
            "visit": visit,
            "kind": kind,
            "label": label,
            "arrondissement": arrondissement,
            "place": place,
            "note": note,
            "due_on": due_on,
            "officer_id": officer_id,
        }
        self.given += 1
        if officer_id is not None:
            self.last_given[str(officer_id)] = self.given

    @event(VisitDone)
    def _visit_done(self, *, visit: str, inspection_id: UUID | None, actor_id: UUID) -> None:
        self.visits.pop(visit, None)

    @event(VisitWithdrawn)
    def _visit_withdrawn(self, *, visit: str, actor_id: UUID, reason: str) -> None:
        self.visits.pop(visit, None)
