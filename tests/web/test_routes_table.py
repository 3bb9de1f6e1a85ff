"""Every route of the app is declared in the permissions table, and the table is enforced."""

from __future__ import annotations

import pytest
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.testclient import TestClient

from police.roles import Role
from tests.police.builders import Staff
from tests.web.conftest import app_of, log_in
from web.permissions import FIELD, PUBLIC, ROUTES


def test_every_route_is_declared(client: TestClient) -> None:
    named = {r.name for r in app_of(client).routes if isinstance(r, Route)}
    assert named == set(ROUTES)
    assert all(isinstance(r, Route | Mount) for r in app_of(client).routes)


def test_an_undeclared_route_stops_the_app_at_start_up() -> None:
    from web.routing import route

    async def page(request: Request) -> Response:
        return PlainTextResponse("secret")

    with pytest.raises(KeyError):
        route("/secret", page, name="secret")


@pytest.mark.parametrize(
    ("username", "allowed"),
    [("agent.hygiene", True), ("chef.hygiene", True), ("juriste", False), ("admin", True)],
)
def test_field_pages_are_for_officers_and_supervisors(
    client: TestClient, staff: Staff, username: str, allowed: bool
) -> None:
    log_in(client, username)
    assert (client.get("/officer").status_code == 200) is allowed
    assert ROUTES["officer.home"].roles == FIELD
    assert Role.LEGAL not in FIELD
    assert ROUTES["login"].roles == PUBLIC
