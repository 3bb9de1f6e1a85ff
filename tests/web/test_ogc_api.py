"""The OGC API - Features at /ogc, read by a real OGC client (OWSLib's ``ogcapi.features``)
from the app served by a real uvicorn, on SQLite and PostgreSQL: the landing page, the
collections, items within a box and page by page, one item; within the token's brigades, free
of personal data; refused without a valid token."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import httpx2 as httpx
import owslib.ogcapi
import pytest
from owslib.ogcapi.features import Features

from police.app import PoliceApp
from police.settings import Settings
from tests.police import builders
from tests.police.builders import Staff, parking
from tests.web.ogc_records import (
    AIN_SEBAA,
    AROUND_ZERKTOUNI,
    DAYS,
    ZERKTOUNI,
    hygiene_case,
    projected,
    served,
)
from web.app import create_app

pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def owslib_headers() -> Iterator[None]:
    """OWSLib adds the headers it is given to its module-wide defaults: one test's token
    would otherwise travel with the next test's requests."""
    saved = dict(owslib.ogcapi.REQUEST_HEADERS)
    yield
    owslib.ogcapi.REQUEST_HEADERS.clear()
    owslib.ogcapi.REQUEST_HEADERS.update(saved)


@pytest.fixture
def origin(settings: Settings, police: PoliceApp, staff: Staff) -> Iterator[str]:
    """Four hygiene cases around Zerktouni on three days, one in Aïn Sebaâ, one parking ticket
    (another brigade), served."""
    for n, at in enumerate([DAYS[0], DAYS[1], DAYS[1], DAYS[2]]):
        hygiene_case(police, staff, n, at, ZERKTOUNI)
    hygiene_case(police, staff, 9, DAYS[2], AIN_SEBAA)
    police.record_inspection(parking(), staff.parking_officer)
    police.grant_permit(staff.permits_clerk, builders.terrace())
    police.grant_permit(staff.permits_clerk, builders.billboard("CAS-PUB-0042"))
    elsewhere = replace(builders.billboard().location, lat=33.5930)
    gone = police.grant_permit(
        staff.permits_clerk, builders.billboard("CAS-PUB-0043", location=elsewhere)
    )
    police.revoke_permit(staff.permits_clerk, gone, reason="Déposé")
    app = create_app(settings, police=police)
    with served(app) as url:
        projected(app, police)
        yield url


def client_for(origin: str, token: str) -> Features:
    return Features(f"{origin}/ogc", headers={"Authorization": f"Bearer {token}"})


def test_a_gis_client_finds_the_collections_from_the_landing_page(
    origin: str, police: PoliceApp, staff: Staff
) -> None:
    token = police.issue_api_token(staff.admin, staff.hygiene_chief, label="QGIS").token
    api = client_for(origin, token)
    assert {link["rel"] for link in api.links} >= {"self", "service-desc", "conformance", "data"}
    definition = api.api()  # the OpenAPI document the landing page links
    assert definition["openapi"].startswith("3.0")
    assert "/collections/cases/items" in definition["paths"]
    assert definition["components"]["securitySchemes"]["token"]["scheme"] == "bearer"
    assert (
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson"
        in (api.conformance()["conformsTo"])
    )
    assert api.feature_collections() == ["permits", "billboards", "cases", "inspections"]
    cases = api.collection("cases")
    [[west, south, east, north]] = cases["extent"]["spatial"]["bbox"]
    assert west < ZERKTOUNI[1] < east
    assert south < ZERKTOUNI[0] < north
    assert any(link["rel"] == "items" for link in cases["links"])


def test_items_within_a_box_page_by_page_and_one_item(
    origin: str, police: PoliceApp, staff: Staff
) -> None:
    token = police.issue_api_token(staff.admin, staff.hygiene_chief, label="QGIS").token
    api = client_for(origin, token)
    first = api.collection_items("cases", bbox=list(AROUND_ZERKTOUNI), limit=3)
    assert (first["numberMatched"], first["numberReturned"]) == (4, 3)
    following = {link["rel"]: link["href"] for link in first["links"]}
    assert "prev" not in following
    # The client follows the next link as given (its own token with it).
    second = httpx.get(following["next"], headers={"Authorization": f"Bearer {token}"}).json()
    assert (second["numberMatched"], second["numberReturned"]) == (4, 1)
    assert "next" not in {link["rel"] for link in second["links"]}
    assert "prev" in {link["rel"] for link in second["links"]}
    ids = [f["id"] for f in first["features"] + second["features"]]
    assert len(set(ids)) == 4
    assert all(
        f["geometry"]["coordinates"] == [ZERKTOUNI[1], ZERKTOUNI[0]] for f in first["features"]
    )
    # Oldest first: the order paging is stable on.
    assert [f["properties"]["opened_at"][:10] for f in first["features"]] == [
        "2026-11-20", "2026-11-21", "2026-11-21",
    ]  # fmt: skip

    everything = api.collection_items("cases")
    assert everything["numberMatched"] == 5  # the one in Aïn Sebaâ too; not the parking ticket
    one = api.collection_item("cases", ids[0])
    assert one["id"] == ids[0]
    assert one["properties"]["brigade"] == "hygiene"
    assert one["properties"]["reference"]
    inspections = api.collection_items("inspections", bbox=list(AROUND_ZERKTOUNI), limit=10)
    assert inspections["numberMatched"] == 4
    assert {f["properties"]["case_reference"] for f in inspections["features"]} == {
        f["properties"]["reference"] for f in first["features"] + second["features"]
    }


def test_features_carry_no_personal_data(origin: str, police: PoliceApp, staff: Staff) -> None:
    token = police.issue_api_token(staff.admin, staff.legal, label="QGIS").token
    api = client_for(origin, token)
    for collection in ("cases", "inspections"):
        page = api.collection_items(collection, limit=100)
        assert page["numberReturned"] == 6  # legal staff see every brigade: the ticket too
        text = str(page)
        for personal in ("Café Secret", "rue Zerktouni", "12345", "H-1042", "Agent Hygiene"):
            assert personal not in text, (collection, personal)
        assert str(staff.hygiene_officer) not in text


def test_a_token_sees_only_its_users_brigades_as_they_are_now(
    origin: str, police: PoliceApp, staff: Staff
) -> None:
    legal = police.issue_api_token(staff.admin, staff.legal, label="QGIS").token
    everything = httpx.get(
        f"{origin}/ogc/collections/cases/items", headers={"Authorization": f"Bearer {legal}"}
    ).json()["features"]
    hygiene_id = next(f["id"] for f in everything if f["properties"]["brigade"] == "hygiene")

    token = police.issue_api_token(staff.admin, staff.parking_chief, label="QGIS").token
    api = client_for(origin, token)
    page = api.collection_items("cases")
    assert [f["properties"]["brigade"] for f in page["features"]] == ["parking"]
    with pytest.raises(RuntimeError, match="NotFound"):
        api.collection_item("cases", hygiene_id)
    police.grant_brigade(staff.admin, staff.parking_chief, "hygiene")
    assert api.collection_items("cases")["numberMatched"] == 6
    assert api.collection_item("cases", hygiene_id)["id"] == hygiene_id


def test_an_officer_token_is_forbidden(origin: str, police: PoliceApp, staff: Staff) -> None:
    token = police.issue_api_token(staff.admin, staff.hygiene_officer, label="QGIS").token
    response = httpx.get(f"{origin}/ogc/collections", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 403
    assert response.json()["code"] == "Forbidden"


def test_refused_without_a_valid_token(origin: str, police: PoliceApp, staff: Staff) -> None:
    revoked = police.issue_api_token(staff.admin, staff.hygiene_chief, label="QGIS")
    police.revoke_api_token(staff.admin, staff.hygiene_chief, revoked.key)
    valid = police.issue_api_token(staff.admin, staff.hygiene_chief, label="QGIS").token
    expired = builders.expired_token(police, staff.admin, staff.hygiene_chief)
    app_only = police.issue_api_token(
        staff.admin, staff.hygiene_chief, label="Appli", scopes=["open311"]
    ).token
    for path in ("/ogc", "/ogc/collections", "/ogc/collections/cases/items"):
        for headers in (
            {},
            {"Authorization": f"Bearer {revoked.token}"},
            {"Authorization": f"Bearer {expired}"},
            {"Authorization": f"Bearer {app_only}"},  # for Open311 only
            {"Authorization": "Bearer pat_pas_un_jeton"},
            {"Authorization": f"Basic {valid}"},
            {"Authorization": "Bearer"},
        ):
            response = httpx.get(origin + path, headers=headers)
            assert response.status_code == 401, (path, headers)
            assert response.headers["www-authenticate"].startswith("Bearer")
            assert response.json()["code"] == "Unauthorized"
            if "Bearer pat_" in headers.get("Authorization", ""):
                assert response.json()["description"] == (
                    "Jeton d'accès invalide, expiré, révoqué, ou compte désactivé."
                )
    with pytest.raises(RuntimeError, match="Unauthorized"):
        client_for(origin, revoked.token).collection_items("cases")
    # A session is no token: a supervisor logged in on the web still needs one.
    with httpx.Client(base_url=origin) as browser:
        page = browser.get("/login")
        csrf = page.text.split('name="csrf_token" value="')[1].split('"')[0]
        browser.post(
            "/login",
            data={
                "username": "chef.hygiene",
                "password": "mot-de-passe-solide",
                "csrf_token": csrf,
            },
        )
        assert browser.get("/cases").status_code == 200
        assert browser.get("/ogc/collections").status_code == 401


def test_the_registry_is_published_for_the_gis_without_its_holders(
    origin: str, police: PoliceApp, staff: Staff
) -> None:
    token = police.issue_api_token(staff.admin, staff.permits_clerk, label="SIG").token
    api = client_for(origin, token)
    assert api.feature_collections() == ["permits", "billboards"]  # no cases for the office
    [terrace] = api.collection_items("permits", bbox=[-7.65, 33.58, -7.63, 33.60])["features"]
    assert terrace["geometry"]["coordinates"] == [-7.642, 33.589]
    assert terrace["properties"]["kind"] == "terrace"
    assert terrace["properties"]["state"] == "valid"
    assert terrace["properties"]["surface_m2"] == 12.0
    boards = api.collection_items("billboards")["features"]
    assert {(f["id"], f["properties"]["state"]) for f in boards} == {
        (f"AOT-PUB-{police.today().year}-000001", "valid"),
        (f"AOT-PUB-{police.today().year}-000002", "revoked"),
    }
    one = api.collection_item("billboards", f"AOT-PUB-{police.today().year}-000001")
    assert (one["properties"]["structure_id"], one["properties"]["faces"]) == ("CAS-PUB-0042", 2)
    assert "Café de Paris" not in str(api.collection_items("permits"))
    refused = httpx.get(
        f"{origin}/ogc/collections/cases/items", headers={"Authorization": f"Bearer {token}"}
    )
    assert refused.status_code == 404
