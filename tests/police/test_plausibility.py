"""What a court could doubt in a record, flagged from the record itself (and, for the speed,
from the officer's neighbouring inspections): each flag below is written out, and a clean record
raises none."""

from __future__ import annotations

import io
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from police import clock
from police.app import PoliceApp
from police.plausibility import Doubt, Fix, Flag, flags_of
from police.submission import Position
from storage.evidence import store_photo
from storage.local import LocalObjectStore
from tests.police import builders
from tests.police.builders import Staff
from tests.storage import photos
from web.photos import evidence_of

# The test photo says it was taken on 2026-11-20 at 10:42:07 +01:00 (09:42:07 UTC), at Place des
# Nations Unies, about 1.65 km from 112 boulevard Zerktouni, where the builder's café is.
TAKEN = datetime(2026, 11, 20, 9, 42, 7, tzinfo=UTC)


def doubts(app: PoliceApp, staff: Staff, at: datetime, **changes: object) -> list[Flag]:
    with clock.frozen_at(at):
        receipt = app.record_inspection(builders.hygiene(**changes), staff.hygiene_officer)
    return app.doubts(app.get_inspection(receipt.inspection_id))


def test_a_clean_record_raises_no_doubt(app: PoliceApp, staff: Staff) -> None:
    assert doubts(app, staff, TAKEN, observed_at=TAKEN) == []


def test_a_position_less_precise_than_the_brigade_accepts(app: PoliceApp, staff: Staff) -> None:
    vague = replace(builders.ZERKTOUNI, accuracy_m=80)
    assert doubts(app, staff, TAKEN, observed_at=TAKEN, location=vague) == [
        Flag(Doubt.IMPRECISE_POSITION, {"accuracy": 80, "limit": 50})
    ]
    at_the_limit = replace(builders.ZERKTOUNI, accuracy_m=50)
    assert doubts(app, staff, TAKEN, observed_at=TAKEN, location=at_the_limit) == []


def test_a_photo_taken_elsewhere_or_at_another_time(
    app: PoliceApp, staff: Staff, objects: LocalObjectStore
) -> None:
    photo = evidence_of(store_photo(objects, io.BytesIO(photos.jpeg_with_exif())))
    seen = TAKEN - timedelta(minutes=42)
    [elsewhere, later] = doubts(app, staff, seen, observed_at=seen, evidence=(photo,))
    assert elsewhere.doubt is Doubt.PHOTO_ELSEWHERE
    assert elsewhere.params["n"] == 1
    assert elsewhere.params["distance"] == pytest.approx(1652, abs=15)
    assert later == Flag(Doubt.PHOTO_AT_ANOTHER_TIME, {"n": 1, "minutes": 42})


def test_a_late_entry_and_a_phone_clock_ahead(app: PoliceApp, staff: Staff) -> None:
    reason = "Terminal en panne"
    late = doubts(app, staff, TAKEN, observed_at=TAKEN - timedelta(days=4), late_reason=reason)
    assert late == [Flag(Doubt.LATE_ENTRY, {"reason": reason})]
    ahead = doubts(app, staff, TAKEN, observed_at=TAKEN + timedelta(minutes=7))
    assert ahead == [Flag(Doubt.CLOCK_AHEAD, {"minutes": 7})]
    within = doubts(app, staff, TAKEN, observed_at=TAKEN + timedelta(minutes=5))
    assert within == []


def test_a_photo_hours_away_from_the_observation_is_told_in_hours(
    app: PoliceApp, staff: Staff, objects: LocalObjectStore
) -> None:
    photo = evidence_of(store_photo(objects, io.BytesIO(photos.jpeg_with_exif())))
    seen = TAKEN + timedelta(hours=3, minutes=10)
    near = replace(builders.ZERKTOUNI, lat=photos.LATITUDE, lon=photos.LONGITUDE)
    [later] = doubts(app, staff, seen, observed_at=seen, evidence=(photo,), location=near)
    assert later == Flag(Doubt.PHOTO_AT_ANOTHER_TIME, {"n": 1, "hours": 3})
    assert later.template == "Photo {n} prise {hours} h avant ou après le constat."


def test_a_position_outside_the_territory_is_recorded_and_flagged(
    app: PoliceApp, staff: Staff
) -> None:
    rabat = replace(builders.ZERKTOUNI, lat=34.02, lon=-6.84)
    assert doubts(app, staff, TAKEN, observed_at=TAKEN, location=rabat) == [
        Flag(Doubt.OUTSIDE_TERRITORY, {"lat": "34.02000", "lon": "-6.84000"})
    ]


def test_a_phone_clock_off_at_sending_is_flagged_either_way(app: PoliceApp, staff: Staff) -> None:
    behind = doubts(app, staff, TAKEN, observed_at=TAKEN, sent_at=TAKEN - timedelta(minutes=8))
    assert behind == [Flag(Doubt.CLOCK_OFF, {"minutes": "-8"})]
    # Sent from the outbox two days after it was observed, by a phone 12 minutes ahead.
    seen = TAKEN - timedelta(days=2)
    ahead = doubts(app, staff, TAKEN, observed_at=seen, sent_at=TAKEN + timedelta(minutes=12))
    assert ahead == [Flag(Doubt.CLOCK_OFF, {"minutes": "+12"})]
    close = doubts(app, staff, TAKEN, observed_at=TAKEN, sent_at=TAKEN + timedelta(minutes=4))
    assert close == []


def test_the_position_when_the_form_opened_and_the_sending_time_are_kept(
    app: PoliceApp, staff: Staff
) -> None:
    sent = TAKEN + timedelta(seconds=20)
    with clock.frozen_at(TAKEN + timedelta(seconds=21)):
        receipt = app.record_inspection(
            builders.hygiene(
                observed_at=TAKEN, opened_position=Position(33.5881, -7.6322, 9), sent_at=sent
            ),
            staff.hygiene_officer,
        )
    record = app.get_inspection(receipt.inspection_id)
    assert record.opened_location == {"lat": 33.5881, "lon": -7.6322, "accuracy_m": 9}
    assert record.sent_at == sent


def fix(minutes: float, lat: float, lon: float, accuracy: float | None = 10) -> Fix:
    return Fix(uuid.uuid4(), TAKEN + timedelta(minutes=minutes), lat, lon, accuracy)


SPEED_CASES = [
    # From 112 bd Zerktouni (33.5861, -7.6329) to Aïn Sebaâ: 0.0539° north (5.99 km) and 0.1029°
    # east (9.53 km at this latitude), 11.26 km; less both accuracies (8 + 10 m), in 3 min:
    # 225 km/h.
    ("a car could not", fix(-3, 33.6400, -7.5300), True),
    # The same 11.26 km in 10 min: 67 km/h, by car in town.
    ("a car could", fix(-10, 33.6400, -7.5300), False),
    # 300 m in 5 s (216 km/h): a GPS jump, not a move.
    ("a jump", fix(-1 / 12, 33.5888, -7.6329), False),
    # 378 m apart, within the other fix's 400 m, at the same second.
    ("the same place", fix(0, 33.5895, -7.6330, 400), False),
]


@pytest.mark.parametrize(
    ("other", "impossible"), [c[1:] for c in SPEED_CASES], ids=[c[0] for c in SPEED_CASES]
)
def test_an_officers_impossible_speed_between_two_inspections(
    app: PoliceApp, staff: Staff, other: Fix, impossible: bool
) -> None:
    with clock.frozen_at(TAKEN):
        receipt = app.record_inspection(builders.hygiene(observed_at=TAKEN), staff.hygiene_officer)
    record = app.get_inspection(receipt.inspection_id)
    rules = app.catalogue.latest.rules(record.brigade)
    flags = flags_of(record, rules, app.territory, [other])
    found = [f for f in flags if f.doubt is Doubt.IMPOSSIBLE_SPEED]
    if not impossible:
        assert found == []
        return
    [speed] = found
    assert int(speed.params["speed"]) == pytest.approx(225, abs=2)
    assert speed.params["distance"] == pytest.approx(11257, abs=20)
    assert speed.params["at"] == "20/11/2026 10:39"  # the other inspection, in local time
