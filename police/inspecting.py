"""Turns an officer's submission into the facts an inspection records.

Pure rules, no storage: the location checked, the infractions cited
copied from the catalogue as it stood that day, measurements, on-the-spot measures, and for the
public domain the comparison of the measured surface with the permit's.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from police.aggregates.permit import Permit
from police.catalogue import Catalogue, CatalogueVersion, Measurement
from police.errors import N_, InvalidInput
from police.evidence import check_evidence
from police.identifiers import clean_text
from police.permit_check import check_against_permit
from police.roles import Brigade
from police.submission import Finding, InspectionSubmission, Location, Position
from police.territory import Arrondissement, Territory

MEASUREMENTS: dict[str, str] = {
    "occupied_surface_m2": "Surface occupée (m²)",
    "walking_path_m": "Passage piéton libre (m)",
}
MAX_QUANTITY = Decimal("100000")
# How far ahead of the server a phone's clock may run: the skew of a clock set by hand.
CLOCK_AHEAD = timedelta(minutes=10)
# How far outside its arrondissement's boundary a fix without an accuracy may lie.
BOUNDARY_TOLERANCE_M = 30.0


@dataclass(frozen=True)
class InspectionDraft:
    catalogue: CatalogueVersion
    day: date  # the day whose catalogue applies, in the territory's time zone
    clock_trusted: bool  # the observation falls within the offline window
    late_reason: str  # why it is entered after the fact; required past the offline window
    location: dict[str, Any]
    opened_location: dict[str, Any] | None  # where the phone was when the form opened
    sent_at: datetime | None  # the phone's clock when it sent the form
    findings: list[dict[str, Any]]
    measurements: dict[str, Decimal]
    measures: list[dict[str, Any]]
    observations: str
    permit_check: dict[str, Any] | None
    evidence: list[dict[str, Any]]

    @property
    def compliant(self) -> bool:
        return not self.findings

    @property
    def fines_total(self) -> Decimal:
        return sum((f["amount"] for f in self.findings), Decimal("0"))

    @property
    def fees_total(self) -> Decimal:
        return sum((m["fee"] for m in self.measures), Decimal("0"))


def draft_inspection(
    submission: InspectionSubmission,
    *,
    catalogue: Catalogue,
    territory: Territory,
    permit: Permit | None,
    received_at: datetime,
) -> InspectionDraft:
    brigade = Brigade(submission.brigade)
    window = catalogue.in_force_on(territory.local_date(received_at)).rules(brigade).offline_window
    late_reason = check_observed_at(
        submission.observed_at, submission.late_reason, received_at=received_at, window=window
    )
    clock_trusted = submission.observed_at >= received_at - window
    # The law in force on the day of the offence applies, however late it is entered.
    day = territory.local_date(submission.observed_at)
    version = catalogue.in_force_on(day)
    measurements = _measurements(submission.measurements)
    findings = [_finding(version, brigade, f) for f in submission.findings]
    codes = [f["code"] for f in findings]
    if len(set(codes)) != len(codes):
        raise InvalidInput(N_("Une même infraction est citée deux fois."), field="findings")
    lookup = (submission.permit_number, submission.structure_id, submission.no_permit_found)
    if any(lookup) and brigade is not Brigade.PUBLIC_DOMAIN:
        raise InvalidInput(
            N_("Une autorisation d'occupation ne concerne que le domaine public."),
            field="permit_number",
        )
    permit_check, derived = check_against_permit(
        permit_number=submission.permit_number,
        structure_id=submission.structure_id,
        no_permit_found=submission.no_permit_found,
        permit=permit,
        measurements=measurements,
        day=day,
        version=version,
        cited=codes,
    )
    findings += derived
    measures = [_measure(version, brigade, code) for code in dict.fromkeys(submission.measures)]
    if measures and not findings:
        raise InvalidInput(
            N_("Un sabot ou une mise en fourrière suppose au moins une infraction."),
            field="measures",
        )
    return InspectionDraft(
        catalogue=version,
        day=day,
        clock_trusted=clock_trusted,
        late_reason=late_reason,
        location=check_location(submission.location, territory),
        opened_location=_opened_location(submission.opened_position),
        sent_at=_sent_at(submission.sent_at),
        findings=findings,
        measurements=measurements,
        measures=measures,
        observations=clean_text(
            submission.observations, field="observations", label=N_("Observations"), max_length=4000
        ),
        permit_check=permit_check,
        evidence=[check_evidence(e) for e in submission.evidence],
    )


def check_observed_at(
    observed: datetime, late_reason: str, *, received_at: datetime, window: timedelta
) -> str:
    """The time of the observation is the phone's: never in the future beyond the skew of a
    clock, and no older than the offline window unless the officer says why it is late.
    Returns the reason as typed and cleaned (kept even when the entry is not late)."""
    if observed.tzinfo is None:
        raise InvalidInput(
            N_("L'heure du constat doit indiquer son fuseau horaire."), field="observed_at"
        )
    if observed > received_at + CLOCK_AHEAD:
        raise InvalidInput(
            N_("L'heure du constat est dans le futur : vérifiez l'heure du téléphone."),
            field="observed_at",
        )
    reason = clean_text(
        late_reason, field="late_reason", label=N_("Raison de la saisie tardive"), max_length=1000
    )
    if observed < received_at - window and not reason:
        raise InvalidInput(
            N_("Constat de plus de {hours} heures : indiquez la raison de la saisie tardive."),
            field="late_reason",
            hours=window // timedelta(hours=1),
        )
    return reason


def check_location(location: Location, territory: Territory) -> dict[str, Any]:
    """The place as recorded: a known arrondissement, an address or a GPS fix (or both), and
    when the territory has boundaries, a fix that lies in the arrondissement chosen (within
    its accuracy). Without an arrondissement chosen, the one whose boundary holds the fix."""
    address = clean_text(location.address, field="address", label=N_("Adresse"), max_length=300)
    lat, lon, accuracy = location.lat, location.lon, location.accuracy_m
    if (lat is None) != (lon is None):
        raise InvalidInput(N_("Position GPS incomplète (latitude et longitude)."), field="location")
    if lat is not None and lon is not None:
        # Outside the territory is recorded and flagged (``plausibility``): the officer cannot
        # correct the GPS, and the court judges the record. Coordinates no place has are refused.
        check_coordinates(lat, lon)
    elif not address:
        raise InvalidInput(N_("Sans position GPS, l'adresse est obligatoire."), field="address")
    _check_accuracy(accuracy)
    code = location.arrondissement
    if not code.strip() and lat is not None and lon is not None:
        found = territory.arrondissement_containing(lat, lon)
        code = found.code if found else code
    arrondissement = territory.arrondissement(code)
    if lat is not None and lon is not None:
        check_within_arrondissement(territory, arrondissement, lat, lon, accuracy)
    return {
        "arrondissement": arrondissement.code,
        "arrondissement_name": arrondissement.name_fr,
        "address": address,
        "lat": lat,
        "lon": lon,
        "accuracy_m": accuracy,
    }


def check_within_arrondissement(
    territory: Territory,
    arrondissement: Arrondissement,
    lat: float,
    lon: float,
    accuracy_m: float | None,
) -> None:
    """A fix must lie within the boundary of the arrondissement chosen, give or take its
    accuracy (``BOUNDARY_TOLERANCE_M`` when it has none). Nothing to check when the territory
    has no boundaries, or outside the territory (flagged or refused on its own terms)."""
    if not territory.boundaries or not territory.contains(lat, lon):
        return
    outside = territory.metres_outside(arrondissement.code, lat, lon)
    allowed = BOUNDARY_TOLERANCE_M if accuracy_m is None else accuracy_m
    if outside is None or outside <= allowed:
        return
    found = territory.arrondissement_containing(lat, lon)
    if found is not None:
        raise InvalidInput(
            N_(
                "La position GPS est dans l'arrondissement {found}, à {metres} m de {chosen} : "
                "choisissez {found} ou vérifiez la position."
            ),
            field="arrondissement",
            found=found.name_fr,
            chosen=arrondissement.name_fr,
            metres=round(outside),
        )
    raise InvalidInput(
        N_(
            "La position GPS est hors des arrondissements, à {metres} m de {chosen} : "
            "vérifiez la position."
        ),
        field="arrondissement",
        chosen=arrondissement.name_fr,
        metres=round(outside),
    )


def check_coordinates(lat: float, lon: float) -> None:
    if not (math.isfinite(lat) and math.isfinite(lon)) or abs(lat) > 90 or abs(lon) > 180:
        raise InvalidInput(
            N_("Position GPS invalide ({lat}, {lon})."), field="location", lat=lat, lon=lon
        )


def _check_accuracy(accuracy: float | None) -> None:
    if accuracy is not None and not (math.isfinite(accuracy) and 0 <= accuracy <= 100_000):
        raise InvalidInput(N_("Précision GPS invalide."), field="location")


def _opened_location(position: Position | None) -> dict[str, Any] | None:
    if position is None:
        return None
    check_coordinates(position.lat, position.lon)
    _check_accuracy(position.accuracy_m)
    return {"lat": position.lat, "lon": position.lon, "accuracy_m": position.accuracy_m}


def _sent_at(moment: datetime | None) -> datetime | None:
    """The phone's clock is kept as it says, however wrong: a clock off is flagged, not refused."""
    if moment is not None and moment.tzinfo is None:
        raise InvalidInput(
            N_("L'heure d'envoi doit indiquer son fuseau horaire."), field="observed_at"
        )
    return moment


def assess(findings: list[dict[str, Any]], *, repeat_offence: bool) -> Decimal:
    """Fines of the findings, with the catalogue's surcharge for a repeat offender."""
    total = Decimal("0")
    for f in findings:
        surcharge = Decimal(f["repeat_surcharge_percent"]) / 100 if repeat_offence else 0
        total += (f["amount"] * (1 + surcharge)).quantize(Decimal("0.01"))
    return total


def _finding(version: CatalogueVersion, brigade: Brigade, finding: Finding) -> dict[str, Any]:
    infraction = version.infraction(finding.code, brigade)
    quantity = finding.quantity
    if infraction.measurement is None and quantity is not None:
        raise InvalidInput(
            N_("L'infraction {code} ne comporte pas de mesure."),
            field="findings",
            code=infraction.code,
        )
    if infraction.measurement is not None:
        if quantity is None:
            raise InvalidInput(
                N_("L'infraction {code} exige une mesure ({unit})."),
                field="findings",
                code=infraction.code,
                unit="m²" if infraction.measurement is Measurement.SQUARE_METRES else "nombre",
            )
        quantity = _quantity(quantity, f"{infraction.code}")
        if infraction.measurement is Measurement.COUNT and quantity != quantity.to_integral_value():
            raise InvalidInput(
                N_("L'infraction {code} se compte en unités entières."),
                field="findings",
                code=infraction.code,
            )
    return infraction.recorded(version.version, quantity)


def _quantity(value: Decimal, label: str) -> Decimal:
    try:
        quantity = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        quantity = Decimal("NaN")
    if not quantity.is_finite() or not 0 < quantity <= MAX_QUANTITY:
        raise InvalidInput(
            N_("{label} : mesure invalide (nombre positif attendu)."), field="findings", label=label
        )
    return quantity.quantize(Decimal("0.01"))


def _measurements(raw: dict[str, Decimal]) -> dict[str, Decimal]:
    unknown = set(raw) - set(MEASUREMENTS)
    if unknown:
        raise InvalidInput(
            N_("Mesure inconnue : {names}."), field="measurements", names=", ".join(sorted(unknown))
        )
    return {name: _quantity(value, MEASUREMENTS[name]) for name, value in raw.items()}


def _measure(version: CatalogueVersion, brigade: Brigade, code: str) -> dict[str, Any]:
    measure = version.measure(code, brigade)
    return {
        "code": measure.code,
        "label_fr": measure.label_fr,
        "label_ar": measure.label_ar,
        "fee": measure.fee,
    }
