"""What a court could doubt in a recorded inspection, read from the record itself: a position
less precise than the brigade accepts, a photo taken far from the recorded position or long
before or after the observation, an entry made after the offline window, a phone clock ahead of
the server's. Computed when the record is read, so a photo attached later is judged too; the
thresholds are the catalogue's (accuracy) and these constants.

The speed between an officer's consecutive inspections is not judged here: it needs the
officer's other records, not this one (left to the planning read models)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from enum import StrEnum
from typing import Any

from police.aggregates.inspection import Inspection
from police.catalogue import BrigadeRules
from police.errors import N_
from police.territory import distance_m

PHOTO_DISTANCE_M = 200
PHOTO_DELAY = timedelta(minutes=30)
CLOCK_SKEW = timedelta(minutes=5)


class Doubt(StrEnum):
    IMPRECISE_POSITION = "imprecise_position"
    PHOTO_ELSEWHERE = "photo_elsewhere"
    PHOTO_AT_ANOTHER_TIME = "photo_at_another_time"
    LATE_ENTRY = "late_entry"
    CLOCK_AHEAD = "clock_ahead"


WORDING: dict[Doubt, str] = {
    Doubt.IMPRECISE_POSITION: N_("Position GPS imprécise : {accuracy} m (seuil : {limit} m)."),
    Doubt.PHOTO_ELSEWHERE: N_("Photo {n} prise à {distance} m de la position du constat."),
    Doubt.PHOTO_AT_ANOTHER_TIME: N_("Photo {n} prise {minutes} min avant ou après le constat."),
    Doubt.LATE_ENTRY: N_("Saisie après le délai hors ligne : {reason}"),
    Doubt.CLOCK_AHEAD: N_("Horloge du téléphone en avance de {minutes} min sur le serveur."),
}  # fmt: skip
# Past two hours, a gap is told in hours: "12229 min" reads as noise.
_PHOTO_HOURS = N_("Photo {n} prise {hours} h avant ou après le constat.")


@dataclass(frozen=True)
class Flag:
    doubt: Doubt
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def template(self) -> str:
        return _PHOTO_HOURS if "hours" in self.params else WORDING[self.doubt]


def flags_of(inspection: Inspection, rules: BrigadeRules, zone: tzinfo) -> list[Flag]:
    """The doubts the record raises, in the order a reader checks them; ``zone``: the
    territory's, for a camera that wrote its time without an offset."""
    found: list[Flag] = []
    place = inspection.location
    accuracy = place.get("accuracy_m")
    if accuracy is not None and accuracy > rules.accuracy_threshold_m:
        limit = rules.accuracy_threshold_m
        found.append(Flag(Doubt.IMPRECISE_POSITION, {"accuracy": round(accuracy), "limit": limit}))
    for n, photo in enumerate(inspection.evidence, start=1):
        if None not in (photo.get("latitude"), place.get("lat")):
            taken_at = (photo["latitude"], photo["longitude"])
            metres = distance_m(taken_at, (place["lat"], place["lon"]))
            if metres > PHOTO_DISTANCE_M:
                found.append(Flag(Doubt.PHOTO_ELSEWHERE, {"n": n, "distance": round(metres)}))
        if photo.get("captured_at") is not None:
            gap = abs(_aware(photo["captured_at"], zone) - inspection.observed_at)
            if gap > PHOTO_DELAY:
                minutes = int(gap.total_seconds() // 60)
                said = {"minutes": minutes} if minutes < 120 else {"hours": minutes // 60}
                found.append(Flag(Doubt.PHOTO_AT_ANOTHER_TIME, {"n": n, **said}))
    if not inspection.clock_trusted:
        found.append(Flag(Doubt.LATE_ENTRY, {"reason": inspection.late_reason or "—"}))
    ahead = inspection.observed_at - inspection.created_on
    if ahead > CLOCK_SKEW:
        found.append(Flag(Doubt.CLOCK_AHEAD, {"minutes": int(ahead.total_seconds() // 60)}))
    return found


def _aware(moment: datetime, zone: tzinfo) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)
