"""A campaign's life on the real stores: planned and numbered, its targets given to its officers
by load, its status by the dates, an inspection made from a target ticking it (once), closed
with its unvisited targets withdrawn from the officers' days; and what it refuses."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from police import clock
from police.aggregates.campaign import Campaign, CampaignStatus
from police.aggregates.roster import Roster
from police.app import PoliceApp
from police.app.planning import CampaignPlan
from police.errors import InvalidInput, InvalidTransition, NotAllowed
from police.submission import Finding
from tests.police import builders
from tests.police.builders import Staff, event_count, hire

pytestmark = pytest.mark.stores  # a campaign, its roster and inspections saved together


def targets(count: int) -> list[dict[str, Any]]:
    return [
        {
            "key": f"permit:AOT-TER-2026-{n:06d}",
            "kind": "permit",
            "label": f"Terrasse {n}",
            "arrondissement": "anfa",
            "address": f"{n} boulevard d'Anfa",
            "lat": 33.589,
            "lon": -7.642,
        }
        for n in range(1, count + 1)
    ]


def plan(app: PoliceApp, staff: Staff, **changes: Any) -> CampaignPlan:
    today = app.today()
    base = CampaignPlan(
        brigade="public_domain",
        theme="Terrasses de l'été",
        starts_on=today,
        ends_on=today + timedelta(days=14),
        officer_ids=(staff.odp_officer,),
        arrondissements=("anfa",),
        targets=targets(4),
    )
    return replace(base, **changes)


def reread(app: PoliceApp, number: str) -> Campaign:
    found = app.find_campaign(number)
    assert found is not None
    return found


def visit_of(campaign: Campaign, key: str) -> str:
    return Campaign.visit_key(campaign.id, key)


def test_a_campaign_is_planned_visited_and_closed(app: PoliceApp, staff: Staff) -> None:
    second = hire(app, "agent.odp2", ["officer"], ["public_domain"])
    team = (staff.odp_officer, second)
    campaign = app.plan_campaign(staff.odp_chief, plan(app, staff, officer_ids=team))
    assert campaign.number == f"CAM-{app.today().year}-000001"
    assert app.find_campaign(campaign.number.lower()) is not None
    roster = app.roster("public_domain")
    given = {k: roster.officer_of(visit_of(campaign, k)) for k in campaign.targets}
    # Four targets, two officers off the roster, each with no load: the lightest load takes
    # the next one, so each gets two.
    assert Counter(given.values()) == {staff.odp_officer: 2, second: 2}
    assert campaign.status(app.today()) is CampaignStatus.RUNNING

    # An inspection made from the first target ticks it, and its visit, in its save.
    first, second_key = list(campaign.targets)[:2]
    officer = given[first]
    assert officer is not None
    made = builders.public_domain(visit=visit_of(campaign, first))
    app.record_inspection(made, officer)
    campaign = reread(app, campaign.number)
    assert campaign.visited[first]["compliant"] is True
    assert campaign.visited[first]["inspection_id"] == made.submission_id
    assert not app.roster("public_domain").is_open(visit_of(campaign, first))
    # ...once: a second inspection of the same target is refused, nothing recorded.
    before = event_count(app)
    with pytest.raises(InvalidTransition, match="plus à visiter"):
        app.record_inspection(builders.public_domain(visit=visit_of(campaign, first)), officer)
    assert event_count(app) == before
    # One with an infraction counts as found.
    found = builders.public_domain(
        visit=visit_of(campaign, second_key), findings=(Finding("ODP-01", Decimal("4")),)
    )
    app.record_inspection(found, staff.odp_officer)
    campaign = reread(app, campaign.number)
    assert campaign.visited[second_key]["compliant"] is False

    # Closing withdraws the two targets left from the officers' days.
    app.close_campaign(
        staff.odp_chief, campaign.number, note="Bilan.", expected_version=campaign.version
    )
    campaign = reread(app, campaign.number)
    assert campaign.status(app.today()) is CampaignStatus.CLOSED
    roster = app.roster("public_domain")
    assert not any(roster.is_open(visit_of(campaign, k)) for k in campaign.targets)
    withdrawn = [
        e.visit
        for e in app.events.get(Roster.create_id("public_domain"))
        if isinstance(e, Roster.VisitWithdrawn)
    ]
    assert sorted(withdrawn) == sorted(
        visit_of(campaign, k) for k in campaign.targets if k not in campaign.visited
    )
    # A closed campaign takes no more targets.
    with pytest.raises(InvalidTransition, match="close"):
        app.add_campaign_targets(staff.odp_chief, campaign.number, targets(6))


def test_the_status_follows_the_dates(app: PoliceApp, staff: Staff) -> None:
    today = app.today()
    later = app.plan_campaign(
        staff.odp_chief,
        plan(app, staff, starts_on=today + timedelta(days=3), ends_on=today + timedelta(days=5)),
    )
    assert later.status(today) is CampaignStatus.PLANNED
    with clock.frozen_at(datetime.now(UTC) + timedelta(days=4)):
        assert later.status(app.today()) is CampaignStatus.RUNNING
    with clock.frozen_at(datetime.now(UTC) + timedelta(days=6)):
        assert later.status(app.today()) is CampaignStatus.ENDED
    # A campaign planned a week ago for two days is over today.
    with clock.frozen_at(datetime.now(UTC) - timedelta(days=7)):
        past = app.plan_campaign(
            staff.odp_chief,
            plan(app, staff, starts_on=app.today(), ends_on=app.today() + timedelta(days=2)),
        )
    assert past.status(app.today()) is CampaignStatus.ENDED


def test_added_targets_are_new_ones_only(app: PoliceApp, staff: Staff) -> None:
    campaign = app.plan_campaign(staff.odp_chief, plan(app, staff, targets=targets(2)))
    assert app.add_campaign_targets(staff.odp_chief, campaign.number, targets(3)) == 1
    campaign = reread(app, campaign.number)
    assert len(campaign.targets) == 3


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ends_on_days": -1, "starts_on_days": 0}, "finit avant de commencer"),
        ({"officer_ids": ()}, "au moins un agent"),
        ({"zone": ((-7.64, 33.58), (-7.63, 33.58), (-7.64, 33.58))}, "pas un contour valide"),
        ({"zone": ((-7.64, 33.58), (-7.63, 33.58))}, "pas un contour valide"),  # two points
        ({"zone": ((-7.64, 33.58), (-7.63, 33.59), (-7.63, 33.58), (-7.64, 33.59))}, "contour"),
        ({"zone": ((-7.64, 33.58), (-7.63, 33.58), (-7.0, 34.5))}, "sort du territoire"),
    ],
)
def test_a_bad_plan_is_refused_and_nothing_written(
    app: PoliceApp, staff: Staff, changes: dict[str, Any], message: str
) -> None:
    today = app.today()
    if "ends_on_days" in changes:
        changes = {
            "starts_on": today + timedelta(days=changes["starts_on_days"] + 1),
            "ends_on": today + timedelta(days=changes["ends_on_days"] + 1),
        }
    before = event_count(app)
    with pytest.raises(InvalidInput, match=message):
        app.plan_campaign(staff.odp_chief, plan(app, staff, **changes))
    assert event_count(app) == before


def test_only_the_brigades_supervisor_plans_with_its_officers(app: PoliceApp, staff: Staff) -> None:
    before = event_count(app)
    with pytest.raises(InvalidInput, match="agent actif de la brigade"):
        app.plan_campaign(staff.odp_chief, plan(app, staff, officer_ids=(staff.hygiene_officer,)))
    for actor in (staff.odp_officer, staff.hygiene_chief):
        with pytest.raises(NotAllowed):
            app.plan_campaign(actor, plan(app, staff))
    assert event_count(app) == before
