"""The Arabic catalogue covers every message of the interface and of the domain's refusals,
keeps their placeholders, and Arabic pages read right to left."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po
from starlette.testclient import TestClient

from police.errors import InvalidInput
from tests.police.builders import Staff
from tests.web.conftest import log_in
from web import i18n

ROOT = Path(__file__).parents[2]
PLACEHOLDERS = re.compile(r"\{[a-z_]+(?::[^}]*)?\}|%\([a-z_]+\)s|%%")


def test_every_message_has_an_arabic_translation_with_the_same_placeholders(tmp_path: Path) -> None:
    template = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "N_",
            "-k",
            "gettext_",
            "--no-location",
            "-o",
            str(template),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with template.open("rb") as pot, i18n.CATALOGUE.open("rb") as po:
        extracted, arabic = read_po(pot), read_po(po, locale="ar")
    missing, broken = [], []
    for message in extracted:
        if not message.id:
            continue
        translated = arabic.get(message.id)
        if (
            translated is None
            or not translated.string
            or (isinstance(translated.string, tuple) and not all(translated.string[1:]))
        ):
            missing.append(message.id)
            continue
        source = message.id[0] if isinstance(message.id, tuple | list) else message.id
        target = (
            translated.string[-1]
            if isinstance(translated.string, tuple | list)
            else translated.string
        )
        if sorted(PLACEHOLDERS.findall(source)) != sorted(PLACEHOLDERS.findall(target)):
            broken.append(source)
    assert not missing, f"untranslated: {missing}"
    assert not broken, f"placeholders differ: {broken}"


def test_a_domain_refusal_reads_in_arabic_with_its_values() -> None:
    i18n.set_language("ar")
    try:
        refusal = InvalidInput("Arrondissement inconnu : « {code} ».", code="agdal")
        assert refusal.translated(i18n.gettext_) == "مقاطعة غير معروفة: « agdal »."
        assert i18n.money(None) == ""
    finally:
        i18n.set_language("fr")


def test_arabic_pages_are_right_to_left(client: TestClient, staff: Staff) -> None:
    log_in(client, "agent.stationnement")
    client.get("/lang/ar")
    page = client.get("/officer/inspections/new/parking").text
    assert '<html lang="ar" dir="rtl">' in page
    assert "تسجيل المحضر" in page
    assert "الوقوف فوق الرصيف" in page
    client.get("/lang/fr")
    assert '<html lang="fr" dir="ltr">' in client.get("/officer").text
