"""The permit registry: the permits office grants, amends, renews, suspends, reinstates and
revokes permits; numbers are gap-free per kind and year; bad terms are refused, recording
nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from police.aggregates.permit import Permit, PermitState
from police.aggregates.subject import Subject
from police.app import PoliceApp
from police.errors import Conflict, InvalidInput, InvalidTransition, NotAllowed
from police.identifiers import SubjectInput
from police.permit_terms import Billboard, Conditions
from police.submission import Location
from tests.police import builders
from tests.police.builders import Staff, event_count

# A 6 m x 2 m rectangle at Café de Paris (33.5890, -7.6420), drawn on the map: about 12 m².
_DLAT, _DLON = 2 / 111_320, 6 / (111_320 * 0.8329)
RECTANGLE = (
    (-7.6420, 33.5890),
    (-7.6420 + _DLON, 33.5890),
    (-7.6420 + _DLON, 33.5890 + _DLAT),
    (-7.6420, 33.5890 + _DLAT),
    (-7.6420, 33.5890),
)


def permit(app: PoliceApp, number: str) -> Permit:
    found = app.find_permit(number)
    assert found is not None
    return found


def test_the_permits_office_grants_a_terrace_and_its_holder_becomes_a_subject(
    app: PoliceApp, staff: Staff
) -> None:
    number = app.grant_permit(staff.permits_clerk, builders.terrace())
    assert number == f"AOT-TER-{app.today().year}-000001"
    granted = permit(app, number)
    assert granted.surface_m2 == Decimal("12.00")
    assert granted.dimensions == {"frontage_m": Decimal("6.00"), "depth_m": Decimal("2.00")}
    assert granted.conditions == {
        "walking_path_m": Decimal("1.50"),
        "hours": "08:00-23:00",
        "season": "",
    }
    assert granted.state_on(date(2026, 6, 1)) is PermitState.VALID
    holder: Subject = app.repository.get(granted.holder_subject_id)
    assert holder.label == "Café de Paris"
    assert holder.permit_ids == [granted.id]


def test_numbers_are_gap_free_per_kind_and_year(app: PoliceApp, staff: Staff) -> None:
    year = app.today().year
    first = app.grant_permit(staff.permits_clerk, builders.terrace())
    board = app.grant_permit(staff.permits_clerk, builders.billboard())
    with pytest.raises(InvalidInput):  # refused: takes no number
        app.grant_permit(staff.permits_clerk, builders.terrace(fee=Decimal("-1")))
    elsewhere = replace(
        builders.terrace().location, address="Rue Tahar Sebti", lat=33.5950, lon=-7.6200
    )
    second = app.grant_permit(staff.permits_clerk, builders.terrace(location=elsewhere))
    assert (first, second, board) == (
        f"AOT-TER-{year}-000001",
        f"AOT-TER-{year}-000002",
        f"AOT-PUB-{year}-000001",
    )


@pytest.mark.parametrize("who", ["legal", "odp_chief", "odp_officer", "hygiene_chief"])
def test_only_the_permits_office_grants_permits(app: PoliceApp, staff: Staff, who: str) -> None:
    before = event_count(app)
    with pytest.raises(NotAllowed, match="Service des autorisations"):
        app.grant_permit(getattr(staff, who), builders.terrace())
    assert event_count(app) == before


def test_an_admin_may_grant_like_the_office(app: PoliceApp, staff: Staff) -> None:
    assert app.grant_permit(staff.admin, builders.terrace()).startswith("AOT-TER-")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"frontage_m": Decimal("0")}, "entre 0 et 200"),
        ({"depth_m": None}, "Profondeur"),
        ({"frontage_m": Decimal("NaN")}, "invalide"),
        ({"valid_until": date(2025, 12, 31)}, "précède"),
        ({"kind": "parking"}, "Type d'autorisation"),
        ({"fee": Decimal("-1")}, "invalide"),
        (
            {"location": Location(arrondissement="anfa", lat=34.02, lon=-6.84)},
            r"hors du territoire de la commune \(34\.02000, -6\.84000\)",
        ),
        ({"location": Location(arrondissement="anfa", address="Bd d'Anfa")}, "carte"),
        ({"conditions": Conditions(hours="tard le soir")}, "Horaires"),
        ({"conditions": Conditions(walking_path_m=Decimal("45"))}, "20 m au plus"),
        ({"outline": RECTANGLE[:-1]}, "non fermé"),
        (
            {
                "outline": (
                    (-7.6420, 33.5890),
                    (-7.6419, 33.5891),
                    (-7.6419, 33.5890),
                    (-7.6420, 33.5891),
                    (-7.6420, 33.5890),
                )
            },
            "se croise",
        ),
        (
            {"outline": ((-7.642, 33.589), (-7.6419, 33.589), (-7.6418, 33.589), (-7.642, 33.589))},
            "surface",
        ),
        (
            {"frontage_m": Decimal("20"), "outline": RECTANGLE},
            r"ne correspond pas aux dimensions \(40,00 m²\)",
        ),
    ],
)
def test_bad_terms_are_refused_and_nothing_is_recorded(
    app: PoliceApp, staff: Staff, changes: dict[str, Any], message: str
) -> None:
    before = event_count(app)
    with pytest.raises(InvalidInput, match=message):
        app.grant_permit(staff.permits_clerk, builders.terrace(**changes))
    assert event_count(app) == before


def test_a_drawn_outline_is_measured_in_square_metres(app: PoliceApp, staff: Staff) -> None:
    number = app.grant_permit(staff.permits_clerk, builders.terrace(outline=RECTANGLE))
    granted = permit(app, number)
    assert granted.outline_m2 is not None
    assert abs(granted.outline_m2 - Decimal("12")) < Decimal("0.1")
    assert granted.outline is not None
    assert granted.outline[0] == [-7.642, 33.589]


def test_a_second_permit_for_the_same_place_kind_and_days_is_refused(
    app: PoliceApp, staff: Staff
) -> None:
    first = app.grant_permit(staff.permits_clerk, builders.terrace())
    before = event_count(app)
    with pytest.raises(InvalidInput, match=f"déjà l'autorisation {first}"):
        app.grant_permit(staff.permits_clerk, builders.terrace(valid_from=date(2030, 1, 1)))
    assert event_count(app) == before
    # Another kind at the same place, or the same kind before the first began, is another permit.
    app.grant_permit(
        staff.permits_clerk,
        builders.terrace(kind="display", frontage_m=Decimal("3"), depth_m=Decimal("1")),
    )
    app.grant_permit(
        staff.permits_clerk,
        builders.terrace(valid_from=date(2025, 1, 1), valid_until=date(2025, 12, 31)),
    )


def test_a_structure_identifier_stands_under_one_permit_at_a_time(
    app: PoliceApp, staff: Staff
) -> None:
    first = app.grant_permit(staff.permits_clerk, builders.billboard(" cas pub 0042 "))
    assert permit(app, first).structure_id == "CAS-PUB-0042"
    other_holder = SubjectInput(kind="establishment", trade_name="Pub Maroc", ice="004455667000011")
    before = event_count(app)
    with pytest.raises(InvalidInput, match=f"CAS-PUB-0042 est déjà sous l'autorisation {first}"):
        app.grant_permit(
            staff.permits_clerk, builders.billboard("CAS-PUB-0042", holder=other_holder)
        )
    assert event_count(app) == before
    app.revoke_permit(staff.permits_clerk, first, reason="Société dissoute")
    second = app.grant_permit(
        staff.permits_clerk, builders.billboard("CAS-PUB-0042", holder=other_holder)
    )
    assert permit(app, second).surface_m2 == Decimal("24.00")  # 2 faces x 12 m²


def test_a_billboard_needs_its_structure_and_company(app: PoliceApp, staff: Staff) -> None:
    with pytest.raises(InvalidInput, match="identifiant de structure"):
        app.grant_permit(staff.permits_clerk, builders.billboard(billboard=None))
    bad = Billboard(structure_id="X", faces=2, m2_per_face=Decimal("12"), lit=False, company="A")
    with pytest.raises(InvalidInput, match="structure « X » invalide"):
        app.grant_permit(staff.permits_clerk, builders.billboard(billboard=bad))
    with pytest.raises(InvalidInput, match="faces"):
        app.grant_permit(
            staff.permits_clerk,
            builders.billboard(billboard=replace(bad, structure_id="CAS-1", faces=0)),
        )


def test_an_amendment_is_a_new_edition_saying_what_changed_and_why(
    app: PoliceApp, staff: Staff
) -> None:
    number = app.grant_permit(staff.permits_clerk, builders.terrace())
    read_at = permit(app, number).version
    app.amend_permit(
        staff.permits_clerk,
        number,
        builders.terrace(depth_m=Decimal("3")),
        reason="Extension accordée après travaux du trottoir",
        expected_version=read_at,
    )
    amended = permit(app, number)
    assert (amended.edition, amended.surface_m2) == (2, Decimal("18.00"))
    last = app.events.get(amended.id, gt=read_at)
    [event] = list(last)
    assert isinstance(event, Permit.Amended)
    assert event.reason == "Extension accordée après travaux du trottoir"
    assert event.changes == {
        "surface_m2": Decimal("18.00"),
        "dimensions": {"frontage_m": Decimal("6.00"), "depth_m": Decimal("3.00")},
    }


def test_an_amendment_refuses_a_stale_form_and_an_unchanged_one(
    app: PoliceApp, staff: Staff
) -> None:
    number = app.grant_permit(staff.permits_clerk, builders.terrace())
    read_at = permit(app, number).version
    app.suspend_permit(staff.permits_clerk, number, reason="Travaux de voirie")
    before = event_count(app)
    with pytest.raises(Conflict, match="modifiée entre-temps"):
        app.amend_permit(
            staff.permits_clerk,
            number,
            builders.terrace(depth_m=Decimal("3")),
            reason="r",
            expected_version=read_at,
        )
    with pytest.raises(InvalidInput, match="Aucune modification"):
        app.amend_permit(staff.permits_clerk, number, builders.terrace(), reason="r")
    with pytest.raises(InvalidInput, match="Motif"):
        app.amend_permit(
            staff.permits_clerk, number, builders.terrace(depth_m=Decimal("3")), reason=" "
        )
    with pytest.raises(InvalidInput, match="type ne change pas"):
        app.amend_permit(staff.permits_clerk, number, builders.terrace(kind="kiosk"), reason="r")
    assert event_count(app) == before


def test_renewal_extends_the_validity_with_the_new_fee(app: PoliceApp, staff: Staff) -> None:
    number = app.grant_permit(
        staff.permits_clerk, builders.terrace(valid_until=app.today() + timedelta(days=10))
    )
    assert permit(app, number).state_on(app.today()) is PermitState.EXPIRING
    new_end = app.today() + timedelta(days=375)
    app.renew_permit(staff.permits_clerk, number, valid_until=new_end, fee=Decimal("3900"))
    renewed = permit(app, number)
    assert (renewed.valid_until, renewed.fee, renewed.edition) == (new_end, Decimal("3900.00"), 2)
    assert renewed.state_on(app.today()) is PermitState.VALID
    with pytest.raises(InvalidInput, match="prolonger"):
        app.renew_permit(staff.permits_clerk, number, valid_until=new_end, fee=Decimal("1"))


def test_a_permit_expires_by_date(app: PoliceApp, staff: Staff) -> None:
    number = app.grant_permit(
        staff.permits_clerk,
        builders.terrace(valid_from=date(2025, 1, 1), valid_until=date(2025, 12, 31)),
    )
    granted = permit(app, number)
    assert granted.state_on(date(2025, 12, 31)) is PermitState.EXPIRING
    assert granted.state_on(date(2026, 1, 1)) is PermitState.EXPIRED
    assert granted.state_on(date(2024, 12, 31)) is PermitState.PENDING


def test_suspension_reinstatement_and_revocation(app: PoliceApp, staff: Staff) -> None:
    number = app.grant_permit(staff.permits_clerk, builders.terrace())
    day = date(2026, 6, 1)
    app.suspend_permit(staff.permits_clerk, number, reason="Travaux de voirie")
    assert permit(app, number).state_on(day) is PermitState.SUSPENDED
    with pytest.raises(InvalidTransition, match="déjà suspendue"):
        app.suspend_permit(staff.permits_clerk, number, reason="encore")
    app.reinstate_permit(staff.permits_clerk, number, reason="Travaux terminés")
    assert permit(app, number).state_on(day) is PermitState.VALID
    with pytest.raises(InvalidTransition, match="n'est pas suspendue"):
        app.reinstate_permit(staff.permits_clerk, number, reason="encore")
    app.revoke_permit(staff.permits_clerk, number, reason="Non-paiement de la redevance")
    revoked = permit(app, number)
    assert revoked.state_on(day) is PermitState.REVOKED
    assert not revoked.is_valid_on(day)
    before = event_count(app)
    for change in (app.revoke_permit, app.suspend_permit, app.reinstate_permit):
        with pytest.raises(InvalidTransition, match="déjà retirée"):
            change(staff.permits_clerk, number, reason="encore")
    with pytest.raises(InvalidTransition, match="déjà retirée"):
        app.renew_permit(staff.permits_clerk, number, valid_until=date(2100, 1, 1), fee=Decimal(1))
    assert event_count(app) == before
    with pytest.raises(NotAllowed):
        app.revoke_permit(staff.legal, number, reason="r")
    assert app.find_permit("AOT-TER-2026-999999") is None


def test_the_arrete_is_stored_once_per_edition(app: PoliceApp, staff: Staff) -> None:
    number = app.grant_permit(staff.permits_clerk, builders.terrace())
    first = app.print_arrete(staff.permits_clerk, number)
    assert first == app.print_arrete(staff.permits_clerk, number)
    assert app.objects.read(first["key"]).startswith(b"%PDF")
    app.renew_permit(staff.permits_clerk, number, valid_until=date(2100, 12, 31), fee=Decimal(1))
    second = app.print_arrete(staff.permits_clerk, number)
    assert second["key"] != first["key"]
    assert set(permit(app, number).arretes) == {1, 2}


def test_an_admin_grants_the_permits_office_role_like_the_others(
    app: PoliceApp, staff: Staff
) -> None:
    clerk = builders.hire(app, "guichet.autorisations", ["officer"], [])
    with pytest.raises(NotAllowed):
        app.grant_permit(clerk, builders.terrace())
    app.grant_role(staff.admin, clerk, "permits")
    assert app.grant_permit(clerk, builders.terrace()).startswith("AOT-TER-")
    app.revoke_role(staff.admin, clerk, "permits")
    with pytest.raises(NotAllowed):
        app.revoke_permit(clerk, f"AOT-TER-{app.today().year}-000001", reason="r")
