"""Where a record says it was made: with a territory whose arrondissements have boundaries, a
GPS fix must lie in the arrondissement chosen (give or take its accuracy, or 30 m without
one), or the record is refused naming where the fix falls; with no arrondissement chosen, the
one holding the fix is taken. The demo territory has no boundaries: nothing changes there."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from police.app import PoliceApp
from police.errors import InvalidInput
from police.inspecting import check_location
from police.submission import Location
from police.territory import Territory
from tests.police import builders
from tests.police.builders import event_count, staff_of

SQUARES = Territory.load("squares", Path(__file__).parents[1] / "data" / "territories")
# The west square spans longitudes -7.62 to -7.61, the east one -7.61 to -7.60, both latitudes
# 33.59 to 33.60; 0.001 degree of longitude is about 93 m here.
IN_WEST = (33.595, -7.615)
IN_EAST = (33.595, -7.605)


def at(arrondissement: str, lat: float, lon: float, accuracy: float | None = None) -> Location:
    return Location(
        arrondissement=arrondissement, address="rue d'essai", lat=lat, lon=lon, accuracy_m=accuracy
    )


def test_a_fix_inside_the_arrondissement_chosen_is_accepted() -> None:
    place = check_location(at("ouest", *IN_WEST, accuracy=8), SQUARES)
    assert (place["arrondissement"], place["arrondissement_name"]) == ("ouest", "Carré ouest")


def test_a_fix_in_another_arrondissement_is_refused_naming_it() -> None:
    with pytest.raises(InvalidInput) as refused:
        check_location(at("ouest", *IN_EAST, accuracy=8), SQUARES)
    assert refused.value.field == "arrondissement"
    assert refused.value.message == (
        "La position GPS est dans l'arrondissement Carré est, à 464 m de Carré ouest : "
        "choisissez Carré est ou vérifiez la position."
    )


def test_a_fix_outside_every_arrondissement_is_refused_as_such() -> None:
    with pytest.raises(InvalidInput, match="hors des arrondissements, à 1109 m de Carré ouest"):
        check_location(at("ouest", 33.61, -7.615), SQUARES)


@pytest.mark.parametrize(
    ("lon", "accuracy", "accepted"),
    [
        (-7.6097, None, True),  # about 28 m into the east square: within 30 m
        (-7.6096, None, False),  # about 37 m
        (-7.6096, 40.0, True),  # within the fix's own accuracy
        (-7.6097, 20.0, False),  # the fix says it is precise: 28 m is too far
        (-7.6097, 0.0, False),
    ],
)
def test_a_fix_just_across_the_line_is_allowed_its_accuracy(
    lon: float, accuracy: float | None, accepted: bool
) -> None:
    location = at("ouest", 33.595, lon, accuracy)
    if accepted:
        assert check_location(location, SQUARES)["arrondissement"] == "ouest"
    else:
        with pytest.raises(InvalidInput, match="dans l'arrondissement Carré est"):
            check_location(location, SQUARES)


def test_without_an_arrondissement_chosen_the_one_holding_the_fix_is_taken() -> None:
    assert check_location(at("", *IN_EAST), SQUARES)["arrondissement"] == "est"
    with pytest.raises(InvalidInput, match="Arrondissement inconnu"):
        check_location(at("", 33.61, -7.615), SQUARES)
    with pytest.raises(InvalidInput, match="Arrondissement inconnu"):
        check_location(Location(arrondissement="", address="rue d'essai"), SQUARES)


def test_a_fix_outside_the_territory_is_left_to_its_own_rules() -> None:
    """Outside the territory's bounds an inspection is recorded and flagged (``plausibility``),
    a permit refused (``grant_permit``): the boundaries add no refusal of their own."""
    assert check_location(at("ouest", 34.02, -6.84), SQUARES)["arrondissement"] == "ouest"


def test_without_boundaries_the_arrondissement_chosen_is_trusted() -> None:
    casablanca = Territory.load()
    # Zerktouni (Maârif) recorded as Sidi Moumen, across the city: as before, accepted.
    place = check_location(replace(builders.ZERKTOUNI, arrondissement="sidi_moumen"), casablanca)
    assert place["arrondissement"] == "sidi_moumen"


@pytest.fixture
def squares_app(store_env: dict[str, str]) -> Iterator[PoliceApp]:
    app = PoliceApp(env=store_env, territory=SQUARES)
    yield app
    app.close()


def test_an_inspection_in_the_wrong_arrondissement_records_nothing(squares_app: PoliceApp) -> None:
    staff = staff_of(squares_app)
    before = event_count(squares_app)
    wrong = builders.hygiene(location=at("ouest", *IN_EAST, accuracy=10))
    with pytest.raises(InvalidInput, match="dans l'arrondissement Carré est"):
        squares_app.record_inspection(wrong, staff.hygiene_officer)
    assert event_count(squares_app) == before
    right = replace(wrong, location=at("est", *IN_EAST, accuracy=10))
    receipt = squares_app.record_inspection(right, staff.hygiene_officer)
    assert squares_app.get_inspection(receipt.inspection_id).location["arrondissement"] == "est"


def test_a_permit_in_the_wrong_arrondissement_is_refused(squares_app: PoliceApp) -> None:
    staff = staff_of(squares_app)
    before = event_count(squares_app)
    with pytest.raises(InvalidInput, match="hors des arrondissements"):
        squares_app.grant_permit(
            staff.permits_clerk, builders.terrace(location=at("est", 33.58, -7.605))
        )
    assert event_count(squares_app) == before
    number = squares_app.grant_permit(
        staff.permits_clerk, builders.terrace(location=at("est", *IN_EAST))
    )
    assert squares_app.find_permit(number) is not None
