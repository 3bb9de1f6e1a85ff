"""The legal desk: validated cases awaiting a notice, and a day's parking tickets issued as avis de
contravention in one batch (progress polled like the page does), then printed as one PDF made of
the very PDFs stored."""

from __future__ import annotations

import io
import subprocess
import threading
import time
from collections.abc import Callable
from datetime import date
from uuid import UUID

import pytest
from pypdf import PdfReader
from starlette.testclient import TestClient

from police.app import PoliceApp
from police.commands import ValidateCase
from police.errors import DomainError, InvalidTransition
from police.identifiers import SubjectInput
from storage import StoreUnavailable
from storage.local import LocalObjectStore
from tests.police import builders
from tests.police.builders import Staff, event_count, notices_refused
from tests.web.conftest import log_in, services_of
from web.ticket_batches import TicketBatch, TicketBatches

PLATES = ("12345-A-6", "2211-B-1", "78-D-40")


def street_tickets(police: PoliceApp, staff: Staff) -> list[UUID]:
    cases = []
    for plate in PLATES:
        receipt = police.record_inspection(builders.parking(plate), staff.parking_officer)
        assert receipt.case_id
        assert receipt.ticket_number
        cases.append(receipt.case_id)
    return cases


def wait_until_issued(client: TestClient, day: str, timeout: float = 60) -> str:
    """Polls the progress fragment, as htmx does every second, until nothing is left to issue."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        fragment = client.get(f"/legal/tickets/{day}?started=1").text
        if "hx-trigger" not in fragment:
            return fragment
        assert "<progress" in fragment
        time.sleep(0.2)
    raise AssertionError("the batch did not finish")


def test_a_days_tickets_missing_their_avis_are_issued_in_one_batch_and_printed_as_one_pdf(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    """Each ticket's avis is issued with it in the street; none of three could be stored then
    (the store refused notices) and one was issued when its officer's phone tried again. The
    desk's batch issues the other two, and prints the day's three."""
    with notices_refused(police.objects):
        cases = street_tickets(police, staff)
    police.issue_ticket(cases[0], staff.parking_officer)  # its officer's phone tried again
    token = log_in(client, "juriste")
    day = police.today().isoformat()

    desk = client.get(f"/legal?day={day}")
    assert desk.status_code == 200
    assert "3 contraventions ce jour-là" in desk.text
    assert "Émettre les 2 avis de contravention" in desk.text

    started = client.post(f"/legal/tickets/{day}", data={"csrf_token": token})
    assert started.status_code == 303
    assert started.headers["location"].startswith(f"/legal?day={day}&started=1")
    done = wait_until_issued(client, day)
    assert 'value="3"' in done
    assert "Imprimer les 3 avis émis" in done

    numbers = []
    for case_id in cases:
        [notice] = police.get_case(case_id).notices
        assert notice["kind"] == "avis_contravention"
        ticket = police.get_case(case_id).ticket
        assert ticket is not None
        assert notice["number"] == ticket["number"]
        numbers.append(notice["number"])

    before = event_count(police)
    client.post(f"/legal/tickets/{day}", data={"csrf_token": token})  # nothing left to issue
    wait_until_issued(client, day)
    assert event_count(police) == before

    printed = client.get(f"/legal/tickets/{day}.pdf")
    assert printed.status_code == 200
    assert printed.headers["content-type"] == "application/pdf"
    store = services_of(client).store
    stored = [store.read(police.get_case(c).notices[0]["key"]) for c in cases]
    pages = sum(len(PdfReader(io.BytesIO(pdf)).pages) for pdf in stored)
    assert len(PdfReader(io.BytesIO(printed.content)).pages) == pages
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=printed.content, capture_output=True, check=True
    ).stdout.decode()
    for number in numbers:
        assert number in text
    views = police.views_by(staff.legal, police.today())
    assert {(what, detail) for what, _, detail in views} >= {("notice", n) for n in numbers}


def test_the_desk_lists_validated_cases_awaiting_a_notice_oldest_first(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    older, newer, not_yet = (
        police.record_inspection(
            builders.hygiene(subject=SubjectInput(kind="establishment", trade_name=name, ice=ice)),
            staff.hygiene_officer,
        ).case_id
        for name, ice in (
            ("Café Atlas", "001234567000089"),
            ("Snack Zahra", "001525278000099"),
            ("Café Nour", "001525278000083"),
        )
    )
    assert older
    assert newer
    assert not_yet
    for case_id in (newer, older):
        police.change_case(ValidateCase(case_id=case_id), staff.hygiene_chief)
    log_in(client, "juriste")
    assert client.get("/").headers["location"] == "/legal"
    desk = client.get("/legal").text
    assert "2 dossiers" in desk
    assert desk.index(str(older)) < desk.index(str(newer))
    assert str(not_yet) not in desk  # still awaiting the supervisor's review


def test_the_desk_is_the_legal_staffs_and_keeps_to_their_brigades(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    street_tickets(police, staff)
    builders.hire(police, "juriste.hygiene", ["legal"], ["hygiene"])
    day = police.today().isoformat()
    token = log_in(client, "chef.stationnement")
    assert client.get("/legal").status_code == 403
    assert client.post(f"/legal/tickets/{day}", data={"csrf_token": token}).status_code == 403

    client.cookies.clear()
    token = log_in(client, "juriste.hygiene")
    assert "Aucune contravention de stationnement" in client.get(f"/legal?day={day}").text
    before = event_count(police)
    client.post(f"/legal/tickets/{day}", data={"csrf_token": token})
    assert event_count(police) == before
    assert client.get(f"/legal/tickets/{day}.pdf").status_code == 404


@pytest.mark.parametrize("day", ["2026-13-01", "hier", "2026-02-30"])
def test_a_malformed_day_is_refused_with_a_clear_message(
    client: TestClient, police: PoliceApp, staff: Staff, day: str
) -> None:
    token = log_in(client, "juriste")
    before = event_count(police)
    for response in (
        client.get(f"/legal?day={day}"),
        client.get(f"/legal/tickets/{day}"),
        client.get(f"/legal/tickets/{day}.pdf"),
        client.post(f"/legal/tickets/{day}", data={"csrf_token": token}),
    ):
        assert response.status_code == 400
        assert "Date invalide" in response.text
    assert event_count(police) == before


def test_printing_refuses_a_stored_notice_that_no_longer_matches_its_hash(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    [case_id, *_] = street_tickets(police, staff)  # each with its avis
    log_in(client, "juriste")
    store = services_of(client).store
    assert isinstance(store, LocalObjectStore)
    path = store.root / police.get_case(case_id).notices[0]["key"]
    path.chmod(0o644)
    path.write_bytes(path.read_bytes() + b"%tampered")
    response = client.get(f"/legal/tickets/{police.today().isoformat()}.pdf")
    assert response.status_code == 409
    assert "ne correspond plus à son empreinte" in response.text


DAY = date(2026, 11, 22)


def run_batch(issue: Callable[[UUID], object], cases: int = 4) -> TicketBatch:
    batch = TicketBatches().start(
        DAY, ("parking",), [(UUID(int=i), f"T-{i}") for i in range(cases)], issue
    )
    deadline = time.monotonic() + 10
    while batch.running and time.monotonic() < deadline:
        time.sleep(0.01)
    return batch


def test_a_batch_skips_avis_issued_meanwhile_and_reports_refusals() -> None:
    def issue(case_id: UUID) -> None:
        if case_id.int == 1:
            raise InvalidTransition("Cet avis est déjà émis.")
        if case_id.int == 2:
            raise DomainError("Dossier introuvable.")

    batch = run_batch(issue)
    assert batch.done == 4
    assert [(ref, e.message) for ref, e in batch.failures] == [("T-2", "Dossier introuvable.")]


def test_a_batch_stops_when_the_store_is_down_and_says_so() -> None:
    def issue(case_id: UUID) -> None:
        if case_id.int == 1:
            raise StoreUnavailable("connection refused")

    batch = run_batch(issue)
    assert batch.done == 1
    [(reference, error)] = batch.failures
    assert reference == "T-1"
    assert "stockage ne répond pas" in error.message


def test_a_second_start_while_running_joins_the_running_batch() -> None:
    batches, release = TicketBatches(), threading.Event()
    batch = batches.start(DAY, ("parking",), [(UUID(int=1), "T-1")], lambda _: release.wait(5))
    assert batches.start(DAY, ("parking",), [(UUID(int=1), "T-1")], lambda _: None) is batch
    release.set()
