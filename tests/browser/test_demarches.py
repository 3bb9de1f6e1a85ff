"""e-démarches in real Chromium, with a real SMTP server: a café owner applies for a terrace from
a phone (the phone's position, a photo of the frontage and a plan as PDF), finds the tracking link
in the mail, answers the office's request for a document; at a desk the permits office asks
for a site visit, which the public-domain officer reports from a phone; the office grants and
records the fee's payment; the applicant downloads the arrêté; the permit is in the registry
and on its map."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from playwright.sync_api import Browser, BrowserContext, FilePayload, Geolocation, Page, expect

from tests.browser.conftest import PHONE, Served, log_in, no_horizontal_scroll, screenshot
from tests.smtp_server import SmtpServer
from tests.storage import documents, photos

CAFE_ATLAS: Geolocation = {"latitude": 33.5861, "longitude": -7.6329, "accuracy": 6}
LINK = re.compile(r"http://\S+/demarches/suivi/DEM-\d{4}-\d{6}/[A-Za-z0-9_-]+")


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def served_env(smtp: SmtpServer) -> dict[str, str]:
    return smtp.env()


def payload(name: str, mime_type: str, data: bytes) -> FilePayload:
    return {"name": name, "mimeType": mime_type, "buffer": data}


def phone_of(browser: Browser, served: Served) -> BrowserContext:
    return browser.new_context(
        **PHONE,
        geolocation=CAFE_ATLAS,
        permissions=["geolocation"],
        locale="fr-FR",
        base_url=served.url,
    )


def apply_for_a_terrace(page: Page) -> None:
    page.goto("/login")
    page.click("text=Demander une autorisation d'occupation du domaine public")
    page.click("text=Terrasse de café ou de restaurant")
    page.fill("input[name=trade_name]", "Café Atlas")
    page.fill("input[name=ice]", "001234567000089")
    page.fill("input[name=rc]", "123456")
    page.fill("input[name=email]", "gerant@cafe-atlas.ma")
    page.fill("input[name=phone]", "06 61 23 45 67")
    page.fill("input[name=address]", "112 boulevard Zerktouni")
    page.select_option("select[name=arrondissement]", "maarif")
    page.click("#use-position")
    expect(page.locator("#position-said")).to_contain_text("Position du téléphone relevée")
    page.fill("input[name=frontage_m]", "5")
    page.fill("input[name=depth_m]", "2")
    page.fill("input[name=valid_until]", (date.today() + timedelta(days=180)).isoformat())
    page.set_input_files(
        "input[name=photos]",
        files=[payload("facade.jpg", "image/jpeg", photos.jpeg_with_exif())],
    )
    page.set_input_files(
        "input[name=plans]",
        files=[payload("plan.pdf", "application/pdf", documents.pdf(2))],
    )
    assert no_horizontal_scroll(page)
    page.click("text=Envoyer la demande")
    expect(page.locator("#received")).to_contain_text("Demande enregistrée sous le numéro")


def test_a_terrace_is_applied_for_instructed_granted_paid_and_its_arrete_downloaded(
    browser: Browser, desk: BrowserContext, served: Served, smtp: SmtpServer
) -> None:
    owner = phone_of(browser, served)
    mine = owner.new_page()
    apply_for_a_terrace(mine)
    screenshot(mine, "demarches-tracking-phone")
    (receipt,) = smtp.mailbox.wait_for(1)
    found = LINK.search(receipt.get_content())
    assert found is not None
    assert mine.locator("#tracking-link").inner_text() == found.group(0)
    # The link names the configured public address; this test's server listens elsewhere.
    link = "/demarches/" + found.group(0).split("/demarches/", 1)[1]
    number = link.split("/")[-2]

    office = desk.new_page()
    log_in(office, "autorisations")
    office.goto("/permits/applications")
    office.click(f"text={number}")
    office.fill("textarea[name=missing]", "Attestation d'assurance responsabilité civile")
    office.click("text=Demander au demandeur")
    expect(office.locator("#application-status")).to_have_text("Incomplète : documents demandés")
    assert "Attestation d'assurance" in smtp.mailbox.wait_for(2)[1].get_content()

    mine.goto(link)
    expect(mine.locator("#application-status")).to_contain_text("Attestation d'assurance")
    mine.set_input_files(
        "#add-documents input[name=plans]",
        files=[payload("assurance.pdf", "application/pdf", documents.pdf(1))],
    )
    mine.click("text=Envoyer les documents")
    expect(mine.locator("#application-status")).to_contain_text("En cours d'instruction")

    office.reload()
    office.fill("input[name=note]", "Mesurer le trottoir")
    office.click("text=Demander une visite sur place")
    expect(office.locator("#application-status")).to_have_text("Visite sur place prévue")

    officer_phone = phone_of(browser, served)
    officer = officer_phone.new_page()
    log_in(officer, "agent.odp")
    officer.click(f"#visits >> text={number}")
    officer.check("input[value=favourable]")
    officer.fill("textarea[name=observations]", "Trottoir de 4 m : 2 m restent aux piétons.")
    officer.fill("input[name=frontage_m]", "5,1")
    officer.click("#use-position")
    expect(officer.locator("#position-said")).to_contain_text("Position du téléphone relevée")
    officer.click("text=Envoyer le rapport de visite")
    officer.wait_for_url(re.compile(r"/officer"))
    officer_phone.close()

    office.reload()
    expect(office.locator("#application-visit")).to_contain_text("Avis favorable")
    office.fill("input[name=fee]", "1500")
    office.click("text=Accorder")
    expect(office.locator("#application-status")).to_have_text("Accordée")
    permit = office.locator("#application-decision a.ref").inner_text()
    screenshot(office, "demarches-file-desk")
    office.click(f"#application-decision >> text={permit}")
    expect(office.locator("#permit-state")).to_have_text("Redevance à payer")
    office.fill("input[name=receipt_number]", "Q-2026-0042")
    office.click("text=Enregistrer le paiement")
    expect(office.locator("#permit-payment")).to_contain_text("Q-2026-0042")

    mine.goto(link)
    expect(mine.locator("#application-status")).to_contain_text("l'autorisation est en vigueur")
    arrete = mine.request.get(f"{link}/arrete.pdf")
    assert arrete.ok
    assert arrete.body()[:5] == b"%PDF-"
    owner.close()

    office.goto("/permits")
    expect(office.locator("#permit-table")).to_contain_text(permit)
    on_map = office.request.get("/permits/map.geojson").json()
    assert permit in {f["properties"]["number"] for f in on_map["features"]}
