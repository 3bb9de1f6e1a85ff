"""The web app on each event store, a test client, and logging in as the staff of a city."""

from __future__ import annotations

import re
import time
import weakref
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID

import pyotp
import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from police.app import PoliceApp
from police.settings import Settings
from tests.police.builders import PASSWORD, totp_secret
from web.app import create_app
from web.state import Services

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings.from_env({"POLICE_DATA_DIR": str(tmp_path)})


@pytest.fixture
def client(settings: Settings, police: PoliceApp) -> Iterator[TestClient]:
    with TestClient(create_app(settings, police=police), follow_redirects=False) as test_client:
        yield test_client


def app_of(client: TestClient) -> Starlette:
    """The application under test (the client types it as any ASGI callable)."""
    app = client.app
    assert isinstance(app, Starlette)
    return app


def services_of(client: TestClient) -> Services:
    """What the application wired, as its pages read it (``web.state.services``)."""
    found = app_of(client).state.services
    assert isinstance(found, Services)
    return found


def just_now() -> str:
    """The phone's clock at submission, as officer.js writes it into ``observed_at``."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def token_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "the page carries a CSRF token"
    return found.group(1)


def case_form(police: PoliceApp, case_id: UUID, token: str, **fields: str) -> dict[str, str]:
    """A case page's form as the page draws it: the CSRF token and the version it was read at."""
    return {"csrf_token": token, "version": str(police.get_case(case_id).version), **fields}


def log_in(client: TestClient, username: str, password: str = PASSWORD) -> str:
    """Logs in (with the code of the account's test key when it has a second factor) and
    returns the session's CSRF token."""
    token = token_of(client.get("/login").text)
    response = client.post(
        "/login", data={"username": username, "password": password, "csrf_token": token}
    )
    assert response.status_code == 303, response.text
    if response.headers["location"] == "/login/code":
        token = token_of(client.get("/login/code").text)
        code = next_code(client.app, username)
        response = client.post("/login/code", data={"code": code, "csrf_token": token})
        assert response.status_code == 303, response.text
    return client.get("/csrf").json()["csrf_token"]


_used_steps: weakref.WeakKeyDictionary[object, dict[str, int]] = weakref.WeakKeyDictionary()


def next_code(app: object, username: str) -> str:
    """A code of the account's test key not used yet in this app (a code is accepted once):
    the step before the current one, then the current, then the next, then it waits."""
    police = app.state.services.police  # type: ignore[attr-defined]
    used = _used_steps.setdefault(police, {})
    totp = pyotp.TOTP(totp_secret(username))
    while True:
        current = totp.timecode(datetime.now(UTC))
        step = max(current - 1, used.get(username, 0) + 1)
        if step <= current + 1:
            used[username] = step
            return totp.generate_otp(step)
        time.sleep(1)
