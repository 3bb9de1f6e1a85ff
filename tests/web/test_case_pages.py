"""The supervisors' pages over HTTP: the case list (filters, sort, pages, htmx partial), a case
with its timeline and only its legal actions, each action's refusals, the "as of" view, exports
and the overview; each user sees only their brigades."""

from __future__ import annotations

import csv
import html
import io
import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest
from starlette.testclient import TestClient

from police.app import PoliceApp
from police.commands import AssignCase, EscalateCase, RecordPayment, ValidateCase
from police.evidence import Photo
from police.identifiers import SubjectInput
from police.submission import Finding
from tests.police import builders
from tests.police.builders import Staff, event_count
from tests.storage import photos
from tests.web.conftest import case_form, log_in
from web.pages.cases import csv_cell


def cafe(
    police: PoliceApp, staff: Staff, name: str = "Café Atlas", ice: str = builders.CAFE_ICE
) -> UUID:
    subject = SubjectInput(kind="establishment", trade_name=name, ice=ice, activity="Café")
    receipt = police.record_inspection(builders.hygiene(subject=subject), staff.hygiene_officer)
    assert receipt.case_id is not None
    return receipt.case_id


def version_of(page: str) -> str:
    found = re.search(r'name="version" value="(\d+)"', page)
    assert found
    return found.group(1)


def test_the_list_shows_only_the_supervisors_brigade(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    cafe(police, staff)
    police.record_inspection(builders.parking(), staff.parking_officer)
    log_in(client, "chef.hygiene")
    page = client.get("/cases").text
    assert "Café Atlas" in page
    assert "12345-A-6" not in page
    assert client.get("/cases?brigade=parking").text.count("12345-A-6") == 0  # not in scope


def test_the_list_names_each_cases_main_infraction(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    """The café's findings: HYG-02 (2 000 MAD) and HYG-05 for two staff (2 x 1 000 MAD): the
    first of the highest fines."""
    cafe(police, staff)
    police.record_inspection(
        builders.parking(findings=(Finding("STA-02"), Finding("STA-03"))), staff.parking_officer
    )
    log_in(client, "admin")
    page = client.get("/cases").text
    codes = re.findall(r'<small class="ref code">([A-Z]+-\d+)</small>', page)
    assert sorted(codes) == ["HYG-02", "STA-03"]  # STA-03 (700 MAD) over STA-02


def test_filters_search_sort_and_pages_live_in_the_url(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    for n in range(30):
        cafe(police, staff, name=f"Snack {n:02d}", ice=f"{n:013d}89")
    log_in(client, "chef.hygiene")
    first = client.get("/cases?sort=subject&dir=asc").text
    assert "Snack 00" in first
    assert "Snack 29" not in first
    assert "Page 1 / 2" in first
    second = client.get("/cases?sort=subject&dir=asc&page=2").text
    assert "Snack 29" in second
    searched = client.get("/cases?q=snack 17", headers={"HX-Request": "true"})
    assert "Snack 17" in searched.text
    assert "Snack 16" not in searched.text
    assert "<html" not in searched.text  # the htmx swap gets the table alone
    assert "/cases/export.csv?q=snack+17" in searched.text
    assert client.get("/cases?status=closed").text.count("Snack") == 0


def test_the_case_page_shows_each_inspection_as_it_was_recorded(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    photo = Photo("IMG_0042.jpg", io.BytesIO(photos.jpeg_with_exif()))
    receipt = police.record_inspection(
        builders.hygiene(
            late_reason="Terminal en panne : relevé sur le carnet.",
            observed_at=datetime.now(UTC) - timedelta(hours=80),
        ),
        staff.hygiene_officer,
        [photo],
    )
    log_in(client, "chef.hygiene")
    page = client.get(f"/cases/{receipt.case_id}").text
    block = page[page.index('id="inspections"') : page.index('id="timeline"')]
    text = html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", block)))
    assert "Agent Hygiene (matricule H-1042)" in text
    assert "HYG-02 Insalubrité des locaux (sols, murs, plans de travail)" in text
    assert "HYG-05 Personnel manipulant des denrées sans certificat médical d'aptitude" in text
    assert "Loi n° 28-07 relative à la sécurité sanitaire des produits alimentaires" in text
    assert "2 2 000,00 MAD 2026.1" in text  # HYG-05: two employees at 1 000 each
    assert "2 000,00 MAD 2026.1" in text
    assert "112 boulevard Zerktouni · Maârif" in text
    assert "33,5861, -7,6329 · précision 8 m" in text
    assert "Sols et plans de travail sales ; deux serveurs sans certificat médical." in text
    assert "Saisie tardive Terminal en panne : relevé sur le carnet." in text
    assert "Reçu par le serveur" in text
    assert "prise le 20 nov. 2026, 10:42" in text  # 10:42 at +01:00, Casablanca's own offset
    assert "33,5951, -7,6187" in text  # where the camera says it was
    # What a court could doubt, said above the facts: the photo is from Place des Nations Unies
    # (about 1.65 km away), days before; the entry is late.
    assert "Points à vérifier" in text
    assert re.search(r"Photo 1 prise à 16\d\d m de la position du constat\.", text)
    assert re.search(r"Photo 1 prise \d+ h avant ou après le constat\.", text)  # days before
    assert "Saisie après le délai hors ligne : Terminal en panne : relevé sur le carnet." in text


def test_supervisors_filter_the_cases_whose_inspections_raise_a_doubt(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    """The same officer at 112 bd Zerktouni, then 3 minutes later in Aïn Sebaâ, 11 km away
    (225 km/h), then back at Zerktouni 3 hours later (a fair pace): the first two are flagged,
    each against the other, and the third is not."""
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=4)
    ain_sebaa = replace(builders.ZERKTOUNI, arrondissement="ain_sebaa", lat=33.64, lon=-7.53)
    visits = [
        ("Café Atlas", start, builders.ZERKTOUNI),
        ("Snack Port", start + timedelta(minutes=3), ain_sebaa),
        ("Glacier Anfa", start + timedelta(hours=3), builders.ZERKTOUNI),
    ]
    cases = {}
    for n, (name, at, where) in enumerate(visits):
        subject = SubjectInput(kind="establishment", trade_name=name, ice=f"{n:013d}89")
        receipt = police.record_inspection(
            builders.hygiene(subject=subject, observed_at=at, location=where),
            staff.hygiene_officer,
        )
        cases[name] = receipt.case_id
    # A day before, with a photo its camera placed at Place des Nations Unies, 1.65 km away.
    photo = Photo("IMG_0042.jpg", io.BytesIO(photos.jpeg_with_exif()))
    subject = SubjectInput(kind="establishment", trade_name="Pâtisserie Bab", ice="000000000000989")
    later = builders.hygiene(subject=subject, observed_at=start - timedelta(days=1))
    cases["Pâtisserie Bab"] = police.record_inspection(
        later, staff.hygiene_officer, [photo]
    ).case_id
    log_in(client, "chef.hygiene")
    everything = client.get("/cases").text
    assert all(name in everything for name in cases)
    flagged = client.get("/cases?flagged=1").text
    assert "Café Atlas" in flagged
    assert "Snack Port" in flagged
    assert "Glacier Anfa" not in flagged
    assert "Pâtisserie Bab" in flagged
    assert 'name="flagged" value="1" checked' in flagged
    page = html.unescape(client.get(f"/cases/{cases['Café Atlas']}").text)
    seen = (start + timedelta(minutes=3)).astimezone(police.territory.timezone)
    assert re.search(
        rf"Vitesse impossible : 2\d\d km/h avec le contrôle du {seen:%d/%m/%Y %H:%M} "
        r"du même agent \(112\d\d m\)\.",
        page,
    )
    assert "Vitesse impossible" not in client.get(f"/cases/{cases['Glacier Anfa']}").text


def test_a_case_page_offers_only_the_legal_actions_and_shows_the_timeline(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    case_id = cafe(police, staff)
    log_in(client, "chef.hygiene")
    page = client.get(f"/cases/{case_id}").text
    assert "action-validate" in page
    assert "action-dismiss" in page
    assert "action-reopen" not in page
    assert "action-escalate" not in page  # only after validation
    assert "Dossier HYG-" in page
    assert f"ICE {builders.CAFE_ICE}" in page  # the identifier named, not the internal key
    assert f"ice:{builders.CAFE_ICE}" not in page


def test_validate_then_assign_grows_the_timeline(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    case_id = cafe(police, staff)
    token = log_in(client, "chef.hygiene")
    page = client.get(f"/cases/{case_id}").text
    response = client.post(
        f"/cases/{case_id}/validate",
        data={"csrf_token": token, "version": version_of(page), "reason": "Vu"},
    )
    assert response.status_code == 303
    page = client.get(f"/cases/{case_id}").text
    assert "Dossier validé : Vu" in page
    response = client.post(
        f"/cases/{case_id}/assign",
        data={
            "csrf_token": token,
            "version": version_of(page),
            "officer_id": str(staff.hygiene_officer_2),
        },
    )
    assert response.status_code == 303
    page = client.get(f"/cases/{case_id}").text
    assert "Dossier attribué à Agent Hygiene2" in page
    assert police.get_case(case_id).assignee_id == staff.hygiene_officer_2


def test_a_clamped_vehicle_is_released_from_the_case_page_once_paid(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    clamped = builders.parking(measures=("clamp",))
    case_id = police.record_inspection(clamped, staff.parking_officer).case_id
    unclamped = police.record_inspection(builders.parking("777-B-6"), staff.parking_officer)
    token = log_in(client, "chef.stationnement")
    assert "action-release_vehicle" not in client.get(f"/cases/{case_id}").text  # unpaid
    for paid in (case_id, unclamped.case_id):
        assert paid is not None
        due = police.get_case(paid).balance
        police.change_case(
            RecordPayment(
                case_id=paid, amount=due, receipt_number=f"Q-{paid}", paid_on=police.today()
            ),
            staff.legal,
        )
    assert "action-release_vehicle" not in client.get(f"/cases/{unclamped.case_id}").text
    page = client.get(f"/cases/{case_id}").text
    assert "action-release_vehicle" in page

    before = event_count(police)
    future = (police.today() + timedelta(days=1)).isoformat()
    refused = client.post(
        f"/cases/{case_id}/release_vehicle",
        data={
            "csrf_token": token,
            "version": version_of(page),
            "released_on": future,
            "released_to": "M. Alami",
        },
    )
    assert refused.status_code == 400
    assert "futur" in refused.text
    assert event_count(police) == before

    response = client.post(
        f"/cases/{case_id}/release_vehicle",
        data={
            "csrf_token": token,
            "version": version_of(page),
            "released_on": police.today().isoformat(),
            "released_to": "M. Alami, CIN BE123456",
        },
    )
    assert response.status_code == 303
    page = client.get(f"/cases/{case_id}").text
    assert "Véhicule restitué le" in page
    assert "M. Alami, CIN BE123456" in page
    assert "action-release_vehicle" not in page  # once only


def test_refused_actions_say_why_and_record_nothing(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    case_id = cafe(police, staff)
    token = log_in(client, "chef.hygiene")
    stale = version_of(client.get(f"/cases/{case_id}").text)
    police.change_case(
        ValidateCase(case_id=case_id), staff.hygiene_chief
    )  # someone else, meanwhile
    before = event_count(police)

    conflict = client.post(
        f"/cases/{case_id}/escalate", data={"csrf_token": token, "version": stale, "reason": "x"}
    )
    assert conflict.status_code == 409
    assert "modifié depuis votre lecture" in conflict.text
    assert 'href="/cases/' in conflict.text  # with the way back to the case, to reload it
    twice = client.post(f"/cases/{case_id}/validate", data=case_form(police, case_id, token))
    assert twice.status_code == 409
    no_reason = client.post(
        f"/cases/{case_id}/dismiss", data=case_form(police, case_id, token, reason="")
    )
    assert no_reason.status_code == 400
    unknown = client.post(f"/cases/{case_id}/explode", data=case_form(police, case_id, token))
    assert unknown.status_code == 404
    forged = client.post(
        f"/cases/{case_id}/close", data=case_form(police, case_id, "forged", reason="x")
    )
    assert forged.status_code == 403
    unversioned = client.post(f"/cases/{case_id}/close", data={"csrf_token": token, "reason": "x"})
    assert unversioned.status_code == 400
    assert "rechargez la page" in unversioned.text
    assert event_count(police) == before


@pytest.mark.parametrize(
    ("username", "status"), [("agent.hygiene", 403), ("chef.stationnement", 404)]
)
def test_other_roles_and_brigades_cannot_read_or_act(
    client: TestClient, police: PoliceApp, staff: Staff, username: str, status: int
) -> None:
    case_id = cafe(police, staff)
    token = log_in(client, username)
    before = event_count(police)
    assert client.get(f"/cases/{case_id}").status_code == status
    assert (
        client.post(f"/cases/{case_id}/validate", data={"csrf_token": token}).status_code == status
    )
    assert event_count(police) == before


def test_view_as_of_shows_the_case_as_it_stood(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    case_id = cafe(police, staff)
    police.change_case(ValidateCase(case_id=case_id), staff.hygiene_chief)
    police.change_case(EscalateCase(case_id=case_id, reason="Récidive"), staff.hygiene_chief)
    log_in(client, "chef.hygiene")
    now = client.get(f"/cases/{case_id}").text
    assert "Transmis (escalade)" in now
    then = client.get(f"/cases/{case_id}?as_of=1").text
    assert 'id="as-of"' in then
    assert re.search(r'id="case-status">Ouvert<', then)
    assert "Dossier validé" not in then
    assert 'id="case-actions"' not in then


def test_csv_export_is_excel_friendly_and_defuses_formulas(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    cafe(police, staff, name='=HYPERLINK("http://evil")', ice="000000000000189")
    cafe(police, staff)
    log_in(client, "chef.hygiene")
    response = client.get("/cases/export.csv?q=hyperlink")
    assert response.headers["content-type"].startswith("text/csv")
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body[1:]), delimiter=";"))
    assert rows[0][0] == "Référence"
    assert len(rows) == 2
    assert rows[1][3] == '\'=HYPERLINK("http://evil")'


@pytest.mark.parametrize("name", ["+33 Café", "-Promo- Snack", "@Home Pizza"])
def test_csv_export_defuses_every_formula_start_in_what_was_typed(
    client: TestClient, police: PoliceApp, staff: Staff, name: str
) -> None:
    cafe(police, staff, name=name, ice="000000000000189")
    log_in(client, "chef.hygiene")
    body = client.get("/cases/export.csv").content.decode("utf-8")
    rows = list(csv.reader(io.StringIO(body[1:]), delimiter=";"))
    assert rows[1][3] == "'" + name


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+212 522", "'+212 522"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Café = bon", "Café = bon"),
        (12.5, "12,5"),
        (None, ""),
    ],
)
def test_a_csv_cell_never_starts_a_formula(value: object, cell: str) -> None:
    assert csv_cell(value) == cell


def test_geojson_export_and_overview(client: TestClient, police: PoliceApp, staff: Staff) -> None:
    case_id = cafe(police, staff)
    log_in(client, "chef.hygiene")
    features = client.get("/cases/export.geojson").json()["features"]
    assert [f["properties"]["case_id"] for f in features] == [str(case_id)]
    assert features[0]["geometry"]["coordinates"] == [-7.6329, 33.5861]
    overview = client.get("/overview")
    assert overview.status_code == 200
    assert 'id="kpis"' in overview.text
    assert "Maârif" in overview.text


def test_supervisors_land_on_the_case_list(client: TestClient, staff: Staff) -> None:
    from tests.web.conftest import token_of

    token = token_of(client.get("/login").text)
    response = client.post(
        "/login",
        data={"username": "chef.hygiene", "password": builders.PASSWORD, "csrf_token": token},
    )
    assert response.headers["location"] == "/cases"


def test_the_list_filters_by_assigned_officer(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    mine = cafe(police, staff)
    cafe(police, staff, name="Snack Nour", ice="009988776000055")
    police.change_case(
        AssignCase(case_id=mine, officer_id=staff.hygiene_officer_2), staff.hygiene_chief
    )
    log_in(client, "chef.hygiene")
    page = client.get(f"/cases?assignee={staff.hygiene_officer_2}").text
    assert "Café Atlas" in page
    assert "Snack Nour" not in page
    assert f'<option value="{staff.hygiene_officer_2}" selected>' in page
