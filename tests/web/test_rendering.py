"""Pages in words: counted things are said with their number, in the reader's plural."""

from __future__ import annotations

from starlette.testclient import TestClient

from police.app import PoliceApp
from police.submission import Location
from tests.police import builders
from tests.police.builders import Staff
from tests.web.conftest import log_in


def test_the_case_list_says_how_many_cases_it_holds(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    police.record_inspection(builders.hygiene(), staff.hygiene_officer)
    elsewhere = Location(arrondissement="anfa", address="7 rue de Fès")
    police.record_inspection(builders.hygiene(location=elsewhere), staff.hygiene_officer)
    log_in(client, "chef.hygiene")
    page = client.get("/cases").text
    assert "2 dossiers" in page
    assert "%(num)" not in page
