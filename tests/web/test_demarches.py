"""The public e-démarches pages as a café owner drives them from a phone, and the permits
office's instruction of the file: apply without an account (the letter arrives on a real SMTP
server), follow the private link, answer a request for documents, the site visit made by the
public-domain officer, the grant, the payment at the till, the arrêté downloaded; and every
refusal: a robot, a bad form, a flood from one address, a wrong link, a held holder."""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import httpx2 as httpx
import pytest
from starlette.testclient import TestClient

from police.app import PoliceApp
from police.settings import Settings
from tests.police.builders import Staff, event_count
from tests.police.test_applications import fined
from tests.smtp_server import SmtpServer
from tests.storage import documents, photos
from tests.web.conftest import log_in, services_of, token_of
from web.app import create_app
from web.reminders import send_renewal_reminders

LINK = re.compile(r"/demarches/suivi/(DEM-\d{4}-\d{6})/([A-Za-z0-9_-]{20,})")


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def client(tmp_path: Path, police: PoliceApp, smtp: SmtpServer) -> Iterator[TestClient]:
    """The app with its mail sent to the test's SMTP server."""
    settings = Settings.from_env({"POLICE_DATA_DIR": str(tmp_path), **smtp.env()})
    with TestClient(create_app(settings, police=police), follow_redirects=False) as test_client:
        yield test_client


def terrace_form(police: PoliceApp, token: str, **changes: str) -> dict[str, str]:
    start = police.today() + timedelta(days=7)
    return {
        "csrf_token": token,
        "holder_kind": "establishment",
        "trade_name": "Café Atlas",
        "ice": "001234567000089",
        "rc": "123456",
        "activity": "Café",
        "email": "gerant@cafe-atlas.ma",
        "phone": "0661234567",
        "address": "112 boulevard Zerktouni",
        "arrondissement": "maarif",
        "lat": "33.5861",
        "lon": "-7.6329",
        "frontage_m": "5",
        "depth_m": "2",
        "valid_from": start.isoformat(),
        "valid_until": (start + timedelta(days=180)).isoformat(),
        "note": "Six tables",
        "website": "",
    } | changes


def apply(
    client: TestClient,
    police: PoliceApp,
    files: list[tuple[str, tuple[str, bytes, str]]] | None = None,
    **changes: str,
) -> tuple[str, str]:
    token = token_of(client.get("/demarches/terrace/nouvelle").text)
    response = client.post(
        "/demarches/terrace/nouvelle", data=terrace_form(police, token, **changes), files=files
    )
    assert response.status_code == 303, response.text
    found = LINK.search(response.headers["location"])
    assert found is not None
    return found.group(1), found.group(2)


def text_of(response: httpx.Response) -> str:
    return html.unescape(response.text)


def test_the_sign_in_page_leads_to_the_public_applications(client: TestClient) -> None:
    assert 'href="/demarches"' in client.get("/login").text
    landing = client.get("/demarches")
    assert landing.status_code == 200
    assert 'href="/demarches/terrace/nouvelle"' in landing.text
    form = client.get("/demarches/billboard/nouvelle")
    assert form.status_code == 200
    assert 'name="m2_per_face"' in form.text
    assert client.get("/demarches/jetski/nouvelle").status_code == 404


def test_an_applicant_applies_with_a_photo_and_follows_the_file_by_its_link(
    client: TestClient, police: PoliceApp, smtp: SmtpServer
) -> None:
    photo = ("photos", ("facade.jpg", photos.jpeg_with_exif(), "image/jpeg"))
    number, secret = apply(client, police, files=[photo])
    (letter,) = smtp.mailbox.wait_for(1)
    assert letter["To"] == "gerant@cafe-atlas.ma"
    assert number in letter["Subject"]
    body = letter.get_content()
    assert f"/demarches/suivi/{number}/{secret}" in body
    page = client.get(f"/demarches/suivi/{number}/{secret}?recue=mail")
    assert page.status_code == 200
    text = text_of(page)
    assert "Demande enregistrée sous le numéro" in text
    assert "Reçue" in text
    assert "Il vous a aussi été envoyé par e-mail." in text
    filed = police.find_application(number)
    assert filed is not None
    assert [d["content_type"] for d in filed.documents] == ["image/jpeg"]


def test_a_wrong_or_unknown_link_is_answered_the_same(
    client: TestClient, police: PoliceApp
) -> None:
    number, secret = apply(client, police)
    wrong = client.get(f"/demarches/suivi/{number}/{secret[:-2]}xx")
    unknown = client.get(f"/demarches/suivi/DEM-2026-999999/{secret}")
    assert wrong.status_code == unknown.status_code == 404
    assert "Ce lien de suivi n'ouvre aucune demande" in text_of(wrong)
    assert text_of(wrong) == text_of(unknown).replace("DEM-2026-999999", number) or (
        "Ce lien de suivi n'ouvre aucune demande" in text_of(unknown)
    )
    assert client.get(f"/demarches/suivi/{number}/{secret}/arrete.pdf").status_code == 404


def test_the_log_never_holds_a_tracking_secret(
    client: TestClient, police: PoliceApp, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        number, secret = apply(client, police)
        client.get(f"/demarches/suivi/{number}/{secret}")
    requests = [r for r in caplog.records if r.getMessage() == "request"]
    assert any(getattr(r, "path", "").startswith(f"/demarches/suivi/{number}/") for r in requests)
    assert not any(secret in getattr(r, "path", "") for r in requests)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"website": "http://spam.example"}, "un champ caché du formulaire a été rempli"),
        ({"ice": "123"}, "ICE"),
        ({"rc": ""}, "ICE et son numéro de RC"),
        ({"email": "", "phone": ""}, "Laissez une adresse e-mail ou un téléphone"),
        ({"lat": "", "lon": "", "address": ""}, "ou indiquez son adresse"),
        ({"lat": "34.02", "lon": "-6.83"}, "hors du territoire"),
        ({"valid_from": "2020-01-01"}, "ne peut commencer avant aujourd'hui"),
        ({"frontage_m": "beaucoup"}, "Nombre attendu"),
    ],
)
def test_a_refused_application_says_why_and_records_nothing(
    client: TestClient, police: PoliceApp, changes: dict[str, str], message: str
) -> None:
    token = token_of(client.get("/demarches/terrace/nouvelle").text)
    before = event_count(police)
    response = client.post(
        "/demarches/terrace/nouvelle", data=terrace_form(police, token, **changes)
    )
    assert response.status_code == 400
    assert message in text_of(response)
    assert event_count(police) == before


def test_a_plan_as_a_pdf_is_kept_and_shown_to_the_office(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    plan = documents.pdf(pages=3)
    number, _ = apply(client, police, files=[("plans", ("plan.pdf", plan, "application/pdf"))])
    filed = police.find_application(number)
    assert filed is not None
    (document,) = filed.documents
    assert (document["role"], document["name"], document["pages"]) == ("plan", "plan.pdf", 3)
    log_in(client, "autorisations")
    shown = client.get(f"/permits/applications/{number}/documents/0")
    assert shown.status_code == 200
    assert shown.content == plan
    assert shown.headers["content-type"] == "application/pdf"


def test_an_encrypted_pdf_is_refused_by_its_name(client: TestClient, police: PoliceApp) -> None:
    token = token_of(client.get("/demarches/terrace/nouvelle").text)
    before = event_count(police)
    response = client.post(
        "/demarches/terrace/nouvelle",
        data=terrace_form(police, token),
        files=[("plans", ("plan-protege.pdf", documents.encrypted_pdf(), "application/pdf"))],
    )
    assert response.status_code == 400
    assert "Le PDF « plan-protege.pdf » est protégé par un mot de passe" in text_of(response)
    assert event_count(police) == before


def test_a_photo_that_is_not_an_image_is_refused(client: TestClient, police: PoliceApp) -> None:
    token = token_of(client.get("/demarches/terrace/nouvelle").text)
    before = event_count(police)
    response = client.post(
        "/demarches/terrace/nouvelle",
        data=terrace_form(police, token),
        files=[("photos", ("facade.jpg", b"%PDF-1.4 not a photo", "image/jpeg"))],
    )
    assert response.status_code == 400
    assert "facade.jpg" in text_of(response)
    assert event_count(police) == before


def test_too_many_documents_are_refused(client: TestClient, police: PoliceApp) -> None:
    token = token_of(client.get("/demarches/terrace/nouvelle").text)
    jpeg = photos.jpeg_with_exif()
    files = [("photos", (f"p{i}.jpg", jpeg, "image/jpeg")) for i in range(7)]
    response = client.post(
        "/demarches/terrace/nouvelle", data=terrace_form(police, token), files=files
    )
    assert response.status_code == 400
    assert "Pas plus de 6 documents" in text_of(response)


def test_one_address_sending_many_applications_is_slowed_down(
    client: TestClient, police: PoliceApp
) -> None:
    for _ in range(5):
        apply(client, police)
    token = token_of(client.get("/demarches/terrace/nouvelle").text)
    before = event_count(police)
    response = client.post("/demarches/terrace/nouvelle", data=terrace_form(police, token))
    assert response.status_code == 429
    assert "Trop de demandes envoyées depuis cette connexion" in text_of(response)
    assert event_count(police) == before


def test_a_body_over_the_public_limit_is_refused(client: TestClient, police: PoliceApp) -> None:
    token = token_of(client.get("/demarches/terrace/nouvelle").text)
    big = b"\xff\xd8" + b"0" * (41 * 1024 * 1024)
    response = client.post(
        "/demarches/terrace/nouvelle",
        data=terrace_form(police, token),
        files=[("photos", ("huge.jpg", big, "image/jpeg"))],
    )
    assert response.status_code == 413


def test_the_office_instructs_the_file_up_to_the_arrete(
    client: TestClient, police: PoliceApp, staff: Staff, smtp: SmtpServer
) -> None:
    number, secret = apply(client, police)
    smtp.mailbox.wait_for(1)
    track = f"/demarches/suivi/{number}/{secret}"
    office = log_in(client, "autorisations")
    queue = client.get("/permits/applications")
    assert queue.status_code == 200
    assert number in queue.text

    def act(action: str, **fields: str) -> None:
        found = police.find_application(number)
        assert found is not None
        response = client.post(
            f"/permits/applications/{number}/{action}",
            data={"csrf_token": office, "version": str(found.version), **fields},
        )
        assert response.status_code == 303, text_of(response)

    act("documents", missing="Le plan de la terrasse")
    letters = smtp.mailbox.wait_for(2)
    assert "Le plan de la terrasse" in letters[1].get_content()
    assert secret not in letters[1].get_content()  # the office never knew it
    client.post("/logout", data={"csrf_token": office})

    page = text_of(client.get(track))
    assert "Le plan de la terrasse" in page
    token = token_of(client.get(track).text)
    added = client.post(
        f"{track}/documents",
        data={"csrf_token": token, "note": "Voici le plan", "website": ""},
        files=[("photos", ("plan.jpg", photos.jpeg_with_exif(), "image/jpeg"))],
    )
    assert added.status_code == 303
    assert "En cours d'instruction" in text_of(client.get(track))

    office = log_in(client, "autorisations")
    act("visit", note="Mesurer le trottoir")
    client.post("/logout", data={"csrf_token": office})
    assert "Visite sur place prévue" in text_of(client.get(track))

    officer = log_in(client, "agent.odp")
    home = client.get("/officer")
    assert f"/officer/visits/{number}" in home.text
    reported = client.post(
        f"/officer/visits/{number}",
        data={
            "csrf_token": officer,
            "opinion": "favourable",
            "observations": "Trottoir de 4 m : il reste 2 m aux piétons.",
            "frontage_m": "5,1",
            "lat": "33.58612",
            "lon": "-7.63291",
        },
        files=[("photos", ("trottoir.jpg", photos.jpeg_with_exif(), "image/jpeg"))],
    )
    assert reported.status_code == 303, text_of(reported)
    client.post("/logout", data={"csrf_token": officer})

    office = log_in(client, "autorisations")
    shown = text_of(client.get(f"/permits/applications/{number}"))
    assert "Trottoir de 4 m" in shown
    assert "gerant@cafe-atlas.ma" in shown
    act("grant", fee="1 500")
    granted = police.find_application(number)
    assert granted is not None
    assert granted.permit_number is not None
    letters = smtp.mailbox.wait_for(3)
    assert granted.payment_reference in letters[2].get_content()
    client.post("/logout", data={"csrf_token": office})
    page = text_of(client.get(track))
    assert "Accordée : redevance à payer" in page
    assert granted.payment_reference in page
    assert client.get(f"{track}/arrete.pdf").status_code == 404  # not before payment

    cashier = log_in(client, "juriste")
    permit = police.find_permit(granted.permit_number)
    assert permit is not None
    assert "Redevance à payer" in text_of(client.get(f"/permits/{permit.number}"))
    paid = client.post(
        f"/permits/{permit.number}/payment",
        data={
            "csrf_token": cashier,
            "version": str(permit.version),
            "receipt_number": "Q-2026-0042",
            "amount": "1500",
        },
    )
    assert paid.status_code == 303, text_of(paid)
    client.post("/logout", data={"csrf_token": cashier})

    page = text_of(client.get(track))
    assert "Accordée et payée : l'autorisation est en vigueur" in page
    pdf = client.get(f"{track}/arrete.pdf")
    assert pdf.status_code == 200
    stored = police.find_permit(permit.number)
    assert stored is not None
    assert pdf.content == police.objects.read(stored.arretes[1]["key"])
    renewal = client.get(f"{track}/renouveler")
    assert renewal.status_code == 200
    assert f'value="{permit.number}"' in renewal.text
    assert 'value="Café Atlas"' in html.unescape(renewal.text)


def test_a_holder_who_owes_a_fine_is_told_what_to_settle(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    case_id = fined(police, staff)
    number, secret = apply(client, police)
    page = text_of(client.get(f"/demarches/suivi/{number}/{secret}"))
    assert "Retenue : des sommes sont dues à la commune" in page
    assert police.get_case(case_id).reference in page
    assert "4 000,00" in page or "4000,00" in page.replace("\u202f", "").replace(" ", "")


def test_the_office_replaces_a_leaked_link(
    client: TestClient, police: PoliceApp, staff: Staff, smtp: SmtpServer
) -> None:
    number, secret = apply(client, police)
    office = log_in(client, "autorisations")
    response = client.post(
        f"/permits/applications/{number}/link", data={"csrf_token": office, "reason": "Partagé"}
    )
    assert response.status_code == 303
    new_secret = response.headers["location"].split("lien=")[1].split("#")[0]
    letters = smtp.mailbox.wait_for(2)
    assert f"/demarches/suivi/{number}/{new_secret}" in letters[1].get_content()
    client.post("/logout", data={"csrf_token": office})
    assert client.get(f"/demarches/suivi/{number}/{secret}").status_code == 404
    assert client.get(f"/demarches/suivi/{number}/{new_secret}").status_code == 200


def test_the_overview_counts_applications_per_kind(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    apply(client, police)
    log_in(client, "chef.odp")
    overview = text_of(client.get("/overview"))
    assert "Demandes en ligne par type" in overview
    assert "Terrasse de café ou de restaurant" in overview
    assert services_of(client).mailer.settings.host == "127.0.0.1"


def test_a_paid_permit_ending_within_30_days_is_reminded_once_with_a_renewal_link(
    client: TestClient, police: PoliceApp, staff: Staff, smtp: SmtpServer
) -> None:
    today = police.today()
    number, _ = apply(
        client,
        police,
        valid_from=today.isoformat(),
        valid_until=(today + timedelta(days=20)).isoformat(),
    )
    permit = police.grant_application(staff.permits_clerk, number, fee=Decimal("800"))
    police.record_permit_payment(
        staff.legal, permit, receipt_number="Q-8", amount_paid=Decimal("800")
    )
    services = services_of(client)
    services.projector.catch_up()
    public_url = services.settings.web.public_url
    assert send_renewal_reminders(police, services.read_models, services.mailer, public_url) == 1
    services.projector.catch_up()
    assert send_renewal_reminders(police, services.read_models, services.mailer, public_url) == 0
    letters = smtp.mailbox.wait_for(2)  # the receipt, then the reminder
    reminder = letters[1]
    assert permit in reminder["Subject"]
    link = re.search(r"http://\S+/renouveler", reminder.get_content())
    assert link is not None
    form = client.get(link.group(0).removeprefix(public_url))
    assert form.status_code == 200
    assert f'value="{permit}"' in form.text
    assert f'value="{(today + timedelta(days=21)).isoformat()}"' in form.text


def test_a_file_sent_without_a_pin_is_placed_by_the_office_on_granting(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    number, _ = apply(client, police, lat="", lon="")
    office = log_in(client, "autorisations")
    page = text_of(client.get(f"/permits/applications/{number}"))
    assert "position approximative : centre de l'arrondissement" in page
    filed = police.find_application(number)
    assert filed is not None
    form = {"csrf_token": office, "version": str(filed.version), "fee": "900"}
    unplaced = client.post(f"/permits/applications/{number}/grant", data=form)
    assert unplaced.status_code == 400
    assert "placez l'autorisation sur la carte" in text_of(unplaced)
    placed = client.post(
        f"/permits/applications/{number}/grant",
        data=form | {"lat": "33,58612", "lon": "-7.63291"},
    )
    assert placed.status_code == 303, text_of(placed)
    granted = police.find_application(number)
    assert granted is not None
    assert granted.permit_number is not None
    permit = police.find_permit(granted.permit_number)
    assert permit is not None
    assert (permit.location["lat"], permit.location["lon"]) == (33.58612, -7.63291)
