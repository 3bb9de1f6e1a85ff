"""The supervisors' campaign pages, as a public-domain chief drives them: the targets previewed
(htmx and without JavaScript), the campaign planned from the form with the targets ticked,
listed with its progress, its page, targets added, closed with a note and its summary; a bad
form answered 400 with nothing written, a stale one 409, an officer refused."""

from __future__ import annotations

import html
import re
from dataclasses import replace
from datetime import timedelta
from uuid import UUID

from starlette.testclient import TestClient

from police.app import PoliceApp
from police.submission import Location
from tests.police import builders
from tests.police.builders import Staff, event_count, hire
from tests.web.conftest import log_in

PREVIEW = {"brigade": "public_domain", "arrondissements": "anfa", "kinds": "permit"}


def two_terraces(police: PoliceApp, staff: Staff) -> list[str]:
    """Two terraces in force in Anfa, and one in Maârif (outside the campaign)."""
    other = replace(builders.terrace().holder, trade_name="Café Rick", ice="004455667000012")
    far = replace(builders.terrace().holder, trade_name="Glacier Zerktouni", ice="005566778000023")
    place = Location(arrondissement="anfa", address="Rue Ibnou Katir", lat=33.5895, lon=-7.6440)
    clerk = staff.permits_clerk
    police.grant_permit(clerk, builders.terrace(holder=far, location=builders.ZERKTOUNI))
    return [
        police.grant_permit(clerk, builders.terrace()),
        police.grant_permit(clerk, builders.terrace(holder=other, location=place)),
    ]


def plan_form(
    police: PoliceApp, token: str, team: list[UUID], **changes: object
) -> dict[str, object]:
    today = police.today()
    return {
        "csrf_token": token,
        "brigade": "public_domain",
        "theme": "Terrasses de l'été",
        "starts_on": today.isoformat(),
        "ends_on": (today + timedelta(days=14)).isoformat(),
        "arrondissements": ["anfa"],
        "officers": [str(o) for o in team],
        "kinds": ["permit"],
        "step": "plan",
    } | changes


def officers(police: PoliceApp, staff: Staff) -> list[UUID]:
    return [staff.odp_officer, hire(police, "agent.odp2", ["officer"], ["public_domain"])]


def test_a_chief_previews_the_targets_plans_the_campaign_and_closes_it(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    permits = two_terraces(police, staff)
    team = officers(police, staff)
    token = log_in(client, "chef.odp")
    assert 'href="/campaigns"' in client.get("/cases").text  # in the supervisors' navigation
    form = client.get("/campaigns/new")
    assert form.status_code == 200
    assert 'id="campaign-zone-map"' in form.text
    assert 'name="zone"' in form.text
    assert all(f'value="{o}"' in form.text for o in team)  # the brigade's active officers
    # The preview: htmx asks for the partial, every candidate ticked; Maârif's is not one.
    partial = client.get(
        "/campaigns/new", params=PREVIEW | {"preview": "1"}, headers={"HX-Request": "true"}
    )
    assert partial.status_code == 200
    assert "<form" not in partial.text
    keys = re.findall(r'name="targets" value="([^"]+)" id="[^"]+" checked', partial.text)
    assert sorted(keys) == sorted(f"permit:{n}" for n in permits)
    assert "Glacier Zerktouni" not in partial.text
    # Without JavaScript the same button posts the form back: redrawn, nothing written.
    before = event_count(police)
    redrawn = client.post("/campaigns", data=plan_form(police, token, team, step="preview"))
    assert redrawn.status_code == 200
    assert all(f'value="{k}"' in redrawn.text for k in keys)
    assert event_count(police) == before

    planned = client.post("/campaigns", data=plan_form(police, token, team, targets=keys))
    assert planned.status_code == 303, planned.text
    number = planned.headers["location"].removeprefix("/campaigns/")
    assert number == f"CAM-{police.today().year}-000001"
    campaign = police.find_campaign(number)
    assert campaign is not None
    assert set(campaign.targets) == set(keys)
    assert campaign.targets[keys[0]]["label"].endswith(keys[0].removeprefix("permit:"))

    listed = client.get("/campaigns")
    assert number in listed.text
    assert "Terrasses de l&#39;été" in listed.text
    assert "0 / 2" in listed.text
    page = client.get(f"/campaigns/{number}")
    assert page.status_code == 200
    assert "En cours" in page.text
    assert 'id="campaign-map"' in page.text
    assert "Café de Paris" in html.unescape(page.text)
    assert 'id="campaign-summary"' not in page.text

    closed = client.post(
        f"/campaigns/{number}/close",
        data={"csrf_token": token, "version": str(campaign.version), "note": "Bon bilan."},
    )
    assert closed.status_code == 303
    page = client.get(f"/campaigns/{number}")
    assert 'id="campaign-summary"' in page.text
    assert "Bon bilan." in page.text
    assert "Close" in page.text
    assert 'id="close-form"' not in page.text


def test_targets_are_added_from_the_campaigns_area(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    team = officers(police, staff)
    token = log_in(client, "chef.odp")
    planned = client.post("/campaigns", data=plan_form(police, token, team))
    assert planned.status_code == 303, planned.text
    number = planned.headers["location"].removeprefix("/campaigns/")
    permits = two_terraces(police, staff)
    preview = client.get(
        f"/campaigns/{number}",
        params={"preview": "1", "kinds": "permit"},
        headers={"HX-Request": "true"},
    )
    keys = re.findall(r'name="targets" value="([^"]+)"', preview.text)
    assert sorted(keys) == sorted(f"permit:{n}" for n in permits)
    campaign = police.find_campaign(number)
    assert campaign is not None
    added = client.post(
        f"/campaigns/{number}/targets",
        data={"csrf_token": token, "version": str(campaign.version), "targets": keys[:1]},
    )
    assert added.status_code == 303
    campaign = police.find_campaign(number)
    assert campaign is not None
    assert list(campaign.targets) == keys[:1]
    # A stale page: 409 with the message, nothing written.
    before = event_count(police)
    stale = client.post(
        f"/campaigns/{number}/targets",
        data={"csrf_token": token, "version": str(campaign.version - 1), "targets": keys[1:]},
    )
    assert stale.status_code == 409
    assert "a changé entre-temps" in html.unescape(stale.text)
    stale = client.post(
        f"/campaigns/{number}/close",
        data={"csrf_token": token, "version": str(campaign.version - 1), "note": "x"},
    )
    assert stale.status_code == 409
    assert event_count(police) == before


def test_a_bad_form_is_answered_400_and_nothing_is_written(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    permits = two_terraces(police, staff)
    team = officers(police, staff)
    token = log_in(client, "chef.odp")
    today = police.today()
    before = event_count(police)
    refused: list[tuple[dict[str, object], str]] = [
        ({"ends_on": (today - timedelta(days=1)).isoformat()}, "finit avant de commencer"),
        ({"starts_on": "demain"}, "Date invalide"),
        ({"theme": ""}, "Thème"),
        ({"officers": []}, "au moins un agent"),
        ({"officers": [str(staff.hygiene_officer)]}, "agent actif de la brigade"),
        ({"zone": "[[1, 2], [3]]"}, "pas un contour valide"),
        ({"zone": "[[-7.64, 33.58], [-7.63, 33.58], [-7.64, 33.58]]"}, "pas un contour valide"),
        ({"targets": ["permit:AOT-TER-2026-999999"]}, "ne sont plus à prendre"),
        ({"targets": [f"permit:{permits[0]}"], "arrondissements": ["maarif"]}, "plus à prendre"),
    ]
    for changes, message in refused:
        response = client.post("/campaigns", data=plan_form(police, token, team, **changes))
        assert response.status_code == 400, changes
        assert 'id="campaign-form"' in response.text
        assert message in html.unescape(response.text), changes
    assert event_count(police) == before
    assert client.get("/campaigns/CAM-2026-999999").status_code == 404


def test_campaigns_are_the_supervisors_own(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    team = officers(police, staff)
    token = log_in(client, "chef.odp")
    planned = client.post("/campaigns", data=plan_form(police, token, team))
    number = planned.headers["location"].removeprefix("/campaigns/")
    client.cookies.clear()
    log_in(client, "agent.odp")
    assert client.get("/campaigns").status_code == 403
    assert client.get(f"/campaigns/{number}").status_code == 403
    client.cookies.clear()
    token = log_in(client, "chef.hygiene")  # another brigade's chief: not found
    assert number not in client.get("/campaigns").text
    assert client.get(f"/campaigns/{number}").status_code == 404
    before = event_count(police)
    response = client.post(
        f"/campaigns/{number}/close", data={"csrf_token": token, "version": "1", "note": ""}
    )
    assert response.status_code == 404
    assert event_count(police) == before
