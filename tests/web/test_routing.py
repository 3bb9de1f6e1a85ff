"""The access layer around every route (``web.routing``): which requests need a form token,
where the token may come from, and what happens to the session of a disabled account."""

from __future__ import annotations

from starlette.testclient import TestClient

from police.app import PoliceApp
from tests.police.builders import Staff
from tests.web.conftest import log_in


def test_a_head_request_needs_no_form_token(client: TestClient) -> None:
    # What uptime monitors and link checkers send: it changes nothing.
    assert client.head("/healthz").status_code == 200


def test_a_form_posted_with_its_token_in_the_header_only_is_accepted(
    client: TestClient, staff: Staff
) -> None:
    token = log_in(client, "juriste")
    response = client.post("/logout", headers={"X-CSRF-Token": token}, data={"from": "htmx"})
    assert (response.status_code, response.headers["location"]) == (303, "/login")


def test_the_session_of_a_deactivated_account_does_not_come_back_on_reactivation(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    log_in(client, "agent.odp")
    police.deactivate_user(staff.admin, staff.odp_officer, reason="Départ")
    assert client.get("/officer").status_code == 303
    police.reactivate_user(staff.admin, staff.odp_officer)
    response = client.get("/officer")
    assert (response.status_code, response.headers["location"]) == (303, "/login?next=/officer")
