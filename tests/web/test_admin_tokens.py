"""The admin's API token pages: every token listed (never its secret) with its scopes, expiry,
last use and state; one issued from a form and shown once; one revoked from the list; bad
input answered with the form and its message, nothing written; no one else gets in."""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta

import pytest
from starlette.testclient import TestClient

from police.app import PoliceApp
from police.token_terms import years_after
from tests.police.builders import Staff, event_count, expired_token
from tests.web.conftest import log_in

REFUSED_ROLE = "Cette page n&#39;est pas ouverte à votre rôle."
TOKEN = re.compile(r"pat_[0-9a-f]{32}_([0-9a-f]{12})_[A-Za-z0-9_-]{43}")
MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
    "octobre", "novembre", "décembre",
)  # fmt: skip


def in_french(day: date) -> str:
    """A day as the pages write it in French: "6 décembre 2026"."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def row_of(page: str, key: str) -> str:
    found = re.search(rf'<tr id="token-{key}">.*?</tr>', page, re.DOTALL)
    assert found, f"the list shows the token {key}"
    return found.group(0)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def form(staff: Staff, csrf: str, **changes: object) -> dict[str, object]:
    """The new-token form as the admin fills it: the hygiene chief, for the GIS, for a month."""
    return {
        "csrf_token": csrf,
        "user_id": str(staff.hygiene_chief),
        "label": "QGIS du SIG",
        "scopes": ["ogc"],
        "expires_on": (date.today() + timedelta(days=30)).isoformat(),
    } | changes


@pytest.mark.parametrize("username", ["agent.hygiene", "chef.hygiene"])
def test_an_officer_or_a_supervisor_opening_the_tokens_gets_403(
    client: TestClient, police: PoliceApp, staff: Staff, username: str
) -> None:
    csrf = log_in(client, username)
    before = event_count(police)
    for response in (
        client.get("/admin/tokens"),
        client.get("/admin/tokens/new"),
        client.post("/admin/tokens", data=form(staff, csrf, user_id=str(staff.hygiene_chief))),
    ):
        assert response.status_code == 403
        assert REFUSED_ROLE in response.text
    assert event_count(police) == before


def test_the_admin_issues_a_token_that_is_shown_once_and_works_on_the_ogc_api(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    police.deactivate_user(staff.admin, staff.hygiene_officer_2, reason="Mutation")
    csrf = log_in(client, "admin")
    new = client.get("/admin/tokens/new")
    assert new.status_code == 200
    assert f'<option value="{staff.hygiene_chief}">chef.hygiene · Chef Hygiene</option>' in new.text
    assert str(staff.hygiene_officer_2) not in new.text  # a disabled account is no choice
    assert 'name="scopes" value="ogc" checked' in new.text
    assert 'name="scopes" value="open311" checked' in new.text
    in_a_year = years_after(police.today(), 1)
    assert f'name="expires_on" value="{in_a_year.isoformat()}"' in new.text

    expires_on = police.today() + timedelta(days=30)
    answer = client.post("/admin/tokens", data=form(staff, csrf, expires_on=expires_on.isoformat()))
    assert answer.status_code == 200
    assert answer.headers["cache-control"] == "no-store"
    [found] = TOKEN.finditer(answer.text)
    token, key = found.group(0), found.group(1)
    assert "Copiez-le maintenant : il ne sera plus jamais affiché." in answer.text
    assert "Jeton « QGIS du SIG » délivré à chef.hygiene." in answer.text

    listed = client.get("/admin/tokens")
    assert listed.status_code == 200
    assert token not in listed.text
    assert token.rsplit("_", 1)[1] not in listed.text  # nor its secret alone
    row = row_of(listed.text, key)
    for shown in (
        "chef.hygiene",
        "QGIS du SIG",
        "Lecture SIG (OGC API - Features)",
        in_french(expires_on),
        "jamais",
        "Actif",
    ):
        assert shown in row
    assert "Open311" not in row

    assert client.get("/ogc/collections", headers=bearer(token)).status_code == 200
    row = row_of(client.get("/admin/tokens").text, key)
    assert f'<td class="last-used">{in_french(police.today())}</td>' in row


def test_a_token_past_its_expiry_gets_401_on_the_ogc_api(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    token = expired_token(police, staff.admin, staff.hygiene_chief)
    response = client.get("/ogc/collections", headers=bearer(token))
    assert response.status_code == 401
    assert response.json() == {
        "code": "Unauthorized",
        "description": "Jeton d'accès invalide, expiré, révoqué, ou compte désactivé.",
    }
    log_in(client, "admin")
    row = row_of(client.get("/admin/tokens").text, token.split("_")[2])
    assert "Expiré" in row
    assert "Révoquer" not in row  # nothing left to stop


def test_a_token_revoked_from_the_list_is_refused_at_once(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    issued = police.issue_api_token(staff.admin, staff.hygiene_chief, label="QGIS")
    kept = police.issue_api_token(staff.admin, staff.legal, label="Poste juridique")
    assert client.get("/ogc/collections", headers=bearer(issued.token)).status_code == 200
    csrf = log_in(client, "admin")
    row = row_of(client.get("/admin/tokens").text, issued.key)
    assert f'<form method="post" action="/admin/tokens/{issued.key}/revoke"' in row
    assert "Confirmer la révocation" in row

    answer = client.post(f"/admin/tokens/{issued.key}/revoke", data={"csrf_token": csrf})
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/admin/tokens?revoked={issued.key}"
    page = client.get(answer.headers["location"]).text
    assert f"Jeton « {issued.key} » révoqué : il est refusé dès maintenant." in page
    assert "Révoqué" in row_of(page, issued.key)
    assert "Confirmer la révocation" not in row_of(page, issued.key)
    assert client.get("/ogc/collections", headers=bearer(issued.token)).status_code == 401
    assert client.get("/ogc/collections", headers=bearer(kept.token)).status_code == 200

    again = client.post(f"/admin/tokens/{issued.key}/revoke", data={"csrf_token": csrf})
    assert again.status_code == 409
    assert f"Le jeton « {issued.key} » est déjà révoqué." in again.text


def test_the_list_shows_one_account_s_tokens_when_asked(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    chief = police.issue_api_token(staff.admin, staff.hygiene_chief, label="QGIS")
    legal = police.issue_api_token(staff.admin, staff.legal, label="Poste juridique")
    log_in(client, "admin")
    page = client.get("/admin/tokens?user=juriste").text
    assert f'id="token-{legal.key}"' in page
    assert f'id="token-{chief.key}"' not in page
    assert 'href="/admin/tokens/new?user=juriste"' in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"label": "  "}, "Libellé : ce champ est obligatoire."),
        ({"expires_on": "2020-01-31"}, "doit être postérieure à aujourd&#39;hui."),
        ({"expires_on": "31/01/2027"}, "Date d&#39;expiration invalide (jj/mm/aaaa)."),
        (
            {"scopes": ["ogc", "wfs"]},
            "Portée de jeton inconnue : « wfs » (portées possibles : ogc, open311).",
        ),
        ({"scopes": []}, "Choisissez au moins une portée pour le jeton."),
        ({"user_id": str(uuid.uuid4())}, "Utilisateur introuvable."),
        ({"user_id": "chef.hygiene"}, "Choisissez un compte actif."),
    ],
    ids=["no-label", "past-expiry", "unreadable-expiry", "unknown-scope", "no-scope",
         "unknown-user", "not-an-id"],
)  # fmt: skip
def test_bad_input_is_the_form_again_with_its_message_and_writes_nothing(
    client: TestClient, police: PoliceApp, staff: Staff, changes: dict[str, object], message: str
) -> None:
    csrf = log_in(client, "admin")
    before = event_count(police)
    answer = client.post("/admin/tokens", data=form(staff, csrf, **changes))
    assert answer.status_code == 400
    assert message in answer.text
    assert "Rien n'est enregistré : corrigez ce qui est signalé." in answer.text
    assert 'id="token-form"' in answer.text
    assert TOKEN.search(answer.text) is None
    assert event_count(police) == before
    assert police.list_api_tokens(staff.admin) == []


def test_a_disabled_account_gets_no_token_from_the_form(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    police.deactivate_user(staff.admin, staff.hygiene_chief, reason="Mutation")
    csrf = log_in(client, "admin")
    before = event_count(police)
    answer = client.post("/admin/tokens", data=form(staff, csrf))
    assert answer.status_code == 400
    assert "Le compte chef.hygiene est désactivé : aucun jeton ne lui est délivré." in answer.text
    assert event_count(police) == before
