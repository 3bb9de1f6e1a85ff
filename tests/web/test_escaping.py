"""Markup typed by a user comes out as text on every page that shows it: a trade name on the case
list and the case page, a supervisor's note in the timeline, observations on the officer's form
redrawn after a refusal. Autoescaping off would run it in the next reader's browser."""

from __future__ import annotations

from starlette.testclient import TestClient

from police.app import PoliceApp
from police.commands import ValidateCase
from police.identifiers import SubjectInput
from tests.police import builders
from tests.police.builders import Staff
from tests.web.conftest import log_in
from tests.web.test_officer_pages import post

SCRIPT = '<script>alert("x")</script>'
ESCAPED = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;"


def test_a_trade_name_and_a_note_with_markup_are_shown_as_text(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    subject = SubjectInput(kind="establishment", trade_name=f"Café {SCRIPT}", ice=builders.CAFE_ICE)
    receipt = police.record_inspection(builders.hygiene(subject=subject), staff.hygiene_officer)
    assert receipt.case_id is not None
    police.change_case(
        ValidateCase(case_id=receipt.case_id, note=f"Vu {SCRIPT}"), staff.hygiene_chief
    )
    log_in(client, "chef.hygiene")

    listed = client.get("/cases").text
    assert f"Café {ESCAPED}" in listed
    assert SCRIPT not in listed
    shown = client.get(f"/cases/{receipt.case_id}").text
    assert f"Café {ESCAPED}" in shown
    assert f"Vu {ESCAPED}" in shown
    assert SCRIPT not in shown


def test_observations_with_markup_are_redrawn_as_text_after_a_refusal(
    client: TestClient, staff: Staff
) -> None:
    token = log_in(client, "agent.hygiene")
    refused = post(
        client,
        token,
        {
            "brigade": "hygiene",
            "subject_kind": "establishment",
            "trade_name": "",  # required: the form comes back with what was typed
            "finding": ["HYG-02"],
            "observations": f"Sols sales {SCRIPT}",
        },
    )
    assert refused.status_code == 400
    assert f"Sols sales {ESCAPED}" in refused.text
    assert SCRIPT not in refused.text
