"""References on the record: each series starts once a year and gives each number to one case
or notice; a notice takes a number from its own series, and a refused one takes none and
leaves no PDF behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from police.aggregates.counter import ReferenceCounter, counter_id
from police.app import PoliceApp
from police.commands import IssueNotice
from police.errors import InvalidTransition
from police.submission import Location
from police.workflow import NoticeKind
from storage.local import LocalObjectStore
from tests.police.builders import Staff, hygiene, opened_case, parking

PUBLIC = "https://police.casablanca.ma"


@pytest.fixture
def store(tmp_path: Path) -> LocalObjectStore:
    return LocalObjectStore(tmp_path / "objects")


def test_a_series_is_started_then_gives_each_number_to_one_case(
    app: PoliceApp, staff: Staff
) -> None:
    first = opened_case(app, hygiene(), staff.hygiene_officer)
    second = opened_case(
        app,
        hygiene(location=Location(arrondissement="anfa", address="7 rue de Fès")),
        staff.hygiene_officer,
    )
    year = app.today().year
    events = list(app.events.get(counter_id("HYG", year)))
    assert [type(e).__name__ for e in events] == ["Started", "Allocated", "Allocated"]
    allocated = [e for e in events if isinstance(e, ReferenceCounter.Allocated)]
    assert [(e.number, e.for_id) for e in allocated] == [(1, first), (2, second)]
    assert app.get_case(second).reference == f"HYG-{year}-000002"


def test_a_report_on_a_ticket_takes_a_number_of_its_own_series(
    app: PoliceApp, staff: Staff, store: LocalObjectStore
) -> None:
    receipt = app.record_inspection(parking(), staff.parking_officer)
    assert receipt.case_id is not None
    issued = app.issue_notice(
        IssueNotice(case_id=receipt.case_id, kind=NoticeKind.PROCES_VERBAL),
        staff.legal,
        public_url=PUBLIC,
    )
    assert issued.number == f"PV-{app.today().year}-000001"
    assert issued.number != receipt.ticket_number


def test_a_refused_notice_takes_no_number_and_stores_no_pdf(
    app: PoliceApp, staff: Staff, store: LocalObjectStore
) -> None:
    case_id = opened_case(app, hygiene(), staff.hygiene_officer)
    with pytest.raises(InvalidTransition, match="impossible de émettre un avis"):
        app.issue_notice(
            IssueNotice(case_id=case_id, kind=NoticeKind.ATTESTATION_REGULARISATION),
            staff.legal,
            public_url=PUBLIC,
        )
    assert list(store.list_keys("notices")) == []
    assert list(app.events.get(counter_id("AR", app.today().year))) == []
