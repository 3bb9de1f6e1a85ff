"""A supervisor's morning at a desk (1366x768) in real Chromium: filter the list without a page
reload, open a case, validate and assign it, watch the timeline grow, look at it as it stood,
export the list, and see the cases on the map."""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import BrowserContext, expect

from police.identifiers import SubjectInput
from tests.browser.conftest import Served, _free_port, log_in, screenshot
from tests.police import builders


def some_cases(served: Served) -> list[str]:
    references = []
    for n, name in enumerate(["Café Atlas", "Snack Nour", "Pâtisserie Amal", "Rôtisserie Salam"]):
        subject = SubjectInput(kind="establishment", trade_name=name, ice=f"{n + 1:013d}89")
        receipt = served.police.record_inspection(
            builders.hygiene(subject=subject), served.staff.hygiene_officer
        )
        references.append(str(receipt.case_reference))
    served.police.record_inspection(builders.parking(), served.staff.parking_officer)
    return references


def test_filter_open_validate_assign_and_look_back(desk: BrowserContext, served: Served) -> None:
    references = some_cases(served)
    page = desk.new_page()
    log_in(page, "chef.hygiene")
    expect(page).to_have_url(re.compile(r"/cases$"))
    expect(page.locator("table.cases tbody tr")).to_have_count(4)
    screenshot(page, "supervisor-list-desk")

    lists: list[str] = []
    page.on("request", lambda r: lists.append(r.url) if "/cases?" in r.url else None)
    page.fill("input[name=q]", "nour")
    expect(page.locator("table.cases tbody tr")).to_have_count(1)
    expect(page).to_have_url(re.compile(r"q=nour"))  # the filter is in the URL, shareable
    # Leaving the search box sends nothing more: a second swap of the list (and its history
    # entry) used to race the click on a case, which then sometimes never opened.
    page.locator("input[name=q]").blur()
    with page.expect_response(re.compile(r"/cases\?.*status=opened")):
        page.select_option("select[name=status]", "opened")
    asked = [parse_qs(urlsplit(url).query) for url in lists]
    assert [(q.get("q"), q.get("status")) for q in asked] == [
        (["nour"], None),
        (["nour"], ["opened"]),
    ]
    expect(page.locator("table.cases tbody tr")).to_have_count(1)
    page.click("a.ref >> text=" + references[1])
    expect(page.locator("h1")).to_contain_text("Snack Nour")

    page.fill(".action-validate input[name=reason]", "Constat confirmé sur place")
    page.click(".action-validate button")
    expect(page.locator("#case-status")).to_have_text("Validé")
    expect(page.locator("#timeline li")).to_have_count(2)
    page.select_option(".action-assign select[name=officer_id]", label="Agent Hygiene2")
    page.click(".action-assign button")
    expect(page.locator("#case-assignee")).to_have_text("Agent Hygiene2")
    expect(page.locator("#timeline li")).to_have_count(3)
    expect(page.locator("#timeline li").last).to_contain_text("Dossier attribué à Agent Hygiene2")
    screenshot(page, "supervisor-case-desk")

    case_path = page.url.removeprefix(served.url)
    page.goto(f"/lang/ar?next={case_path}")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("#timeline li").last).to_contain_text(
        "أُسند الملف إلى \u2068Agent Hygiene2\u2069"
    )
    screenshot(page, "supervisor-case-desk-ar")
    page.goto(f"/lang/fr?next={case_path}")

    page.locator("#timeline a.as-of").first.click()
    expect(page.locator("#as-of")).to_be_visible()
    expect(page.locator("#case-status")).to_have_text("Ouvert")
    expect(page.locator("#case-actions")).to_have_count(0)
    screenshot(page, "supervisor-case-as-of-desk")


def test_export_the_filtered_list_and_see_the_map(desk: BrowserContext, served: Served) -> None:
    some_cases(served)
    page = desk.new_page()
    log_in(page, "chef.hygiene")
    page.fill("input[name=q]", "atlas")
    expect(page.locator("table.cases tbody tr")).to_have_count(1)
    with page.expect_download() as download:
        page.click("text=Exporter (CSV)")
    body = download.value.path().read_bytes().decode("utf-8")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))
    assert [r[3] for r in rows[1:]] == ["Café Atlas"]

    page.goto("/overview")
    expect(page.locator("#kpis tbody tr")).to_have_count(1)
    expect(page.locator("#cases-map")).to_have_attribute("data-points", "4")
    expect(page.locator("#cases-map path.leaflet-interactive")).to_have_count(4)
    screenshot(page, "supervisor-overview-desk")


# A WMS no one answers: the base map cannot load, the points show on the plain background.
# (A port just freed: Chromium refuses to ask well-known ones such as 9 at all.)
WMS = f"http://127.0.0.1:{_free_port()}/wms"
UNREACHABLE_WMS = {
    "POLICE_MAP_WMS_URL": WMS,
    "POLICE_MAP_WMS_LAYERS": "voirie",
}


@pytest.mark.parametrize("served_env", [UNREACHABLE_WMS], indirect=True)
def test_map_layers_switch_off_and_on_over_an_unreachable_wms(
    desk: BrowserContext, served: Served
) -> None:
    some_cases(served)
    page = desk.new_page()
    failed: list[tuple[str, str]] = []
    page.on("requestfailed", lambda r: failed.append((r.url, r.failure or "")))
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url) if ".geojson" in r.url else None)
    log_in(page, "chef.hygiene")
    page.goto("/overview")
    markers = page.locator("#cases-map path.leaflet-interactive")
    cases = page.get_by_role("checkbox", name="Dossiers")
    inspections = page.get_by_role("checkbox", name="Contrôles des 30 derniers jours")
    expect(markers).to_have_count(4)
    expect(cases).to_be_checked()
    expect(inspections).not_to_be_checked()

    inspections.check()  # four hygiene inspections; the parking one is another brigade's
    expect(markers).to_have_count(8)
    expect(page.locator("#cases-map")).to_have_attribute("data-points", "8")
    cases.focus()
    page.keyboard.press("Space")  # reachable and usable from the keyboard
    expect(cases).not_to_be_checked()
    expect(markers).to_have_count(4)
    cases.check()
    expect(markers).to_have_count(8)
    inspections.uncheck()
    expect(markers).to_have_count(4)
    screenshot(page, "supervisor-overview-layers-desk")
    # Each source fetched once, however often its layer is switched.
    sources = sorted(url.removeprefix(served.url) for url in fetched)
    assert sources == ["/cases/export.geojson", "/map/inspections.geojson"]
    # The WMS was asked for its tiles, allowed by the CSP, and simply did not answer.
    wms = [(url, why) for url, why in failed if url.startswith(WMS + "?")]
    assert wms, failed
    assert all("layers=voirie" in url.lower() and "service=wms" in url.lower() for url, _ in wms)
    assert {why for _, why in wms} == {"net::ERR_CONNECTION_REFUSED"}

    page.goto("/lang/ar?next=/overview")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("checkbox", name="الملفات")).to_be_checked()
    expect(markers).to_have_count(4)
    screenshot(page, "supervisor-overview-layers-desk-ar")
