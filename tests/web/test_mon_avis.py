"""/mon-avis as the recipient of a notice drives it: the notice's number and the code printed on
it open their own case (findings, photo renditions, amount, payment reference), they contest it
with a document or declare they complied, and the legal desk and the supervisor see it on the
case; a wrong or revoked code opens nothing, attempts are limited per address."""

from __future__ import annotations

import html
import io
from uuid import UUID

import pytest
from starlette.testclient import TestClient

from police.app import PoliceApp
from police.app.notices import IssuedNotice
from police.commands import IssueNotice, ValidateCase
from police.evidence import Photo
from police.workflow import NoticeKind
from tests.police import builders
from tests.police.builders import Staff, event_count
from tests.storage import documents, photos
from tests.web.conftest import log_in, token_of


def notice_with_photo(police: PoliceApp, staff: Staff) -> tuple[UUID, IssuedNotice]:
    receipt = police.record_inspection(
        builders.hygiene(),
        staff.hygiene_officer,
        [Photo("cuisine.jpg", io.BytesIO(photos.jpeg_with_exif()))],
    )
    assert receipt.case_id is not None
    police.change_case(ValidateCase(case_id=receipt.case_id), staff.hygiene_chief)
    issued = police.issue_notice(
        IssueNotice(case_id=receipt.case_id, kind=NoticeKind.MISE_EN_DEMEURE), staff.legal
    )
    return receipt.case_id, issued


def open_with(client: TestClient, number: str, code: str) -> int:
    token = token_of(client.get("/mon-avis").text)
    response = client.post(
        "/mon-avis", data={"csrf_token": token, "number": number, "code": code, "website": ""}
    )
    return response.status_code


def text_of(response: object) -> str:
    return html.unescape(response.text)  # type: ignore[attr-defined]


def test_the_recipient_sees_their_case_and_contests_it_and_the_legal_desk_sees_it(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    case_id, issued = notice_with_photo(police, staff)
    assert open_with(client, issued.number.lower(), issued.access_code.lower()) == 303
    page = client.get("/mon-avis/dossier")
    assert page.status_code == 200
    shown = text_of(page)
    assert "HYG-02" in shown
    assert police.get_case(case_id).reference in shown  # the payment reference
    assert "l'amende et les délais restent ceux de l'avis" in shown  # the catalogue's rule
    photo = client.get("/mon-avis/photos/0")
    assert photo.status_code == 200
    assert photo.headers["content-type"] == "image/webp"  # a rendition, never the original
    token = token_of(page.text)
    contested = client.post(
        "/mon-avis/contester",
        data={"csrf_token": token, "grounds": "Le local était fermé ce jour-là.", "website": ""},
        files=[("documents", ("bail.pdf", documents.pdf(pages=1), "application/pdf"))],
    )
    assert contested.status_code == 303
    after = text_of(client.get("/mon-avis/dossier"))
    assert "le service juridique l'examine" in after
    appeal = police.get_case(case_id).pending_appeal
    assert appeal is not None
    assert len(appeal["documents"]) == 1
    client.cookies.clear()
    log_in(client, "juriste")
    desk = text_of(client.get(f"/cases/{case_id}"))
    assert "Contestation déposée en ligne le" in desk
    assert "Le local était fermé ce jour-là." in desk


def test_a_declared_compliance_reaches_the_supervisor(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    case_id, issued = notice_with_photo(police, staff)
    assert open_with(client, issued.number, issued.access_code) == 303
    token = token_of(client.get("/mon-avis/dossier").text)
    declared = client.post(
        "/mon-avis/conformite",
        data={"csrf_token": token, "statement": "Cuisine nettoyée et repeinte.", "website": ""},
    )
    assert declared.status_code == 303
    assert "Demander la visite de contrôle" not in client.get("/mon-avis/dossier").text
    client.cookies.clear()
    log_in(client, "chef.hygiene")
    page = text_of(client.get(f"/cases/{case_id}"))
    assert "visite de contrôle demandée" in page
    assert "Cuisine nettoyée et repeinte." in page
    # The supervisor with 40 open cases finds it in the list, filtered.
    reference = police.get_case(case_id).reference
    elsewhere = builders.hygiene(location=builders.parking().location)
    other = builders.opened_case(police, elsewhere, staff.hygiene_officer)
    listed = text_of(client.get("/cases", params={"declared": "1"}))
    assert reference in listed
    assert "conformité déclarée le" in listed
    assert police.get_case(other).reference not in listed


def test_a_wrong_code_opens_nothing_and_attempts_are_limited(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    _, issued = notice_with_photo(police, staff)
    before = event_count(police)
    assert open_with(client, issued.number, "AAAA-BBBB-CCCC") == 400
    assert open_with(client, "MD-2026-999999", issued.access_code) == 400
    assert client.get("/mon-avis/dossier").status_code == 403
    for _ in range(8):
        open_with(client, issued.number, "AAAA-BBBB-CCCC")
    assert open_with(client, issued.number, issued.access_code) == 429  # even the right one
    assert event_count(police) == before


def test_a_revoked_code_stops_opening_the_case_at_once(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    case_id, issued = notice_with_photo(police, staff)
    assert open_with(client, issued.number, issued.access_code) == 303
    assert client.get("/mon-avis/dossier").status_code == 200
    # Legal staff revoke it from the case page, and are shown the new one once.
    recipient_cookies = dict(client.cookies)
    client.cookies.clear()
    token = log_in(client, "juriste")
    revoked = client.post(
        f"/cases/{case_id}/code-acces",
        data={
            "csrf_token": token,
            "number": issued.number,
            "reason": "Avis perdu",
            "replace": "on",
        },
    )
    assert revoked.status_code == 303
    page = text_of(client.get(f"/cases/{case_id}"))
    assert "Nouveau code d'accès de l'avis" in page
    new_code = page.split('id="new-access-code">', 1)[1].split('<strong class="ref">')[1][:14]
    assert "Nouveau code d'accès" not in text_of(client.get(f"/cases/{case_id}"))  # once
    client.cookies.clear()
    client.cookies.update(recipient_cookies)
    assert client.get("/mon-avis/dossier").status_code == 403
    assert open_with(client, issued.number, issued.access_code) == 400
    assert open_with(client, issued.number, new_code) == 303


@pytest.mark.parametrize("field", ["website"])
def test_a_robot_filling_the_hidden_field_is_refused(
    client: TestClient, police: PoliceApp, staff: Staff, field: str
) -> None:
    _, issued = notice_with_photo(police, staff)
    token = token_of(client.get("/mon-avis").text)
    response = client.post(
        "/mon-avis",
        data={"csrf_token": token, "number": issued.number, "code": issued.access_code, field: "x"},
    )
    assert response.status_code == 400
