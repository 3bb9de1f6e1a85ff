"""Legal staff on screen: preview and issue a notice, download the very bytes stored, follow it
up (service, payment); the public verification page tells a genuine PDF from an altered one."""

from __future__ import annotations

import hashlib
from uuid import UUID

from starlette.testclient import TestClient

from police.app import PoliceApp
from police.commands import EscalateCase, IssueNotice, ValidateCase
from police.settings import Settings
from police.workflow import NoticeKind
from tests.police import builders
from tests.police.builders import Staff, event_count, hire
from tests.web.conftest import case_form, log_in, token_of
from tests.web.test_case_pages import version_of
from web.app import create_app


def validated(police: PoliceApp, staff: Staff) -> UUID:
    receipt = police.record_inspection(builders.hygiene(), staff.hygiene_officer)
    assert receipt.case_id
    police.change_case(ValidateCase(case_id=receipt.case_id), staff.hygiene_chief)
    return receipt.case_id


def test_issue_download_and_verify_a_formal_notice(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    case_id = validated(police, staff)
    token = log_in(client, "juriste")
    page = client.get(f"/cases/{case_id}").text
    assert "notice-mise_en_demeure" in page
    preview = client.get(f"/cases/{case_id}/notices/mise_en_demeure/preview")
    assert preview.status_code == 200
    assert "Mise en demeure" in preview.text
    assert "sandbox" in preview.headers["content-security-policy"]

    response = client.post(
        f"/cases/{case_id}/notices/mise_en_demeure", data=case_form(police, case_id, token)
    )
    assert response.status_code == 303
    [notice] = police.get_case(case_id).notices
    number = notice["number"]
    page = client.get(f"/cases/{case_id}").text
    assert f"/notices/{number}.pdf" in page

    pdf = client.get(f"/notices/{number}.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    assert hashlib.sha256(pdf.content).hexdigest() == notice["sha256"]
    assert client.get(f"/notices/{number}.pdf").content == pdf.content  # same bytes, every time

    client.cookies.clear()  # the public, with the QR code
    public = client.get(f"/verifier/{number}")
    assert public.status_code == 200
    assert "En vigueur" in public.text
    assert "Café Atlas" not in public.text  # no personal data on the public page
    token = token_of(public.text)
    genuine = client.post(
        f"/verifier/{number}",
        data={"csrf_token": token},
        files={"pdf": ("a.pdf", pdf.content, "application/pdf")},
    )
    assert "bien l&#39;avis émis" in genuine.text or "bien l'avis émis" in genuine.text
    altered = client.post(
        f"/verifier/{number}",
        data={"csrf_token": token},
        files={"pdf": ("a.pdf", pdf.content + b"%", "application/pdf")},
    )
    assert "PAS l" in altered.text
    assert client.get("/verifier/MD-1999-000001").status_code == 404


def test_service_and_payment_move_the_case(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    receipt = police.record_inspection(builders.parking(), staff.parking_officer)
    token = log_in(client, "juriste")
    case_id = receipt.case_id
    assert case_id is not None
    client.post(
        f"/cases/{case_id}/notices/avis_contravention", data=case_form(police, case_id, token)
    )
    number = str(receipt.ticket_number)
    today = police.today().isoformat()
    served = client.post(
        f"/cases/{case_id}/record_service",
        data=case_form(
            police,
            case_id,
            token,
            number=number,
            method="hand",
            served_on=today,
            served_to="Le conducteur",
        ),
    )
    assert served.status_code == 303
    due = police.get_case(case_id).balance
    paid = client.post(
        f"/cases/{case_id}/record_payment",
        data=case_form(
            police, case_id, token, amount=str(due), receipt_number="Q-77", paid_on=today
        ),
    )
    assert paid.status_code == 303
    assert police.get_case(case_id).status == "closed"
    before = event_count(police)
    bad = client.post(
        f"/cases/{case_id}/record_payment",
        data=case_form(police, case_id, token, amount="abc", receipt_number="Q-78", paid_on=today),
    )
    assert bad.status_code == 400
    assert "Montant invalide" in bad.text
    assert event_count(police) == before


def test_a_supervisor_cannot_issue_notices(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    case_id = validated(police, staff)
    token = log_in(client, "chef.hygiene")
    assert "notice-mise_en_demeure" not in client.get(f"/cases/{case_id}").text
    before = event_count(police)
    response = client.post(
        f"/cases/{case_id}/notices/mise_en_demeure", data=case_form(police, case_id, token)
    )
    assert response.status_code == 403
    assert event_count(police) == before


def test_two_lawyers_on_the_same_case_the_second_is_told_it_changed(
    settings: Settings, client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    """Both open the ticket's page; the first records the payment; the second, still looking at
    the page as it was, records a service: refused, told to reload, nothing written."""
    hire(police, "juriste.b", ["legal"], ["parking"])
    receipt = police.record_inspection(builders.parking(), staff.parking_officer)
    case_id = receipt.case_id
    assert case_id is not None  # its avis de contravention issued with it, in the street
    today = police.today().isoformat()
    with TestClient(create_app(settings, police=police), follow_redirects=False) as other:
        first, second = log_in(client, "juriste"), log_in(other, "juriste.b")
        seen_by_first = version_of(client.get(f"/cases/{case_id}").text)
        seen_by_second = version_of(other.get(f"/cases/{case_id}").text)
        assert seen_by_first == seen_by_second

        due = police.get_case(case_id).balance
        paid = client.post(
            f"/cases/{case_id}/record_payment",
            data={
                "csrf_token": first,
                "version": seen_by_first,
                "amount": str(due),
                "receipt_number": "Q-81",
                "paid_on": today,
            },
        )
        assert paid.status_code == 303
        before = event_count(police)
        stale = other.post(
            f"/cases/{case_id}/record_service",
            data={
                "csrf_token": second,
                "version": seen_by_second,
                "number": str(receipt.ticket_number),
                "method": "hand",
                "served_on": today,
                "served_to": "Le conducteur",
            },
        )
    assert stale.status_code == 409
    assert "a été modifié depuis votre lecture" in stale.text
    assert f'<a class="button primary" id="back" href="/cases/{case_id}">' in stale.text
    assert "Recharger le dossier" in stale.text
    assert event_count(police) == before
    [avis] = police.get_case(case_id).notices
    assert avis["served"] == []


def test_service_and_appeal_are_offered_once_a_notice_exists(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    """Escalated straight after validation: a case one may appeal, with nothing yet to appeal
    against or to say was served, until its closure order is issued."""
    case_id = builders.opened_case(police, builders.hygiene(), staff.hygiene_officer)
    police.change_case(ValidateCase(case_id=case_id), staff.hygiene_chief)
    police.change_case(EscalateCase(case_id=case_id, reason="Refus"), staff.hygiene_chief)
    log_in(client, "juriste")
    before = client.get(f"/cases/{case_id}").text
    assert "action notice-ordre_fermeture" in before
    assert "legal-record_service" not in before  # no notice to say was served
    assert "legal-file_appeal" not in before  # nor to appeal against
    police.issue_notice(
        IssueNotice(case_id=case_id, kind=NoticeKind.ORDRE_FERMETURE),
        staff.legal,
        public_url="http://test",
    )
    after = client.get(f"/cases/{case_id}").text
    assert "legal-record_service" in after
    assert "legal-file_appeal" in after
