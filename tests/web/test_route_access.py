"""Who may call each route, written out here by hand, not read from ``web.permissions.ROUTES``:
a route opened to a role by mistake, or closed to one that needs it, fails here.

``test_route_matrix.py`` proves that the app enforces the table; this proves the table says
what the service decided: public pages for anyone, the field pages for officers and
supervisors, the case pages for supervisors and legal staff, the legal desk for legal staff,
everything for admins."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from police.app import PoliceApp
from tests.police.builders import Staff
from tests.web.conftest import log_in, token_of
from tests.web.test_route_matrix import REFUSED_ROLE, calls

ANONYMOUS, OFFICER, SUPERVISOR, LEGAL, ADMIN = (
    "anonymous",
    "officer",
    "supervisor",
    "legal",
    "admin",
)
CALLERS = {
    ANONYMOUS: "",
    OFFICER: "agent.hygiene",
    SUPERVISOR: "chef.hygiene",
    LEGAL: "juriste",
    ADMIN: "admin",
}
ANYONE = frozenset(CALLERS)
STAFF = frozenset({OFFICER, SUPERVISOR, LEGAL, ADMIN})
FIELD_WORK = frozenset({OFFICER, SUPERVISOR, ADMIN})
CASE_WORK = frozenset({SUPERVISOR, LEGAL, ADMIN})
LEGAL_WORK = frozenset({LEGAL, ADMIN})

ALLOWED: dict[str, frozenset[str]] = {
    "health": ANYONE,
    "ready": ANYONE,
    "metrics": ANYONE,
    "login": ANYONE,
    "login.submit": ANYONE,
    "language": ANYONE,
    "service_worker": ANYONE,
    "notices.verify": ANYONE,  # the QR code on a notice, for whoever holds the paper
    "logout": STAFF,
    "home": STAFF,
    "csrf": STAFF,
    "evidence.photo": STAFF,  # then the inspection's brigade decides
    "evidence.thumbnail": STAFF,
    "officer.home": FIELD_WORK,
    "officer.new": FIELD_WORK,
    "officer.submit": FIELD_WORK,
    "officer.receipt": FIELD_WORK,
    "officer.lookup": FIELD_WORK,
    "cases.show": CASE_WORK,
    "cases.export_csv": CASE_WORK,
    "cases.export_geojson": CASE_WORK,
    "cases.overview": CASE_WORK,
    "cases.act": CASE_WORK,
    "notices.preview": CASE_WORK,
    "notices.issue": CASE_WORK,  # the domain lets only legal staff issue
    "notices.download": CASE_WORK,
    "legal.act": CASE_WORK,
    "legal.desk": LEGAL_WORK,
    "legal.tickets": LEGAL_WORK,
    "legal.tickets_issue": LEGAL_WORK,
    "legal.tickets_pdf": LEGAL_WORK,
}
PROVED_APART = {"cases.list"}  # officers refused the case list: a test of its own


def test_every_route_has_its_callers_written_here(client: TestClient) -> None:
    assert {name for name, _, _ in calls(client)} == set(ALLOWED) | PROVED_APART


@pytest.mark.parametrize("caller", list(CALLERS))
def test_each_route_lets_in_exactly_the_callers_written_here(
    client: TestClient, police: PoliceApp, staff: Staff, caller: str
) -> None:
    username = CALLERS[caller]
    token = log_in(client, username) if username else token_of(client.get("/login").text)
    wrong = []
    for name, method, path in calls(client):
        if name == "logout" or name in PROVED_APART:
            continue  # logging out would end the session the walk needs
        response = client.request(
            method, path, data={"csrf_token": token} if method == "POST" else None
        )
        if caller == ANONYMOUS:
            refused = response.status_code == 303 and "/login" in response.headers["location"]
        else:
            refused = response.status_code == 403 and REFUSED_ROLE in response.text
        if refused == (caller in ALLOWED[name]):
            wrong.append(f"{method} {path} ({name}): {response.status_code}")
    assert not wrong, f"{caller}: {wrong}"


def test_legal_staff_can_log_out(client: TestClient, staff: Staff) -> None:
    token = log_in(client, "juriste")
    response = client.post("/logout", data={"csrf_token": token})
    assert (response.status_code, response.headers["location"]) == (303, "/login")
    assert client.get("/legal").headers["location"] == "/login?next=/legal"
