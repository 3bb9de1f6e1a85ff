"""Real Chromium (Debian's, driven by Playwright) against the app served by a real uvicorn on
a free port. Phone contexts are 390x844 with touch and a GPS fix in Casablanca; desk contexts
1366x768. Screenshots land in var/screenshots/ for people to look at."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TypedDict

import pyotp
import pytest
import uvicorn
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Geolocation,
    Page,
    Playwright,
    ViewportSize,
    sync_playwright,
)

from police.app import PoliceApp
from police.settings import Settings
from tests.police.builders import PASSWORD, Staff, staff_of, totp_secret
from web.app import create_app, open_police

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).parents[2] / "var" / "screenshots"


class Device(TypedDict):
    """The device a browser context emulates: Browser.new_context's parameters of those names."""

    viewport: ViewportSize
    is_mobile: bool
    has_touch: bool
    device_scale_factor: float


PHONE: Device = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}
BOULEVARD_MOHAMMED_V: Geolocation = {"latitude": 33.5975, "longitude": -7.6170, "accuracy": 9}

pytestmark = pytest.mark.browser


@dataclass
class Served:
    url: str
    police: PoliceApp
    staff: Staff


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def served_env(request: pytest.FixtureRequest) -> dict[str, str]:
    """Settings of the served app beyond its data folder: none, unless a test parametrizes
    this fixture indirectly."""
    return dict(getattr(request, "param", {}))


@pytest.fixture
def served(tmp_path: Path, served_env: dict[str, str]) -> Iterator[Served]:
    """The whole app on the embedded default (SQLite, local folders), served for real."""
    settings = Settings.from_env({"POLICE_DATA_DIR": str(tmp_path), **served_env})
    police = open_police(settings)
    staff = staff_of(police)
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(settings, police=police),
            host="127.0.0.1",
            port=port,
            log_level="warning",
            lifespan="on",
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    yield Served(f"http://127.0.0.1:{port}", police, staff)
    server.should_exit = True
    thread.join(timeout=10)
    police.close()


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: bin/setup installs Debian's chromium package")
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM,
        args=[
            "--no-sandbox",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    )
    yield browser
    browser.close()


@pytest.fixture
def phone(browser: Browser, served: Served) -> Iterator[BrowserContext]:
    context = browser.new_context(
        **PHONE,
        geolocation=BOULEVARD_MOHAMMED_V,
        permissions=["geolocation"],
        locale="fr-FR",
        base_url=served.url,
    )
    yield context
    context.close()


def log_in(page: Page, username: str, password: str = PASSWORD) -> None:
    """Signs in, with the code of the account's test key when it has a second factor."""
    page.goto("/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")
    if page.url.endswith("/login/code"):
        page.fill("input[name=code]", fresh_code(page.url, username))
        page.click("main button[type=submit]")
        page.wait_for_load_state("networkidle")


_used_steps: dict[tuple[str, str], int] = {}


def fresh_code(url: str, username: str) -> str:
    """A code of the account's test key not used yet on this server (each is accepted once):
    the step before the current one, then the current, then the next, then it waits."""
    server = url.split("/login")[0]
    totp = pyotp.TOTP(totp_secret(username))
    while True:
        current = totp.timecode(datetime.now(UTC))
        step = max(current - 1, _used_steps.get((server, username), 0) + 1)
        if step <= current + 1:
            _used_steps[(server, username)] = step
            return totp.generate_otp(step)
        time.sleep(1)


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def no_horizontal_scroll(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.fixture
def desk(browser: Browser, served: Served) -> Iterator[BrowserContext]:
    context = browser.new_context(
        viewport={"width": 1366, "height": 768},
        locale="fr-FR",
        base_url=served.url,
        accept_downloads=True,
    )
    yield context
    context.close()


@pytest.fixture
def second_desk(browser: Browser, served: Served) -> Iterator[BrowserContext]:
    """Another person's desk (its own cookies), on the same app."""
    context = browser.new_context(
        viewport={"width": 1366, "height": 768}, locale="fr-FR", base_url=served.url
    )
    yield context
    context.close()
