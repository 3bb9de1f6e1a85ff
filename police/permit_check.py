"""A public-domain occupation checked against the registry: the permit the officer picked (or
the one a billboard's structure stands under, or none found), compared with what was measured.
The comparison is a computed fact, and the infractions it proves are recorded as derived
findings from the catalogue of the day, unless the officer cited them already. Pure rules.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from police.aggregates.permit import Permit, PermitKind, PermitState
from police.catalogue import CatalogueVersion
from police.errors import N_, InvalidInput
from police.roles import Brigade

NO_PERMIT_CODE = "ODP-01"  # occupation without a permit (or under a suspended or revoked one)
EXCESS_CODE = "ODP-02"  # beyond the authorised surface, fined per m² of excess
UNKNOWN_BILLBOARD_CODE = "ODP-04"
EXPIRED_CODE = "ODP-07"  # under an expired permit (or one not yet in force)
WALKING_PATH_CODE = "ODP-08"  # a walking path narrower than the permit's condition
PROPOSED = (NO_PERMIT_CODE, EXCESS_CODE, UNKNOWN_BILLBOARD_CODE, EXPIRED_CODE, WALKING_PATH_CODE)
SURFACE = "occupied_surface_m2"
WALKING_PATH = "walking_path_m"


def check_against_permit(
    *,
    permit_number: str,
    structure_id: str,
    no_permit_found: bool,
    permit: Permit | None,
    measurements: dict[str, Decimal],
    day: date,
    version: CatalogueVersion,
    cited: list[str],
) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """The check to record and the findings it derives; (None, []) when the officer checked
    no permit. ``permit`` is the one named by ``permit_number`` or ``structure_id``."""
    given = [bool(permit_number.strip()), bool(structure_id.strip()), no_permit_found]
    if not any(given):
        return None, []
    if sum(given) > 1:
        raise InvalidInput(
            N_("Choisissez une autorisation, un panneau ou « aucune autorisation », pas deux."),
            field="permit_number",
        )
    derived: list[Any] = []
    if structure_id.strip():
        check = _billboard(structure_id.strip(), permit, day, derived)
    elif no_permit_found:
        measured = _surface(measurements)
        check = {"method": "none", "measured_m2": measured}
        derived.append((NO_PERMIT_CODE, measured))
    else:
        if permit is None:
            raise InvalidInput(N_("Autorisation d'occupation inconnue."), field="permit_number")
        check = _occupation(permit, measurements, day, derived)
    findings = [
        _derived(version, code, quantity) for code, quantity in derived if code not in cited
    ]
    return check, findings


def _occupation(
    permit: Permit, measurements: dict[str, Decimal], day: date, derived: list[Any]
) -> dict[str, Any]:
    measured = _surface(measurements)
    state = permit.state_on(day)
    excess = max(measured - permit.surface_m2, Decimal("0"))
    required_path = permit.walking_path_m
    measured_path = measurements.get(WALKING_PATH)
    check = {
        "method": "permit",
        "permit_id": permit.id,
        "number": permit.number,
        "kind": permit.kind,
        "state": state.value,
        "authorised_m2": permit.surface_m2,
        "measured_m2": measured,
        "excess_m2": excess,
        "valid_on_day": permit.is_valid_on(day),
        "valid_until": permit.valid_until,
        "walking_path_required_m": required_path,
        "walking_path_measured_m": measured_path,
    }
    if state in (PermitState.SUSPENDED, PermitState.REVOKED, PermitState.UNPAID):
        # a suspended permit, or one whose fee is unpaid, authorises nothing
        derived.append((NO_PERMIT_CODE, measured))
    elif state in (PermitState.EXPIRED, PermitState.PENDING):
        derived.append((EXPIRED_CODE, measured))
    elif excess > 0:
        derived.append((EXCESS_CODE, excess))
    if required_path is not None and measured_path is not None and measured_path < required_path:
        derived.append((WALKING_PATH_CODE, None))
    return check


def _billboard(
    structure_id: str, permit: Permit | None, day: date, derived: list[Any]
) -> dict[str, Any]:
    if permit is None or permit.kind != PermitKind.BILLBOARD:
        derived.append((UNKNOWN_BILLBOARD_CODE, Decimal("1.00")))
        return {"method": "structure", "structure_id": structure_id, "known": False}
    state = permit.state_on(day)
    if not permit.is_valid_on(day):
        derived.append((UNKNOWN_BILLBOARD_CODE, Decimal("1.00")))
    return {
        "method": "structure",
        "structure_id": permit.structure_id,
        "known": True,
        "permit_id": permit.id,
        "number": permit.number,
        "kind": permit.kind,
        "state": state.value,
        "valid_on_day": permit.is_valid_on(day),
        "valid_until": permit.valid_until,
    }


def _surface(measurements: dict[str, Decimal]) -> Decimal:
    measured = measurements.get(SURFACE)
    if measured is None:
        raise InvalidInput(
            N_("Saisissez la surface occupée mesurée pour la comparer à l'autorisation."),
            field=SURFACE,
        )
    return measured


def _derived(version: CatalogueVersion, code: str, quantity: Decimal | None) -> dict[str, Any]:
    infraction = version.infraction(code, Brigade.PUBLIC_DOMAIN)
    return infraction.recorded(version.version, quantity, derived=True)
