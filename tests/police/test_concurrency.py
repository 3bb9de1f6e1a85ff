"""Concurrent commands never lose an event and a replayed submission never records twice.

Several application instances on one store stand in for several web processes: they share no
in-process lock, so only the event store's optimistic check keeps them from losing events.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from functools import partial
from typing import TypeVar

import pytest

from police.aggregates.case import Case
from police.app import InspectionReceipt, PoliceApp
from police.commands import ScheduleFollowUp, ValidateCase
from police.errors import InvalidInput
from police.identifiers import SubjectInput
from tests.police import builders
from tests.police.builders import Staff, event_count

pytestmark = pytest.mark.stores  # what the real stores do is what is under test

T = TypeVar("T")


@pytest.fixture
def apps(store_env: dict[str, str], app: PoliceApp) -> Iterator[list[PoliceApp]]:
    """The fixture's app plus three more instances on the same store."""
    others = [PoliceApp(env=store_env) for _ in range(3)]
    yield [app, *others]
    for other in others:
        other.close()


def serial(number: str | None) -> int:
    """The serial of a number such as AC-2026-000007 (7)."""
    assert number is not None
    return int(number.rsplit("-", 1)[1])


def all_at_once(calls: list[Callable[[], T]]) -> list[T]:
    """Runs the calls in as many threads, released together by a barrier."""
    barrier = threading.Barrier(len(calls))

    def run(call: Callable[[], T]) -> T:
        barrier.wait()
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


@pytest.mark.parametrize("instances", [1, 2])
def test_two_simultaneous_submissions_of_one_form_record_one_inspection(
    apps: list[PoliceApp], staff: Staff, instances: int
) -> None:
    submission = builders.hygiene(evidence=(builders.evidence("photo"),))
    before = event_count(apps[0])
    receipts: list[InspectionReceipt] = all_at_once(
        [
            partial(apps[i % instances].record_inspection, submission, staff.hygiene_officer)
            for i in range(2)
        ]
    )
    assert {r.inspection_id for r in receipts} == {submission.submission_id}
    assert {r.case_reference for r in receipts} == {receipts[0].case_reference}
    assert sorted(r.duplicate for r in receipts) == [False, True]
    # Recorded + EvidenceAttached, Opened, Registered + CaseLinked, counter Started + Allocated:
    # the events of one recording, once.
    assert event_count(apps[0]) - before == 7


def test_thirty_two_commands_on_one_case_at_once_record_thirty_two_events(
    apps: list[PoliceApp], staff: Staff
) -> None:
    case_id = builders.opened_case(apps[0], builders.hygiene(), staff.hygiene_officer)
    apps[0].change_case(ValidateCase(case_id=case_id), staff.hygiene_chief)
    version = apps[0].get_case(case_id).version
    due_dates = [apps[0].today() + timedelta(days=d) for d in range(1, 33)]

    all_at_once(
        [
            partial(
                apps[i % 4].change_case,
                ScheduleFollowUp(case_id=case_id, due_on=due_dates[i]),
                staff.hygiene_chief,
            )
            for i in range(32)
        ]
    )

    events = apps[0].case_events(case_id)
    assert len(events) == version + 32
    scheduled = [e.due_on for e in events if isinstance(e, Case.FollowUpScheduled)]
    assert sorted(scheduled) == due_dates


def test_thirty_two_follow_up_inspections_feeding_one_case_at_once_are_all_kept(
    apps: list[PoliceApp], staff: Staff
) -> None:
    case_id = builders.opened_case(apps[0], builders.hygiene(), staff.hygiene_officer)
    submissions = [builders.hygiene(findings=(), follow_up_case_id=case_id) for _ in range(32)]
    officers = [staff.hygiene_officer, staff.hygiene_officer_2]

    receipts = all_at_once(
        [partial(apps[i % 4].record_inspection, submissions[i], officers[i % 2]) for i in range(32)]
    )

    assert {r.case_id for r in receipts} == {case_id}
    case = apps[0].get_case(case_id)
    assert case.inspection_ids[1:] == [
        e.inspection_id for e in apps[0].case_events(case_id) if isinstance(e, Case.InspectionAdded)
    ]
    assert sorted(map(str, case.inspection_ids[1:])) == sorted(
        str(s.submission_id) for s in submissions
    )


def test_cases_opened_at_once_get_distinct_consecutive_references(
    apps: list[PoliceApp], staff: Staff
) -> None:
    plates = [f"{1000 + i}-B-6" for i in range(16)]
    receipts = all_at_once(
        [
            partial(
                apps[i % 4].record_inspection,
                builders.parking(plate=plates[i]),
                staff.parking_officer,
            )
            for i in range(16)
        ]
    )
    numbers = sorted(serial(r.ticket_number) for r in receipts)
    assert numbers == list(range(1, 17))
    references = sorted(serial(r.case_reference) for r in receipts)
    assert references == list(range(1, 17))


def test_permits_granted_at_once_in_several_processes_take_every_number_once(
    apps: list[PoliceApp], staff: Staff
) -> None:
    """Four web processes granting at once: numbers gap-free per kind, none given twice; the
    same billboard structure claimed by two of them stands under one permit only."""
    holders = [
        SubjectInput(kind="establishment", trade_name=f"Café {n}", ice=ice)
        for n, ice in enumerate(["001234567000089", "002233445000067", "004455667000011"])
    ]
    terraces: list[Callable[[], str]] = [
        partial(app.grant_permit, staff.permits_clerk, builders.terrace(holder=holder))
        for app, holder in zip(apps, holders, strict=False)
    ]
    numbers = all_at_once(terraces)
    year = apps[0].today().year
    assert sorted(numbers) == [f"AOT-TER-{year}-00000{n}" for n in (1, 2, 3)]

    def claim(app: PoliceApp, company: str, ice: str) -> str:
        holder = SubjectInput(kind="establishment", trade_name=company, ice=ice)
        try:
            return app.grant_permit(
                staff.permits_clerk, builders.billboard("CAS-PUB-0099", holder=holder)
            )
        except InvalidInput as refused:
            return str(refused)

    outcomes: list[str] = all_at_once(
        [
            partial(claim, apps[0], "Atlas", "003344556000078"),
            partial(claim, apps[1], "Sahara", "005566778000099"),
        ]
    )
    granted = [o for o in outcomes if o.startswith("AOT-PUB-")]
    assert granted == [f"AOT-PUB-{year}-000001"]
    [refusal] = [o for o in outcomes if o not in granted]
    assert "CAS-PUB-0099 est déjà sous l'autorisation" in refusal
