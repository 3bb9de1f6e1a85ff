"""Officers in the street for the fault tests: each logged in with their own session, each
submission a new parking ticket typed on the phone."""

from __future__ import annotations

import uuid

from starlette.testclient import TestClient

from tests.web.conftest import just_now, log_in
from tests.web.test_officer_pages import ANFA


def officers_logged_in(client: TestClient, count: int) -> list[tuple[str, dict[str, str]]]:
    """``count`` sessions of the parking officer: (CSRF token, cookies) for each phone."""
    sessions = []
    for _ in range(count):
        client.cookies.clear()
        sessions.append((log_in(client, "agent.stationnement"), dict(client.cookies)))
    return sessions


def parking_submission(token: str, officer: int, k: int) -> dict[str, str]:
    """Officer ``officer``'s ``k``-th ticket: a fresh submission id and plate."""
    return {
        "csrf_token": token,
        "submission_id": str(uuid.uuid4()),
        "observed_at": just_now(),
        "brigade": "parking",
        "plate": f"{1000 + 10 * officer + k}-B-6",
        "finding": "STA-02",
        **ANFA,
    }
