"""What a court could doubt in a record, flagged from the record itself: each flag below is
written out, and a clean record raises none."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from police import clock
from police.app import PoliceApp
from police.plausibility import Doubt, Flag
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
