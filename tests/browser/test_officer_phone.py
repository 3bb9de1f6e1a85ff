"""An officer's day on a phone (390x844, touch, GPS) in real Chromium: each brigade's form,
the repeat-offender flag while typing, errors by their field, and an inspection recorded with
no network that leaves once the network is back, recorded once."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID, uuid4

from playwright.sync_api import BrowserContext, expect

from tests.browser.conftest import (
    BOULEVARD_MOHAMMED_V,
    Served,
    log_in,
    no_horizontal_scroll,
    screenshot,
)
from tests.police import builders
from tests.storage import photos


def recorded_cases(served: Served) -> list[str]:
    notifications = served.police.recorder.select_notifications(start=1, limit=10_000)
    return [n.topic for n in notifications if n.topic.endswith("Case.Opened")]


def test_a_parking_ticket_from_the_phone(phone: BrowserContext, served: Served) -> None:
    page = phone.new_page()
    log_in(page, "agent.stationnement")
    screenshot(page, "officer-home-phone")
    page.click("a.brigade-parking")
    expect(page.locator("#gps-status")).to_contain_text("précision 9 m")
    expect(page.locator("select[name=arrondissement]")).to_have_value("sidi_belyout")
    page.fill("input[name=plate]", "48213 b 6")
    expect(page.locator("#lookup-plate")).to_contain_text("48213-B-6")
    expect(page.locator("#lookup-plate")).to_contain_text("Aucun antécédent")
    page.fill("input[name=make]", "Dacia Logan")
    page.check("input[value=STA-02]")
    page.check("input[name=measure][value=clamp]")
    assert no_horizontal_scroll(page)
    screenshot(page, "officer-form-parking-phone")
    page.click("#inspection-form button[type=submit]")
    page.wait_for_url(re.compile(r"/officer/inspections/[0-9a-f-]{36}$"))
    year = served.police.today().year
    expect(page.locator("#case-reference")).to_have_text(f"STA-{year}-000001")
    expect(page.locator("#ticket-number")).to_have_text(f"AC-{year}-000001")
    expect(page.locator("#ticket-amount")).to_have_text("300,00 MAD")
    assert no_horizontal_scroll(page)
    screenshot(page, "officer-receipt-phone")


def test_a_hygiene_inspection_with_a_count(phone: BrowserContext, served: Served) -> None:
    page = phone.new_page()
    log_in(page, "agent.hygiene")
    page.goto("/officer/inspections/new/hygiene")
    page.fill("input[name=trade_name]", "Snack Chez Hassan")
    page.fill("input[name=ice]", "009988776000055")
    page.fill("input[name=address]", "14 rue Tahar Sebti")
    page.check("input[value=HYG-05]")
    page.fill("input[name='quantity_HYG-05']", "3")
    page.fill("textarea[name=observations]", "Trois employés sans certificat médical.")
    screenshot(page, "officer-form-hygiene-phone")
    page.click("#inspection-form button[type=submit]")
    page.wait_for_url(re.compile(r"/officer/inspections/"))
    year = served.police.today().year
    expect(page.locator("#case-reference")).to_have_text(f"HYG-{year}-000001")


def test_an_imprecise_position_is_told_before_sending_and_flagged_on_the_case(
    phone: BrowserContext, served: Served
) -> None:
    phone.set_geolocation({"latitude": 33.5975, "longitude": -7.6170, "accuracy": 120})
    page = phone.new_page()
    log_in(page, "agent.stationnement")
    page.goto("/officer/inspections/new/parking")
    expect(page.locator("#gps-status")).to_contain_text("Position imprécise (120 m, seuil 50 m)")
    screenshot(page, "officer-form-imprecise-phone")
    page.fill("input[name=plate]", "48213-B-6")
    page.check("input[value=STA-02]")
    page.click("#inspection-form button[type=submit]")  # the officer may still send
    page.wait_for_url(re.compile(r"/officer/inspections/[0-9a-f-]{36}$"))
    inspection_id = page.url.rsplit("/", 1)[1]
    inspection = served.police.get_inspection(UUID(inspection_id))
    assert inspection.location["accuracy_m"] == 120
    [doubt] = served.police.doubts(inspection)
    assert doubt.params == {"accuracy": 120, "limit": 50}


def test_a_public_domain_inspection_of_a_street_vendor(
    phone: BrowserContext, served: Served
) -> None:
    page = phone.new_page()
    log_in(page, "agent.odp")
    page.goto("/officer/inspections/new/public_domain")
    page.check("input[name=subject_kind][value=person]")
    expect(page.locator("input[name=trade_name]")).to_be_hidden()
    page.fill("input[name=full_name]", "Brahim Ait Lahcen")
    page.check("input[value=ODP-06]")
    page.click("#inspection-form button[type=submit]")
    page.wait_for_url(re.compile(r"/officer/inspections/"))
    year = served.police.today().year
    expect(page.locator("#case-reference")).to_have_text(f"ODP-{year}-000001")


def test_a_known_plate_is_flagged_before_submission(phone: BrowserContext, served: Served) -> None:
    earlier = served.police.record_inspection(
        builders.parking(plate="777-H-9"), served.staff.parking_officer
    )
    page = phone.new_page()
    log_in(page, "agent.stationnement")
    page.goto("/officer/inspections/new/parking")
    page.fill("input[name=plate]", "777 h 9")
    expect(page.locator("#lookup-plate")).to_contain_text("Déjà 1 dossier")
    expect(page.locator("#lookup-plate")).to_contain_text(str(earlier.case_reference))


def test_an_error_is_shown_by_its_field_and_what_was_typed_stays(
    phone: BrowserContext, served: Served
) -> None:
    page = phone.new_page()
    log_in(page, "agent.stationnement")
    page.goto("/officer/inspections/new/parking")
    page.fill("input[name=plate]", "12345-Z-6")
    page.fill("input[name=colour]", "bleue")
    page.check("input[value=STA-05]")
    page.click("#inspection-form button[type=submit]")
    expect(page.locator(".field-error")).to_contain_text("Lettre de série « Z » inconnue")
    expect(page.locator("input[name=colour]")).to_have_value("bleue")
    expect(page.locator("input[value=STA-05]")).to_be_checked()
    assert not recorded_cases(served)
    screenshot(page, "officer-form-error-phone")


def test_recorded_offline_then_sent_once_when_the_network_returns(
    phone: BrowserContext, served: Served
) -> None:
    page = phone.new_page()
    log_in(page, "agent.stationnement")
    page.goto("/officer/inspections/new/parking")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now controlled by the service worker

    phone.set_offline(True)
    page.goto("/officer/inspections/new/parking")  # opens without a connection
    page.fill("input[name=plate]", "31415-D-8")
    page.check("input[value=STA-08]")
    page.click("#inspection-form button[type=submit]")
    expect(page.locator("#outbox-count")).to_have_text(
        "1 constat attend le réseau pour être envoyé."
    )
    expect(page.locator("input[name=plate]")).to_have_value("")  # ready for the next one
    expect(page.locator("select[name=arrondissement]")).to_have_value("sidi_belyout")
    screenshot(page, "officer-outbox-offline-phone")
    assert not recorded_cases(served)

    phone.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    year = served.police.today().year
    expect(page.locator("#outbox-sent > *").last).to_have_text(f"Envoyé : STA-{year}-000001")
    expect(page.locator("#outbox-count")).to_have_text("")
    page.evaluate("document.getElementById('outbox-send').click()")  # a second push: nothing
    page.reload()
    assert len(recorded_cases(served)) == 1
    [case] = [
        served.police.get_case(UUID(str(n.originator_id)))
        for n in served.police.recorder.select_notifications(start=1, limit=10_000)
        if n.topic.endswith("Case.Opened")
    ]
    assert case.subject_label == "31415-D-8"
    # The phone's first fix when the form opened, and its clock when the outbox sent it.
    inspection = served.police.get_inspection(case.inspection_ids[0])
    where = BOULEVARD_MOHAMMED_V
    assert inspection.opened_location == {
        "lat": where["latitude"],
        "lon": where["longitude"],
        "accuracy_m": where["accuracy"],
    }
    assert inspection.sent_at is not None
    assert abs(inspection.sent_at - inspection.created_on) < timedelta(seconds=30)
    assert inspection.sent_at > inspection.observed_at  # sent once the network was back


def test_a_kept_inspection_refused_for_its_age_is_completed_and_sent_again(
    phone: BrowserContext, served: Served
) -> None:
    """Four days offline: the outbox's replay is refused (past 72 h, no reason). The officer
    opens it again from the outbox, gives the reason, and it is recorded with the time it was
    observed and where, under the id the phone gave it."""
    page = phone.new_page()
    log_in(page, "agent.stationnement")
    page.goto("/officer/inspections/new/parking")
    item_id = str(uuid4())
    observed = (datetime.now(UTC) - timedelta(days=4)).replace(microsecond=0)
    page.evaluate(
        """([id, observed]) => new Promise((resolve, reject) => {
          const open = indexedDB.open("police-outbox", 1);
          open.onsuccess = () => {
            const tx = open.result.transaction("submissions", "readwrite");
            tx.objectStore("submissions").put({
              id, url: "/officer/inspections", summary: "27182-A-6", created: Date.now(),
              entries: [["brigade", "parking"], ["submission_id", id], ["observed_at", observed],
                        ["arrondissement", "anfa"], ["lat", "33.589000"], ["lon", "-7.660000"],
                        ["accuracy", "11"], ["plate", "27182-A-6"], ["finding", "STA-02"]],
            });
            tx.oncomplete = () => resolve(true);
            tx.onerror = () => reject(tx.error);
          };
        })""",
        [item_id, observed.isoformat()],
    )
    page.goto("/officer")
    page.evaluate("document.getElementById('outbox-send').click()")
    refused = page.locator("#outbox-refused li")
    expect(refused).to_contain_text("27182-A-6")
    expect(refused).to_contain_text("plus de 72 heures")
    assert not recorded_cases(served)
    refused.get_by_role("link", name="Reprendre").click()
    expect(page.locator("input[name=plate]")).to_have_value("27182-A-6")
    expect(page.locator("input[value=STA-02]")).to_be_checked()
    expect(page.locator("details.late-entry")).to_have_attribute("open", "")
    expect(page.locator(".field-error.js")).to_contain_text("raison de la saisie tardive")
    screenshot(page, "officer-outbox-resume-phone")
    page.fill("textarea[name=late_reason]", "Quatre jours sans réseau au marché de gros.")
    page.click("#inspection-form button[type=submit]")
    page.wait_for_url(re.compile(r"/officer/inspections/[0-9a-f-]{36}$"))
    assert page.url.endswith(item_id)
    inspection = served.police.get_inspection(UUID(item_id))
    assert inspection.observed_at == observed
    assert inspection.late_reason == "Quatre jours sans réseau au marché de gros."
    # Where it was made four days ago, not where the phone is now (boulevard Mohammed V).
    assert (inspection.location["lat"], inspection.location["lon"]) == (33.589, -7.66)
    assert inspection.location["arrondissement"] == "anfa"
    expect(page.locator("#outbox-refused li")).to_have_count(0)
    assert len(recorded_cases(served)) == 1


def test_arabic_pages_read_right_to_left_on_a_phone(phone: BrowserContext, served: Served) -> None:
    page = phone.new_page()
    log_in(page, "agent.hygiene")
    page.goto("/lang/ar?next=/officer/inspections/new/hygiene")
    assert page.get_attribute("html", "dir") == "rtl"
    expect(page.locator("h1")).to_contain_text("محضر جديد")
    assert no_horizontal_scroll(page)
    screenshot(page, "officer-form-hygiene-phone-ar")


def test_photos_taken_on_the_phone_travel_with_the_inspection(
    phone: BrowserContext, served: Served, tmp_path: Path
) -> None:
    first, second = tmp_path / "IMG_1001.jpg", tmp_path / "IMG_1002.jpg"
    first.write_bytes(photos.jpeg_with_exif(1600, 1200, colour="#8e44ad"))
    second.write_bytes(photos.jpeg_with_exif(1200, 1600, colour="#16a085"))
    page = phone.new_page()
    log_in(page, "agent.stationnement")
    page.goto("/officer/inspections/new/parking")
    page.fill("input[name=plate]", "27182-W-8")
    page.check("input[value=STA-02]")
    page.set_input_files("input[name=photos]", [str(first)])
    page.set_input_files("input[name=photos]", [str(second)])  # a second shot adds, not replaces
    expect(page.locator("#photo-previews img")).to_have_count(2)
    screenshot(page, "officer-form-photos-phone")
    page.click("#inspection-form button[type=submit]")
    page.wait_for_url(re.compile(r"/officer/inspections/[0-9a-f-]{36}$"))

    thumbnails = page.locator("#receipt-photos img")
    expect(thumbnails).to_have_count(2)
    for i in range(2):
        thumbnails.nth(i).scroll_into_view_if_needed()
        expect(thumbnails.nth(i)).to_have_js_property("complete", True)
        assert thumbnails.nth(i).evaluate("img => img.naturalWidth") > 0
    screenshot(page, "officer-receipt-photos-phone")
    inspection_id = UUID(page.url.rsplit("/", 1)[1])
    recorded = served.police.get_inspection(inspection_id).evidence
    assert sorted(e["sha256"] for e in recorded) == sorted(
        hashlib.sha256(p.read_bytes()).hexdigest() for p in (first, second)
    )
    page.click("text=Ma journée")
    expect(page.locator("#today")).to_contain_text("27182-W-8")
    expect(page.locator("#today")).to_contain_text("2 photos")
    assert no_horizontal_scroll(page)
    screenshot(page, "officer-my-day-phone")
