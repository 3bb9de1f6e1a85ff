"""The OGC API's items parameters, by hand-made requests: ``datetime`` as an instant or an
interval open at either end, on the cases' opening and the inspections' observation; a
malformed parameter answers 400 with an OGC exception in the request's language, and nothing
is recorded."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from police.app import PoliceApp
from tests.police.builders import Staff, event_count, topics_since
from tests.web.conftest import app_of
from tests.web.ogc_records import DAYS, ZERKTOUNI, hygiene_case, projected

pytestmark = pytest.mark.postgres


@pytest.fixture
def token(client: TestClient, police: PoliceApp, staff: Staff) -> str:
    """The hygiene chief's token, with a case opened on each of DAYS (two on the 21st)."""
    for n, at in enumerate([DAYS[0], DAYS[1], DAYS[1], DAYS[2]]):
        hygiene_case(police, staff, n, at, ZERKTOUNI)
    projected(app_of(client), police)
    return police.issue_api_token(staff.admin, staff.hygiene_chief, label="QGIS").token


def items(client: TestClient, token: str, collection: str = "cases", **params: str) -> dict:
    response = client.get(
        f"/ogc/collections/{collection}/items",
        params=params,
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/geo+json"
    return response.json()


def days_of(page: dict, name: str = "opened_at") -> list[str]:
    return [f["properties"][name][:10] for f in page["features"]]


@pytest.mark.parametrize(
    ("datetime", "days"),
    [
        ("2026-11-21", ["2026-11-21", "2026-11-21"]),  # a day: the whole day
        ("2026-11-21T10:00:00Z", ["2026-11-21", "2026-11-21"]),  # an instant, to the second
        ("2026-11-21T11:00:00+01:00", ["2026-11-21", "2026-11-21"]),  # the same, elsewhere
        ("2026-11-21T10:00:01Z", []),
        ("2026-11-21T00:00:00Z/..", ["2026-11-21", "2026-11-21", "2026-11-22"]),
        ("../2026-11-21T09:59:59Z", ["2026-11-20"]),
        ("/2026-11-21", ["2026-11-20", "2026-11-21", "2026-11-21"]),
        ("2026-11-20/2026-11-21", ["2026-11-20", "2026-11-21", "2026-11-21"]),
    ],
)
def test_datetime_filters_cases_on_their_opening(
    client: TestClient, token: str, datetime: str, days: list[str]
) -> None:
    page = items(client, token, datetime=datetime)
    assert days_of(page) == days
    assert page["numberMatched"] == len(days)


def test_datetime_filters_inspections_on_their_observation(client: TestClient, token: str) -> None:
    """Each was observed a minute before its case opened: 09:59 is in, 10:00 is past it."""
    page = items(client, token, "inspections", datetime="2026-11-22T09:58:00Z/2026-11-22T09:59:00Z")
    assert days_of(page, "observed_at") == ["2026-11-22"]
    assert items(client, token, "inspections", datetime="2026-11-22T10:00:00Z/..")["features"] == []


def test_a_limit_above_the_maximum_is_served_at_the_maximum(client: TestClient, token: str) -> None:
    page = items(client, token, limit="5000")
    assert page["numberReturned"] == 4
    assert "limit=1000" not in str(page["links"])  # no next page: all four are here


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"bbox": "-7.64,33.58,-7.62"}, "bbox"),
        ({"bbox": "-7.64,33.58,-7.62,33.59,0,1"}, "bbox"),
        ({"bbox": "ouest,sud,est,nord"}, "bbox"),
        ({"bbox": "-7.64,95,-7.62,96"}, "bbox"),
        ({"bbox": "-190,33.58,-7.62,33.59"}, "bbox"),
        ({"bbox": "-7.64,33.59,-7.62,33.58"}, "bbox"),  # south above north
        ({"bbox": "-7.64,nan,-7.62,33.59"}, "bbox"),
        ({"limit": "dix"}, "limit"),
        ({"limit": "0"}, "limit"),
        ({"limit": "-5"}, "limit"),
        ({"offset": "-1"}, "offset"),
        ({"datetime": "hier"}, "datetime"),
        ({"datetime": "2026-11-21T10:00:00"}, "datetime"),  # no zone: which moment?
        ({"datetime": "2026-11-22/2026-11-20"}, "datetime"),  # the wrong way round
        ({"datetime": "../.."}, "datetime"),
        ({"datetime": "2026-13-01"}, "datetime"),
        ({"f": "html"}, "Format"),
        ({"bbox-crs": "EPSG:26191"}, "bbox-crs"),
        ({"filter": "status='opened'"}, "filter"),
    ],
)
def test_a_malformed_parameter_is_refused_with_an_ogc_exception(
    client: TestClient, police: PoliceApp, token: str, params: dict[str, str], named: str
) -> None:
    before = event_count(police)
    response = client.get(
        "/ogc/collections/cases/items", params=params, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "InvalidParameterValue"
    assert named in body["description"]
    # Nothing but the token's first use of the day: it was valid, the parameter was not.
    assert topics_since(police, before) == ["police.aggregates.user:User.ApiTokenUsed"]


def test_the_exception_reads_in_arabic_when_the_client_asks_for_it(
    client: TestClient, token: str
) -> None:
    headers = {"Authorization": f"Bearer {token}", "Accept-Language": "ar-MA,ar;q=0.9"}
    response = client.get("/ogc/collections/cases/items?limit=dix", headers=headers)
    assert response.status_code == 400
    assert "limit" in response.json()["description"]
    assert "عدد" in response.json()["description"]
    response = client.get("/ogc/collections/cases/items", headers={"Accept-Language": "ar"})
    assert response.status_code == 401
    assert "Authorization: Bearer" in response.json()["description"]
    assert "رمز" in response.json()["description"]
    landing = client.get("/ogc", headers=headers).json()
    assert "الشرطة" in landing["title"]


def test_an_unknown_collection_or_feature_is_a_404_exception(
    client: TestClient, token: str
) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    for path in (
        "/ogc/collections/subjects",
        "/ogc/collections/subjects/items",
        "/ogc/collections/cases/items/00000000-0000-0000-0000-000000000000",
        "/ogc/collections/cases/items/pas-un-id",
    ):
        response = client.get(path, headers=headers)
        assert response.status_code == 404, path
        assert response.json()["code"] == "NotFound"
