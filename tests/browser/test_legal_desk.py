"""A lawyer's desk in real Chromium: the queue of validated cases, then the avis a day's parking
tickets still lack issued in one batch while the progress bar fills (htmx polling), and the
printable PDF of the day's avis; the same page on a phone stays usable."""

from __future__ import annotations

import re
from contextlib import nullcontext

from playwright.sync_api import BrowserContext, expect

from police.commands import ValidateCase
from tests.browser.conftest import Served, log_in, no_horizontal_scroll, screenshot
from tests.police import builders
from tests.police.builders import notices_refused

PLATES = ("12345-A-6", "2211-B-1", "78-D-40", "501-H-33", "9087-W-26")


def test_issue_the_days_missing_avis_with_a_progress_bar_then_print(
    desk: BrowserContext, served: Served
) -> None:
    """Each ticket's avis is issued with it in the street; the first two could not be stored
    then (the store refused notices), so the desk issues those two in its batch and prints
    the day's five."""
    tickets = []
    for n, plate in enumerate(PLATES):
        with notices_refused(served.police.objects) if n < 2 else nullcontext():
            officer = served.staff.parking_officer
            tickets.append(served.police.record_inspection(builders.parking(plate), officer))
    assert [len(served.police.get_case(t.case_id).notices) for t in tickets if t.case_id] == [
        0, 0, 1, 1, 1,
    ]  # fmt: skip
    hygiene = served.police.record_inspection(builders.hygiene(), served.staff.hygiene_officer)
    assert hygiene.case_id
    served.police.change_case(ValidateCase(case_id=hygiene.case_id), served.staff.hygiene_chief)

    page = desk.new_page()
    log_in(page, "juriste")
    expect(page).to_have_url(re.compile(r"/legal$"))
    expect(page.locator("#queue .card-line")).to_have_count(1)
    expect(page.locator("#tickets")).to_contain_text("5 contraventions ce jour-là")
    screenshot(page, "legal-desk-desk")

    expect(page.locator("#tickets button")).to_contain_text("Émettre les 2 avis de contravention")
    page.click("#tickets button")
    expect(page.locator("#tickets progress")).to_be_visible()
    expect(page.locator("#tickets progress")).to_have_attribute("value", "5", timeout=60_000)
    link = page.locator("#tickets a.button")
    expect(link).to_contain_text("Imprimer les 5 avis émis")
    screenshot(page, "legal-desk-printed-desk")
    pdf = page.request.get(str(link.get_attribute("href")))
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    for ticket in tickets:
        assert ticket.case_id
        [notice] = served.police.get_case(ticket.case_id).notices
        assert notice["number"] == ticket.ticket_number


def test_the_legal_desk_on_a_phone(phone: BrowserContext, served: Served) -> None:
    served.police.record_inspection(builders.parking(), served.staff.parking_officer)
    page = phone.new_page()
    log_in(page, "juriste")
    expect(page.locator("#tickets")).to_contain_text("1 contravention ce jour-là")
    assert no_horizontal_scroll(page)
    screenshot(page, "legal-desk-phone")
