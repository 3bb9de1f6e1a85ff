"""The recipient's own access: the private code printed on each notice opens their case (and
nothing else), legal staff revoke or replace it; with it the recipient files a contestation
(the appeal legal staff decide) or declares they complied and asks for the follow-up visit."""

from __future__ import annotations

import io
from uuid import UUID

import pytest
from pypdf import PdfReader

from police.access_codes import code_digest, normalized
from police.app import PoliceApp
from police.app.notices import IssuedNotice
from police.commands import DecideAppeal, IssueNotice, ValidateCase
from police.errors import InvalidInput, InvalidTransition, NotAllowed
from police.evidence import Photo
from police.workflow import AppealOutcome, NoticeKind
from storage.local import LocalObjectStore
from tests.police.builders import Staff, event_count, hygiene, opened_case, parking
from tests.storage.photos import jpeg_with_exif


def formal_notice(app: PoliceApp, staff: Staff) -> tuple[UUID, IssuedNotice]:
    case_id = opened_case(app, hygiene(), staff.hygiene_officer)
    app.change_case(ValidateCase(case_id=case_id), staff.hygiene_chief)
    issued = app.issue_notice(
        IssueNotice(case_id=case_id, kind=NoticeKind.MISE_EN_DEMEURE), staff.legal
    )
    return case_id, issued


def test_the_code_printed_on_the_notice_opens_its_case_and_nothing_else(
    app: PoliceApp, staff: Staff, objects: LocalObjectStore
) -> None:
    case_id, issued = formal_notice(app, staff)
    assert len(issued.access_code) == 14  # XXXX-XXXX-XXXX
    pages = PdfReader(io.BytesIO(objects.read(issued.key))).pages
    printed = " ".join(p.extract_text() for p in pages)
    assert issued.access_code in printed
    assert f"{app.public_url}/mon-avis" in printed
    typed = issued.access_code.lower().replace("-", " ")  # as typed from paper
    assert app.recipient_case(case_id, issued.number, code_digest(typed)) is not None
    wrong = issued.access_code[:-1] + ("A" if issued.access_code[-1] != "A" else "B")
    assert app.recipient_case(case_id, issued.number, code_digest(wrong)) is None
    other = opened_case(app, hygiene(location=parking().location), staff.hygiene_officer)
    assert app.recipient_case(other, issued.number, code_digest(issued.access_code)) is None
    assert app.recipient_case(None, issued.number, code_digest(issued.access_code)) is None


def test_look_alike_letters_read_as_the_code_s_digits() -> None:
    assert normalized("abcd efgh jkmn") == "ABCD-EFGH-JKMN"
    assert normalized("O1L0-iiii-uuuu") == "0110-1111-VVVV"


def test_legal_staff_revoke_a_code_and_may_give_a_new_one(app: PoliceApp, staff: Staff) -> None:
    case_id, issued = formal_notice(app, staff)
    old = code_digest(issued.access_code)
    with pytest.raises(NotAllowed):
        app.revoke_access_code(
            staff.hygiene_chief, case_id, issued.number, reason="Perdu", replace=True
        )
    new = app.revoke_access_code(
        staff.legal, case_id, issued.number, reason="Avis perdu", replace=True
    )
    assert new is not None
    assert app.recipient_case(case_id, issued.number, old) is None
    assert app.recipient_case(case_id, issued.number, code_digest(new)) is not None
    app.revoke_access_code(
        staff.legal, case_id, issued.number, reason="Vu par un tiers", replace=False
    )
    assert app.recipient_case(case_id, issued.number, code_digest(new)) is None
    with pytest.raises(InvalidTransition):  # nothing left to revoke
        app.revoke_access_code(staff.legal, case_id, issued.number, reason="x", replace=False)


def test_the_recipient_s_contestation_is_the_appeal_legal_staff_decide(
    app: PoliceApp, staff: Staff
) -> None:
    case_id, issued = formal_notice(app, staff)
    digest = code_digest(issued.access_code)
    with pytest.raises(NotAllowed):
        app.file_contestation(case_id, issued.number, code_digest("AAAA-BBBB-CCCC"), grounds="x")
    before = event_count(app)
    with pytest.raises(InvalidInput):
        app.file_contestation(case_id, issued.number, digest, grounds="  ")
    assert event_count(app) == before
    app.file_contestation(
        case_id, issued.number, digest, grounds="Le local était fermé ce jour-là."
    )
    appeal = app.get_case(case_id).pending_appeal
    assert appeal is not None
    assert appeal["by_recipient"] is True
    assert appeal["against"] == issued.number
    assert appeal["grounds"] == "Le local était fermé ce jour-là."
    with pytest.raises(InvalidTransition):  # one at a time
        app.file_contestation(case_id, issued.number, digest, grounds="Encore")
    app.change_case(
        DecideAppeal(
            case_id=case_id, outcome=AppealOutcome.UPHELD, decided_on=app.today(), note="Maintenu"
        ),
        staff.legal,
    )
    assert app.get_case(case_id).pending_appeal is None


def test_a_declared_compliance_waits_for_its_follow_up_visit(app: PoliceApp, staff: Staff) -> None:
    case_id, issued = formal_notice(app, staff)
    digest = code_digest(issued.access_code)
    photo = Photo("propre.jpg", io.BytesIO(jpeg_with_exif()))
    app.declare_compliance(
        case_id,
        issued.number,
        digest,
        statement="Cuisine nettoyée, certificats faits.",
        photos=[photo],
    )
    declared = app.get_case(case_id).compliance_declared
    assert declared is not None
    assert declared["statement"] == "Cuisine nettoyée, certificats faits."
    assert len(declared["photos"]) == 1
    with pytest.raises(InvalidTransition):
        app.declare_compliance(case_id, issued.number, digest, statement="Encore")
    app.record_inspection(hygiene(follow_up_case_id=case_id, findings=()), staff.hygiene_officer)
    assert app.get_case(case_id).compliance_declared is None


def test_a_parking_ticket_has_no_compliance_to_declare(
    app: PoliceApp, staff: Staff, objects: LocalObjectStore
) -> None:
    receipt = app.record_inspection(parking(), staff.parking_officer)
    assert receipt.case_id is not None
    [notice] = app.get_case(receipt.case_id).notices
    printed = PdfReader(io.BytesIO(objects.read(notice["key"]))).pages[0].extract_text()
    code = next(w for w in printed.split() if len(w) == 14 and w.count("-") == 2 and w[4] == "-")
    digest = code_digest(code)
    assert app.recipient_case(receipt.case_id, notice["number"], digest) is not None
    with pytest.raises(InvalidTransition):
        app.declare_compliance(receipt.case_id, notice["number"], digest, statement="Parti")
