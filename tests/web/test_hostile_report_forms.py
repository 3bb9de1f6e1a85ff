"""Hostile input on the residents' and recipients' forms: the report form, following a report,
the duplicate prompt, the tracking link, the notice's door and the recipient's contestation and
declaration. Any text, any bytes as files: the answer is a success or a 4xx with a message,
never a 500, and a refusal writes nothing (the limits per address are lifted here so that every
example reaches the checks)."""

from __future__ import annotations

import io
from urllib.parse import quote

from hypothesis import given
from hypothesis import strategies as st
from starlette.testclient import TestClient

from police.app import PoliceApp
from police.commands import IssueNotice, ValidateCase
from police.evidence import Photo
from police.workflow import NoticeKind
from tests.police import builders
from tests.police.builders import Staff, event_count
from tests.police.test_reports import car_on_sidewalk
from tests.storage import photos
from tests.web.conftest import services_of, token_of
from tests.web.test_hostile_input import FUZZ, nasty_text, numberish
from tests.web.test_hostile_public_forms import files

GOOD = {
    "category": "parking-sidewalk",
    "lat": "33.5975",
    "lon": "-7.6170",
    "accuracy": "8",
    "address": "Boulevard Mohammed V",
    "description": "Une voiture garée sur le trottoir.",
    "email": "",
    "phone": "",
    "nearby_seen": "1",
    "website": "",
}


def lifted(client: TestClient) -> None:
    found = services_of(client)
    for throttle in (found.report_throttle, found.public_throttle, found.access_throttle):
        throttle.limit = 1_000_000


@st.composite
def report_forms(draw: st.DrawFn) -> dict[str, str]:
    return {
        name: draw(st.one_of(st.just(good), nasty_text, numberish)) for name, good in GOOD.items()
    }


def test_the_report_form_and_its_prompt_never_fail(client: TestClient, police: PoliceApp) -> None:
    lifted(client)
    open_one = police.submit_report(car_on_sidewalk()).number
    token = token_of(client.get("/signaler").text)

    @FUZZ
    @given(
        form=report_forms(),
        uploads=files,
        follow=st.one_of(st.none(), st.just(open_one), nasty_text),
    )
    def check(
        form: dict[str, str], uploads: list[tuple[str, str, bytes]], follow: str | None
    ) -> None:
        before = event_count(police)
        path = "/signaler" if follow is None else f"/signaler/{quote(follow, safe='')}/suivre"
        response = client.post(
            path,
            data={"csrf_token": token, **form},
            files=[(f, (n or "f", d, "application/octet-stream")) for f, n, d in uploads],
        )
        assert response.status_code in (200, 303, 307, 400, 404, 409), response.text[:500]
        if response.status_code not in (303,):
            assert event_count(police) == before
        prompt = client.get(
            "/signaler/proches",
            params={k: form[k] for k in ("category", "lat", "lon")},
        )
        assert prompt.status_code == 200

    check()


def test_the_tracking_link_and_the_recipient_s_door_never_fail(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    lifted(client)
    sent = police.submit_report(car_on_sidewalk())
    receipt = police.record_inspection(
        builders.hygiene(),
        staff.hygiene_officer,
        [Photo("a.jpg", io.BytesIO(photos.jpeg_with_exif()))],
    )
    assert receipt.case_id is not None
    police.change_case(ValidateCase(case_id=receipt.case_id), staff.hygiene_chief)
    notice = police.issue_notice(
        IssueNotice(case_id=receipt.case_id, kind=NoticeKind.MISE_EN_DEMEURE), staff.legal
    )
    token = token_of(client.get("/mon-avis").text)

    @FUZZ
    @given(
        number=st.one_of(st.just(sent.number), st.just(notice.number), nasty_text),
        secret=st.one_of(st.just(sent.secret), st.just(notice.access_code), nasty_text),
        action=st.sampled_from(["contester", "conformite", "photos/0", "photos/99"]),
        text=nasty_text,
        uploads=files,
    )
    def check(
        number: str, secret: str, action: str, text: str, uploads: list[tuple[str, str, bytes]]
    ) -> None:
        tracked = client.get(f"/signaler/suivi/{quote(number, safe='')}/{quote(secret, safe='')}")
        assert tracked.status_code in (200, 307, 404, 429)
        if tracked.status_code == 307:  # a secret ending in "/": the router drops the slash
            assert tracked.headers["location"].startswith("http://testserver/signaler/suivi/")
        before = event_count(police)
        opened = client.post(
            "/mon-avis",
            data={"csrf_token": token, "number": number, "code": secret, "website": ""},
        )
        assert opened.status_code in (303, 400), opened.text[:500]
        if action.startswith("photos"):
            assert client.get(f"/mon-avis/{action}").status_code in (200, 403, 404)
            return
        acted = client.post(
            f"/mon-avis/{action}",
            data={"csrf_token": token, "grounds": text, "statement": text, "website": ""},
            files=[(f, (n or "f", d, "application/octet-stream")) for f, n, d in uploads],
        )
        assert acted.status_code in (303, 400, 403, 409), acted.text[:500]
        if acted.status_code != 303:
            assert event_count(police) == before
            assert "<h1" in acted.text

    check()
