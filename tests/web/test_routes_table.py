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
from web.permissions import FIELD, PUBLIC, ROUTES, Access


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


ADMIN_ONLY = Access(frozenset({Role.ADMIN}))


@pytest.mark.parametrize(
    ("username", "status"),
    [("", 303), ("agent.hygiene", 403), ("chef.hygiene", 403), ("juriste", 403), ("admin", 200)],
)
def test_the_token_pages_are_for_admins_only(
    client: TestClient, staff: Staff, username: str, status: int
) -> None:
    if username:
        log_in(client, username)
    for path in ("/admin/tokens", "/admin/tokens/new"):
        response = client.get(path)
        assert response.status_code == status, (username, path)
        if status == 303:
            assert response.headers["location"] == f"/login?next={path}"
    for name in ("admin.tokens", "admin.tokens_new", "admin.tokens_issue", "admin.tokens_revoke"):
        assert ROUTES[name] == ADMIN_ONLY
