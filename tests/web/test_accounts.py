"""Accounts on the web, as their users drive them: the admin opens an account whose one-time
password must be changed before anything else, grants a brigade with a reason (on the
account's history), and is refused on a stale page; each user changes their own password
(strength checked), chooses a language, signs out everywhere; two-factor sign-in for legal
staff (a wrong code refused and counted, a code used once, a recovery code used once) and the
enrolment a new legal account is sent to."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pyotp
import pytest
from starlette.testclient import TestClient

from police.aggregates.user import User
from police.app import PoliceApp
from police.settings import Settings
from tests.police.builders import PASSWORD, RECOVERY_CODE, Staff, event_count, totp_secret
from tests.web.conftest import log_in, token_of
from web.app import create_app

STRONG = "quatre chevaux bleus dansent"


@pytest.fixture
def second(settings: Settings, police: PoliceApp) -> Iterator[TestClient]:
    """Another browser on the same app (another phone, another desk)."""
    with TestClient(create_app(settings, police=police), follow_redirects=False) as other:
        yield other


def _open_account(client: TestClient, token: str, **fields: object) -> str:
    """The admin's form for a new account: the one-time password shown."""
    response = client.post("/admin/users", data={"csrf_token": token, **fields})
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    found = re.search(r'<code class="one-time" dir="ltr">([a-z0-9-]+)</code>', response.text)
    assert found, response.text
    return found.group(1)


def _sign_in(client: TestClient, username: str, password: str) -> str:
    token = token_of(client.get("/login").text)
    response = client.post(
        "/login", data={"username": username, "password": password, "csrf_token": token}
    )
    assert response.status_code == 303, response.text
    return str(response.headers["location"])


def test_a_new_officer_must_change_the_one_time_password_before_anything_else(
    client: TestClient, second: TestClient, police: PoliceApp, staff: Staff
) -> None:
    token = log_in(client, "admin")
    password = _open_account(
        client,
        token,
        username="agent.benali",
        full_name="Karim Benali",
        badge="H-2001",
        role="officer",
        brigade="hygiene",
    )
    _sign_in(second, "agent.benali", password)
    assert second.get("/officer").headers["location"] == "/account/password"
    assert second.get("/").headers["location"] == "/account/password"
    form = second.get("/account/password").text
    assert "ne sert qu'une fois" in form
    user = police.find_user("agent.benali")
    assert user is not None
    before = event_count(police)
    csrf = token_of(form)
    weak = second.post(
        "/account/password",
        data={
            "csrf_token": csrf,
            "current_password": password,
            "new_password": "benali2026",
            "confirm_password": "benali2026",
        },
    )
    assert weak.status_code == 400
    assert "Mot de passe trop facile à deviner" in weak.text
    assert event_count(police) == before  # nothing written
    done = second.post(
        "/account/password",
        data={
            "csrf_token": csrf,
            "current_password": password,
            "new_password": STRONG,
            "confirm_password": STRONG,
        },
    )
    assert done.headers["location"] == "/officer"
    assert second.get("/officer").status_code == 200
    second.post("/logout", data={"csrf_token": token_of(second.get("/officer").text)})
    token = token_of(second.get("/login").text)
    again = second.post(
        "/login", data={"username": "agent.benali", "password": password, "csrf_token": token}
    )
    assert again.status_code == 401  # the one-time password, never a second time
    assert _sign_in(second, "agent.benali", STRONG) == "/officer"


def test_a_brigade_granted_with_a_reason_is_on_the_accounts_history(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    token = log_in(client, "admin")
    page = client.get(f"/admin/users/{staff.hygiene_officer}").text
    version = re.search(r'name="version" value="(\d+)"', page)
    assert version
    response = client.post(
        f"/admin/users/{staff.hygiene_officer}/grant_brigade",
        data={
            "csrf_token": token,
            "version": version.group(1),
            "brigade": "parking",
            "reason": "renfort du week-end",
        },
    )
    assert response.status_code == 303
    assert police.get_user(staff.hygiene_officer).brigades == ["hygiene", "parking"]
    history = client.get(f"/admin/users/{staff.hygiene_officer}").text
    assert "Brigade accordée : Stationnement (renfort du week-end)" in history
    assert "Admin" in history  # who: the admin's name beside it


def test_a_stale_account_page_is_told_so_and_changes_nothing(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    token = log_in(client, "admin")
    page = client.get(f"/admin/users/{staff.hygiene_officer}").text
    version = re.search(r'name="version" value="(\d+)"', page)
    assert version
    police.grant_role(staff.admin, staff.hygiene_officer, "supervisor", "meanwhile")
    before = event_count(police)
    response = client.post(
        f"/admin/users/{staff.hygiene_officer}/revoke_brigade",
        data={
            "csrf_token": token,
            "version": version.group(1),
            "brigade": "hygiene",
            "reason": "mutation",
        },
    )
    assert response.status_code == 409
    assert "Le compte agent.hygiene a changé depuis" in response.text
    assert event_count(police) == before


def test_a_revocation_without_a_reason_is_refused(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    token = log_in(client, "admin")
    version = police.get_user(staff.hygiene_officer).version
    before = event_count(police)
    response = client.post(
        f"/admin/users/{staff.hygiene_officer}/revoke_brigade",
        data={"csrf_token": token, "version": str(version), "brigade": "hygiene", "reason": " "},
    )
    assert response.status_code == 400
    assert "Indiquez le motif" in response.text
    assert event_count(police) == before


@pytest.mark.parametrize("who", ["agent.hygiene", "chef.hygiene", "juriste"])
def test_only_an_admin_opens_or_changes_accounts(
    client: TestClient, police: PoliceApp, staff: Staff, who: str
) -> None:
    token = log_in(client, who)
    assert client.get("/admin").status_code == 403
    assert client.get(f"/admin/users/{staff.hygiene_officer}").status_code == 403
    before = event_count(police)
    response = client.post(
        f"/admin/users/{staff.hygiene_officer}/grant_role",
        data={"csrf_token": token, "version": "1", "role": "admin", "reason": "moi-même"},
    )
    assert response.status_code == 403
    assert event_count(police) == before
    assert "admin" not in police.get_user(staff.hygiene_officer).roles


def test_a_locked_account_is_shown_locked_and_unlocked_by_the_admin(
    client: TestClient, second: TestClient, police: PoliceApp, staff: Staff
) -> None:
    csrf = token_of(second.get("/login").text)
    for _ in range(5):
        second.post(
            "/login", data={"username": "agent.odp", "password": "x" * 12, "csrf_token": csrf}
        )
    token = log_in(client, "admin")
    assert "Verrouillé" in client.get("/admin?q=agent.odp").text
    page = client.get(f"/admin/users/{staff.odp_officer}").text
    assert "Verrouillé jusqu'à" in page
    response = client.post(
        f"/admin/users/{staff.odp_officer}/unlock",
        data={"csrf_token": token, "version": "0", "reason": "appel de l'agent, identité vérifiée"},
    )
    assert response.status_code == 303
    assert _sign_in(second, "agent.odp", PASSWORD) == "/officer"


def test_signing_out_everywhere_ends_the_other_sessions(
    client: TestClient, second: TestClient, staff: Staff
) -> None:
    token = log_in(client, "agent.hygiene")
    log_in(second, "agent.hygiene")
    assert second.get("/officer").status_code == 200
    page = client.get("/account").text
    assert page.count("testclient testclient") == 2  # both sessions listed, with their device
    client.post("/account/sessions/end", data={"csrf_token": token})
    assert second.get("/officer").headers["location"] == "/login?next=/officer"
    assert client.get("/officer").headers["location"] == "/login?next=/officer"


def test_the_preferred_language_is_applied_at_the_next_sign_in(
    client: TestClient, second: TestClient, staff: Staff
) -> None:
    token = log_in(client, "agent.hygiene")
    client.post("/account/language", data={"csrf_token": token, "language": "ar"})
    _sign_in(second, "agent.hygiene", PASSWORD)
    assert second.cookies.get("lang") == "ar"
    assert 'lang="ar"' in second.get("/officer").text
    refused = client.post("/account/language", data={"csrf_token": token, "language": "xx"})
    assert refused.status_code == 400


def test_legal_staff_sign_in_with_a_code_a_wrong_one_refused_and_counted(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    assert _sign_in(client, "juriste", PASSWORD) == "/login/code"
    assert client.get("/legal").headers["location"].startswith("/login")  # not signed in yet
    token = token_of(client.get("/login/code").text)
    wrong = client.post("/login/code", data={"code": "000000", "csrf_token": token})
    assert wrong.status_code == 401
    assert "Code incorrect ou déjà utilisé." in wrong.text
    events = list(police.events.get(staff.legal))
    assert isinstance(events[-1], User.LoginFailed)
    totp = pyotp.TOTP(totp_secret("juriste"))
    code = totp.now()
    right = client.post("/login/code", data={"code": code, "csrf_token": token})
    assert right.headers["location"] == "/legal"
    assert client.get("/legal").status_code == 200
    # the same code a second time, from another sign-in: refused (RFC 6238, 5.2)
    client.post("/logout", data={"csrf_token": token_of(client.get("/legal").text)})
    _sign_in(client, "juriste", PASSWORD)
    token = token_of(client.get("/login/code").text)
    again = client.post("/login/code", data={"code": code, "csrf_token": token})
    assert again.status_code == 401


def test_a_recovery_code_signs_in_once(client: TestClient, police: PoliceApp, staff: Staff) -> None:
    _sign_in(client, "juriste", PASSWORD)
    token = token_of(client.get("/login/code").text)
    first = client.post("/login/code", data={"code": RECOVERY_CODE.lower(), "csrf_token": token})
    assert first.headers["location"] == "/legal"
    assert police.get_user(staff.legal).recovery_digests == []
    client.post("/logout", data={"csrf_token": token_of(client.get("/legal").text)})
    _sign_in(client, "juriste", PASSWORD)
    token = token_of(client.get("/login/code").text)
    second = client.post("/login/code", data={"code": RECOVERY_CODE, "csrf_token": token})
    assert second.status_code == 401


def test_a_new_legal_account_is_sent_to_enrol_its_second_factor(
    client: TestClient, second: TestClient, police: PoliceApp, staff: Staff
) -> None:
    token = log_in(client, "admin")
    password = _open_account(
        client, token, username="juriste.alami", full_name="Salma Alami", role="legal"
    )
    _sign_in(second, "juriste.alami", password)
    csrf = token_of(second.get("/account/password").text)
    second.post(
        "/account/password",
        data={
            "csrf_token": csrf,
            "current_password": password,
            "new_password": STRONG,
            "confirm_password": STRONG,
        },
    )
    assert second.get("/legal").headers["location"] == "/account/two-factor"
    page = second.get("/account/two-factor")
    assert page.headers["cache-control"] == "no-store"
    assert 'src="data:image/svg+xml' in page.text  # the QR code
    key = re.search(r'<code dir="ltr" class="secret">([A-Z2-7 ]+)</code>', page.text)
    assert key
    secret = key.group(1).replace(" ", "")
    wrong = second.post(
        "/account/two-factor", data={"csrf_token": token_of(page.text), "code": "123456"}
    )
    assert wrong.status_code == 400
    codes = second.post(
        "/account/two-factor",
        data={"csrf_token": token_of(page.text), "code": pyotp.TOTP(secret).now()},
    )
    assert codes.headers["cache-control"] == "no-store"
    assert (
        len(
            re.findall(
                r"<li><code>[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}</code>", codes.text
            )
        )
        == 10
    )
    assert second.get("/legal").status_code == 200
    user = police.find_user("juriste.alami")
    assert user is not None
    assert user.two_factor
    assert "Double authentification activée" in client.get(f"/admin/users/{user.id}").text


def test_the_code_step_without_the_password_step_goes_back_to_the_login(
    client: TestClient, staff: Staff
) -> None:
    assert client.get("/login/code").headers["location"] == "/login"
    token = token_of(client.get("/login").text)
    response = client.post("/login/code", data={"code": "123456", "csrf_token": token})
    assert response.headers["location"] == "/login"
