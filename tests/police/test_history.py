"""A case can be read back as it stood at any earlier version or moment, and every event
survives the round trip through the store (transcodings for dates, amounts, ids)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from police import clock
from police.aggregates.permit import Permit
from police.app import PoliceApp
from police.commands import AssignCase, DismissCase, ScheduleFollowUp, ValidateCase
from police.errors import NotFound
from police.workflow import CaseStatus
from tests.police import builders
from tests.police.builders import Staff


def test_any_earlier_version_of_a_case_can_be_read(app: PoliceApp, staff: Staff) -> None:
    case_id = builders.opened_case(app, builders.hygiene(), staff.hygiene_officer)
    app.change_case(ValidateCase(case_id=case_id), staff.hygiene_chief)
    app.change_case(DismissCase(case_id=case_id, reason="Doublon"), staff.hygiene_chief)
    statuses = [app.get_case(case_id, version=v).status for v in (1, 2, 3)]
    assert statuses == [CaseStatus.OPENED, CaseStatus.VALIDATED, CaseStatus.DISMISSED]


def test_a_case_as_it_stood_at_a_moment(app: PoliceApp, staff: Staff) -> None:
    monday = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)
    with clock.frozen_at(monday):
        case_id = builders.opened_case(
            app, builders.hygiene(observed_at=monday), staff.hygiene_officer
        )
    with clock.frozen_at(monday + timedelta(days=1)):
        app.change_case(ValidateCase(case_id=case_id), staff.hygiene_chief)
    with clock.frozen_at(monday + timedelta(days=3)):
        app.change_case(
            AssignCase(case_id=case_id, officer_id=staff.hygiene_officer_2), staff.hygiene_chief
        )

    wednesday = app.case_as_of(case_id, monday + timedelta(days=2))
    assert wednesday.status == CaseStatus.VALIDATED
    assert wednesday.assignee_id is None
    assert app.case_as_of(case_id, monday).status == CaseStatus.OPENED
    assert (
        app.case_as_of(case_id, monday + timedelta(days=9)).assignee_id == staff.hygiene_officer_2
    )
    with pytest.raises(NotFound, match="n'existait pas encore"):
        app.case_as_of(case_id, monday - timedelta(seconds=1))


@pytest.mark.stores  # a fresh application reads the real store back
def test_a_long_case_is_read_through_snapshots_identically(
    store_env: dict[str, str], app: PoliceApp, staff: Staff
) -> None:
    case_id = builders.opened_case(app, builders.hygiene(), staff.hygiene_officer)
    app.change_case(ValidateCase(case_id=case_id), staff.hygiene_chief)
    for day in range(1, 120):
        app.change_case(
            ScheduleFollowUp(case_id=case_id, due_on=app.today() + timedelta(days=day)),
            staff.hygiene_chief,
        )
    assert app.snapshots is not None
    assert list(app.snapshots.get(case_id)), "a case past 50 events has snapshots"

    fresh = PoliceApp(env=store_env)  # nothing cached: read from snapshot + later events
    try:
        assert fresh.get_case(case_id) == app.get_case(case_id)
        follow_up = fresh.get_case(case_id, version=30).follow_up
        assert follow_up is not None
        assert follow_up["due_on"] == app.today() + timedelta(days=28)
    finally:
        fresh.close()


@pytest.mark.stores  # a fresh application reads the real store back
def test_every_value_type_survives_the_round_trip(
    store_env: dict[str, str], app: PoliceApp, staff: Staff
) -> None:
    number = app.grant_permit(
        staff.permits_clerk,
        builders.terrace(
            depth_m=Decimal("1.58"), valid_until=date(2030, 12, 31), fee=Decimal("1234.56")
        ),
    )
    receipt = app.record_inspection(
        builders.public_domain(
            permit_number=number,
            measurements={"occupied_surface_m2": Decimal("12.25")},
            evidence=(builders.evidence("p"),),
        ),
        staff.odp_officer,
    )
    parking = app.record_inspection(builders.parking(measures=("impound",)), staff.parking_officer)
    assert receipt.case_id is not None
    assert parking.case_id is not None
    fresh = PoliceApp(env=store_env)
    try:
        for aggregate_id in (
            receipt.inspection_id,
            receipt.case_id,
            parking.case_id,
            parking.inspection_id,
            staff.admin,
            Permit.create_id(number),
        ):
            assert fresh.repository.get(aggregate_id) == app.repository.get(aggregate_id)
        inspection = fresh.get_inspection(receipt.inspection_id)
        assert inspection.permit_check is not None
        assert inspection.permit_check["valid_until"] == date(2030, 12, 31)
        assert inspection.measurements == {"occupied_surface_m2": Decimal("12.25")}
        assert inspection.evidence[0]["captured_at"] == builders.evidence("p").captured_at
        ticket = fresh.get_case(parking.case_id).ticket
        assert ticket is not None
        assert ticket["payment_due"] == app.today() + timedelta(days=30)
    finally:
        fresh.close()
