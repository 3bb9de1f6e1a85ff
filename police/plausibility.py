"""What a court could doubt in a recorded inspection: a position less precise than the brigade
accepts or outside the territory, a photo taken far from the recorded position or long before or
after the observation, an entry made after the offline window, a phone clock off the server's,
and a speed no officer reaches between two of their consecutive inspections.

Computed when the record is read, so a photo attached later (or an earlier inspection arriving
late from an outbox) is judged too. One function judges, from plain facts: the case page and the
PV judge an ``Inspection``, the read model that lets supervisors filter flagged cases judges the
same facts kept in its rows. The thresholds are the catalogue's (accuracy) and these constants.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from enum import StrEnum
from typing import Any, Protocol
from uuid import UUID

from police.catalogue import BrigadeRules
from police.errors import N_
from police.territory import Territory, distance_m

PHOTO_DISTANCE_M = 200
PHOTO_DELAY = timedelta(minutes=30)
CLOCK_SKEW = timedelta(minutes=5)
# Faster than a car in town, between two inspections: one of the two positions or times is wrong.
# Only a move beyond both fixes' accuracy and beyond a GPS jump counts.
MAX_SPEED_KMH = 120
MIN_MOVE_M = 500


class Doubt(StrEnum):
    IMPRECISE_POSITION = "imprecise_position"
    OUTSIDE_TERRITORY = "outside_territory"
    PHOTO_ELSEWHERE = "photo_elsewhere"
    PHOTO_AT_ANOTHER_TIME = "photo_at_another_time"
    LATE_ENTRY = "late_entry"
    CLOCK_AHEAD = "clock_ahead"  # a record without the phone's sending time: judged by its own
    CLOCK_OFF = "clock_off"
    IMPOSSIBLE_SPEED = "impossible_speed"


WORDING: dict[Doubt, str] = {
    Doubt.IMPRECISE_POSITION: N_("Position GPS imprécise : {accuracy} m (seuil : {limit} m)."),
    Doubt.OUTSIDE_TERRITORY: N_("Position GPS hors du territoire de la commune ({lat}, {lon})."),
    Doubt.PHOTO_ELSEWHERE: N_("Photo {n} prise à {distance} m de la position du constat."),
    Doubt.PHOTO_AT_ANOTHER_TIME: N_("Photo {n} prise {minutes} min avant ou après le constat."),
    Doubt.LATE_ENTRY: N_("Saisie après le délai hors ligne : {reason}"),
    Doubt.CLOCK_AHEAD: N_("Horloge du téléphone en avance de {minutes} min sur le serveur."),
    Doubt.CLOCK_OFF: N_("Horloge du téléphone à {minutes} min du serveur à l'envoi."),
    Doubt.IMPOSSIBLE_SPEED: N_(
        "Vitesse impossible : {speed} km/h avec le contrôle du {at} du même agent ({distance} m)."
    ),
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


@dataclass(frozen=True)
class Fix:
    """Where and when an officer recorded an inspection."""

    inspection_id: UUID
    at: datetime
    lat: float
    lon: float
    accuracy_m: float | None


class FieldRecord(Protocol):
    """The facts judged; an ``Inspection`` has them, and so does a read model's row."""

    @property
    def id(self) -> UUID: ...
    @property
    def observed_at(self) -> datetime: ...
    @property
    def created_on(self) -> datetime: ...  # the server's time of receipt
    @property
    def sent_at(self) -> datetime | None: ...
    @property
    def clock_trusted(self) -> bool: ...
    @property
    def late_reason(self) -> str: ...
    @property
    def location(self) -> dict[str, Any]: ...
    @property
    def evidence(self) -> list[dict[str, Any]]: ...


class Track(Protocol):
    """An officer's inspections in time order, kept outside the domain (a read model)."""

    def neighbours(self, officer_id: UUID, inspection_id: UUID) -> Sequence[Fix]:
        """The fixes of the officer's inspections just before and just after this one."""
        ...


def fix_of(record: FieldRecord) -> Fix | None:
    place = record.location
    if place.get("lat") is None or place.get("lon") is None:
        return None
    return Fix(record.id, record.observed_at, place["lat"], place["lon"], place.get("accuracy_m"))


def flags_of(
    record: FieldRecord,
    rules: BrigadeRules,
    territory: Territory,
    neighbours: Sequence[Fix] = (),
) -> list[Flag]:
    """The doubts the record raises, in the order a reader checks them. ``neighbours``: the
    officer's inspections just before and after it (none: the speed is not judged)."""
    found: list[Flag] = []
    place = record.location
    accuracy = place.get("accuracy_m")
    if accuracy is not None and accuracy > rules.accuracy_threshold_m:
        limit = rules.accuracy_threshold_m
        found.append(Flag(Doubt.IMPRECISE_POSITION, {"accuracy": round(accuracy), "limit": limit}))
    here = fix_of(record)
    if here is not None and not territory.contains(here.lat, here.lon):
        where = {"lat": f"{here.lat:.5f}", "lon": f"{here.lon:.5f}"}
        found.append(Flag(Doubt.OUTSIDE_TERRITORY, where))
    found += _photo_flags(record, territory.timezone)
    if not record.clock_trusted:
        found.append(Flag(Doubt.LATE_ENTRY, {"reason": record.late_reason or "—"}))
    found += _clock_flags(record)
    if here is not None:
        found += _speed_flags(here, neighbours, territory.timezone)
    return found


def _photo_flags(record: FieldRecord, zone: tzinfo) -> list[Flag]:
    found: list[Flag] = []
    place = record.location
    for n, photo in enumerate(record.evidence, start=1):
        if None not in (photo.get("latitude"), place.get("lat")):
            taken_at = (photo["latitude"], photo["longitude"])
            metres = distance_m(taken_at, (place["lat"], place["lon"]))
            if metres > PHOTO_DISTANCE_M:
                found.append(Flag(Doubt.PHOTO_ELSEWHERE, {"n": n, "distance": round(metres)}))
        if photo.get("captured_at") is not None:
            gap = abs(_aware(photo["captured_at"], zone) - record.observed_at)
            if gap > PHOTO_DELAY:
                minutes = int(gap.total_seconds() // 60)
                said = {"minutes": minutes} if minutes < 120 else {"hours": minutes // 60}
                found.append(Flag(Doubt.PHOTO_AT_ANOTHER_TIME, {"n": n, **said}))
    return found


def _clock_flags(record: FieldRecord) -> list[Flag]:
    if record.sent_at is None:
        # Made before phones said when they sent: only a time ahead of the receipt shows.
        ahead = record.observed_at - record.created_on
        if ahead > CLOCK_SKEW:
            return [Flag(Doubt.CLOCK_AHEAD, {"minutes": int(ahead.total_seconds() // 60)})]
        return []
    off = record.sent_at - record.created_on
    if abs(off) > CLOCK_SKEW:
        minutes = int(off.total_seconds() / 60)
        return [Flag(Doubt.CLOCK_OFF, {"minutes": f"{minutes:+d}"})]
    return []


def _speed_flags(here: Fix, neighbours: Sequence[Fix], zone: tzinfo) -> list[Flag]:
    found: list[Flag] = []
    for other in neighbours:
        metres = distance_m((here.lat, here.lon), (other.lat, other.lon))
        moved = metres - (here.accuracy_m or 0) - (other.accuracy_m or 0)
        if moved <= MIN_MOVE_M:
            continue
        hours = abs((here.at - other.at).total_seconds()) / 3600
        if hours == 0 or moved / 1000 / hours > MAX_SPEED_KMH:
            speed = "∞" if hours == 0 else str(round(moved / 1000 / hours))
            at = other.at.astimezone(zone).strftime("%d/%m/%Y %H:%M")
            found.append(
                Flag(Doubt.IMPOSSIBLE_SPEED, {"speed": speed, "at": at, "distance": round(metres)})
            )
    return found


def _aware(moment: datetime, zone: tzinfo) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)
