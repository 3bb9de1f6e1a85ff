"""The establishment register's pages, as a hygiene supervisor reads them: the list with its
filters, an establishment with the reasons for its category in French, the form setting the
category by hand (refused without a reason, nothing recorded) and giving it back to the rule;
an officer may not."""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta

import pytest
from starlette.testclient import TestClient

from police import clock
from police.app import PoliceApp
from police.identifiers import SubjectInput, subject_id
from tests.planning_pending import ignore_unprojected_planning
from tests.police import builders
from tests.police.builders import Staff, event_count
from tests.web.conftest import log_in
from web import i18n

BUTCHER = SubjectInput(
    kind="establishment", trade_name="Boucherie Atlas", ice="004455667000011", activity="Boucherie"
)
SNACK = SubjectInput(
    kind="establishment", trade_name="Snack Ibnou Mounir", ice="005566778000022", activity="Snack"
)


@pytest.fixture(autouse=True)
def _planning(monkeypatch: pytest.MonkeyPatch) -> None:
    ignore_unprojected_planning(monkeypatch)


def inspected(police: PoliceApp, staff: Staff) -> str:
    """The butcher found dirty ten days ago (B, due in 170 days); the snack found clean 400
    days ago (C, overdue by 35 days). Returns the butcher's subject id."""
    for subject, days, findings in ((BUTCHER, 10, None), (SNACK, 400, ())):
        moment = datetime.now(UTC) - timedelta(days=days)
        changes = {"findings": findings} if findings is not None else {}
        with clock.frozen_at(moment):
            police.record_inspection(
                builders.hygiene(subject=subject, observed_at=moment, **changes),
                staff.hygiene_officer,
            )
    return str(subject_id(f"ice:{BUTCHER.ice}"))


def test_the_register_lists_filters_and_words_the_reasons_in_french(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    butcher = inspected(police, staff)
    log_in(client, "chef.hygiene")
    page = client.get("/register")
    assert page.status_code == 200
    text = html.unescape(page.text)
    assert "Boucherie Atlas" in text
    assert "Snack Ibnou Mounir" in text
    assert 'href="/register"' in text  # in the supervisor's navigation
    overdue = html.unescape(client.get("/register?due=overdue").text)
    assert "Snack Ibnou Mounir" in overdue
    assert "Boucherie Atlas" not in overdue
    partial = client.get("/register?category=B", headers={"HX-Request": "true"})
    assert "<html" not in partial.text
    assert "Boucherie Atlas" in html.unescape(partial.text)
    assert "Snack" not in partial.text

    shown = html.unescape(client.get(f"/register/{butcher}").text)
    assert "<li>activité à risque élevé <small>(3 points)</small></li>" in shown
    assert "<li>dernier contrôle non conforme <small>(1 point)</small></li>" in shown
    due = police.today() - timedelta(days=10) + timedelta(days=180)
    assert i18n.day(due) in shown
    assert 'id="risk-form"' in shown


def test_a_hygiene_supervisor_sets_the_category_with_a_reason_and_gives_it_back(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    butcher = inspected(police, staff)
    token = log_in(client, "chef.hygiene")
    before = event_count(police)
    refused = client.post(
        f"/register/{butcher}/risk", data={"csrf_token": token, "category": "A", "reason": " "}
    )
    assert refused.status_code == 400
    assert 'id="error-reason"' in refused.text
    assert event_count(police) == before

    done = client.post(
        f"/register/{butcher}/risk",
        data={"csrf_token": token, "category": "A", "reason": "Plaintes de voisins"},
    )
    assert (done.status_code, done.headers["location"]) == (303, f"/register/{butcher}")
    shown = html.unescape(client.get(f"/register/{butcher}").text)
    assert 'id="risk-category">A<' in shown
    assert "Plaintes de voisins" in shown
    due = police.today() - timedelta(days=10) + timedelta(days=90)
    assert i18n.day(due) in shown

    back = client.post(
        f"/register/{butcher}/risk", data={"csrf_token": token, "category": "", "reason": ""}
    )
    assert back.status_code == 303
    shown = html.unescape(client.get(f"/register/{butcher}").text)
    assert 'id="risk-category">B<' in shown
    assert "Plaintes de voisins" not in shown


def test_an_officer_may_neither_read_the_register_nor_set_a_category(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    butcher = inspected(police, staff)
    token = log_in(client, "agent.hygiene")
    before = event_count(police)
    assert client.get("/register").status_code == 403
    refused = client.post(
        f"/register/{butcher}/risk",
        data={"csrf_token": token, "category": "A", "reason": "Plaintes de voisins"},
    )
    assert refused.status_code == 403
    assert event_count(police) == before
