"""Every response carries a strict Content-Security-Policy and anti-sniffing/anti-framing
headers; pages holding personal data are never cached; no page has inline script or style."""

from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient

from tests.police.builders import Staff
from tests.web.conftest import log_in


@pytest.mark.parametrize(
    "path",
    ["/login", "/officer", "/officer/inspections/new/parking", "/static/app.css", "/nowhere"],
)
def test_strict_headers_on_every_response(client: TestClient, staff: Staff, path: str) -> None:
    log_in(client, "agent.stationnement")
    response = client.get(path)
    csp = response.headers["content-security-policy"]
    assert "script-src 'self';" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    expected_cache = "no-cache" if path.startswith("/static/") else "no-store"
    assert response.headers["cache-control"] == expected_cache


@pytest.mark.parametrize(
    "path",
    [
        "/login",
        "/officer",
        "/officer/inspections/new/parking",
        "/officer/inspections/new/parking?follow_up=x",
    ],
)
def test_pages_have_no_inline_script_or_style(client: TestClient, staff: Staff, path: str) -> None:
    log_in(client, "agent.stationnement")
    html = client.get(path).text
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline <script>"
    assert "<style" not in html
    assert " style=" not in html
    assert not re.search(r"\son[a-z]+=", html), "inline event handler"


def test_an_unknown_page_is_a_clear_404_not_a_trace(client: TestClient) -> None:
    response = client.get("/nowhere")
    assert response.status_code == 404
    assert "Traceback" not in response.text
