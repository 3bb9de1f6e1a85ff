"""Every page, as each of its users reads it, on a phone and at a desk, in French and Arabic,
checked by axe-core (npm, pinned in package-lock.json; installed by bin/test): no critical or
serious violation. The pages carry real data: a case with its inspection and photo, a notice
issued, a day's tickets, a refused form."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from police.aggregates.campaign import Campaign
from police.commands import IssueNotice, ValidateCase
from police.evidence import Photo
from police.identifiers import subject_id
from police.workflow import NoticeKind
from tests.browser.conftest import PHONE, Served, log_in
from tests.police import builders
from tests.police.test_applications import terrace_asked
from tests.police.test_reports import car_on_sidewalk
from tests.storage import photos


def photo_again() -> Photo:
    return Photo("facade.jpg", io.BytesIO(photos.jpeg_with_exif()))


AXE = Path(__file__).parents[2] / "node_modules" / "axe-core" / "axe.min.js"
DEVICES: dict[str, dict[str, Any]] = {
    "phone": dict(PHONE),
    "desk": {"viewport": {"width": 1366, "height": 768}},
}


@pytest.fixture(params=[(d, lang) for d in DEVICES for lang in ("fr", "ar")], ids=str)
def reader(request: pytest.FixtureRequest, browser: Browser, served: Served) -> Iterator[Page]:
    device, lang = request.param
    context: BrowserContext = browser.new_context(
        **DEVICES[device],
        locale="fr-FR",
        base_url=served.url,
        geolocation={"latitude": 33.58905, "longitude": -7.6420, "accuracy": 8},  # a terrace
        permissions=["geolocation"],
    )
    context.add_cookies([{"name": "lang", "value": lang, "url": served.url}])
    page = context.new_page()
    yield page
    context.close()


def signed_out(page: Page, served: Served) -> None:
    """Every cookie but the language's dropped: the next page is read as nobody."""
    lang = [c for c in page.context.cookies() if c.get("name") == "lang"]
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "lang", "value": c["value"], "url": served.url} for c in lang]
    )


def violations(page: Page) -> list[str]:
    """The critical and serious ones, each as rule: the first elements it names."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: bin/test installs it (npm ci)")
    page.evaluate(AXE.read_text(encoding="utf-8"))
    found = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
            .filter(v => v.impact === "critical" || v.impact === "serious")
            .map(v => v.id + ": " + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", "))"""
    )
    assert isinstance(found, list)
    return [str(v) for v in found]


def test_every_page_passes_axe_for_each_of_its_readers(reader: Page, served: Served) -> None:
    police, staff = served.police, served.staff
    photo = Photo("a.jpg", io.BytesIO(photos.jpeg_with_exif()))
    receipt = police.record_inspection(builders.hygiene(), staff.hygiene_officer, [photo])
    assert receipt.case_id is not None
    police.change_case(ValidateCase(case_id=receipt.case_id), staff.hygiene_chief)
    notice = police.issue_notice(
        IssueNotice(case_id=receipt.case_id, kind=NoticeKind.MISE_EN_DEMEURE),
        staff.legal,
        public_url=served.url,
    )
    police.record_inspection(builders.parking(), staff.parking_officer)
    permit = police.grant_permit(staff.permits_clerk, builders.terrace())
    police.print_arrete(staff.permits_clerk, permit)
    today = police.today().isoformat()
    filed = police.submit_application(terrace_asked(police), photos=[photo_again()])
    police.request_documents(staff.permits_clerk, filed.number, missing="Plan de la terrasse")
    police.request_site_visit(staff.permits_clerk, filed.number, note="Mesurer le trottoir")
    tracking = f"/demarches/suivi/{filed.number}/{filed.secret}"
    sent = police.submit_report(car_on_sidewalk(category="hygiene-discharge"), [photo_again()])
    police.dispatch_report(staff.hygiene_chief, sent.number, officer_id=staff.hygiene_officer)
    received = police.submit_report(car_on_sidewalk(category="hygiene-shop"))
    police.set_coverage(staff.hygiene_chief, "hygiene", staff.hygiene_officer, ["maarif"])
    cafe = subject_id(f"ice:{builders.CAFE_ICE}")
    cafe_in = builders.target(builders.hygiene().subject, builders.ZERKTOUNI)
    campaign = builders.cold_chain(police, staff.hygiene_chief, [staff.hygiene_officer], (cafe_in,))
    pages = {
        None: [
            "/login",
            f"/verifier/{notice.number}",
            f"/verifier/{permit}",
            "/nowhere",
            "/demarches",
            "/demarches/terrace/nouvelle",
            tracking,
            "/signaler",
            f"/signaler/suivi/{sent.number}/{sent.secret}",
            "/mon-avis",
        ],
        "agent.hygiene": [
            "/officer",
            "/officer/inspections/new/hygiene",
            f"/officer/inspections/{receipt.inspection_id}",
            f"/officer/reports/{sent.number}",
            "/officer/inspections/new/hygiene?visit="
            + Campaign.visit_key(campaign.id, f"subject:{cafe}"),
        ],
        "chef.hygiene": [
            "/cases",
            f"/cases/{receipt.case_id}",
            "/overview",
            "/reports",
            f"/reports/{received.number}",
            "/planning",
            "/campaigns",
            "/campaigns/new?preview=1&brigade=hygiene&arrondissement=maarif&kinds=establishment",
            f"/campaigns/{campaign.number}",
            "/register",
            f"/register/{cafe}",
            "/team",
        ],
        "juriste": ["/legal", f"/legal/tickets?day={today}", f"/cases/{receipt.case_id}"],
        "autorisations": [
            "/permits",
            "/permits/new",
            f"/permits/{permit}",
            "/permits/map",
            "/permits/applications",
            f"/permits/applications/{filed.number}",
        ],
        "agent.odp": [
            "/officer/inspections/new/public_domain",
            f"/officer/visits/{filed.number}",
            "/account",
            "/account/password",
            "/account/two-factor",
        ],
        "admin": [
            "/admin",
            "/admin/users/new",
            f"/admin/users/{served.staff.hygiene_officer}",
            "/admin/tokens",
            "/admin/tokens/new",
            "/admin/reference",
            "/admin/reference/2026.1/HYG-02",
            "/admin/system",
        ],
    }
    found: dict[str, list[str]] = {}
    for username, paths in pages.items():
        signed_out(reader, served)
        if username:
            log_in(reader, username)
        for path in paths:
            reader.goto(path)
            reader.wait_for_load_state("networkidle")  # the maps' layers, the permits nearby
            if problems := violations(reader):
                found[f"{username or 'anonymous'} {path}"] = problems
    # A refused form, with its messages by the fields.
    signed_out(reader, served)
    log_in(reader, "agent.hygiene")
    reader.goto("/officer/inspections/new/hygiene")
    reader.evaluate("document.getElementById('inspection-form').noValidate = true")
    reader.click("#inspection-form button[type=submit]")
    reader.wait_for_selector(".field-error")
    if problems := violations(reader):
        found["agent.hygiene refused form"] = problems
    # The recipient's own case, opened with the code printed on the notice.
    signed_out(reader, served)
    reader.goto("/mon-avis")
    reader.fill("input[name=number]", notice.number)
    reader.fill("input[name=code]", notice.access_code)
    reader.click("#open-form button[type=submit]")
    reader.wait_for_selector("#dossier")
    if problems := violations(reader):
        found["recipient /mon-avis/dossier"] = problems
    assert not found
