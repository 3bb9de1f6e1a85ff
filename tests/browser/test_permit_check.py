"""The permit registry in real Chromium: on a phone in front of a café, the officer sees the
permits within 50 m, picks the terrace, types what was measured and is told the excess and the
narrow walking path before sending; at a desk, the permits office grants a permit by placing
its pin and drawing its outline on the map, and switches the registry map's layers."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from uuid import UUID

from playwright.sync_api import BrowserContext, Geolocation, expect

from tests.browser.conftest import Served, log_in, no_horizontal_scroll, screenshot
from tests.police import builders

CAFE: Geolocation = {"latitude": 33.58905, "longitude": -7.6420, "accuracy": 8}


def test_the_officer_picks_the_terrace_nearby_and_is_told_its_excess(
    phone: BrowserContext, served: Served
) -> None:
    police, clerk = served.police, served.staff.permits_clerk
    terrace = police.grant_permit(clerk, builders.terrace())
    display = police.grant_permit(
        clerk,
        builders.terrace(
            kind="display",
            location=replace(builders.terrace().location, lat=33.58925),
            frontage_m=Decimal("3"),
            depth_m=Decimal("1"),
        ),
    )
    far = police.grant_permit(
        clerk, builders.terrace(location=replace(builders.terrace().location, lat=33.5950))
    )
    phone.set_geolocation(CAFE)
    page = phone.new_page()
    log_in(page, "agent.odp")
    page.goto("/officer/inspections/new/public_domain")
    picks = page.locator("#permits-near input[name=permit_pick]")
    expect(picks).to_have_count(3)  # the terrace, the display 22 m away, and "none found"
    assert [picks.nth(i).get_attribute("value") for i in range(3)] == [terrace, display, "none"]
    assert far not in page.locator("#permits-near").inner_text()
    expect(page.locator("#permits-near-map .leaflet-interactive")).to_have_count(3)
    page.fill("input[name=trade_name]", "Café de Paris")
    page.fill("input[name=ice]", "002233445000067")
    page.check(f"#permits-near input[value='{terrace}']")
    page.fill("input[name=occupied_surface_m2]", "18,5")
    page.fill("input[name=walking_path_m]", "0,9")
    proposal = page.locator("#permit-proposal")
    expect(proposal).to_contain_text("Dépassement de 6,5 m² : ODP-02")
    expect(proposal).to_contain_text("inférieur aux 1,5 m exigés : ODP-08")
    assert no_horizontal_scroll(page)
    screenshot(page, "officer-permits-near-fr")
    page.click("#inspection-form button[type=submit]")
    page.wait_for_url(re.compile(r"/officer/inspections/[0-9a-f-]+$"))
    recorded = police.get_inspection(UUID(page.url.rsplit("/", 1)[1]))
    assert [(f["code"], f["derived"]) for f in recorded.findings] == [
        ("ODP-02", True),
        ("ODP-08", True),
    ]
    phone.add_cookies([{"name": "lang", "value": "ar", "url": served.url}])
    page.goto("/officer/inspections/new/public_domain")
    expect(page.locator("#permits-near input[name=permit_pick]")).to_have_count(3)
    page.check(f"#permits-near input[value='{terrace}']")
    page.fill("input[name=occupied_surface_m2]", "14")
    expect(page.locator("#permit-proposal")).to_contain_text("ODP-02")
    assert no_horizontal_scroll(page)
    screenshot(page, "officer-permits-near-ar")


def test_the_office_grants_a_permit_drawn_on_the_map(desk: BrowserContext, served: Served) -> None:
    page = desk.new_page()
    log_in(page, "autorisations")
    page.goto("/permits/new")
    page.select_option("select[name=kind]", "terrace")
    page.fill("input[name=trade_name]", "Café Maâmoura")
    page.fill("input[name=ice]", "005566778000099")
    page.select_option("select[name=arrondissement]", "anfa")
    page.fill("input[name=address]", "Boulevard d'Anfa")
    page.fill("input[name=lat]", "33.589")
    page.fill("input[name=lon]", "-7.642")
    page.dispatch_event("input[name=lon]", "change")
    board = page.locator("#permit-form-map")
    box = board.bounding_box()
    assert box is not None
    page.click("#draw-outline")
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    # At zoom 18 a pixel is about 0.5 m here: a 12 x 6 px rectangle is about 6 m x 3 m.
    for dx, dy in ((0, 0), (12, 0), (12, -6), (0, -6)):
        page.mouse.click(cx + dx, cy + dy)
    expect(page.locator("#outline-area")).to_contain_text("4 points")
    page.fill("input[name=frontage_m]", "6")
    page.fill("input[name=depth_m]", "3")
    page.fill("input[name=valid_from]", "2026-01-01")
    page.fill("input[name=valid_until]", "2099-12-31")
    page.fill("input[name=fee]", "5400")
    screenshot(page, "permits-new-desk-fr")
    page.click("#permit-form button[type=submit]")
    page.wait_for_url(re.compile(r"/permits/AOT-TER-"))
    number = page.url.rsplit("/", 1)[1]
    permit = served.police.find_permit(number)
    assert permit is not None
    assert permit.outline is not None
    assert len(permit.outline) == 5  # closed
    assert permit.outline_m2 is not None
    assert Decimal("10") < permit.outline_m2 < Decimal("27")
    expect(page.locator("#permit-map .leaflet-interactive")).to_have_count(2)  # outline, pin
    screenshot(page, "permit-page-desk-fr")

    page.goto("/permits")
    expect(page.locator("#permit-total")).to_contain_text("1 autorisation")
    screenshot(page, "permits-registry-desk-fr")
    page.goto("/permits/map")
    markers = page.locator("#permits-map .leaflet-interactive")
    expect(markers).to_have_count(1)
    page.uncheck("input[type=checkbox] >> nth=0")
    expect(markers).to_have_count(0)
    page.check("input[type=checkbox] >> nth=0")
    expect(markers).to_have_count(1)
    screenshot(page, "permits-map-desk-fr")
    desk.add_cookies([{"name": "lang", "value": "ar", "url": served.url}])
    for path, name in (
        ("/permits", "registry"),
        ("/permits/map", "map"),
        (f"/permits/{number}", "page"),
    ):
        page.goto(path)
        page.wait_for_load_state("networkidle")
        assert no_horizontal_scroll(page)
        screenshot(page, f"permits-{name}-desk-ar")
