"""The supervisors' team page: the officers of their brigades with their badge, brigades,
account and load (visits open, rolled over from an earlier day, made this week), never those
of another brigade; read-only; an admin sees every brigade; officers are refused."""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta
from uuid import UUID

from starlette.testclient import TestClient

from police import clock
from police.app import PoliceApp
from police.commands import ScheduleFollowUp, ValidateCase
from police.identifiers import SubjectInput
from tests.police import builders
from tests.police.builders import Staff
from tests.web.conftest import log_in

CAFE = builders.hygiene().subject
BUTCHER = SubjectInput(
    kind="establishment", trade_name="Boucherie Atlas", ice="004455667000011", activity="Boucherie"
)
GRILL = SubjectInput(
    kind="establishment", trade_name="Grill Al Baraka", ice="002233445000066", activity="Rôtisserie"
)


def row_of(page: str, user_id: object) -> str:
    return page.split(f'id="officer-{user_id}"')[1].split("</tr>")[0]


def cell(row: str, name: str) -> str:
    return row.split(f'class="num {name}">')[1].split("</td>")[0]


def follow_up_for(
    police: PoliceApp, staff: Staff, due_in_days: int, subject: SubjectInput = CAFE
) -> UUID:
    """A hygiene case of ``subject`` whose follow-up is due in ``due_in_days``: the roster
    gives it to the one officer covering Maârif, agent.hygiene."""
    seen = builders.hygiene(observed_at=clock.now(), subject=subject)
    case_id = builders.opened_case(police, seen, staff.hygiene_officer_2)
    police.change_case(ValidateCase(case_id=case_id), staff.hygiene_chief)
    due = police.today() + timedelta(days=due_in_days)
    police.change_case(ScheduleFollowUp(case_id=case_id, due_on=due), staff.hygiene_chief)
    return case_id


def test_the_hygiene_supervisor_sees_their_officer_with_one_open_visit_and_no_parking_officer(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    police.set_coverage(staff.hygiene_chief, "hygiene", staff.hygiene_officer, ["maarif"])
    follow_up_for(police, staff, due_in_days=2)
    log_in(client, "chef.hygiene")
    response = client.get("/team")
    assert response.status_code == 200
    page = html.unescape(response.text)

    officer = row_of(page, staff.hygiene_officer)
    assert "Agent Hygiene" in officer
    assert "H-1042" in officer  # the badge
    assert "Salubrité publique" in officer
    assert "Actif" in officer
    assert (cell(officer, "open-visits"), cell(officer, "rolled-over")) == ("1", "0")
    assert cell(officer, "done-week") == "0"
    colleague = row_of(page, staff.hygiene_officer_2)
    assert cell(colleague, "open-visits") == "0"

    assert f'id="officer-{staff.parking_officer}"' not in page
    assert "Agent Stationnement" not in page
    assert f'id="officer-{staff.hygiene_chief}"' not in page  # supervisors are not listed
    assert "<form" not in page.split("<main")[1].split("</main>")[0]  # nothing to change here
    assert '<a href="/team" aria-current="page">Équipe</a>' in page


def test_a_visit_due_yesterday_is_rolled_over_and_a_visit_made_counts_this_week(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    police.set_coverage(staff.hygiene_chief, "hygiene", staff.hygiene_officer, ["maarif"])
    yesterday = datetime.now(UTC) - timedelta(days=1)
    with clock.frozen_at(yesterday):
        follow_up_for(police, staff, due_in_days=0)  # due yesterday, still to make
    follow_up_for(police, staff, due_in_days=0, subject=BUTCHER)  # due today: not rolled over
    grill = follow_up_for(police, staff, due_in_days=0, subject=GRILL)
    made = builders.hygiene(subject=GRILL, follow_up_case_id=grill, findings=())
    police.record_inspection(made, staff.hygiene_officer)  # the follow-up, made today

    log_in(client, "chef.hygiene")
    officer = row_of(html.unescape(client.get("/team").text), staff.hygiene_officer)
    assert (cell(officer, "open-visits"), cell(officer, "rolled-over")) == ("2", "1")
    assert cell(officer, "done-week") == "1"


def test_an_admin_sees_the_officers_of_every_brigade(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    police.deactivate_user(staff.admin, staff.odp_officer, reason="Mutation")
    log_in(client, "admin")
    page = html.unescape(client.get("/team").text)
    for officer in (staff.hygiene_officer, staff.parking_officer, staff.odp_officer):
        assert f'id="officer-{officer}"' in page
    assert "Désactivé" in row_of(page, staff.odp_officer)
    assert "Actif" in row_of(page, staff.parking_officer)


def test_an_officer_is_refused_the_team_page(client: TestClient, staff: Staff) -> None:
    log_in(client, "agent.hygiene")
    response = client.get("/team")
    assert response.status_code == 403
    assert "Cette page n'est pas ouverte à votre rôle." in html.unescape(response.text)
    assert 'href="/team"' not in html.unescape(client.get("/officer").text)
