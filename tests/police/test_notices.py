"""Legal notices: each kind rendered to a bilingual PDF whose text says the right number, amounts,
identifiers and legal bases; stored once with the hash the event records; numbered without gaps
or duplicates, even when issued at once."""

from __future__ import annotations

import hashlib
import io
import re
import subprocess
import threading
from datetime import datetime, timedelta
from uuid import UUID

import pytest
from pypdf import PdfReader

from police import clock
from police.app import IssuedNotice, PoliceApp
from police.app.notices import DEFAULT_COMPLIANCE_DAYS
from police.commands import AssignCase, EscalateCase, IssueNotice, RecordCompliance, ValidateCase
from police.errors import Conflict, InvalidTransition
from police.submission import Position
from police.workflow import NoticeKind
from storage.evidence import store_photo
from storage.local import LocalObjectStore
from tests.police.builders import CAFE_ICE, Staff, hygiene, notices_refused, parking
from tests.storage import photos
from web.photos import evidence_of

PUBLIC = "https://police.casablanca.ma"


@pytest.fixture
def store(objects: LocalObjectStore) -> LocalObjectStore:
    """Where the application stores what it issues."""
    return objects


def text_of(store: LocalObjectStore, issued: IssuedNotice) -> str:
    pdf = store.read(issued.key)
    assert pdf.startswith(b"%PDF")
    return subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


def validated_cafe(
    app: PoliceApp, staff: Staff, store: LocalObjectStore, **changes: object
) -> UUID:
    receipt = app.record_inspection(hygiene(**changes), staff.hygiene_officer)
    assert receipt.case_id
    app.change_case(ValidateCase(case_id=receipt.case_id), staff.hygiene_chief)
    return receipt.case_id


def test_a_parking_tickets_avis_is_issued_with_it_by_its_officer_under_its_number(
    app: PoliceApp, staff: Staff, store: LocalObjectStore
) -> None:
    receipt = app.record_inspection(parking(plate="48213-B-6"), staff.parking_officer)
    assert receipt.case_id is not None
    [notice] = app.get_case(receipt.case_id).notices
    assert notice["kind"] == NoticeKind.AVIS_CONTRAVENTION
    assert notice["number"] == receipt.ticket_number
    *_, issued_event = app.case_events(receipt.case_id)
    assert issued_event.actor_id == staff.parking_officer  # type: ignore[attr-defined]
    issued = IssuedNotice(notice["number"], notice["key"], notice["sha256"], 0)

    text = text_of(store, issued)
    assert issued.number in text
    assert "48213-B-6" in text
    assert "Immatriculation 48213-" in text  # the plate as registered, with its Arabic letter
    assert len(PdfReader(io.BytesIO(store.read(issued.key))).pages) == 1  # one sheet per ticket
    assert "plate_kind" not in text.lower()  # no raw field names on a legal document
    assert "300,00 MAD" in text
    assert "Arrêté" in text or "Loi" in text or "Décret" in text  # the legal basis as recorded
    assert f"{app.public_url}/verifier/{issued.number}" in text
    with pytest.raises(InvalidTransition, match="déjà émis"):  # the legal desk reprints it
        app.issue_notice(
            IssueNotice(case_id=receipt.case_id, kind=NoticeKind.AVIS_CONTRAVENTION),
            staff.legal,
            public_url=PUBLIC,
        )


def test_a_ticket_whose_avis_cannot_be_stored_stands_and_the_avis_follows_later(
    app: PoliceApp, staff: Staff, store: LocalObjectStore
) -> None:
    """The store takes the photo but not the notice: the ticket is on record all the same,
    without its avis, and issuing it later, as the day's batch does, gives it the ticket's
    number."""
    with notices_refused(store):
        receipt = app.record_inspection(parking(plate="48213-B-6"), staff.parking_officer)
    assert receipt.case_id is not None
    assert app.get_case(receipt.case_id).notices == []
    issued = app.issue_notice(
        IssueNotice(case_id=receipt.case_id, kind=NoticeKind.AVIS_CONTRAVENTION),
        staff.legal,
        public_url=PUBLIC,
    )
    assert issued.number == receipt.ticket_number


def test_the_preview_of_a_formal_notice_shows_the_default_deadline(
    app: PoliceApp, staff: Staff, store: LocalObjectStore
) -> None:
    case_id = validated_cafe(app, staff, store)
    html = app.preview_notice(case_id, staff.legal, "mise_en_demeure", public_url=PUBLIC)
    default = app.today() + timedelta(days=DEFAULT_COMPLIANCE_DAYS)
    assert f"au plus tard le {default.strftime('%d/%m/%Y')}" in html


def test_formal_notice_sets_the_deadline_and_says_it_in_both_languages(
    app: PoliceApp, staff: Staff, store: LocalObjectStore
) -> None:
    case_id = validated_cafe(app, staff, store)
    issued = app.issue_notice(
        IssueNotice(case_id=case_id, kind=NoticeKind.MISE_EN_DEMEURE),
        staff.legal,
        public_url=PUBLIC,
    )

    case = app.get_case(case_id)
    assert case.status == "notified"
    notice = case.notice(issued.number)
    assert notice is not None
    assert issued.number.startswith(f"MD-{app.today().year}-")
    assert notice["sha256"] == hashlib.sha256(store.read(issued.key)).hexdigest() == issued.sha256
    text = text_of(store, issued)
    assert CAFE_ICE in text
    assert "Café Atlas" in text
    assert notice["deadline"].strftime("%d/%m/%Y") in text
    assert "إنذار" in text  # Arabic title, extracted in logical order
    assert "جماعة الدار البيضاء" in text
    for finding in case.findings:
        assert finding["code"] in text


def test_report_carries_the_photos_and_the_officer(
    app: PoliceApp, staff: Staff, store: LocalObjectStore
) -> None:
    photo = evidence_of(store_photo(store, io.BytesIO(photos.jpeg_with_exif())))
    case_id = validated_cafe(app, staff, store, evidence=(photo,))
    issued = app.issue_notice(
        IssueNotice(case_id=case_id, kind=NoticeKind.PROCES_VERBAL), staff.legal, public_url=PUBLIC
    )

    text = text_of(store, issued)
    assert "Procès-verbal de constatation" in text
    assert "Agent Hygiene" in text
    assert "Sols et plans de travail sales" in text
    assert "médical d'aptitude (× 2)" in " ".join(text.split())  # a count, not "2.00"
    images = subprocess.run(
        ["pdfimages", "-list", "-"], input=store.read(issued.key), capture_output=True
    )
    if images.returncode == 0:
        assert len(images.stdout.decode().splitlines()) >= 3  # header lines + the photo


def test_the_report_of_a_late_entry_gives_both_times_and_the_reason(
    app: PoliceApp, staff: Staff, store: LocalObjectStore
) -> None:
    seen = datetime(2026, 11, 20, 9, 15, tzinfo=app.territory.timezone)
    with clock.frozen_at(datetime(2026, 11, 24, 17, 40, tzinfo=app.territory.timezone)):
        case_id = validated_cafe(
            app, staff, store, observed_at=seen, late_reason="Terminal en panne, carnet n° 12"
        )
    issued = app.issue_notice(
        IssueNotice(case_id=case_id, kind=NoticeKind.PROCES_VERBAL), staff.legal, public_url=PUBLIC
    )

    text = " ".join(text_of(store, issued).split())
    assert "avons procédé le 20/11/2026 à 09:15" in text
    assert (
        "Constat reçu par le serveur le 24/11/2026 à 17:40. "
        "Saisie tardive : Terminal en panne, carnet n° 12"
    ) in text
    assert "Points à vérifier" in text
    assert "Saisie après le délai hors ligne : Terminal en panne, carnet n° 12" in text


def test_the_report_gives_the_phone_s_positions_and_clock_and_flags_it(
    app: PoliceApp, staff: Staff, store: LocalObjectStore
) -> None:
    seen = datetime(2026, 11, 24, 17, 30, tzinfo=app.territory.timezone)
    with clock.frozen_at(datetime(2026, 11, 24, 17, 40, tzinfo=app.territory.timezone)):
        case_id = validated_cafe(
            app,
            staff,
            store,
            observed_at=seen,
            opened_position=Position(33.58631, -7.63305, 14),
            sent_at=datetime(2026, 11, 24, 17, 31, 5, tzinfo=app.territory.timezone),
        )
    issued = app.issue_notice(
        IssueNotice(case_id=case_id, kind=NoticeKind.PROCES_VERBAL), staff.legal, public_url=PUBLIC
    )

    text = " ".join(text_of(store, issued).split())
    assert "Heure du téléphone à l'envoi" in text
    assert "24/11/2026 17:31:05" in text
    assert "33.58610, -7.63290 (± 8 m)" in text  # at sending: the builder's 112 bd Zerktouni
    assert "33.58631, -7.63305 (± 14 m)" in text  # when the form opened
    assert "Horloge du téléphone à -8 min du serveur à l'envoi." in text


def test_closure_order_and_compliance_certificate_follow_the_case(
    app: PoliceApp, staff: Staff, store: LocalObjectStore
) -> None:
    escalated = validated_cafe(app, staff, store)
    app.change_case(
        EscalateCase(case_id=escalated, reason="Aucune régularisation"), staff.hygiene_chief
    )
    closure = app.issue_notice(
        IssueNotice(case_id=escalated, kind=NoticeKind.ORDRE_FERMETURE),
        staff.legal,
        public_url=PUBLIC,
    )
    assert "Ordre de fermeture" in text_of(store, closure)
    assert "أمر بالإغلاق" in text_of(store, closure)

    resolved = validated_cafe(
        app,
        staff,
        store,
        subject=hygiene().subject.__class__(
            kind="establishment", trade_name="Snack Nour", ice="009988776000055"
        ),
    )
    app.change_case(RecordCompliance(case_id=resolved, note="Travaux faits"), staff.hygiene_chief)
    certificate = app.issue_notice(
        IssueNotice(case_id=resolved, kind=NoticeKind.ATTESTATION_REGULARISATION),
        staff.legal,
        public_url=PUBLIC,
    )
    assert "Snack Nour" in text_of(store, certificate)
    with pytest.raises(InvalidTransition, match="déjà émis"):
        app.issue_notice(
            IssueNotice(case_id=resolved, kind=NoticeKind.ATTESTATION_REGULARISATION),
            staff.legal,
            public_url=PUBLIC,
        )


def test_a_reissue_says_which_notice_it_replaces(
    app: PoliceApp, staff: Staff, store: LocalObjectStore
) -> None:
    case_id = validated_cafe(app, staff, store)
    first = app.issue_notice(
        IssueNotice(case_id=case_id, kind=NoticeKind.MISE_EN_DEMEURE),
        staff.legal,
        public_url=PUBLIC,
    )
    second = app.issue_notice(
        IssueNotice(case_id=case_id, kind=NoticeKind.MISE_EN_DEMEURE, replaces=first.number),
        staff.legal,
        public_url=PUBLIC,
    )
    assert second.number != first.number
    assert first.number in text_of(store, second)
    replaced = app.get_case(case_id).notice(first.number)
    assert replaced is not None
    assert replaced["replaced_by"] == second.number


def test_a_reissued_ticket_avis_takes_the_next_number_of_its_series(
    app: PoliceApp, staff: Staff, store: LocalObjectStore
) -> None:
    """The ticket's own number went to the avis issued with it; a reissue is a new avis."""
    first = app.record_inspection(parking(plate="48213-B-6"), staff.parking_officer)
    second = app.record_inspection(parking(plate="2211-B-1"), staff.parking_officer)
    assert first.case_id is not None
    assert first.ticket_number is not None
    assert (first.ticket_number, second.ticket_number) == (
        f"AC-{app.today().year}-000001",
        f"AC-{app.today().year}-000002",
    )
    reissue = app.issue_notice(
        IssueNotice(
            case_id=first.case_id,
            kind=NoticeKind.AVIS_CONTRAVENTION,
            replaces=first.ticket_number,
        ),
        staff.legal,
        public_url=PUBLIC,
    )
    assert reissue.number == f"AC-{app.today().year}-000003"
    replaced = app.get_case(first.case_id).notice(first.ticket_number)
    assert replaced is not None
    assert replaced["replaced_by"] == reissue.number


@pytest.mark.stores  # saves collide in the real store
def test_a_notice_issued_from_a_stale_page_is_refused_and_takes_no_number(
    app: PoliceApp, staff: Staff, store: LocalObjectStore
) -> None:
    case_id = validated_cafe(app, staff, store)
    read_at = app.get_case(case_id).version
    app.change_case(
        AssignCase(case_id=case_id, officer_id=staff.hygiene_officer_2, expected_version=read_at),
        staff.hygiene_chief,
    )
    with pytest.raises(Conflict) as stale:
        app.issue_notice(
            IssueNotice(case_id=case_id, kind=NoticeKind.PROCES_VERBAL, expected_version=read_at),
            staff.legal,
            public_url=PUBLIC,
        )
    assert "a été modifié depuis votre lecture" in stale.value.message
    assert app.get_case(case_id).notices == []
    current = app.get_case(case_id).version
    issued = app.issue_notice(
        IssueNotice(case_id=case_id, kind=NoticeKind.PROCES_VERBAL, expected_version=current),
        staff.legal,
        public_url=PUBLIC,
    )
    assert issued.number.endswith("-000001")  # the refused attempt took no number


def test_concurrent_issuing_gives_distinct_consecutive_numbers(
    app: PoliceApp, staff: Staff, store: LocalObjectStore
) -> None:
    cases = [
        validated_cafe(
            app,
            staff,
            store,
            subject=hygiene().subject.__class__(
                kind="establishment", trade_name=f"Commerce {n}", ice=f"{n + 1:013d}89"
            ),
        )
        for n in range(6)
    ]
    issued: list[str] = []
    errors: list[BaseException] = []

    def issue(case_id: UUID) -> None:
        try:
            issued.append(
                app.issue_notice(
                    IssueNotice(case_id=case_id, kind=NoticeKind.PROCES_VERBAL),
                    staff.legal,
                    public_url=PUBLIC,
                ).number
            )
        except BaseException as e:
            errors.append(e)

    threads = [threading.Thread(target=issue, args=(c,)) for c in cases]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    year = app.today().year
    assert sorted(issued) == [f"PV-{year}-{n:06d}" for n in range(1, 7)]


def test_the_preview_escapes_what_users_typed(
    app: PoliceApp, staff: Staff, store: LocalObjectStore
) -> None:
    case_id = validated_cafe(app, staff, store, observations="<script>alert(1)</script>")
    html = app.preview_notice(case_id, staff.legal, "proces_verbal", public_url=PUBLIC)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _case_for(app: PoliceApp, staff: Staff, store: LocalObjectStore, kind: NoticeKind) -> UUID:
    """A case in a state where a notice of ``kind`` may be issued."""
    if kind is NoticeKind.AVIS_CONTRAVENTION:
        receipt = app.record_inspection(parking(plate="48213-B-6"), staff.parking_officer)
        assert receipt.case_id
        return receipt.case_id
    case_id = validated_cafe(app, staff, store)
    if kind is NoticeKind.ORDRE_FERMETURE:
        app.change_case(EscalateCase(case_id=case_id, reason="Refus"), staff.hygiene_chief)
    if kind is NoticeKind.ATTESTATION_REGULARISATION:
        app.change_case(RecordCompliance(case_id=case_id, note="Fait"), staff.hygiene_chief)
    return case_id


@pytest.mark.parametrize("kind", list(NoticeKind))
def test_every_notice_is_archival_pdf_a_and_reads_in_order_in_both_languages(
    app: PoliceApp, staff: Staff, store: LocalObjectStore, kind: NoticeKind
) -> None:
    case_id = _case_for(app, staff, store, kind)
    if kind is NoticeKind.AVIS_CONTRAVENTION:  # issued with the ticket
        [n] = app.get_case(case_id).notices
        issued = IssuedNotice(n["number"], n["key"], n["sha256"], 0)
    else:
        command = IssueNotice(case_id=case_id, kind=kind)
        issued = app.issue_notice(command, staff.legal, public_url=PUBLIC)
    # Mixed lines: the Arabic label stays between the French one and what follows it.
    lines = [
        " ".join(BIDI_CONTROLS.sub("", line).split())
        for line in text_of(store, issued).splitlines()
    ]
    assert "N° / الرقم" in lines
    assert "Dossier / الملف" in lines
    assert any(
        re.fullmatch(r"Vérifier ce document / التحقق من هذه الوثيقة ?:", line) for line in lines
    )
    [amount] = [line for line in lines if line.startswith("Montant")]  # every case here owes
    assert re.fullmatch(r"Montant / المبلغ ?: ?\d[\d\u202f ]*,\d\d MAD", amount), amount

    pdf = PdfReader(io.BytesIO(store.read(issued.key)))
    xmp = pdf.xmp_metadata
    assert xmp is not None
    assert (xmp.pdfaid_part, xmp.pdfaid_conformance) == ("3", "B")  # PDF/A-3b, as declared
    catalog = pdf.root_object
    assert str(catalog["/Lang"]) == "fr"
    assert "/OutputIntents" in catalog
    assert pdf.metadata is not None
    assert pdf.metadata.title == f"{NOTICE_TITLES[kind]} {issued.number}"
    fonts = (
        subprocess.run(
            ["pdffonts", "-"], input=store.read(issued.key), capture_output=True, check=True
        )
        .stdout.decode()
        .splitlines()[2:]
    )
    assert fonts
    assert all(" yes " in f for f in fonts)  # every font embedded


NOTICE_TITLES = {
    NoticeKind.AVIS_CONTRAVENTION: "Avis de contravention",
    NoticeKind.MISE_EN_DEMEURE: "Mise en demeure",
    NoticeKind.PROCES_VERBAL: "Procès-verbal de constatation",
    NoticeKind.ORDRE_FERMETURE: "Ordre de fermeture",
    NoticeKind.ATTESTATION_REGULARISATION: "Attestation de régularisation",
}
