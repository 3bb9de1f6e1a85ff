"""Accounts driven at a desk in real Chromium: the admin opens an officer's account, the officer
signs in with the one-time password and must choose their own; the admin grants a brigade
and the officer's day offers its form; a new legal account enrols its second factor from the
QR page, then signs in with a code (a wrong one refused) and once with a recovery code."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pyotp
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import Served, log_in, screenshot

STRONG = "quatre chevaux bleus dansent"


def _open_account(admin: Page, full_name: str, username: str, role: str, brigade: str) -> str:
    admin.goto("/admin/users/new")
    admin.fill("input[name=full_name]", full_name)
    admin.fill("input[name=username]", username)
    admin.check(f"input[name=role][value={role}]")
    if brigade:
        admin.check(f"input[name=brigade][value={brigade}]")
    admin.click("main button[type=submit]")
    password = admin.locator("code.one-time").inner_text().strip()
    assert re.fullmatch(r"[a-z0-9]{4}(-[a-z0-9]{4}){3}", password)
    return password


def _first_sign_in(page: Page, username: str, one_time: str) -> None:
    """The one-time password, then the user's own: the only page open until then."""
    page.goto("/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", one_time)
    page.click("main button[type=submit]")
    expect(page).to_have_url(re.compile(r"/account/password$"))
    page.fill("input[name=current_password]", one_time)
    page.fill("input[name=new_password]", STRONG)
    page.fill("input[name=confirm_password]", STRONG)
    page.click("main button[type=submit]")


def _password_step(page: Page, username: str) -> None:
    page.goto("/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", STRONG)
    page.click("main button[type=submit]")
    expect(page).to_have_url(re.compile(r"/login/code$"))


def _sign_out(page: Page) -> None:
    page.click("header form[action='/logout'] button")
    expect(page).to_have_url(re.compile(r"/login$"))


def test_the_admin_opens_an_officers_account_and_grants_a_brigade(
    desk: BrowserContext, second_desk: BrowserContext, served: Served
) -> None:
    admin = desk.new_page()
    log_in(admin, "admin")
    one_time = _open_account(admin, "Karim Benali", "agent.benali", "officer", "hygiene")
    screenshot(admin, "admin-account-created-desk")

    officer = second_desk.new_page()
    _first_sign_in(officer, "agent.benali", one_time)
    expect(officer).to_have_url(re.compile(r"/officer$"))
    expect(officer.locator(".brigades a")).to_have_count(1)

    admin.click("text=Voir le compte")
    grant = admin.locator("form[action$='/grant_brigade']")
    grant.locator("select[name=brigade]").select_option("parking")
    grant.locator("input[name=reason]").fill("renfort du week-end")
    grant.locator("button").click()
    expect(admin.locator("main")).to_contain_text(
        "Brigade accordée : Stationnement (renfort du week-end)"
    )
    screenshot(admin, "admin-account-desk")
    admin.goto("/admin")
    expect(admin.locator("table")).to_contain_text("agent.benali")
    screenshot(admin, "admin-accounts-desk")

    officer.goto("/officer")
    expect(officer.locator(".brigade-parking")).to_be_visible()
    officer.click(".brigade-parking")
    expect(officer).to_have_url(re.compile(r"/officer/inspections/new/parking$"))


def test_a_legal_account_enrols_its_second_factor_and_signs_in_with_it(
    desk: BrowserContext, second_desk: BrowserContext, served: Served
) -> None:
    admin = desk.new_page()
    log_in(admin, "admin")
    one_time = _open_account(admin, "Salma Alami", "juriste.alami", "legal", "")

    lawyer = second_desk.new_page()
    _first_sign_in(lawyer, "juriste.alami", one_time)
    expect(lawyer).to_have_url(re.compile(r"/account/two-factor$"))
    expect(lawyer.locator("figure.qr img")).to_be_visible()
    screenshot(lawyer, "two-factor-enrolment-desk")
    totp = pyotp.TOTP(lawyer.locator("code.secret").inner_text().replace(" ", ""))
    step = totp.timecode(datetime.now(UTC))
    lawyer.fill("input[name=code]", totp.generate_otp(step))
    lawyer.click("main button[type=submit]")
    codes = lawyer.locator(".recovery-codes code")
    expect(codes).to_have_count(10)
    recovery = codes.first.inner_text()
    lawyer.click("text=J'ai noté mes codes, continuer")
    expect(lawyer).to_have_url(re.compile(r"/legal$"))

    _sign_out(lawyer)
    _password_step(lawyer, "juriste.alami")
    lawyer.fill("input[name=code]", "000000")
    lawyer.click("main button[type=submit]")
    expect(lawyer.locator(".alert")).to_contain_text("Code incorrect ou déjà utilisé.")
    lawyer.fill("input[name=code]", totp.generate_otp(step + 1))  # the enrolment's is spent
    lawyer.click("main button[type=submit]")
    expect(lawyer).to_have_url(re.compile(r"/legal$"))

    for attempt in ("first", "again"):
        _sign_out(lawyer)
        _password_step(lawyer, "juriste.alami")
        lawyer.fill("input[name=code]", recovery)
        lawyer.click("main button[type=submit]")
        if attempt == "first":
            expect(lawyer).to_have_url(re.compile(r"/legal$"))
        else:  # a recovery code serves once
            expect(lawyer.locator(".alert")).to_contain_text("Code incorrect ou déjà utilisé.")
