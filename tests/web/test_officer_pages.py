"""The officer's form over HTTP: what each brigade's form asks, what a submission records and
shows back, and how each bad input is refused (message by the field, typed values kept,
nothing recorded)."""

from __future__ import annotations

import hashlib
import html
import re
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from starlette.testclient import TestClient

from police.app import PoliceApp
from police.commands import ScheduleFollowUp, ValidateCase
from tests.police import builders
from tests.police.builders import Staff, event_count
from tests.web.conftest import just_now, log_in

ANFA = {
    "arrondissement": "anfa",
    "address": "Boulevard d'Anfa",
    "lat": "33.5890",
    "lon": "-7.6420",
    "accuracy": "12",
}


def post(client: TestClient, token: str, data: dict[str, Any], **kwargs: Any) -> Any:
    form = {
        "csrf_token": token,
        "submission_id": str(uuid.uuid4()),
        "observed_at": just_now(),
        **ANFA,
        **data,
    }
    return client.post("/officer/inspections", data=form, **kwargs)


@pytest.mark.parametrize(
    ("username", "brigade", "fields"),
    [
        (
            "agent.stationnement",
            "parking",
            [
                'name="plate"',
                'name="foreign_plate"',
                'value="STA-01"',
                'name="measure" value="clamp"',
            ],
        ),
        (
            "agent.hygiene",
            "hygiene",
            [
                'name="trade_name"',
                'name="ice"',
                'name="rc"',
                'name="activity"',
                'value="HYG-05"',
                'name="quantity_HYG-05"',
            ],
        ),
        (
            "agent.odp",
            "public_domain",
            ['name="permit_number"', 'name="occupied_surface_m2"', 'name="cin"', 'value="ODP-02"'],
        ),
    ],
)
def test_each_brigade_has_its_own_form(
    client: TestClient, staff: Staff, username: str, brigade: str, fields: list[str]
) -> None:
    log_in(client, username)
    page = client.get(f"/officer/inspections/new/{brigade}")
    assert page.status_code == 200
    for field in fields:
        assert field in page.text
    assert 'capture="environment"' in page.text
    assert 'name="arrondissement"' in page.text
    other = "hygiene" if brigade != "hygiene" else "parking"
    assert client.get(f"/officer/inspections/new/{other}").status_code == 403


def test_a_parking_ticket_shows_its_number_and_amount(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    token = log_in(client, "agent.stationnement")
    response = post(
        client,
        token,
        {"brigade": "parking", "plate": "12345 a 6", "finding": "STA-02", "measure": "clamp"},
    )
    assert response.status_code == 303
    receipt = client.get(response.headers["location"])
    year = police.today().year
    assert f'id="case-reference">STA-{year}-000001<' in receipt.text
    assert f'id="ticket-number">AC-{year}-000001<' in receipt.text
    assert 'id="ticket-amount">300,00\u202fMAD<' in receipt.text or "300,00" in receipt.text


def test_a_hygiene_inspection_with_a_measured_finding(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    token = log_in(client, "agent.hygiene")
    response = post(
        client,
        token,
        {
            "brigade": "hygiene",
            "subject_kind": "establishment",
            "trade_name": "Café Atlas",
            "ice": "001 234 567 000 089",
            "finding": ["HYG-02", "HYG-05"],
            "quantity_HYG-05": "2",
            "observations": "Sols sales",
        },
    )
    assert response.status_code == 303
    inspection_id = uuid.UUID(response.headers["location"].rsplit("/", 1)[1])
    inspection = police.get_inspection(inspection_id)
    assert [f["code"] for f in inspection.findings] == ["HYG-02", "HYG-05"]
    assert inspection.subject["identifiers"]["ice"] == "001234567000089"
    assert inspection.location["lat"] == pytest.approx(33.589)


def test_a_compliant_inspection_is_recordable(client: TestClient, staff: Staff) -> None:
    token = log_in(client, "agent.odp")
    response = post(
        client,
        token,
        {"brigade": "public_domain", "subject_kind": "person", "full_name": "Mustapha Naciri"},
    )
    assert response.status_code == 303
    assert "Contrôle conforme" in client.get(response.headers["location"]).text


def test_the_phone_gets_a_json_receipt_and_a_replay_records_nothing_new(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    token = log_in(client, "agent.stationnement")
    form = {
        "csrf_token": token,
        "submission_id": str(uuid.uuid4()),
        "observed_at": just_now(),
        **ANFA,
        "brigade": "parking",
        "plate": "WW-4321",
        "finding": "STA-05",
    }
    first = client.post("/officer/inspections", data=form, headers={"Accept": "application/json"})
    assert first.status_code == 200
    body = first.json()
    assert body["ticket_number"].startswith("AC-")
    assert body["duplicate"] is False
    count = event_count(police)
    again = client.post("/officer/inspections", data=form, headers={"Accept": "application/json"})
    assert again.json() == body | {"duplicate": True}
    assert event_count(police) == count


def test_a_repeat_offender_is_flagged_while_the_plate_is_typed(
    client: TestClient, staff: Staff
) -> None:
    token = log_in(client, "agent.stationnement")
    assert "Aucun antécédent" in client.get("/officer/lookup?plate=12345+a+6").text
    post(client, token, {"brigade": "parking", "plate": "12345-A-6", "finding": "STA-02"})
    flagged = client.get("/officer/lookup?plate=12345-أ-6").text
    assert "Déjà 1 dossier" in flagged
    assert "STA-" in flagged
    assert "non reconnue" in client.get("/officer/lookup?plate=abc").text


REFUSALS = [
    (
        "missing plate",
        {"brigade": "parking", "plate": "", "finding": "STA-02"},
        "plate",
        "obligatoire",
    ),
    (
        "bad plate",
        {"brigade": "parking", "plate": "ABC-DEF", "finding": "STA-02"},
        "plate",
        "non reconnue",
    ),
    (
        "unknown infraction",
        {"brigade": "parking", "plate": "1-A-6", "finding": "STA-99"},
        "findings",
        "inconnue",
    ),
    (
        "a longitude no place has",
        {
            "brigade": "parking",
            "plate": "1-A-6",
            "finding": "STA-02",
            "lat": "33.59",
            "lon": "-200",
        },
        "location",
        "Position GPS invalide",
    ),
    (
        "quantity not a number",
        {"brigade": "parking", "plate": "1-A-6", "finding": "STA-02", "lat": "nord"},
        "location",
        "Nombre attendu",
    ),
    (
        "clamp alone",
        {"brigade": "parking", "plate": "1-A-6", "measure": "clamp"},
        "measures",
        "suppose",
    ),
    (
        "observed in the future",
        {"brigade": "parking", "plate": "1-A-6", "observed_at": "2099-01-01T09:00:00+00:00"},
        "observed_at",
        "L'heure du constat est dans le futur : vérifiez l'heure du téléphone.",
    ),
    (
        "late entry without its reason",
        {"brigade": "parking", "plate": "1-A-6", "observed_local": "2026-11-20T09:15"},
        "late_reason",
        "Constat de plus de 72 heures : indiquez la raison de la saisie tardive.",
    ),
    (
        "typed time unreadable",
        {"brigade": "parking", "plate": "1-A-6", "observed_local": "hier soir"},
        "observed_local",
        "Date et heure attendues",
    ),
]


@pytest.mark.parametrize(
    ("data", "field", "message"), [r[1:] for r in REFUSALS], ids=[r[0] for r in REFUSALS]
)
def test_bad_input_is_refused_next_to_its_field_keeping_what_was_typed(
    client: TestClient,
    police: PoliceApp,
    staff: Staff,
    data: dict[str, Any],
    field: str,
    message: str,
) -> None:
    token = log_in(client, "agent.stationnement")
    before = event_count(police)
    response = post(client, token, {**data, "make": "Dacia Logan", "observations": "garé à cheval"})
    assert response.status_code == 400
    error = re.search(rf'id="error-{field}" role="alert">([^<]+)<', response.text)
    assert error, response.text[:3000]
    assert message in html.unescape(error.group(1))
    assert 'value="Dacia Logan"' in response.text
    assert "garé à cheval" in response.text
    assert event_count(police) == before
    as_json = post(client, token, data, headers={"Accept": "application/json"})
    assert as_json.status_code == 400
    assert message in as_json.json()["errors"][field]


def test_an_inspection_entered_after_the_fact_keeps_the_typed_time_and_its_reason(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    token = log_in(client, "agent.stationnement")
    reason = "Terminal en panne ; relevé sur le carnet n° 12."
    response = post(
        client,
        token,
        {
            "brigade": "parking",
            "plate": "1-A-6",
            "finding": "STA-02",
            "observed_local": "2026-11-20T09:15",
            "late_reason": reason,
        },
    )
    assert response.status_code == 303
    inspection_id = uuid.UUID(response.headers["location"].rsplit("/", 1)[1])
    inspection = police.get_inspection(inspection_id)
    # Typed on the territory's wall clock: Casablanca is at UTC+1.
    assert inspection.observed_at == datetime(2026, 11, 20, 8, 15, tzinfo=UTC)
    assert inspection.late_reason == reason
    receipt = client.get(response.headers["location"]).text
    assert "Constaté le 20 nov. 2026, 09:15" in receipt
    assert f"Saisie tardive : {reason}" in html.unescape(receipt)


def test_the_phone_s_first_fix_and_its_clock_at_sending_are_kept_and_shown(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    token = log_in(client, "agent.stationnement")
    sent = (datetime.now(UTC) - timedelta(minutes=9)).replace(microsecond=0)
    response = post(
        client,
        token,
        {
            "brigade": "parking",
            "plate": "1-A-6",
            "finding": "STA-02",
            "opened_lat": "33.58842",
            "opened_lon": "-7.66051",
            "opened_accuracy": "35",
            "sent_at": sent.isoformat().replace("+00:00", "Z"),
        },
    )
    assert response.status_code == 303
    inspection = police.get_inspection(uuid.UUID(response.headers["location"].rsplit("/", 1)[1]))
    assert inspection.opened_location == {"lat": 33.58842, "lon": -7.66051, "accuracy_m": 35.0}
    assert inspection.sent_at == sent
    client.cookies.clear()
    log_in(client, "chef.stationnement")
    page = html.unescape(re.sub(r"\s+", " ", client.get(f"/cases/{inspection.case_id}").text))
    assert "Position à l'ouverture du formulaire" in page
    assert "33,58842, -7,66051" in page
    local = sent.astimezone(police.territory.timezone)
    assert "Heure du téléphone à l'envoi" in page
    assert re.search(r'class="sent-at">[^<]*' + local.strftime("%H:%M"), page)
    assert "Horloge du téléphone à -9 min du serveur à l'envoi." in page


def test_a_forged_token_is_refused_and_records_nothing(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    log_in(client, "agent.stationnement")
    before = event_count(police)
    response = post(client, "forged", {"brigade": "parking", "plate": "1-A-6", "finding": "STA-02"})
    assert response.status_code == 403
    assert "CSRF" in response.text
    assert event_count(police) == before


def test_a_hundred_megabyte_upload_is_refused_before_it_is_read(
    client: TestClient, staff: Staff
) -> None:
    token = log_in(client, "agent.stationnement")
    response = client.post(
        "/officer/inspections",
        content=b"x" * 130_000_000,
        headers={"X-CSRF-Token": token, "Content-Type": "multipart/form-data; boundary=x"},
    )
    assert response.status_code == 413
    assert "trop volumineux" in response.text


def test_another_brigades_form_cannot_be_posted(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    token = log_in(client, "agent.stationnement")
    before = event_count(police)
    response = post(
        client, token, {"brigade": "hygiene", "trade_name": "X", "ice": "001234567000089"}
    )
    assert response.status_code == 403
    assert event_count(police) == before


def test_the_receipt_is_only_shown_to_its_officer_and_supervisors(
    client: TestClient, staff: Staff
) -> None:
    token = log_in(client, "agent.stationnement")
    location = post(
        client, token, {"brigade": "parking", "plate": "1-A-6", "finding": "STA-02"}
    ).headers["location"]
    client.post("/logout", data={"csrf_token": token})
    log_in(client, "agent.hygiene")
    assert client.get(location).status_code == 404  # another brigade: not even its existence
    client.cookies.clear()
    log_in(client, "chef.stationnement")
    assert client.get(location).status_code == 200


def test_a_follow_up_form_is_prefilled_from_the_case(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    token = log_in(client, "agent.hygiene")
    location = post(
        client,
        token,
        {
            "brigade": "hygiene",
            "subject_kind": "establishment",
            "trade_name": "Café Atlas",
            "ice": "001234567000089",
            "finding": "HYG-02",
        },
    ).headers["location"]
    case_id = police.get_inspection(uuid.UUID(location.rsplit("/", 1)[1])).case_id
    page = client.get(f"/officer/inspections/new/hygiene?follow_up={case_id}").text
    assert "Contrôle de suivi du dossier" in page
    assert 'value="Café Atlas"' in page
    assert 'value="001234567000089"' in page
    assert f'name="follow_up_case_id" value="{case_id}"' in page


def test_my_day_lists_todays_inspections_and_assigned_follow_ups(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    token = log_in(client, "agent.hygiene2")
    cafe = police.record_inspection(builders.hygiene(), staff.hygiene_officer)
    assert cafe.case_id is not None
    police.change_case(ValidateCase(case_id=cafe.case_id), staff.hygiene_chief)
    police.change_case(
        ScheduleFollowUp(
            case_id=cafe.case_id, due_on=police.today(), officer_id=staff.hygiene_officer_2
        ),
        staff.hygiene_chief,
    )
    mine = post(
        client,
        token,
        {
            "brigade": "hygiene",
            "trade_name": "Snack Nour",
            "ice": "009988776000055",
            "finding": "HYG-02",
        },
    ).headers["location"]

    page = client.get("/officer").text
    follow_ups = page.split('id="visits"')[1].split("</section>")[0]
    today = page.split('id="today"')[1].split("</section>")[0]
    assert str(cafe.case_reference) in follow_ups
    assert f"?follow_up={cafe.case_id}" in follow_ups
    assert "Snack Nour" in today
    assert mine in today
    assert "Café Atlas" not in today  # another officer's inspection


def test_a_lookup_shows_only_the_officers_own_brigades_cases(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    """The café has a hygiene case; the public-domain officer checking its terrace is not told."""
    police.record_inspection(builders.hygiene(), staff.hygiene_officer)
    log_in(client, "agent.odp")
    seen = client.get(f"/officer/lookup?ice={builders.CAFE_ICE}").text
    assert "HYG-" not in seen
    assert "Déjà" not in seen
    assert "Connu, sans dossier" in seen
    client.cookies.clear()
    log_in(client, "agent.hygiene")
    assert "Déjà 1 dossier" in client.get(f"/officer/lookup?ice={builders.CAFE_ICE}").text


def test_a_lookup_tells_a_foreign_plate_from_a_moroccan_one_written_alike(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    police.record_inspection(builders.parking(plate="12345-A-6"), staff.parking_officer)
    log_in(client, "agent.stationnement")
    moroccan = client.get("/officer/lookup?plate=12345-A-6").text
    assert "Déjà 1 dossier" in moroccan
    foreign = client.get("/officer/lookup?plate=12345-A-6&foreign_plate=on").text
    assert "Aucun antécédent" in foreign
    assert "Déjà" not in foreign


def test_a_lookup_of_what_is_no_plate_or_ice_says_why(client: TestClient, staff: Staff) -> None:
    log_in(client, "agent.stationnement")
    response = client.get("/officer/lookup?plate=A")
    assert response.status_code == 200  # a hint under the field, not a refused request
    assert '<p class="hint-warning">' in response.text
    assert "<html" not in response.text
    assert "Immatriculation « A » non reconnue" in html.unescape(response.text)
    assert (
        html.unescape(client.get("/officer/lookup?ice=12").text).count(
            "ICE « 12 » invalide : il comporte exactement 15 chiffres."
        )
        == 1
    )
    assert client.get("/officer/lookup").text.strip() == ""  # nothing typed yet: nothing shown


def test_a_lookup_names_the_five_latest_cases_and_counts_the_others(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    references = [
        police.record_inspection(builders.parking(), staff.parking_officer).case_reference
        for _ in range(7)
    ]
    log_in(client, "agent.stationnement")
    seen = client.get("/officer/lookup?plate=12345-A-6").text
    assert "Déjà 7 dossiers" in seen
    assert ", ".join(str(r) for r in reversed(references[-5:])) in seen
    assert str(references[0]) not in seen
    assert "et 2 autres" in seen


def test_the_officer_opens_the_tickets_avis_from_the_receipt(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    token = log_in(client, "agent.stationnement")
    response = post(
        client, token, {"brigade": "parking", "plate": "48213-B-6", "finding": "STA-02"}
    )
    receipt_url = response.headers["location"]
    receipt = client.get(receipt_url).text
    assert f'href="{receipt_url}/ticket.pdf"' in receipt
    pdf = client.get(f"{receipt_url}/ticket.pdf")
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    inspection_id = uuid.UUID(receipt_url.rsplit("/", 1)[1])
    case_id = police.get_inspection(inspection_id).case_id
    assert case_id is not None
    [notice] = police.get_case(case_id).notices
    assert hashlib.sha256(pdf.content).hexdigest() == notice["sha256"]  # the one stored
    assert ("notice", case_id, notice["number"]) in police.views_by(
        staff.parking_officer, police.today()
    )
    client.cookies.clear()
    log_in(client, "agent.hygiene")  # another brigade's officer
    assert client.get(f"{receipt_url}/ticket.pdf").status_code == 404
