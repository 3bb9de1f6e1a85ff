"""The territory file: the demo territory carries no boundaries; a territory that names a
GeoJSON file of its arrondissements has each outline checked at load, and a wrong file stops
the start with a message naming the file and what is wrong."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from police.territory import BoundariesError, Territory

FIXTURES = Path(__file__).parents[1] / "data" / "territories"
WEST = [[-7.62, 33.59], [-7.61, 33.59], [-7.61, 33.60], [-7.62, 33.60], [-7.62, 33.59]]
EAST = [[-7.61, 33.59], [-7.60, 33.59], [-7.60, 33.60], [-7.61, 33.60], [-7.61, 33.59]]


def squares() -> Territory:
    return Territory.load("squares", FIXTURES)


def feature(code: Any, geometry: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "properties": {"code": code}, "geometry": geometry}


def polygon(ring: list[list[float]]) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": [ring]}


def with_boundaries(tmp_path: Path, doc: Any) -> Path:
    """The test territory beside a boundary file holding ``doc``."""
    shutil.copy(FIXTURES / "squares.yaml", tmp_path / "squares.yaml")
    text = doc if isinstance(doc, str) else json.dumps(doc)
    (tmp_path / "squares-arrondissements.geojson").write_text(text, encoding="utf-8")
    return tmp_path


def test_the_demo_territory_has_no_boundaries() -> None:
    casablanca = Territory.load()
    assert len(casablanca.arrondissements) == 16
    assert casablanca.boundaries == {}
    assert casablanca.arrondissement_containing(33.5861, -7.6329) is None
    assert casablanca.boundaries_geojson() == {"type": "FeatureCollection", "features": []}


def test_a_territory_with_boundaries_knows_which_arrondissement_holds_a_point() -> None:
    territory = squares()
    assert set(territory.boundaries) == {"ouest", "est"}
    assert territory.arrondissement_containing(33.595, -7.615) == territory.arrondissements["ouest"]
    assert territory.arrondissement_containing(33.595, -7.605) == territory.arrondissements["est"]
    assert territory.arrondissement_containing(33.595, -7.61) is not None  # the shared edge
    assert territory.arrondissement_containing(33.62, -7.615) is None
    assert territory.metres_outside("ouest", 33.595, -7.615) == 0
    # One hundredth of a degree of longitude is about 928 m at this latitude.
    assert territory.metres_outside("ouest", 33.595, -7.60) == pytest.approx(928, abs=5)


def test_the_boundaries_are_served_with_their_codes_and_names() -> None:
    served = squares().boundaries_geojson()
    by_code = {f["properties"]["code"]: f for f in served["features"]}
    assert by_code["ouest"]["properties"] == {
        "code": "ouest",
        "name_fr": "Carré ouest",
        "name_ar": "المربع الغربي",
    }
    assert by_code["est"]["geometry"]["type"] == "Polygon"
    assert [list(p) for p in by_code["est"]["geometry"]["coordinates"][0]] == EAST


BOWTIE = [[-7.62, 33.59], [-7.61, 33.60], [-7.61, 33.59], [-7.62, 33.60], [-7.62, 33.59]]


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ("{not json", "not JSON"),
        ({"type": "Feature"}, "a GeoJSON FeatureCollection is expected"),
        (
            {"type": "FeatureCollection", "features": [feature("nord", polygon(WEST))]},
            "unknown arrondissement code 'nord' \\(known: est, ouest\\)",
        ),
        (
            {"type": "FeatureCollection", "features": [feature(None, polygon(WEST))]},
            "unknown arrondissement code None",
        ),
        (
            {
                "type": "FeatureCollection",
                "features": [feature("ouest", polygon(WEST)), feature("ouest", polygon(EAST))],
            },
            "arrondissement 'ouest' already has a boundary",
        ),
        (
            {"type": "FeatureCollection", "features": [feature("ouest", polygon(WEST))]},
            "no boundary for est",
        ),
        (
            {
                "type": "FeatureCollection",
                "features": [feature("ouest", polygon(BOWTIE)), feature("est", polygon(EAST))],
            },
            "feature 1 \\(ouest\\): invalid polygon \\(Self-intersection",
        ),
        (
            {
                "type": "FeatureCollection",
                "features": [
                    feature("ouest", {"type": "Point", "coordinates": [-7.615, 33.595]}),
                    feature("est", polygon(EAST)),
                ],
            },
            "a Polygon or MultiPolygon is expected, not Point",
        ),
        (
            {
                "type": "FeatureCollection",
                "features": [
                    feature("ouest", {"type": "Polygon", "coordinates": "x"}),
                    feature("est", polygon(EAST)),
                ],
            },
            "feature 1 \\(ouest\\): unreadable geometry",
        ),
        (
            {
                "type": "FeatureCollection",
                "features": [
                    feature("ouest", polygon([[p[1], p[0]] for p in WEST])),
                    feature("est", polygon([[p[0], p[1] + 100] for p in EAST])),
                ],
            },
            "feature 2 \\(est\\): coordinates out of range",
        ),
    ],
)
def test_a_wrong_boundary_file_stops_the_start_naming_the_file(
    tmp_path: Path, doc: Any, message: str
) -> None:
    directory = with_boundaries(tmp_path, doc)
    with pytest.raises(BoundariesError, match=message) as refused:
        Territory.load("squares", directory)
    assert "squares-arrondissements.geojson" in str(refused.value)


def test_a_missing_boundary_file_stops_the_start(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "squares.yaml", tmp_path / "squares.yaml")
    with pytest.raises(BoundariesError, match="unreadable boundary file"):
        Territory.load("squares", tmp_path)
