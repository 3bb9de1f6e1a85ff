"""Permits to occupy the public domain: who may grant and revoke them, and what is checked."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Unpack
from uuid import UUID

import pytest

from police.aggregates.subject import Subject
from police.app import PoliceApp
from police.errors import InvalidInput, InvalidTransition, NotAllowed
from police.submission import Location
from tests.police import builders
from tests.police.builders import PermitChanges, PermitTerms, Staff, event_count


def grant(app: PoliceApp, actor: UUID, **changes: Unpack[PermitChanges]) -> UUID:
    terms = (
        PermitTerms(
            number="aot 2026 0007",
            holder=builders.public_domain().subject,
            kind="terrace",
            location=builders.public_domain().location,
            surface_m2=Decimal("20"),
            valid_from=date(2026, 1, 1),
            valid_until=date(2026, 12, 31),
            fee=Decimal("4800"),
        )
        | changes
    )
    return app.grant_permit(actor, **terms)


def test_legal_staff_grant_a_permit_and_its_holder_becomes_a_subject(
    app: PoliceApp, staff: Staff
) -> None:
    grant(app, staff.legal)
    permit = app.find_permit("AOT-2026-0007")
    assert permit is not None
    assert permit.surface_m2 == Decimal("20.00")
    assert permit.is_valid_on(date(2026, 6, 1))
    assert not permit.is_valid_on(date(2027, 1, 1))
    holder: Subject = app.repository.get(permit.holder_subject_id)
    assert holder.label == "Café de Paris"


def test_the_public_domain_supervisor_may_grant_but_not_other_brigades(
    app: PoliceApp, staff: Staff
) -> None:
    grant(app, staff.odp_chief)
    before = event_count(app)
    with pytest.raises(NotAllowed):
        grant(app, staff.hygiene_chief, number="AOT-2026-0008")
    with pytest.raises(NotAllowed):
        grant(app, staff.odp_officer, number="AOT-2026-0009")
    assert event_count(app) == before


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"surface_m2": Decimal("0")}, "positive"),
        ({"surface_m2": Decimal("NaN")}, "invalide"),
        ({"valid_until": date(2025, 12, 31)}, "précède"),
        ({"kind": "parking"}, "Type d'autorisation"),
        ({"number": "<>"}, "Numéro"),
        ({"fee": Decimal("-1")}, "invalide"),
        (
            {"location": Location(arrondissement="anfa", lat=34.02, lon=-6.84)},
            r"hors du territoire de la commune \(34\.02000, -6\.84000\)",
        ),
    ],
)
def test_bad_permits_are_refused(
    app: PoliceApp, staff: Staff, changes: PermitChanges, message: str
) -> None:
    before = event_count(app)
    with pytest.raises(InvalidInput, match=message):
        grant(app, staff.legal, **changes)
    assert event_count(app) == before


def test_a_permit_number_is_registered_once(app: PoliceApp, staff: Staff) -> None:
    grant(app, staff.legal)
    with pytest.raises(InvalidInput, match="déjà enregistrée"):
        grant(app, staff.legal, number="AOT-2026-0007")


def test_a_revoked_permit_is_no_longer_valid(app: PoliceApp, staff: Staff) -> None:
    grant(app, staff.legal)
    app.revoke_permit(staff.legal, "AOT-2026-0007", reason="Non-paiement de la redevance")
    permit = app.find_permit("AOT-2026-0007")
    assert permit is not None
    assert permit.revoked
    assert not permit.is_valid_on(date(2026, 6, 1))
    with pytest.raises(InvalidTransition, match="déjà retirée"):
        app.revoke_permit(staff.legal, "AOT-2026-0007", reason="encore")
    assert app.find_permit("AOT-2026-0099") is None
