"""The officer's day on a phone in real Chromium: the list of visits opened without a network,
two campaign visits recorded from it offline (each ticked as it waits), then, the network back,
both sent once, ticked as made, and the campaign's progress moved."""

from __future__ import annotations

from playwright.sync_api import BrowserContext, Page, expect

from police.aggregates.campaign import Campaign
from police.identifiers import SubjectInput, subject_id
from police.submission import Location
from tests.browser.conftest import Served, log_in, no_horizontal_scroll, screenshot
from tests.police import builders

SHOPS = [
    (
        SubjectInput(kind="establishment", trade_name="Boucherie El Fath", ice="004455667000012",
                     activity="Boucherie"),
        Location(arrondissement="sidi_belyout", address="20 rue Allal Ben Abdellah",
                 lat=33.5958, lon=-7.6183),
    ),
    (
        SubjectInput(kind="establishment", trade_name="Poissonnerie Bahia", ice="004455667000034",
                     activity="Poissonnerie"),
        Location(arrondissement="sidi_belyout", address="8 rue Mohammed El Qorri",
                 lat=33.5981, lon=-7.6150),
    ),
]  # fmt: skip


def target(subject: SubjectInput) -> str:
    return builders.target(subject, SHOPS[0][1])["key"]


def a_campaign_of_two_targets(served: Served) -> Campaign:
    police, staff = served.police, served.staff
    police.set_coverage(staff.hygiene_chief, "hygiene", staff.hygiene_officer, ["sidi_belyout"])
    for subject, place in SHOPS:  # known from an earlier visit
        police.record_inspection(
            builders.hygiene(subject=subject, location=place, findings=()), staff.hygiene_officer
        )
    targets = tuple(builders.target(s, p) for s, p in SHOPS)
    return builders.cold_chain(police, staff.hygiene_chief, [staff.hygiene_officer], targets)


def kept_forms(page: Page) -> int:
    return int(
        page.evaluate(
            "caches.open('police-officer-visits').then((c) => c.keys()).then((k) => k.length)"
        )
    )


def test_the_day_works_offline_and_its_visits_leave_once_when_the_network_returns(
    phone: BrowserContext, served: Served
) -> None:
    campaign = a_campaign_of_two_targets(served)
    keys = [
        Campaign.visit_key(campaign.id, f"subject:{subject_id(f'ice:{s.ice}')}") for s, _ in SHOPS
    ]
    page = phone.new_page()
    log_in(page, "agent.hygiene")
    page.goto("/officer")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # controlled by the service worker: it keeps the day's forms
    page.wait_for_function(
        "caches.open('police-officer-visits').then((c) => c.keys()).then((k) => k.length >= 2)"
    )
    assert kept_forms(page) >= 2

    phone.set_offline(True)
    page.goto("/officer")  # the day, without a connection
    day = page.locator("#visit-list")
    for key in keys:
        expect(day.locator(f"li[data-visit='{key}']")).to_be_visible()
    assert no_horizontal_scroll(page)
    screenshot(page, "officer-day-offline-phone")
    for n, key in enumerate(keys):
        day.locator(f"li[data-visit='{key}'] a").click()
        expect(page.locator("#from-visit")).to_contain_text("Chaîne du froid")
        expect(page.locator("input[name=trade_name]")).to_have_value(SHOPS[n][0].trade_name)
        if n == 0:
            page.check("input[value=HYG-03]")
            page.fill("textarea[name=observations]", "Vitrine réfrigérée à 11 °C.")
        page.click("#inspection-form button[type=submit]")
        page.wait_for_url("**/officer")  # back to the day, the visit ticked as it waits
        expect(day.locator(f"li[data-visit='{key}'] .ticked")).to_be_visible()
    expect(page.locator("#outbox-count")).to_contain_text("2")
    screenshot(page, "officer-day-ticked-offline-phone")
    found = served.police.find_campaign(campaign.number)
    assert found is not None
    assert not found.visited  # nothing left the phone yet

    phone.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("#outbox-count")).to_have_text("", timeout=20_000)
    page.evaluate("document.getElementById('outbox-send').click()")  # a second push: nothing
    page.reload()
    done = page.locator("#visits-done")
    for key in keys:
        expect(done.locator(f"li[data-visit='{key}']")).to_be_visible()
        expect(page.locator(f"#visit-list li[data-visit='{key}']")).to_have_count(0)
    found = served.police.find_campaign(campaign.number)
    assert found is not None
    assert sorted(found.visited) == sorted(
        f"subject:{subject_id(f'ice:{s.ice}')}" for s, _ in SHOPS
    )
    outcomes = {k: v["compliant"] for k, v in found.visited.items()}
    assert outcomes[f"subject:{subject_id(f'ice:{SHOPS[0][0].ice}')}"] is False
    inspections = [
        n for n in served.police.recorder.select_notifications(start=1, limit=10_000)
        if n.topic.endswith("Inspection.Recorded")
    ]  # fmt: skip
    assert len(inspections) == 4  # the two earlier visits, then each campaign visit once
