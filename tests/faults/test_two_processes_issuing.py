"""Two web processes issuing notices at the same moment, on one event store: numbers stay
distinct and consecutive (no gap, no duplicate), a ticket gets one avis only (the other process
is told why), and every recorded notice points at stored bytes with the recorded hash."""

from __future__ import annotations

import hashlib
import multiprocessing
import time
from pathlib import Path
from uuid import UUID

import pytest

from police.app import PoliceApp
from police.commands import IssueNotice, ValidateCase
from police.errors import DomainError
from police.identifiers import SubjectInput
from police.workflow import NoticeKind
from projections.runner import Projector
from storage.local import LocalObjectStore
from tests.police.builders import Staff, hygiene, parking, staff_of

PUBLIC = "https://police.casablanca.ma"
pytestmark = pytest.mark.slow


def issue_in_a_process(
    env: dict[str, str],
    objects: str,
    legal: UUID,
    work: list[tuple[UUID, NoticeKind]],
    start: float,
) -> list[str]:
    """Runs in its own process, as a second web worker would: its own application, its own
    connections, no lock shared with the other process."""
    store = LocalObjectStore(Path(objects))
    app = PoliceApp(env=env, objects=store)
    time.sleep(max(0.0, start - time.time()))
    outcomes = []
    for case_id, kind in work:
        try:
            outcomes.append(
                app.issue_notice(
                    IssueNotice(case_id=case_id, kind=kind), legal, public_url=PUBLIC
                ).number
            )
        except DomainError as refused:
            outcomes.append(f"refused: {refused}")
    app.close()
    return outcomes


def test_two_processes_issuing_at_once_lose_nothing_and_duplicate_nothing(
    store_env: dict[str, str], tmp_path: Path
) -> None:
    app = PoliceApp(env=store_env)
    staff: Staff = staff_of(app)
    cafes = []
    for n in range(8):
        subject = SubjectInput(
            kind="establishment", trade_name=f"Commerce {n}", ice=f"{n + 1:013d}89"
        )
        receipt = app.record_inspection(hygiene(subject=subject), staff.hygiene_officer)
        assert receipt.case_id
        app.change_case(ValidateCase(case_id=receipt.case_id), staff.hygiene_chief)
        cafes.append(receipt.case_id)
    tickets = [
        app.record_inspection(parking(plate), staff.parking_officer)
        for plate in ("12345-A-6", "2211-B-1", "78-D-40")
    ]
    both = [(t.case_id, NoticeKind.AVIS_CONTRAVENTION) for t in tickets]  # the same tickets, twice
    work = [
        [(c, NoticeKind.PROCES_VERBAL) for c in cafes[:4]] + both,
        [(c, NoticeKind.PROCES_VERBAL) for c in cafes[4:]] + both,
    ]
    objects = tmp_path / "objects"
    start = time.time() + 2.0
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        results = pool.starmap(
            issue_in_a_process, [(store_env, str(objects), staff.legal, w, start) for w in work]
        )

    year = app.today().year
    numbers = sorted(n for r in results for n in r if n.startswith("PV-"))
    assert numbers == [f"PV-{year}-{i:06d}" for i in range(1, 9)]
    refusals = [n for r in results for n in r if n.startswith("refused")]
    assert len(refusals) == 3
    assert all("déjà émis" in r for r in refusals)
    store = LocalObjectStore(objects)
    for case_id in cafes + [t.case_id for t in tickets]:
        assert case_id
        [notice] = app.get_case(case_id).notices
        assert hashlib.sha256(store.read(notice["key"])).hexdigest() == notice["sha256"]
    for ticket in tickets:
        assert ticket.case_id
        assert app.get_case(ticket.case_id).notices[0]["number"] == ticket.ticket_number
    app.close()


def start_a_worker(env: dict[str, str], start: float) -> int:
    """What each web worker does first: open the application and the read models."""
    time.sleep(max(0.0, start - time.time()))
    app = PoliceApp(env=env)
    projector = Projector(env)
    head = projector.head()
    projector.close()
    app.close()
    return head


def test_workers_starting_together_on_an_empty_database_all_start(
    store_env: dict[str, str],
) -> None:
    """Four processes create the same tables at once: PostgreSQL's catalogue races ("tuple
    concurrently updated") must not stop any of them."""
    start = time.time() + 2.0
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        heads = pool.starmap(start_a_worker, [(store_env, start)] * 4)
    assert heads == [0, 0, 0, 0]
