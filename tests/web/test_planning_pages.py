"""The officer's day as one list of visits (given by the roster, campaign targets, routine
visits due), each opening its form filled, ticked once made; the supervisors' planning page:
the roster's coverage, the open visits reassigned, the figures."""

from __future__ import annotations

import html
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from starlette.testclient import TestClient

from police import clock
from police.aggregates.campaign import Campaign
from police.app import PoliceApp
from police.commands import ScheduleFollowUp, ValidateCase
from police.identifiers import SubjectInput, subject_id
from tests.police import builders
from tests.police.builders import Staff, event_count
from tests.web.conftest import just_now, log_in

# High risk (category C when compliant: a visit every 365 days).
GRILL = SubjectInput(
    kind="establishment", trade_name="Grill Al Baraka", ice="002233445000066", activity="Rôtisserie"
)


def text_of(response: Any) -> str:
    return html.unescape(response.text)


def day_of(client: TestClient) -> str:
    """The visits still to make (those done today are listed after them)."""
    page = text_of(client.get("/officer"))
    return page.split('id="visit-list"')[1].split("</ol>")[0] if 'id="visit-list"' in page else ""


def test_the_day_lists_each_kind_of_visit_with_its_filled_form(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    officer = staff.hygiene_officer
    police.set_coverage(staff.hygiene_chief, "hygiene", officer, ["maarif"])
    # A follow-up planned for yesterday, still to make: rolled over, given by the rule.
    yesterday = datetime.now(UTC) - timedelta(days=1)
    with clock.frozen_at(yesterday):
        cafe = builders.opened_case(
            police, builders.hygiene(observed_at=yesterday), staff.hygiene_officer_2
        )
        police.change_case(ValidateCase(case_id=cafe), staff.hygiene_chief)
        due = police.today()  # yesterday's: now past
        police.change_case(ScheduleFollowUp(case_id=cafe, due_on=due), staff.hygiene_chief)
    # An establishment known from a compliant visit long ago: its routine visit is due.
    long_ago = datetime.now(UTC) - timedelta(days=400)
    with clock.frozen_at(long_ago):
        visit = builders.hygiene(subject=GRILL, findings=(), observed_at=long_ago)
        police.record_inspection(visit, officer)
    grill = subject_id(f"ice:{GRILL.ice}")
    with clock.frozen_at(yesterday):  # given yesterday, due by the campaign's last day
        place = replace(builders.ZERKTOUNI, address="12 rue Tahar Sebti")
        campaign = builders.cold_chain(
            police, staff.hygiene_chief, [officer], (builders.target(GRILL, place),)
        )
    log_in(client, "agent.hygiene")
    day = day_of(client)
    case = police.get_case(cafe)
    assert f'data-visit="follow_up:{cafe}"' in day
    assert f"/officer/inspections/new/hygiene?follow_up={cafe}" in day
    follow_up = day.split(f'data-visit="follow_up:{cafe}"')[1].split("</li>")[0]
    assert "Reportée d'un jour précédent" in follow_up
    routine = day.split(f'data-visit="routine:{grill}"')[1].split("</li>")[0]
    assert "En retard depuis le" in routine
    assert "Reportée" not in routine
    target = f"campaign:{campaign.id}:subject:{grill}"
    assert f'data-visit="{target}"' in day
    assert "Chaîne du froid" in day  # the campaign's theme says why
    given = day.split(f'data-visit="{target}"')[1].split("</li>")[0]
    assert "Reportée" not in given  # due by the campaign's last day, still to come
    assert f'data-visit="routine:{grill}"' in day
    assert day.index(f"follow_up:{cafe}") < day.index(target)  # the earliest due first
    assert case.reference in day

    form = text_of(client.get(f"/officer/inspections/new/hygiene?visit={target}"))
    assert f'name="visit" value="{target}"' in form
    assert 'value="Grill Al Baraka"' in form
    assert f'value="{GRILL.ice}"' in form
    assert 'value="12 rue Tahar Sebti"' in form
    routine = text_of(client.get(f"/officer/inspections/new/hygiene?visit=routine:{grill}"))
    assert f'name="visit" value="routine:{grill}"' in routine
    assert 'value="Grill Al Baraka"' in routine


def test_a_visit_made_from_the_day_is_ticked_and_the_campaign_moves(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    officer = staff.hygiene_officer
    police.set_coverage(staff.hygiene_chief, "hygiene", officer, ["maarif"])
    police.record_inspection(builders.hygiene(subject=GRILL, findings=()), officer)
    grill = subject_id(f"ice:{GRILL.ice}")
    campaign = builders.cold_chain(
        police, staff.hygiene_chief, [officer], (builders.target(GRILL, builders.ZERKTOUNI),)
    )
    target = f"campaign:{campaign.id}:subject:{grill}"
    token = log_in(client, "agent.hygiene")
    sent = client.post(
        "/officer/inspections",
        data={
            "csrf_token": token,
            "submission_id": str(uuid.uuid4()),
            "observed_at": just_now(),
            "brigade": "hygiene",
            "visit": target,
            "subject_kind": "establishment",
            "trade_name": "Grill Al Baraka",
            "ice": GRILL.ice,
            "activity": "Rôtisserie",
            "arrondissement": "maarif",
            "address": "12 rue Tahar Sebti",
            "finding": "HYG-02",
        },
        headers={"Accept": "application/json"},
    )
    assert sent.status_code == 200, sent.text
    page = text_of(client.get("/officer"))
    assert f'data-visit="{target}"' not in day_of(client)
    done = page.split('id="visits-done"')[1].split("</ul>")[0]
    assert f'data-visit="{target}"' in done
    found = police.find_campaign(campaign.number)
    assert found is not None
    assert list(found.visited) == [f"subject:{grill}"]
    assert found.visited[f"subject:{grill}"]["compliant"] is False


def test_the_supervisor_sets_the_roster_and_reassigns_a_visit(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    cafe = builders.opened_case(police, builders.hygiene(), staff.hygiene_officer)
    police.change_case(ValidateCase(case_id=cafe), staff.hygiene_chief)
    token = log_in(client, "chef.hygiene")
    for officer in (staff.hygiene_officer, staff.hygiene_officer_2):
        set_ = client.post(
            "/planning/hygiene/coverage",
            data={"csrf_token": token, "officer_id": str(officer), "arrondissement": "maarif"},
        )
        assert set_.status_code == 303
    assert police.roster("hygiene").covering("maarif") == [
        staff.hygiene_officer,
        staff.hygiene_officer_2,
    ]
    due = police.today() + timedelta(days=2)
    police.change_case(ScheduleFollowUp(case_id=cafe, due_on=due), staff.hygiene_chief)
    given = police.roster("hygiene").officer_of(f"follow_up:{cafe}")
    other = staff.hygiene_officer_2 if given == staff.hygiene_officer else staff.hygiene_officer
    page = text_of(client.get("/planning?brigade=hygiene"))
    assert "Tableau de service" in page
    assert f'value="follow_up:{cafe}"' in page
    moved = client.post(
        "/planning/hygiene/reassign",
        data={"csrf_token": token, "visit": f"follow_up:{cafe}", "officer_id": str(other)},
    )
    assert moved.status_code == 303
    assert police.roster("hygiene").officer_of(f"follow_up:{cafe}") == other


def test_bad_planning_input_is_refused_and_writes_nothing(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    token = log_in(client, "chef.hygiene")
    before = event_count(police)
    for data in (
        {"officer_id": "not-an-id", "arrondissement": "maarif"},
        {"officer_id": str(staff.parking_officer), "arrondissement": "maarif"},
        {"officer_id": str(staff.hygiene_officer), "arrondissement": "atlantis"},
    ):
        refused = client.post("/planning/hygiene/coverage", data={"csrf_token": token, **data})
        assert refused.status_code == 400, data
        assert "<h1" in refused.text
    nothing = {"visit": "follow_up:nothing", "officer_id": str(staff.hygiene_officer)}
    gone = client.post("/planning/hygiene/reassign", data={"csrf_token": token, **nothing})
    assert gone.status_code in (400, 409)
    assert event_count(police) == before


def test_officers_do_not_plan(client: TestClient, police: PoliceApp, staff: Staff) -> None:
    token = log_in(client, "agent.hygiene")
    assert client.get("/planning").status_code == 403
    before = event_count(police)
    mine = {"officer_id": str(staff.hygiene_officer), "arrondissement": "maarif"}
    refused = client.post("/planning/hygiene/coverage", data={"csrf_token": token, **mine})
    assert refused.status_code == 403
    assert event_count(police) == before


def test_any_establishment_of_the_register_is_picked_as_a_campaign_target(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    officer = staff.hygiene_officer
    police.record_inspection(builders.hygiene(subject=GRILL, findings=()), officer)  # not due
    grill = subject_id(f"ice:{GRILL.ice}")
    campaign = builders.cold_chain(police, staff.hygiene_chief, [officer])
    token = log_in(client, "chef.hygiene")
    entry = text_of(client.get(f"/register/{grill}"))
    assert f'<option value="{campaign.number}">' in entry
    before = event_count(police)
    refused = client.post(
        f"/register/{grill}/campaign", data={"csrf_token": token, "campaign": "CAM-1999-000001"}
    )
    assert refused.status_code == 404
    assert event_count(police) == before
    added = client.post(
        f"/register/{grill}/campaign", data={"csrf_token": token, "campaign": campaign.number}
    )
    assert added.status_code == 303
    assert added.headers["location"] == f"/campaigns/{campaign.number}"
    found = police.find_campaign(campaign.number)
    assert found is not None
    assert list(found.targets) == [f"subject:{grill}"]
    assert found.targets[f"subject:{grill}"]["label"] == "Grill Al Baraka"
    key = Campaign.visit_key(campaign.id, f"subject:{grill}")
    assert police.roster("hygiene").officer_of(key) == officer
