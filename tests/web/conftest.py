"""A web app on each event store, a test client, and logging in as the staff of a city."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from police.app import PoliceApp
from police.settings import Settings
from tests.police.builders import PASSWORD, Staff, staff_of
from web.app import create_app

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def police(store_env: dict[str, str]) -> Iterator[PoliceApp]:
    app = PoliceApp(env=store_env)
    yield app
    app.close()


@pytest.fixture
def staff(police: PoliceApp) -> Staff:
    return staff_of(police)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings.from_env({"POLICE_DATA_DIR": str(tmp_path)})


@pytest.fixture
def client(settings: Settings, police: PoliceApp) -> Iterator[TestClient]:
    with TestClient(create_app(settings, police=police), follow_redirects=False) as test_client:
        yield test_client


def token_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "the page carries a CSRF token"
    return found.group(1)


def log_in(client: TestClient, username: str, password: str = PASSWORD) -> str:
    """Logs in and returns the session's CSRF token."""
    token = token_of(client.get("/login").text)
    response = client.post(
        "/login", data={"username": username, "password": password, "csrf_token": token}
    )
    assert response.status_code == 303, response.text
    return client.get("/csrf").json()["csrf_token"]
