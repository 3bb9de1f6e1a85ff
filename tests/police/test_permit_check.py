"""A public-domain inspection checked against the registry: the permit picked nearby, a
billboard's structure identifier, or no permit found, and the findings the comparison proves
(recorded as derived, from the catalogue of the day)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from police.app import PoliceApp
from police.errors import InvalidInput
from police.submission import Finding
from tests.police import builders
from tests.police.builders import Staff, event_count


def inspect(app: PoliceApp, staff: Staff, **changes: Any) -> list[tuple[str, Decimal | None]]:
    receipt = app.record_inspection(builders.public_domain(**changes), staff.odp_officer)
    inspection = app.get_inspection(receipt.inspection_id)
    assert all(f["derived"] for f in inspection.findings if f["code"] != "ODP-10")
    return [(f["code"], f["quantity"]) for f in inspection.findings]


def surface(m2: str, path: str | None = None) -> dict[str, Decimal]:
    measured = {"occupied_surface_m2": Decimal(m2)}
    return measured | ({"walking_path_m": Decimal(path)} if path else {})


def test_a_terrace_beyond_its_permit_gets_the_excess_fined_per_square_metre(
    app: PoliceApp, staff: Staff
) -> None:
    number = app.grant_permit(staff.permits_clerk, builders.terrace())
    receipt = app.record_inspection(
        builders.public_domain(permit_number=number, measurements=surface("18.5")),
        staff.odp_officer,
    )
    inspection = app.get_inspection(receipt.inspection_id)
    check = inspection.permit_check
    assert check is not None
    assert (check["authorised_m2"], check["excess_m2"], check["state"]) == (
        Decimal("12.00"),
        Decimal("6.50"),
        "valid",
    )
    assert check["holder_matches"] is True
    [finding] = inspection.findings
    # ODP-02 is fined 200 MAD per m² of excess in the 2026 catalogue: 6.5 x 200.
    assert (finding["code"], finding["quantity"], finding["amount"], finding["derived"]) == (
        "ODP-02",
        Decimal("6.50"),
        Decimal("1300.00"),
        True,
    )
    assert receipt.case_opened


def test_a_terrace_within_its_permit_and_path_is_compliant(app: PoliceApp, staff: Staff) -> None:
    number = app.grant_permit(staff.permits_clerk, builders.terrace())
    assert inspect(app, staff, permit_number=number, measurements=surface("11", "1.8")) == []


def test_a_walking_path_narrower_than_the_condition_is_an_obstruction(
    app: PoliceApp, staff: Staff
) -> None:
    number = app.grant_permit(staff.permits_clerk, builders.terrace())
    assert inspect(app, staff, permit_number=number, measurements=surface("12", "0.9")) == [
        ("ODP-08", None)
    ]


def test_an_expired_permit_gives_occupation_under_an_expired_permit(
    app: PoliceApp, staff: Staff
) -> None:
    number = app.grant_permit(
        staff.permits_clerk,
        builders.terrace(valid_from=date(2025, 1, 1), valid_until=date(2025, 12, 31)),
    )
    assert inspect(app, staff, permit_number=number, measurements=surface("10")) == [
        ("ODP-07", Decimal("10.00"))
    ]


def test_a_suspended_permit_authorises_nothing(app: PoliceApp, staff: Staff) -> None:
    number = app.grant_permit(staff.permits_clerk, builders.terrace())
    app.suspend_permit(staff.permits_clerk, number, reason="Travaux de voirie")
    assert inspect(app, staff, permit_number=number, measurements=surface("10")) == [
        ("ODP-01", Decimal("10.00"))
    ]


def test_no_permit_found_is_an_occupation_without_permit(app: PoliceApp, staff: Staff) -> None:
    assert inspect(app, staff, no_permit_found=True, measurements=surface("7.5")) == [
        ("ODP-01", Decimal("7.50"))
    ]


def test_a_finding_the_officer_cited_is_not_derived_twice(app: PoliceApp, staff: Staff) -> None:
    receipt = app.record_inspection(
        builders.public_domain(
            no_permit_found=True,
            measurements=surface("7.5"),
            findings=(Finding("ODP-01", Decimal("8")),),
        ),
        staff.odp_officer,
    )
    [finding] = app.get_inspection(receipt.inspection_id).findings
    assert (finding["code"], finding["quantity"], finding["derived"]) == (
        "ODP-01",
        Decimal("8.00"),
        False,
    )


def test_a_billboard_unknown_to_the_registry_is_an_unauthorised_billboard(
    app: PoliceApp, staff: Staff
) -> None:
    assert inspect(app, staff, structure_id="cas-pub-9999") == [("ODP-04", Decimal("1.00"))]


def test_a_billboard_under_its_valid_permit_is_compliant(app: PoliceApp, staff: Staff) -> None:
    number = app.grant_permit(staff.permits_clerk, builders.billboard("CAS-PUB-0042"))
    receipt = app.record_inspection(
        builders.public_domain(structure_id="cas pub 0042"), staff.odp_officer
    )
    inspection = app.get_inspection(receipt.inspection_id)
    assert inspection.findings == []
    assert inspection.permit_check is not None
    assert (inspection.permit_check["number"], inspection.permit_check["known"]) == (number, True)


def test_a_billboard_whose_permit_was_revoked_is_unauthorised(app: PoliceApp, staff: Staff) -> None:
    number = app.grant_permit(staff.permits_clerk, builders.billboard("CAS-PUB-0042"))
    app.revoke_permit(staff.permits_clerk, number, reason="Redevance impayée")
    assert inspect(app, staff, structure_id="CAS-PUB-0042") == [("ODP-04", Decimal("1.00"))]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"permit_number": "AOT-TER-2026-009999", "measurements": surface("5")}, "inconnue"),
        ({"no_permit_found": True}, "surface occupée"),
        (
            {"no_permit_found": True, "structure_id": "CAS-1", "measurements": surface("5")},
            "pas deux",
        ),
        ({"structure_id": "x"}, "structure « x » invalide"),
    ],
)
def test_a_bad_permit_check_is_refused_and_records_nothing(
    app: PoliceApp, staff: Staff, changes: dict[str, Any], message: str
) -> None:
    before = event_count(app)
    with pytest.raises(InvalidInput, match=message):
        app.record_inspection(builders.public_domain(**changes), staff.odp_officer)
    assert event_count(app) == before
