"""Logging in and out: hashed passwords, lock-out, a fresh signed session, CSRF on the form,
and each role landing on its own home page."""

from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient

from police.app import PoliceApp
from police.settings import Settings
from tests.police.builders import PASSWORD, Staff, event_count
from tests.web.conftest import log_in, token_of
from web.app import create_app


def test_an_officer_logs_in_and_lands_on_their_day(client: TestClient, staff: Staff) -> None:
    token = token_of(client.get("/login").text)
    response = client.post(
        "/login",
        data={"username": "agent.stationnement", "password": PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/officer"
    assert "agent.stationnement" in client.get("/officer").text


def test_a_wrong_password_is_refused_with_a_message(client: TestClient, staff: Staff) -> None:
    token = token_of(client.get("/login").text)
    response = client.post(
        "/login",
        data={"username": "agent.stationnement", "password": "pas-le-bon", "csrf_token": token},
    )
    assert response.status_code == 401
    assert "Identifiant ou mot de passe incorrect." in response.text
    assert 'value="agent.stationnement"' in response.text  # what was typed is kept
    assert client.get("/officer").status_code == 303  # still anonymous


def test_the_account_locks_after_five_failures(client: TestClient, staff: Staff) -> None:
    token = token_of(client.get("/login").text)
    for _ in range(5):
        response = client.post(
            "/login", data={"username": "agent.odp", "password": "x" * 12, "csrf_token": token}
        )
    assert response.status_code == 401
    assert "Compte verrouillé" in response.text
    response = client.post(
        "/login", data={"username": "agent.odp", "password": PASSWORD, "csrf_token": token}
    )
    assert "Compte verrouillé" in response.text


def test_too_many_failures_from_one_address_are_slowed_down(
    client: TestClient, staff: Staff
) -> None:
    token = token_of(client.get("/login").text)
    statuses = [
        client.post(
            "/login", data={"username": f"inconnu{i}", "password": "x" * 12, "csrf_token": token}
        ).status_code
        for i in range(21)
    ]
    assert statuses[:20] == [401] * 20
    assert statuses[20] == 429


def test_login_without_the_form_token_is_refused(client: TestClient, staff: Staff) -> None:
    client.get("/login")
    response = client.post("/login", data={"username": "agent.odp", "password": PASSWORD})
    assert response.status_code == 403
    assert "CSRF" in response.text


def test_the_session_is_new_at_login_signed_and_http_only(client: TestClient, staff: Staff) -> None:
    client.get("/login")
    before = client.cookies.get("police_session")
    token = log_in(client, "agent.odp")
    response = client.get("/officer")
    assert response.status_code == 200
    after = client.cookies.get("police_session")
    assert before
    assert after
    assert before != after
    login_cookie = client.post("/logout", data={"csrf_token": token}).headers["set-cookie"]
    assert "httponly" in login_cookie.lower()
    assert "samesite=lax" in login_cookie.lower()
    assert client.get("/officer").status_code == 303


def test_a_tampered_session_cookie_is_anonymous(client: TestClient, staff: Staff) -> None:
    log_in(client, "agent.odp")
    cookie = client.cookies.get("police_session")
    assert cookie
    client.cookies.clear()
    client.cookies.set("police_session", cookie[:-4] + "AAAA")
    assert client.get("/officer").status_code == 303


def test_the_session_cookie_is_secure_in_production(
    police: PoliceApp, staff: Staff, tmp_path: object
) -> None:
    settings = Settings.from_env(
        {
            "POLICE_ENV": "production",
            "POLICE_SECRET_KEY": "s" * 40,
            "POLICE_DATA_DIR": str(tmp_path),
        }
    )
    with TestClient(
        create_app(settings, police=police), base_url="https://testserver", follow_redirects=False
    ) as client:
        token = token_of(client.get("/login").text)
        response = client.post(
            "/login", data={"username": "agent.odp", "password": PASSWORD, "csrf_token": token}
        )
        assert "secure" in response.headers["set-cookie"].lower()


def test_login_never_redirects_off_site(client: TestClient, staff: Staff) -> None:
    token = token_of(client.get("/login").text)
    response = client.post(
        "/login",
        data={
            "username": "agent.odp",
            "password": PASSWORD,
            "csrf_token": token,
            "next": "//evil.example/",
        },
    )
    assert response.headers["location"] == "/officer"


def test_a_deactivated_user_is_logged_out_at_the_next_page(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    log_in(client, "agent.odp")
    police.deactivate_user(staff.admin, staff.odp_officer, reason="Mutation")
    assert client.get("/officer").status_code == 303


@pytest.mark.parametrize("path", ["/officer", "/officer/inspections/new/parking", "/csrf"])
def test_pages_need_a_login(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 303
    assert response.headers["location"] == f"/login?next={path}"


def test_the_phone_is_told_to_log_in_again_in_json(client: TestClient) -> None:
    response = client.post("/officer/inspections", headers={"Accept": "application/json"})
    assert response.status_code == 401
    assert response.json()["login"] == "/login"


def test_a_refused_login_writes_only_the_failure(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    before = event_count(police)
    token = token_of(client.get("/login").text)
    client.post("/login", data={"username": "agent.odp", "password": "x" * 12, "csrf_token": token})
    assert event_count(police) == before + 1  # LoginFailed, on the account's record


def test_every_page_names_an_icon_that_is_served(client: TestClient) -> None:
    """Without one, each page's automatic /favicon.ico request answers 404 and fills the logs."""
    page = client.get("/login").text
    found = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page)
    assert found
    icon = client.get(found.group(1))
    assert icon.status_code == 200
    assert icon.headers["content-type"].startswith("image/svg+xml")
    assert icon.text.startswith("<svg")
