"""The pages a user sees when an address, a method or the server fails them: styled like every
page, in the reader's language, with no stack trace."""

from __future__ import annotations

import re

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.testclient import TestClient

from police.app import PoliceApp
from police.settings import Settings
from web.app import create_app

NOT_FOUND = {"fr": "Cette page n'existe pas.", "ar": "هذه الصفحة غير موجودة."}
WRONG_METHOD = {
    "fr": "Cette adresse ne s'ouvre pas ainsi : revenez à la page précédente.",
    "ar": "لا يُفتح هذا العنوان بهذه الطريقة: عُد إلى الصفحة السابقة.",
}
FAILED = {"fr": "Une erreur inattendue est survenue (réf. ", "ar": "حدث خطأ غير متوقع (المرجع "}


def page_text(body: str) -> str:
    return re.sub(r"\s+", " ", body.replace("&#39;", "'"))


def styled_in(body: str, language: str) -> None:
    assert f'lang="{language}"' in body
    assert f'dir="{"rtl" if language == "ar" else "ltr"}"' in body
    assert "/static/app.css" in body
    assert "Traceback" not in body


def test_an_unknown_address_and_a_wrong_method_say_so_in_each_language(
    client: TestClient,
) -> None:
    for language in ("fr", "ar"):
        client.cookies.set("lang", language)
        missing = client.get("/no/such/page")
        assert missing.status_code == 404
        styled_in(missing.text, language)
        assert NOT_FOUND[language] in page_text(missing.text)
        wrong = client.get("/logout")  # a form's target, opened as a page
        assert wrong.status_code == 405
        styled_in(wrong.text, language)
        assert WRONG_METHOD[language] in page_text(wrong.text)


def test_an_unexpected_failure_shows_a_reference_and_no_trace(
    settings: Settings, police: PoliceApp
) -> None:
    app = create_app(settings, police=police)

    async def broken(request: Request) -> Response:
        # A fault injected: no real page of the product fails on demand.
        raise RuntimeError("secret internals: /var/lib/police")

    app.router.routes.insert(0, Route("/broken", broken))
    with TestClient(app, raise_server_exceptions=False) as client:
        for language in ("fr", "ar"):
            client.cookies.set("lang", language)
            failed = client.get("/broken")
            assert failed.status_code == 500
            styled_in(failed.text, language)
            text = page_text(failed.text)
            assert FAILED[language] in text
            assert re.search(r"[0-9a-f]{8}\)", text)  # the reference the log names
            assert "secret internals" not in text
