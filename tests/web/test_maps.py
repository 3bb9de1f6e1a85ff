"""The maps as a GIS: the base map is configuration (XYZ tiles, the city's WMS, or a plain
background), allowed by the Content-Security-Policy; the overview declares its layers (cases by
status, recent inspections, and the arrondissements when the territory has them); the
inspections layer answers the reader's brigades only, without personal data; the boundaries
are served to any logged-in user."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from police.app import PoliceApp
from police.settings import Settings
from police.submission import Location
from police.territory import Territory
from tests.police import builders
from tests.police.builders import Staff, staff_of
from tests.web.conftest import log_in
from web.app import create_app

SQUARES = Territory.load("squares", Path(__file__).parents[1] / "data" / "territories")


def attribute(page: str, element_id: str, name: str) -> str:
    found = re.search(rf'id="{element_id}"[^>]*\b{name}="([^"]*)"', page)
    assert found, f"#{element_id} carries {name}"
    return html.unescape(found.group(1))


def layers_of(page: str) -> list[dict[str, Any]]:
    layers = json.loads(attribute(page, "cases-map", "data-layers"))
    assert isinstance(layers, list)
    return layers


def img_src(client: TestClient) -> str:
    csp = client.get("/login").headers["content-security-policy"]
    return next(part for part in csp.split("; ") if part.startswith("img-src"))


def test_without_a_base_map_the_points_are_drawn_on_a_plain_background(
    client: TestClient, staff: Staff
) -> None:
    log_in(client, "chef.hygiene")
    base = json.loads(attribute(client.get("/overview").text, "cases-map", "data-base"))
    assert base == {"tiles": "", "wms": "", "wms_layers": "", "wms_format": "image/png"}
    assert img_src(client) == "img-src 'self' data: blob:"


def test_the_city_wms_is_the_base_map_and_the_policy_lets_its_images_in(
    tmp_path: Path, police: PoliceApp, staff: Staff
) -> None:
    settings = Settings.from_env(
        {
            "POLICE_DATA_DIR": str(tmp_path),
            "POLICE_MAP_WMS_URL": "https://sig.casablanca.ma:8443/geoserver/wms",
            "POLICE_MAP_WMS_LAYERS": "voirie,batiments",
            "POLICE_MAP_WMS_FORMAT": "image/jpeg",
        }
    )
    with TestClient(create_app(settings, police=police), follow_redirects=False) as client:
        log_in(client, "chef.hygiene")
        base = json.loads(attribute(client.get("/overview").text, "cases-map", "data-base"))
        assert base == {
            "tiles": "",
            "wms": "https://sig.casablanca.ma:8443/geoserver/wms",
            "wms_layers": "voirie,batiments",
            "wms_format": "image/jpeg",
        }
        assert img_src(client) == "img-src 'self' data: blob: https://sig.casablanca.ma:8443"


def test_xyz_tiles_with_subdomains_are_allowed_on_every_subdomain(
    tmp_path: Path, police: PoliceApp
) -> None:
    settings = Settings.from_env(
        {
            "POLICE_DATA_DIR": str(tmp_path),
            "POLICE_MAP_TILES_URL": "https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png",
        }
    )
    with TestClient(create_app(settings, police=police), follow_redirects=False) as client:
        assert img_src(client) == "img-src 'self' data: blob: https://*.tile.openstreetmap.org"


def test_the_overview_declares_its_layers_in_the_readers_language(
    client: TestClient, staff: Staff
) -> None:
    log_in(client, "chef.hygiene")
    layers = layers_of(client.get("/overview").text)
    assert [(la["id"], la["source"], la["style"], la["on"]) for la in layers] == [
        ("cases", "/cases/export.geojson", "case-status", True),
        ("inspections", "/map/inspections.geojson", "inspection", False),
        ("permits", "/permits/map.geojson?billboards=0", "permit-state", False),
        ("billboards", "/permits/map.geojson?billboards=1", "permit-state", False),
    ]  # the demo territory has no boundaries: no layer for them
    assert layers[1]["legend"] == [
        {"value": "compliant", "label": "Conforme"},
        {"value": "non_compliant", "label": "Non conforme"},
    ]
    client.cookies.set("lang", "ar")
    arabic = layers_of(client.get("/overview").text)
    assert [la["label"] for la in arabic] == [
        "الملفات",
        "مراقبات آخر 30 يومًا",
        "رخص الاحتلال",
        "اللوحات الإشهارية",
    ]
    assert arabic[0]["legend"][0] == {"value": "opened", "label": "مفتوح"}


def test_the_inspections_layer_shows_the_readers_brigades_without_personal_data(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    cited = police.record_inspection(builders.hygiene(), staff.hygiene_officer)
    clean = police.record_inspection(
        builders.hygiene(findings=(), location=replace(builders.ZERKTOUNI, lat=33.587)),
        staff.hygiene_officer,
    )
    police.record_inspection(builders.parking(), staff.parking_officer)
    police.record_inspection(
        builders.hygiene(location=Location(arrondissement="anfa", address="sans GPS")),
        staff.hygiene_officer,
    )
    long_ago = datetime.now(UTC) - timedelta(days=40)
    police.record_inspection(
        builders.hygiene(observed_at=long_ago, late_reason="Relevé sur le carnet."),
        staff.hygiene_officer,
    )
    log_in(client, "chef.hygiene")
    response = client.get("/map/inspections.geojson")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/geo+json"
    features = response.json()["features"]
    assert [f["id"] for f in features] == [str(clean.inspection_id), str(cited.inspection_id)]
    first, second = (f["properties"] for f in features)
    assert features[1]["geometry"] == {"type": "Point", "coordinates": [-7.6329, 33.5861]}
    assert second | {"observed_at": ""} == {
        "brigade": "hygiene",
        "observed_at": "",
        "compliant": False,
        "codes": ["HYG-02", "HYG-05"],
        "case_reference": str(cited.case_reference),
        "url": f"/cases/{cited.case_id}",
    }
    assert (first["compliant"], first["codes"], first["url"]) == (True, [], None)
    text = response.text
    for personal in ("Café Atlas", builders.CAFE_ICE, "Zerktouni", str(staff.hygiene_officer)):
        assert personal not in text
    assert len(client.get("/map/inspections.geojson?days=60").json()["features"]) == 3


@pytest.mark.parametrize("days", ["0", "367", "abc", "٣", "-1"])
def test_a_bad_number_of_days_is_refused_clearly(
    client: TestClient, staff: Staff, days: str
) -> None:
    log_in(client, "chef.hygiene")
    response = client.get("/map/inspections.geojson", params={"days": days})
    assert response.status_code == 400
    assert "Nombre de jours invalide : entre 1 et 366." in response.text


def test_the_demo_territory_serves_no_boundaries(client: TestClient, staff: Staff) -> None:
    log_in(client, "agent.hygiene")
    response = client.get("/map/arrondissements.geojson")
    assert response.status_code == 200
    assert response.json() == {"type": "FeatureCollection", "features": []}


@pytest.fixture
def squares_client(settings: Settings, store_env: dict[str, str]) -> Iterator[TestClient]:
    police = PoliceApp(env=store_env, territory=SQUARES)
    staff_of(police)
    with TestClient(create_app(settings, police=police), follow_redirects=False) as client:
        yield client
    police.close()


def test_a_territory_with_boundaries_serves_and_draws_them(squares_client: TestClient) -> None:
    log_in(squares_client, "agent.hygiene")
    served = squares_client.get("/map/arrondissements.geojson").json()
    assert {f["properties"]["code"] for f in served["features"]} == {"ouest", "est"}
    squares_client.cookies.clear()
    log_in(squares_client, "chef.hygiene")
    layers = layers_of(squares_client.get("/overview").text)
    assert layers[-1] == {
        "id": "arrondissements",
        "label": "Arrondissements",
        "source": "/map/arrondissements.geojson",
        "style": "boundary",
        "on": True,
        "legend": [],
    }
