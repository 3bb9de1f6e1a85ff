"""Residents' reports and the recipient's access in real Chromium, at phone size: a resident
reports a car on the sidewalk with a photo; a second resident reporting the same place sees the
first and follows it; the parking supervisor dispatches it from a desk; the officer's day shows
it and the officer records the ticket from it; both residents' pages then say an infraction was
found. The ticket's recipient opens their case with the code printed on the avis, sees the
photo, contests; the legal desk sees the contestation."""

from __future__ import annotations

import io
import re
from uuid import UUID

from playwright.sync_api import Browser, BrowserContext, FilePayload, Geolocation, Page, expect
from pypdf import PdfReader

from tests.browser.conftest import PHONE, Served, log_in, no_horizontal_scroll, screenshot
from tests.storage import photos

SIDEWALK: Geolocation = {"latitude": 33.59752, "longitude": -7.61698, "accuracy": 8}
NEXT_DOOR: Geolocation = {"latitude": 33.59765, "longitude": -7.61700, "accuracy": 10}
CODE = re.compile(r"\b[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}\b")


# Whether an image loaded, once it has finished loading (a rendition is made on demand: under
# load it may still be on its way when the element is already laid out).
LOADED = """img => img.complete ? img.naturalWidth > 0 : new Promise((done) => {
    img.addEventListener("load", () => done(img.naturalWidth > 0));
    img.addEventListener("error", () => done(false));
})"""


def phone_at(browser: Browser, served: Served, where: Geolocation) -> BrowserContext:
    return browser.new_context(
        **PHONE,
        geolocation=where,
        permissions=["geolocation"],
        locale="fr-FR",
        base_url=served.url,
    )


def photo(name: str) -> FilePayload:
    return {"name": name, "mimeType": "image/jpeg", "buffer": photos.jpeg_with_exif()}


def report_the_car(page: Page) -> str:
    page.goto("/login")
    page.click("text=Signaler un problème dans la rue")
    expect(page.locator("#not-emergency")).to_contain_text("Pas pour les urgences.")
    page.check("input[value=parking-sidewalk]")
    page.click("#use-position")
    expect(page.locator("#position-said")).to_contain_text("Position du téléphone relevée")
    page.fill("textarea[name=description]", "Voiture grise garée sur le trottoir devant le 120.")
    page.set_input_files("input[name=photos]", files=[photo("voiture.jpg")])
    assert no_horizontal_scroll(page)
    screenshot(page, "report-form-phone")
    page.click("text=Envoyer le signalement")
    expect(page.locator("#sent")).to_contain_text("Signalement enregistré sous le numéro")
    return page.url


def test_two_residents_one_report_a_ticket_from_it_and_its_recipient_contests(
    browser: Browser, desk: BrowserContext, served: Served
) -> None:
    first = phone_at(browser, served, SIDEWALK)
    second = phone_at(browser, served, NEXT_DOOR)
    officer = phone_at(browser, served, SIDEWALK)
    recipient = phone_at(browser, served, SIDEWALK)
    try:
        resident = first.new_page()
        first_page = report_the_car(resident)
        number = re.search(r"SIG-\d{4}-\d{6}", first_page)
        assert number is not None

        # The second resident, 15 m away, is shown the first report and follows it.
        neighbour = second.new_page()
        neighbour.goto("/signaler")
        neighbour.check("input[value=parking-sidewalk]")
        neighbour.click("#use-position")
        prompt = neighbour.locator("#nearby")
        expect(prompt).to_contain_text("Déjà signalé tout près ?")
        expect(prompt).to_contain_text("Voiture grise garée sur le trottoir devant le 120.")
        expect(prompt.locator("img")).to_have_count(0)  # no photo of a report in public
        screenshot(neighbour, "report-nearby-phone")
        prompt.locator("text=C'est le même : le suivre").click()
        expect(neighbour.locator("#sent")).to_contain_text("Vous suivez le signalement")

        # The parking supervisor dispatches it.
        chief = desk.new_page()
        log_in(chief, "chef.stationnement")
        chief.goto("/reports")
        expect(chief.locator("#report-queue")).to_contain_text(number.group(0))
        screenshot(chief, "report-queue-desk")
        chief.click(f"text={number.group(0)}")
        expect(chief.locator(".thumbs img")).to_have_count(1)
        chief.select_option("#dispatch-form select[name=officer_id]", label="Agent Stationnement")
        chief.click("text=Confier la visite")
        expect(chief.locator("#report-status")).to_have_text("Accepté : visite prévue")

        # The officer's day shows it; the ticket is recorded from it.
        street = officer.new_page()
        log_in(street, "agent.stationnement")
        day = street.locator("#visits")
        expect(day).to_contain_text(number.group(0))
        day.locator(f"li[data-visit='report:{number.group(0)}'] a").click()
        expect(street.locator("#from-report")).to_contain_text(number.group(0))
        street.fill("input[name=plate]", "48213 b 6")
        street.check("input[value=STA-02]")
        street.set_input_files("input[name=photos]", files=[photo("constat.jpg")])
        street.click("#inspection-form button[type=submit]")
        street.wait_for_url(re.compile(r"/officer/inspections/[0-9a-f-]{36}$"))
        ticket = street.locator("#ticket-number").inner_text()

        # Both residents now read that an infraction was found.
        for page in (resident, neighbour):
            page.reload()
            expect(page.locator("#report-status")).to_contain_text(
                "Contrôlé : infraction constatée"
            )
        screenshot(resident, "report-tracking-phone")

        # The ticket's recipient opens their case with the code printed on the avis.
        code = printed_code(served, ticket)
        door = recipient.new_page()
        door.goto("/mon-avis")
        door.fill("input[name=number]", ticket)
        door.fill("input[name=code]", code.lower())
        door.click("text=Ouvrir mon dossier")
        expect(door.locator("#payment-reference")).to_have_text(ticket)
        shown = door.locator(".thumbs img").first
        expect(shown).to_be_visible()
        assert shown.evaluate(LOADED)
        assert no_horizontal_scroll(door)
        screenshot(door, "recipient-case-phone")
        door.fill("textarea[name=grounds]", "J'étais arrêté pour décharger un fauteuil roulant.")
        door.click("text=Envoyer la contestation")
        expect(door.locator("#appeal-status")).to_contain_text("le service juridique l'examine")

        # The legal desk sees it on the case.
        legal = desk.new_page()
        desk.clear_cookies()
        log_in(legal, "juriste")
        case = served.police.find_report(number.group(0))
        assert case is not None
        assert case.inspection is not None
        legal.goto(f"/cases/{case_id_of(served, ticket)}")
        expect(legal.locator("#recipient-contestation")).to_contain_text(
            "J'étais arrêté pour décharger un fauteuil roulant."
        )
    finally:
        for context in (first, second, officer, recipient):
            context.close()


def printed_code(served: Served, ticket: str) -> str:
    """The access code as printed on the ticket's avis (the recipient reads it on paper)."""
    case_id = case_id_of(served, ticket)
    [notice] = served.police.get_case(case_id).notices
    text = PdfReader(io.BytesIO(served.police.objects.read(notice["key"]))).pages[0].extract_text()
    found = CODE.search(text)
    assert found is not None
    return found.group(0)


def case_id_of(served: Served, ticket: str) -> UUID:
    issued = served.police.recorder.select_notifications(
        start=1, limit=10_000, topics=["police.aggregates.case:Case.NoticeIssued"]
    )
    for notification in issued:
        event = served.police.mapper.to_domain_event(notification)
        if getattr(event, "number", None) == ticket:
            return UUID(str(event.originator_id))
    raise AssertionError(f"no notice {ticket}")
