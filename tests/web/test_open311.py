"""Open311 GeoReport v2 at /open311/v2: the services are the city's report categories; an app
posts a report with its API key (no session, no CSRF) and follows it by its number; a request
shows what happened to it in words, never the reporter's contact nor a photo; a refused post
records nothing and answers the specification's error array."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from police.aggregates.access import Viewed
from police.app import PoliceApp
from tests.police.builders import Staff, expired_token, topics_since
from tests.web.conftest import app_of, log_in
from tests.web.ogc_records import projected
from web.permissions import GIS_READERS, PUBLIC, ROUTES, Access

BASE = "/open311/v2"
SERVICE_FIELDS = {
    "service_code", "service_name", "description", "metadata", "type", "keywords", "group",
}  # fmt: skip
REQUEST_FIELDS = {
    "service_request_id", "status", "status_notes", "service_name", "service_code",
    "description", "agency_responsible", "service_notice", "requested_datetime",
    "updated_datetime", "expected_datetime", "address", "address_id", "zipcode", "lat", "long",
    "media_url",
}  # fmt: skip
EMAIL, PHONE = "voisine.open311@example.ma", "0661234567"


def key_of(police: PoliceApp, staff: Staff) -> str:
    return police.issue_api_token(staff.admin, staff.admin, label="Appli citoyenne").token


def car_on_sidewalk(api_key: str, **changes: str) -> dict[str, str]:
    form = {
        "api_key": api_key,
        "service_code": "parking-sidewalk",
        "lat": "33.5975",
        "long": "-7.6170",
        "address_string": "Boulevard Mohammed V, devant le n° 120",
        "description": "Une voiture grise garée sur le trottoir depuis ce matin.",
        "email": EMAIL,
        "phone": PHONE,
        "first_name": "Salma",
        "last_name": "Bennani",
    }
    return {k: v for k, v in (form | changes).items() if v is not None}


def posted(client: TestClient, police: PoliceApp, staff: Staff) -> str:
    response = client.post(f"{BASE}/requests.json", data=car_on_sidewalk(key_of(police, staff)))
    assert response.status_code == 200, response.text
    [created] = response.json()
    number: str = created["service_request_id"]
    return number


def one(client: TestClient, number: str) -> dict[str, Any]:
    response = client.get(f"{BASE}/requests/{number}.json")
    assert response.status_code == 200, response.text
    [found] = response.json()
    assert isinstance(found, dict)
    return found


def test_the_services_are_the_report_categories_in_the_specifications_fields(
    client: TestClient,
) -> None:
    response = client.get(f"{BASE}/services.json")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    services = response.json()
    assert [s["service_code"] for s in services] == [
        "hygiene-shop", "hygiene-discharge", "hygiene-noise", "parking-sidewalk",
        "parking-reserved", "parking-double", "odp-terrace", "odp-goods", "odp-billboard",
    ]  # fmt: skip
    assert all(set(s) == SERVICE_FIELDS for s in services)
    sidewalk = services[3]
    assert sidewalk == {
        "service_code": "parking-sidewalk",
        "service_name": "Voiture sur le trottoir",
        "description": "Véhicule garé sur le trottoir ou un passage piéton",
        "metadata": False,
        "type": "realtime",
        "keywords": "parking",
        "group": "Stationnement",
    }
    arabic = client.get(f"{BASE}/services.json?locale=ar").json()[3]
    assert (arabic["service_name"], arabic["group"]) == ("سيارة فوق الرصيف", "الوقوف")
    by_header = client.get(f"{BASE}/services.json", headers={"Accept-Language": "ar-MA,ar;q=0.9"})
    assert by_header.json()[3]["service_name"] == "سيارة فوق الرصيف"


def test_the_services_in_xml(client: TestClient) -> None:
    response = client.get(f"{BASE}/services.xml")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/xml")
    assert response.text.startswith('<?xml version="1.0" encoding="utf-8"?><services><service>')
    assert "<service_code>parking-sidewalk</service_code>" in response.text
    assert "<metadata>false</metadata>" in response.text
    assert client.get(f"{BASE}/services.csv").status_code == 404


def test_an_app_posts_a_report_with_its_key_and_follows_it(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    response = client.post(f"{BASE}/requests.json", data=car_on_sidewalk(key_of(police, staff)))
    assert response.status_code == 200, response.text
    [created] = response.json()
    assert set(created) == {"service_request_id", "service_notice", "account_id"}
    assert created["service_request_id"].startswith("SIG-")
    assert created["account_id"] is None
    number = created["service_request_id"]
    report = police.find_report(number)
    assert report is not None
    assert (report.source, report.dispatch, report.status.value) == ("open311", None, "received")
    assert report.contacts[0]["email"] == EMAIL  # kept for the updates, shown to no one

    found = client.get(f"{BASE}/requests/{number}.json")
    assert found.status_code == 200
    for secret in (EMAIL, PHONE, "Salma", "Bennani", "evidence/"):
        assert secret not in found.text
    [request] = found.json()
    assert set(request) == REQUEST_FIELDS
    assert request["service_request_id"] == number
    assert request["status"] == "open"
    assert request["status_notes"] == "Reçu : en attente du tri par la brigade."
    assert request["service_code"] == "parking-sidewalk"
    assert request["service_name"] == "Voiture sur le trottoir"
    assert request["agency_responsible"] == "Stationnement"
    assert request["description"] == "Une voiture grise garée sur le trottoir depuis ce matin."
    assert request["address"] == "Boulevard Mohammed V, devant le n° 120"
    assert (request["lat"], request["long"]) == (33.5975, -7.6170)
    assert request["media_url"] == ""
    # W3C datetimes with the city's offset; due for triage by the end of its deadline's day
    assert request["requested_datetime"][10] == "T"
    assert request["requested_datetime"][-6:] in ("+01:00", "+00:00")
    assert request["expected_datetime"] == f"{report.triage_due.isoformat()}T23:59:59+01:00"

    listed = client.get(f"{BASE}/requests.json?service_code=parking-sidewalk&status=open")
    assert [r["service_request_id"] for r in listed.json()] == [number]
    for other in ("service_code=hygiene-shop", "status=closed"):
        assert client.get(f"{BASE}/requests.json?{other}").json() == []
    assert EMAIL not in client.get(f"{BASE}/requests.json").text
    by_id = client.get(f"{BASE}/requests.json?service_request_id={number.lower()},SIG-2026-999999")
    assert [r["service_request_id"] for r in by_id.json()] == [number]
    xml = client.get(f"{BASE}/requests/{number}.xml").text
    assert f"<service_requests><request><service_request_id>{number}<" in xml
    assert "<media_url></media_url>" in xml
    assert EMAIL not in xml


def test_the_posted_report_can_be_asked_for_in_a_period(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    number = posted(client, police, staff)
    day = police.today().isoformat()
    inside = client.get(f"{BASE}/requests.json?start_date={day}T00:00:00%2B01:00")
    assert [r["service_request_id"] for r in inside.json()] == [number]
    before = client.get(f"{BASE}/requests.json?end_date=2020-01-01T00:00:00Z")
    assert before.json() == []
    too_long = client.get(
        f"{BASE}/requests.json?start_date=2020-01-01T00:00:00Z&end_date=2021-01-01T00:00:00Z"
    )
    assert too_long.status_code == 400
    assert too_long.json() == [
        {
            "code": 400,
            "description": "Période de plus de 90 jours : resserrez start_date et end_date.",
        }
    ]
    assert client.get(f"{BASE}/requests.json?start_date=hier").status_code == 400
    assert client.get(f"{BASE}/requests.json?status=fini").status_code == 400


def test_an_unknown_request_is_the_specifications_404(client: TestClient) -> None:
    response = client.get(f"{BASE}/requests/SIG-2026-999999.json")
    assert response.status_code == 404
    assert response.json() == [
        {"code": 404, "description": "Signalement introuvable : « SIG-2026-999999 »."}
    ]


@pytest.mark.parametrize(
    ("api_key", "description"),
    [
        (
            None,
            "Clé d'API requise (api_key) : un administrateur la délivre (police tokens create).",
        ),
        ("", "Clé d'API requise (api_key) : un administrateur la délivre (police tokens create)."),
        ("pa_0123_pas-une-cle", "Clé d'API invalide, révoquée, ou compte désactivé."),
    ],
)
def test_a_post_without_a_valid_key_is_refused_and_records_nothing(
    client: TestClient, police: PoliceApp, staff: Staff, api_key: str | None, description: str
) -> None:
    form = car_on_sidewalk("")
    form.pop("api_key")
    if api_key is not None:
        form["api_key"] = api_key
    before = police.recorder.max_notification_id()
    response = client.post(f"{BASE}/requests.json", data=form)
    assert response.status_code == 403
    assert response.json() == [{"code": 403, "description": description}]
    assert police.recorder.max_notification_id() == before


def test_a_revoked_key_posts_nothing(client: TestClient, police: PoliceApp, staff: Staff) -> None:
    issued = police.issue_api_token(staff.admin, staff.admin, label="Ancienne appli")
    police.revoke_api_token(staff.admin, staff.admin, issued.key)
    before = police.recorder.max_notification_id()
    response = client.post(f"{BASE}/requests.json", data=car_on_sidewalk(issued.token))
    assert response.status_code == 403
    assert police.recorder.max_notification_id() == before


def test_an_expired_key_or_one_for_the_gis_only_posts_nothing(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    gis_only = police.issue_api_token(staff.admin, staff.admin, label="QGIS", scopes=["ogc"])
    for key in (gis_only.token, expired_token(police, staff.admin, staff.admin)):
        before = police.recorder.max_notification_id()
        response = client.post(f"{BASE}/requests.json", data=car_on_sidewalk(key))
        assert response.status_code == 403
        assert response.json() == [
            {"code": 403, "description": "Clé d'API invalide, révoquée, ou compte désactivé."}
        ]
        assert police.recorder.max_notification_id() == before


@pytest.mark.parametrize(
    ("changes", "description"),
    [
        ({"service_code": "nid-de-poule"}, "Choisissez ce que vous signalez."),
        (
            {"lat": None, "long": None},
            "Position requise : envoyez lat et long (WGS84) ; les agents doivent trouver le lieu.",
        ),
        (
            {"lat": "nan"},
            "Position requise : envoyez lat et long (WGS84) ; les agents doivent trouver le lieu.",
        ),
        (
            {"lat": "34.02", "long": "-6.84"},  # Rabat
            "Ce point est hors de la ville : les brigades n'y interviennent pas.",
        ),
        (
            {"description": "voiture"},
            "Décrivez le problème en quelques mots (au moins 10 caractères).",
        ),
    ],
)
def test_a_report_that_cannot_be_acted_on_is_refused_and_records_nothing(
    client: TestClient,
    police: PoliceApp,
    staff: Staff,
    changes: dict[str, str | None],
    description: str,
) -> None:
    key = key_of(police, staff)
    before = police.recorder.max_notification_id() or 0
    form = {k: v for k, v in (car_on_sidewalk(key) | changes).items() if v is not None}
    response = client.post(f"{BASE}/requests.json", data=form)
    assert response.status_code == 400
    assert response.json() == [{"code": 400, "description": description}]
    # Nothing but the key's first use of the day: it was valid, the report was not.
    assert topics_since(police, before) == ["police.aggregates.user:User.ApiTokenUsed"]


def test_a_refusal_reads_in_arabic(client: TestClient, police: PoliceApp, staff: Staff) -> None:
    form = car_on_sidewalk(key_of(police, staff), service_code="nid-de-poule")
    response = client.post(f"{BASE}/requests.json?locale=ar", data=form)
    assert response.status_code == 400
    assert response.json() == [{"code": 400, "description": "اختر ما تبلغ عنه."}]


def test_an_oversized_post_is_refused_before_it_is_read(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    form = car_on_sidewalk(key_of(police, staff), description="x" * 20_000)
    before = police.recorder.max_notification_id()
    assert client.post(f"{BASE}/requests.json", data=form).status_code == 413
    assert police.recorder.max_notification_id() == before


def test_posts_are_limited_per_address(client: TestClient, police: PoliceApp, staff: Staff) -> None:
    app_of(client).state.services.open311_throttle.limit = 2
    key = key_of(police, staff)
    answers = [
        client.post(f"{BASE}/requests.json", data=car_on_sidewalk(key)).status_code
        for _ in range(3)
    ]
    assert answers == [200, 200, 429]


def test_a_refused_report_is_closed_with_its_reason(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    number = posted(client, police, staff)
    police.refuse_report(
        staff.parking_chief, number, reason="Voie privée : adressez-vous au syndic."
    )
    projected(app_of(client), police)
    request = one(client, number)
    assert request["status"] == "closed"
    assert request["status_notes"] == "Hors compétence : Voie privée : adressez-vous au syndic."
    assert request["expected_datetime"] is None
    listed = client.get(f"{BASE}/requests.json?status=closed")
    assert [r["service_request_id"] for r in listed.json()] == [number]


def test_a_duplicate_is_closed_and_names_its_original(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    original = posted(client, police, staff)
    again = posted(client, police, staff)
    police.merge_report(staff.parking_chief, again, original=original)
    projected(app_of(client), police)
    request = one(client, again)
    assert request["status"] == "closed"
    assert request["status_notes"] == f"Doublon de {original} : suivez ce signalement-là."
    assert one(client, original)["status"] == "open"


def test_a_dispatched_report_stays_open_and_says_a_visit_is_coming(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    number = posted(client, police, staff)
    police.dispatch_report(staff.parking_chief, number, officer_id=staff.parking_officer)
    projected(app_of(client), police)
    request = one(client, number)
    assert (request["status"], request["status_notes"]) == (
        "open",
        "Accepté : un agent va se rendre sur place.",
    )


def test_a_machine_route_is_declared_public_and_unjournaled() -> None:
    assert ROUTES["open311.requests"] == Access(PUBLIC, machine=True)
    with pytest.raises(ValueError, match="machine route is public"):
        Access(GIS_READERS, machine=True)
    with pytest.raises(ValueError, match="machine route is public"):
        Access(PUBLIC, journal=Viewed.CASE, machine=True)


def test_a_staff_session_changes_nothing_a_post_needs_its_key(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    """A logged-in browser tricked into posting (no CSRF check here) still needs an API key:
    the session's cookie authenticates nothing on these routes."""
    log_in(client, "chef.stationnement")
    before = police.recorder.max_notification_id()
    form = car_on_sidewalk("")
    response = client.post(f"{BASE}/requests.json", data=form)
    assert response.status_code == 403
    assert police.recorder.max_notification_id() == before
