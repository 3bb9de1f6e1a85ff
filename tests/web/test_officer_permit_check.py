"""The officer's permit check on the public-domain form: the permits within 50 m listed to pick
from, nearest first, and the form posted with one picked, with "none found", or with a
billboard's structure identifier, each recording its derived finding."""

from __future__ import annotations

import html
from typing import Any
from uuid import UUID

from starlette.testclient import TestClient

from police.app import PoliceApp
from tests.police import builders
from tests.police.builders import Staff
from tests.web.conftest import log_in
from tests.web.test_officer_pages import post

CAFE = {"trade_name": "Café de Paris", "ice": "002233445000067", "brigade": "public_domain"}


def findings_of(police: PoliceApp, response: Any) -> list[tuple[str, str | None]]:
    assert response.status_code == 303, response.text
    inspection_id = response.headers["location"].rsplit("/", 1)[1]
    inspection = police.get_inspection(UUID(inspection_id))
    return [
        (f["code"], None if f["quantity"] is None else str(f["quantity"]))
        for f in inspection.findings
    ]


def test_the_form_lists_the_permits_near_the_phone_nearest_first(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    terrace = police.grant_permit(staff.permits_clerk, builders.terrace())
    board = police.grant_permit(staff.permits_clerk, builders.billboard())  # 1 km away
    log_in(client, "agent.odp")
    form = client.get("/officer/inspections/new/public_domain")
    assert 'id="permits-near"' in form.text
    assert 'name="walking_path_m"' in form.text
    near = client.get("/officer/permits/near", params={"lat": "33.58905", "lon": "-7.6420"})
    assert near.status_code == 200
    text = html.unescape(near.text)
    assert f'value="{terrace}"' in text
    assert 'data-authorised="12.00"' in text
    assert 'data-path="1.50"' in text
    assert board not in text
    assert 'value="none"' in text
    nowhere = client.get("/officer/permits/near", params={"lat": "33.62", "lon": "-7.50"})
    assert "Aucune autorisation enregistrée à moins de 50 m" in html.unescape(nowhere.text)
    junk = client.get("/officer/permits/near", params={"lat": "nan", "lon": "1e999"})
    assert junk.status_code == 200
    assert "En attente de la position GPS" in junk.text


def test_a_picked_permit_an_unlisted_one_and_none_found_record_their_findings(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    terrace = police.grant_permit(staff.permits_clerk, builders.terrace())
    token = log_in(client, "agent.odp")
    picked = post(
        client,
        token,
        CAFE | {"permit_pick": terrace, "occupied_surface_m2": "18,5", "walking_path_m": "0,9"},
    )
    assert findings_of(police, picked) == [("ODP-02", "6.50"), ("ODP-08", None)]
    none = post(client, token, CAFE | {"permit_pick": "none", "occupied_surface_m2": "4"})
    assert findings_of(police, none) == [("ODP-01", "4.00")]
    board = post(client, token, CAFE | {"structure_id": "CAS-PUB-7777"})
    assert findings_of(police, board) == [("ODP-04", "1.00")]


def test_a_refused_permit_check_is_shown_by_its_field(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    token = log_in(client, "agent.odp")
    refused = post(client, token, CAFE | {"permit_pick": "none"})
    assert refused.status_code == 400
    assert "Saisissez la surface occupée mesurée" in html.unescape(refused.text)
    both = post(
        client,
        token,
        CAFE | {"permit_pick": "none", "structure_id": "CAS-1", "occupied_surface_m2": "3"},
    )
    assert both.status_code == 400
    assert "pas deux" in html.unescape(both.text)
