"""What operators rely on: liveness, readiness that turns unhealthy when a dependency stops,
Prometheus metrics, and one JSON log line per request carrying its request id and user."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from police.app import PoliceApp
from tests.conftest import app_settings_on_s3
from tests.police.builders import Staff
from tests.seaweed import SeaweedS3
from tests.web.conftest import log_in, services_of
from web.app import create_app
from web.observability import configure_logging


def test_healthz_answers_without_touching_dependencies(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.text == "ok"


def test_readyz_reports_each_dependency(client: TestClient, staff: Staff) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert body["checks"]["event_store"]["ok"] is True
    assert body["checks"]["event_store"]["events"] > 0
    assert body["checks"]["object_store"]["ok"] is True


def test_readyz_turns_unhealthy_when_the_object_store_stops(
    tmp_path: Path, police: PoliceApp
) -> None:
    server = SeaweedS3(tmp_path / "weed").start()
    try:
        with TestClient(create_app(app_settings_on_s3(tmp_path, server), police=police)) as client:
            assert client.get("/readyz").status_code == 200
            server.stop()
            response = client.get("/readyz")
            assert response.status_code == 503
            body = response.json()
            assert body["status"] == "unavailable"
            assert body["checks"]["object_store"]["ok"] is False
            assert "unreachable" in body["checks"]["object_store"]["error"]
            assert body["checks"]["event_store"]["ok"] is True
    finally:
        server.stop()


def test_metrics_count_requests_by_route_and_status(client: TestClient, staff: Staff) -> None:
    client.get("/login")
    client.get("/officer")  # not logged in: redirected
    text = client.get("/metrics").text

    assert 'police_http_requests_total{method="GET",route="login",status="200"}' in text
    assert 'police_http_requests_total{method="GET",route="officer.home",status="303"}' in text
    assert "police_http_request_duration_seconds_bucket" in text


def test_each_request_is_logged_as_json_with_request_id_and_user(
    client: TestClient, staff: Staff, capsys: pytest.CaptureFixture[str]
) -> None:
    log_in(client, "agent.stationnement")
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    configure_logging(json_lines=True)
    try:
        response = client.get("/officer", headers={"X-Request-ID": "req-from-proxy-42"})
    finally:
        root.handlers[:], _ = saved
        root.setLevel(saved[1])
    assert response.headers["X-Request-ID"] == "req-from-proxy-42"
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line]
    logged = next(line for line in lines if line.get("route") == "officer.home")
    assert logged["request_id"] == "req-from-proxy-42"
    assert logged["status"] == 200
    assert logged["user_id"] == str(staff.parking_officer)
    assert logged["duration_ms"] >= 0


def test_the_read_side_reads_the_log_through_the_applications_own_pool(
    client: TestClient, police: PoliceApp
) -> None:
    """A worker keeps two connection pools (events, read models), not three: with four workers
    and the projector, PostgreSQL's default 100 connections suffice (README, settings)."""
    assert services_of(client).projector.log is police


def test_workers_starting_together_share_one_development_key(tmp_path: Path) -> None:
    """Without POLICE_SECRET_KEY, each worker reads var/secret.key: if two wrote their own, a
    session signed by one would be refused by the other."""
    from concurrent.futures import ThreadPoolExecutor

    from web.app import _development_key

    with ThreadPoolExecutor(8) as pool:
        keys = set(pool.map(lambda _: _development_key(tmp_path), range(8)))
    assert len(keys) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["secret.key"]
