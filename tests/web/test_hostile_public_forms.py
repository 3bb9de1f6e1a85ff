"""Hostile input on the e-démarches forms, public and staff: any text, any bytes as files, any
link. The answer is a success or a 4xx with a message, never a 500, and a refusal writes
nothing (the limits per address are lifted here so that every example reaches the checks)."""

from __future__ import annotations

from urllib.parse import quote

from hypothesis import given
from hypothesis import strategies as st
from starlette.testclient import TestClient

from police.app import PoliceApp
from tests.police.builders import Staff, event_count
from tests.police.test_applications import terrace_asked
from tests.storage import documents, photos
from tests.web.conftest import log_in, services_of, token_of
from tests.web.test_hostile_input import FUZZ, nasty_text, numberish

GOOD = {
    "holder_kind": "establishment",
    "trade_name": "Café Atlas",
    "ice": "001234567000089",
    "rc": "123456",
    "email": "gerant@cafe-atlas.ma",
    "phone": "0661234567",
    "address": "112 boulevard Zerktouni",
    "arrondissement": "maarif",
    "lat": "33.5861",
    "lon": "-7.6329",
    "frontage_m": "5",
    "depth_m": "2",
    "faces": "2",
    "m2_per_face": "9",
    "valid_from": "2099-01-01",
    "valid_until": "2099-06-30",
    "note": "",
    "renewal_of": "",
    "website": "",
}
files = st.lists(
    st.tuples(
        st.sampled_from(["photos", "plans", "other"]),
        nasty_text,
        st.one_of(
            st.binary(max_size=3000),
            st.sampled_from([photos.jpeg_with_exif(), documents.pdf(1), documents.encrypted_pdf()]),
        ),
    ),
    max_size=3,
)


def lifted(client: TestClient) -> None:
    found = services_of(client)
    found.application_throttle.limit = found.public_throttle.limit = 1_000_000


@st.composite
def application_forms(draw: st.DrawFn) -> dict[str, str]:
    return {
        name: draw(st.one_of(st.just(good), nasty_text, numberish)) for name, good in GOOD.items()
    }


def test_the_public_application_form_never_fails(client: TestClient, police: PoliceApp) -> None:
    lifted(client)
    token = token_of(client.get("/demarches/terrace/nouvelle").text)

    @FUZZ
    @given(
        kind=st.one_of(st.sampled_from(["terrace", "billboard", "kiosk"]), nasty_text),
        form=application_forms(),
        uploads=files,
    )
    def check(kind: str, form: dict[str, str], uploads: list[tuple[str, str, bytes]]) -> None:
        before = event_count(police)
        response = client.post(
            f"/demarches/{quote(kind, safe='')}/nouvelle",
            data={"csrf_token": token, **form},
            files=[
                (field, (name or "f", data, "application/octet-stream"))
                for field, name, data in uploads
            ],
        )
        assert response.status_code in (303, 307, 400, 404), response.text[:500]
        if response.status_code != 303:
            assert event_count(police) == before
            assert response.status_code == 307 or "<h1" in response.text

    check()


def test_the_tracking_pages_never_fail(client: TestClient, police: PoliceApp, staff: Staff) -> None:
    lifted(client)
    filed = police.submit_application(terrace_asked(police))
    police.request_documents(staff.permits_clerk, filed.number, missing="Plan")
    token = token_of(client.get("/demarches/terrace/nouvelle").text)

    @FUZZ
    @given(
        number=st.one_of(st.just(filed.number), nasty_text),
        secret=st.one_of(st.just(filed.secret), nasty_text),
        tail=st.sampled_from(["", "/documents", "/arrete.pdf", "/renouveler"]),
        note=nasty_text,
        uploads=files,
    )
    def check(
        number: str, secret: str, tail: str, note: str, uploads: list[tuple[str, str, bytes]]
    ) -> None:
        before = event_count(police)
        path = f"/demarches/suivi/{quote(number, safe='')}/{quote(secret, safe='')}{tail}"
        if tail == "/documents":
            response = client.post(
                path,
                data={"csrf_token": token, "note": note, "website": ""},
                files=[(f, (n or "f", d, "image/jpeg")) for f, n, d in uploads],
            )
        else:
            response = client.get(path)
        assert response.status_code in (200, 303, 307, 400, 403, 404, 409), response.text[:500]
        if response.status_code != 303:
            assert event_count(police) == before

    check()


def test_the_office_and_visit_forms_never_fail(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    filed = police.submit_application(terrace_asked(police))
    police.request_site_visit(staff.permits_clerk, filed.number, note="")
    token = log_in(client, "admin")
    actions = ["documents", "visit", "grant", "refuse", "lift_hold", "link", "x"]

    @FUZZ
    @given(
        action=st.sampled_from(actions),
        fields=st.dictionaries(
            st.sampled_from(
                [
                    "missing",
                    "note",
                    "fee",
                    "valid_from",
                    "valid_until",
                    "reasons",
                    "reason",
                    "structure_id",
                    "version",
                    "opinion",
                    "observations",
                    "frontage_m",
                    "depth_m",
                    "lat",
                    "lon",
                    "receipt_number",
                    "amount",
                ]
            ),
            st.one_of(nasty_text, numberish),
        ),
        target=st.sampled_from(["office", "visit", "payment"]),
    )
    def check(action: str, fields: dict[str, str], target: str) -> None:
        before = event_count(police)
        path = {
            "office": f"/permits/applications/{filed.number}/{action}",
            "visit": f"/officer/visits/{filed.number}",
            "payment": "/permits/AOT-TER-2026-000001/payment",
        }[target]
        response = client.post(path, data={"csrf_token": token, **fields})
        assert response.status_code in (303, 400, 403, 404, 409), response.text[:500]
        if response.status_code >= 400:
            assert event_count(police) == before
            assert "<h1" in response.text

    check()
