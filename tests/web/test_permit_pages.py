"""The permits office's pages, as a clerk drives them: grant from the form (errors shown next
to their field, nothing recorded), the registry's filters and CSV, a permit's page with its
history, renewal, suspension and a stale form, amendment, the arrêté printed once, the map's
GeoJSON; and who may open which."""

from __future__ import annotations

import csv
import html
import io
import json
from datetime import date, timedelta
from decimal import Decimal

from starlette.testclient import TestClient

from police.app import PoliceApp
from tests.police import builders
from tests.police.builders import Staff, event_count
from tests.web.conftest import log_in, services_of

TERRACE = {
    "kind": "terrace",
    "holder_kind": "establishment",
    "trade_name": "Café de Paris",
    "ice": "002233445000067",
    "arrondissement": "anfa",
    "address": "Boulevard d'Anfa",
    "lat": "33.589",
    "lon": "-7.642",
    "frontage_m": "6",
    "depth_m": "2,5",
    "walking_path_m": "1,5",
    "hours": "08:00-23:00",
    "season": "toute l'année",
    "valid_from": "2026-01-01",
    "valid_until": "2099-12-31",
    "fee": "3 600",
}


def grant(client: TestClient, token: str, **changes: str) -> str:
    response = client.post("/permits", data=TERRACE | changes | {"csrf_token": token})
    assert response.status_code == 303, response.text
    return str(response.headers["location"]).removeprefix("/permits/")


def test_a_clerk_grants_a_terrace_from_the_form_and_finds_it_in_the_registry(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    token = log_in(client, "autorisations")
    assert client.get("/").headers["location"] == "/permits"
    form = client.get("/permits/new")
    assert form.status_code == 200
    assert 'name="frontage_m"' in form.text
    assert 'id="permit-form-map"' in form.text
    number = grant(client, token)
    assert number == f"AOT-TER-{police.today().year}-000001"
    permit = police.find_permit(number)
    assert permit is not None
    assert (permit.surface_m2, permit.fee) == (Decimal("15.00"), Decimal("3600.00"))

    page = client.get(f"/permits/{number}")
    assert page.status_code == 200
    assert "Café de Paris" in page.text
    assert "15 m²" in page.text
    assert f"Autorisation {number} accordée à Café de Paris" in html.unescape(page.text)

    listed = client.get("/permits", params={"kind": "terrace", "q": "paris"})
    assert number in listed.text
    assert number not in client.get("/permits", params={"kind": "billboard"}).text
    assert number not in client.get("/permits", params={"expiring": "1"}).text


def test_a_refused_grant_shows_the_error_by_its_field_and_records_nothing(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    token = log_in(client, "autorisations")
    before = event_count(police)
    cases = [
        ({"valid_until": "2025-12-31"}, "La fin de validité précède son début."),
        ({"depth_m": "beaucoup"}, "Nombre attendu (ex. 12,5)."),
        ({"lat": "", "lon": ""}, "Placez l'autorisation sur la carte"),
        ({"hours": "tard"}, "Horaires « tard » illisibles"),
        ({"outline": "[[1, 2], [3"}, "Contour illisible"),
        ({"ice": "123"}, "ICE"),
        ({"valid_from": "hier"}, "Date invalide"),
    ]
    for changes, message in cases:
        response = client.post("/permits", data=TERRACE | changes | {"csrf_token": token})
        assert response.status_code == 400, changes
        assert message in html.unescape(response.text), changes
        assert 'aria-invalid="true"' in response.text, changes
        assert 'value="Café de Paris"' in response.text  # what was typed is kept
    assert event_count(police) == before


def test_the_arabic_form_tells_its_errors_in_arabic(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    token = log_in(client, "autorisations")
    client.get("/lang/ar")
    response = client.post(
        "/permits", data=TERRACE | {"valid_until": "2025-12-31", "csrf_token": token}
    )
    assert response.status_code == 400
    assert 'dir="rtl"' in response.text
    assert "La fin de validité précède son début." not in response.text


def test_renewal_suspension_and_a_stale_form(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    token = log_in(client, "autorisations")
    number = grant(client, token, valid_until=(police.today() + timedelta(days=20)).isoformat())
    assert number in client.get("/permits", params={"expiring": "1"}).text
    read_at = str(police.find_permit(number).version)  # type: ignore[union-attr]
    renewed = client.post(
        f"/permits/{number}/renew",
        data={"csrf_token": token, "version": read_at, "valid_until": "2100-06-30", "fee": "4000"},
    )
    assert renewed.status_code == 303
    assert police.find_permit(number).valid_until == date(2100, 6, 30)  # type: ignore[union-attr]
    before = event_count(police)
    stale = client.post(
        f"/permits/{number}/suspend",
        data={"csrf_token": token, "version": read_at, "reason": "Travaux"},
    )
    assert stale.status_code == 409
    assert "modifiée entre-temps" in stale.text
    assert event_count(police) == before
    fresh = str(police.find_permit(number).version)  # type: ignore[union-attr]
    suspended = client.post(
        f"/permits/{number}/suspend",
        data={"csrf_token": token, "version": fresh, "reason": "Travaux de voirie"},
    )
    assert suspended.status_code == 303
    page = client.get(f"/permits/{number}")
    assert 'id="permit-state">Suspendue' in page.text
    assert "Autorisation suspendue : Travaux de voirie" in page.text
    assert "renouvelée jusqu'au" in html.unescape(page.text)
    assert client.post(
        f"/permits/{number}/explode", data={"csrf_token": token, "version": fresh}
    ).status_code in (404, 405)


def test_an_amendment_from_the_prefilled_form_is_a_new_edition(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    token = log_in(client, "autorisations")
    number = grant(client, token)
    form = client.get(f"/permits/{number}/amend")
    assert form.status_code == 200
    assert 'name="depth_m" value="2.50"' in form.text
    version = str(police.find_permit(number).version)  # type: ignore[union-attr]
    amended = client.post(
        f"/permits/{number}/amend",
        data=TERRACE
        | {"depth_m": "3", "reason": "Trottoir élargi", "version": version, "csrf_token": token},
    )
    assert amended.status_code == 303, amended.text
    permit = police.find_permit(number)
    assert permit is not None
    assert (permit.edition, permit.surface_m2) == (2, Decimal("18.00"))
    page = html.unescape(client.get(f"/permits/{number}").text)
    assert "Édition 2 : surface, dimensions modifié(s). Motif : Trottoir élargi" in page
    unchanged = client.post(
        f"/permits/{number}/amend",
        data=TERRACE
        | {
            "depth_m": "3",
            "reason": "r",
            "version": str(permit.version),
            "csrf_token": token,
        },
    )
    assert unchanged.status_code == 400
    assert "Aucune modification" in unchanged.text


def test_the_arrete_is_printed_once_and_read_back_the_same(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    token = log_in(client, "autorisations")
    number = grant(client, token)
    assert client.get(f"/permits/{number}/arrete.pdf").status_code == 404
    printed = client.post(f"/permits/{number}/arrete", data={"csrf_token": token})
    assert printed.headers["location"] == f"/permits/{number}/arrete.pdf"
    first = client.get(f"/permits/{number}/arrete.pdf")
    assert first.headers["content-type"] == "application/pdf"
    client.post(f"/permits/{number}/arrete", data={"csrf_token": token})
    assert client.get(f"/permits/{number}/arrete.pdf").content == first.content
    verify = client.get(f"/verifier/{number}")
    assert verify.status_code == 200
    assert "En vigueur" in verify.text


def test_the_registry_exports_csv_and_the_map_geojson(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    police.grant_permit(staff.permits_clerk, builders.billboard("CAS-PUB-0042"))
    token = log_in(client, "autorisations")
    number = grant(client, token)
    exported = client.get("/permits/export.csv")
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(exported.text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:3] == ["Numéro", "Type", "État"]
    assert {r[0] for r in rows[1:]} == {number, f"AOT-PUB-{police.today().year}-000001"}
    terrace = next(r for r in rows if r[0] == number)
    assert terrace[8] == "15,00"  # decimal comma for a spreadsheet
    features = json.loads(client.get("/permits/map.geojson", params={"kind": "billboard"}).text)
    [board] = features["features"]
    assert board["properties"]["structure_id"] == "CAS-PUB-0042"
    assert board["properties"]["state"] == "valid"
    assert board["geometry"]["coordinates"] == [-7.6335, 33.5866]
    assert json.loads(client.get("/permits/map.geojson", params={"billboards": "1"}).text) == (
        features
    )
    others = json.loads(client.get("/permits/map.geojson", params={"billboards": "0"}).text)
    assert [f["properties"]["number"] for f in others["features"]] == [number]
    assert client.get("/permits/map").status_code == 200


def test_supervisors_read_the_registry_but_only_the_office_changes_it(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    number = police.grant_permit(staff.permits_clerk, builders.terrace())
    token = log_in(client, "chef.odp")
    assert client.get(f"/permits/{number}").status_code == 200
    assert "/amend" not in client.get(f"/permits/{number}").text
    before = event_count(police)
    refused = client.post(
        f"/permits/{number}/revoke", data={"csrf_token": token, "version": "1", "reason": "x"}
    )
    assert refused.status_code == 403
    assert client.get("/permits/new").status_code == 403
    assert event_count(police) == before
    assert client.get("/permits/AOT-TER-1999-000001").status_code == 404
    assert client.get("/permits/<script>").status_code == 404


def test_the_public_verification_is_limited_per_address(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    number = police.grant_permit(staff.permits_clerk, builders.terrace())
    services_of(client).public_throttle.limit = 3
    for _ in range(3):
        assert client.get(f"/verifier/{number}").status_code == 200
    refused = client.get(f"/verifier/{number}")
    assert refused.status_code == 429
    assert "Trop de vérifications" in html.unescape(refused.text)
    assert client.get("/verifier/AOT-TER-1999-000009").status_code == 429


def test_a_notice_download_names_no_permit(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    number = police.grant_permit(staff.permits_clerk, builders.terrace())
    log_in(client, "juriste")
    assert client.get(f"/notices/{number}.pdf").status_code == 404
