"""The public report pages as residents drive them, and the brigade's side: report without an
account (the letter arrives on a real SMTP server), see the open reports nearby and follow one
instead, the supervisor's triage, the officer's visit and the ticket recorded from it, and what
each follower's page then says; and every refusal: a robot, a bad form, a flood from one
address, a wrong link, a photo asked for by someone it was not sent to."""

from __future__ import annotations

import html
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest
from starlette.testclient import TestClient

from police.app import PoliceApp
from police.settings import Settings
from tests.police.builders import Staff, event_count
from tests.smtp_server import SmtpServer
from tests.storage import photos
from tests.web.conftest import just_now, log_in, token_of
from web.app import create_app

LINK = re.compile(r"/signaler/suivi/(SIG-\d{4}-\d{6})/([A-Za-z0-9_-]{20,})")
SIDEWALK = {"lat": "33.597500", "lon": "-7.617000"}
# About 20 m further along the boulevard.
NEXT_DOOR = {"lat": "33.597680", "lon": "-7.617000"}


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def client(tmp_path: Path, police: PoliceApp, smtp: SmtpServer) -> Iterator[TestClient]:
    settings = Settings.from_env({"POLICE_DATA_DIR": str(tmp_path), **smtp.env()})
    with TestClient(create_app(settings, police=police), follow_redirects=False) as test_client:
        yield test_client


def report_form(token: str, **changes: str) -> dict[str, str]:
    return {
        "csrf_token": token,
        "category": "parking-sidewalk",
        "address": "Boulevard Mohammed V, devant le n° 120",
        "description": "Une voiture grise garée sur le trottoir, on passe sur la route.",
        "email": "voisine@example.ma",
        "phone": "",
        "website": "",
        "nearby_seen": "1",
        **SIDEWALK,
    } | changes


def send(
    client: TestClient,
    *,
    files: list[tuple[str, tuple[str, bytes, str]]] | None = None,
    **changes: str,
) -> tuple[str, str]:
    token = token_of(client.get("/signaler").text)
    response = client.post("/signaler", data=report_form(token, **changes), files=files)
    assert response.status_code == 303, response.text
    found = LINK.search(response.headers["location"])
    assert found is not None
    return found.group(1), found.group(2)


def switch_to(client: TestClient, username: str) -> str:
    client.cookies.clear()
    return log_in(client, username)


def text_of(response: httpx.Response) -> str:
    return html.unescape(response.text)


def test_a_resident_reports_without_an_account_and_receives_the_private_link(
    client: TestClient, police: PoliceApp, smtp: SmtpServer
) -> None:
    page = text_of(client.get("/signaler"))
    assert "Pas pour les urgences." in page
    assert "Voiture sur le trottoir" in page
    number, secret = send(
        client, files=[("photos", ("car.jpg", photos.jpeg_with_exif(), "image/jpeg"))]
    )
    tracking = client.get(f"/signaler/suivi/{number}/{secret}?envoye=mail")
    assert tracking.status_code == 200
    shown = text_of(tracking)
    assert "Reçu" in shown
    assert "1 photo jointe, vue par le service seulement" in shown
    assert "<img" not in tracking.text  # report photos are never on a public page
    (letter,) = smtp.mailbox.wait_for(1)
    assert letter["To"] == "voisine@example.ma"
    assert f"/signaler/suivi/{number}/{secret}" in letter.get_content()
    assert "appelez le 19" in letter.get_content()


def test_the_second_resident_sees_the_first_report_nearby_and_follows_it(
    client: TestClient, police: PoliceApp
) -> None:
    first, _ = send(client)
    # Another resident, without the page's script: the server shows the prompt first.
    token = token_of(client.get("/signaler").text)
    form = report_form(
        token,
        description="Voiture sur le trottoir, devant l'école.",
        email="",
        nearby_seen="",
        **NEXT_DOOR,
    )
    before = event_count(police)
    prompt = client.post("/signaler", data=form)
    assert prompt.status_code == 200
    assert event_count(police) == before  # nothing sent yet
    shown = text_of(prompt)
    assert "Déjà signalé tout près ?" in shown
    assert "Une voiture grise garée sur le trottoir" in shown
    assert "à 20 m" in shown
    assert "voisine@example.ma" not in shown  # the first reporter's contact is never shown
    followed = client.post(f"/signaler/{first}/suivre", data=form | {"phone": "0661234567"})
    assert followed.status_code == 303
    found = LINK.search(followed.headers["location"])
    assert found is not None
    assert found.group(1) == first
    report = police.find_report(first)
    assert report is not None
    assert len(report.token_digests) == 2
    assert [c["phone"] for c in report.contacts] == ["", "+212661234567"]
    # The fragment the page's script asks for says the same.
    fragment = text_of(
        client.get("/signaler/proches", params={"category": "parking-sidewalk", **NEXT_DOOR})
    )
    assert "Une voiture grise garée sur le trottoir" in fragment
    other = client.get("/signaler/proches", params={"category": "odp-terrace", **NEXT_DOOR})
    assert "Déjà signalé" not in other.text


def test_dispatched_visited_and_ticketed_both_followers_read_that_an_infraction_was_found(
    client: TestClient, police: PoliceApp, staff: Staff, smtp: SmtpServer
) -> None:
    number, secret = send(client)
    follower = police.follow_report(number, email="voisin2@example.ma")
    token = log_in(client, "chef.stationnement")
    queue = text_of(client.get("/reports"))
    assert number in queue
    assert "voisine@example.ma" not in queue
    page = client.get(f"/reports/{number}")
    assert page.status_code == 200
    report = police.find_report(number)
    assert report is not None
    dispatched = client.post(
        f"/reports/{number}/dispatch",
        data={
            "csrf_token": token,
            "version": str(report.version),
            "officer_id": str(staff.parking_officer),
            "note": "Avant midi",
        },
    )
    assert dispatched.status_code == 303, dispatched.text
    # The officer's day shows the visit; the form is filled in from it; the ticket answers it.
    token = switch_to(client, "agent.stationnement")
    day = text_of(client.get("/officer"))
    assert number in day
    assert "Avant midi" in day
    form = text_of(client.get(f"/officer/inspections/new/parking?report={number}"))
    assert f'name="report_number" value="{number}"' in form
    assert 'value="33.5975"' in form
    ticket = client.post(
        "/officer/inspections",
        data={
            "csrf_token": token,
            "submission_id": str(uuid.uuid4()),
            "observed_at": just_now(),
            "brigade": "parking",
            "report_number": number,
            "plate": "48213-B-6",
            "finding": "STA-02",
            "address": "Boulevard Mohammed V",
            "arrondissement": "sidi_belyout",
            **SIDEWALK,
            "accuracy": "8",
        },
    )
    assert ticket.status_code == 303, ticket.text
    client.cookies.clear()  # the residents again
    for link_secret in (secret, follower.secret):
        shown = text_of(client.get(f"/signaler/suivi/{number}/{link_secret}"))
        assert "Contrôlé : infraction constatée" in shown
        assert "48213" not in shown  # nothing of the case's subject on the public page
    letters = smtp.mailbox.wait_for(5)  # received; dispatched x2; infraction found x2
    told = [m for m in letters if "infraction constatée" in m["Subject"]]
    assert sorted(m["To"] for m in told) == ["voisin2@example.ma", "voisine@example.ma"]


def test_a_merged_duplicate_s_page_follows_its_original(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    original, _ = send(client)
    duplicate, secret = send(client, description="Encore cette voiture grise sur le trottoir.")
    police.merge_report(staff.parking_chief, duplicate, original=original)
    police.refuse_report(staff.parking_chief, original, reason="Voie privée de la résidence")
    shown = text_of(client.get(f"/signaler/suivi/{duplicate}/{secret}"))
    assert f"Le même problème avait déjà été signalé ({original})" in shown
    assert "Hors de la compétence du service" in shown
    assert "Voie privée de la résidence" in shown


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"category": ""}, "Choisissez ce que vous signalez."),
        ({"lat": "", "lon": ""}, "Placez le problème sur la carte"),
        ({"lat": "nord"}, "Nombre attendu"),
        ({"description": "voiture"}, "au moins 10 caractères"),
        ({"email": "pas-un-email"}, "Adresse e-mail « pas-un-email » invalide."),
    ],
)
def test_a_bad_report_is_told_why_in_french_and_records_nothing(
    client: TestClient, police: PoliceApp, changes: dict[str, str], message: str
) -> None:
    token = token_of(client.get("/signaler").text)
    before = event_count(police)
    response = client.post("/signaler", data=report_form(token, **changes))
    assert response.status_code == 400
    assert message in text_of(response)
    assert event_count(police) == before


def test_a_robot_filling_the_hidden_field_records_nothing(
    client: TestClient, police: PoliceApp
) -> None:
    token = token_of(client.get("/signaler").text)
    before = event_count(police)
    response = client.post("/signaler", data=report_form(token, website="http://spam.example"))
    assert response.status_code == 400
    assert event_count(police) == before


def test_one_address_cannot_flood_the_form(client: TestClient, police: PoliceApp) -> None:
    for _ in range(10):
        send(client)
    before = event_count(police)
    token = token_of(client.get("/signaler").text)
    response = client.post("/signaler", data=report_form(token))
    assert response.status_code == 429
    assert "Trop de signalements" in text_of(response)
    assert event_count(police) == before


def test_a_wrong_link_is_answered_as_an_unknown_one(client: TestClient) -> None:
    number, secret = send(client)
    wrong = client.get(f"/signaler/suivi/{number}/{secret[:-2]}xx")
    unknown = client.get(f"/signaler/suivi/SIG-2026-999999/{secret}")
    assert wrong.status_code == unknown.status_code == 404
    said = "Ce lien de suivi n'ouvre aucun signalement"
    assert said in text_of(wrong)
    assert said in text_of(unknown)
    assert number not in text_of(wrong).split("<main", 1)[1]


def test_report_photos_are_seen_by_the_brigade_s_supervisor_and_the_officer_sent_only(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    number, _ = send(client, files=[("photos", ("car.jpg", photos.jpeg_with_exif(), "image/jpeg"))])
    assert client.get(f"/reports/{number}/photos/0").status_code in (302, 303)  # log in first
    log_in(client, "chef.hygiene")
    assert client.get(f"/reports/{number}/photos/0").status_code == 404  # another brigade
    switch_to(client, "agent.stationnement")
    assert client.get(f"/reports/{number}/photos/0").status_code == 403  # not sent to them yet
    police.dispatch_report(staff.parking_chief, number, officer_id=staff.parking_officer)
    seen = client.get(f"/reports/{number}/photos/0")
    assert seen.status_code == 200
    assert seen.headers["content-type"] == "image/webp"  # a rendition, never the original
    switch_to(client, "chef.stationnement")
    planned = client.get("/reports", params={"statut": "planned"}).text
    assert f"/reports/{number}/photos/0?mini=1" in planned  # its photo in the queue
    assert client.get(f"/reports/{number}/photos/0?mini=1").status_code == 200


def test_a_stale_triage_form_is_told_and_changes_nothing(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    number, _ = send(client)
    token = log_in(client, "chef.stationnement")
    police.follow_report(number)  # someone follows it meanwhile: version 2
    before = event_count(police)
    response = client.post(
        f"/reports/{number}/refuse",
        data={"csrf_token": token, "version": "1", "reason": "Hors champ"},
    )
    assert response.status_code == 409
    assert "a changé entre-temps" in text_of(response)
    assert event_count(police) == before
