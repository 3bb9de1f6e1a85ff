"""The public pages (e-démarches, reports, a notice's recipient) on a cheap phone, judged by
Lighthouse (npm, pinned in package-lock.json; installed by bin/test) with its mobile profile (a
slow 4G, a 4x slower CPU): at least 95 in every category, and under 150 KB over the wire."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.browser.conftest import CHROMIUM, Served
from tests.police.test_applications import terrace_asked
from tests.police.test_reports import car_on_sidewalk

LIGHTHOUSE = Path(__file__).parents[2] / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
MAX_BYTES = 150 * 1024


def judged(url: str, report: Path) -> dict[str, object]:
    if not LIGHTHOUSE.exists():
        pytest.fail(f"{LIGHTHOUSE} is missing: bin/test installs it (npm ci)")
    subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--form-factor=mobile",
            "--chrome-flags=--headless=new --no-sandbox --disable-dev-shm-usage",
            f"--only-categories={','.join(CATEGORIES)}",
            "--output=json",
            f"--output-path={report}",
        ],
        check=True,
        env=os.environ | {"CHROME_PATH": CHROMIUM},
        capture_output=True,
        timeout=120,
    )
    found = json.loads(report.read_text())
    assert isinstance(found, dict)
    return found


def test_the_public_forms_and_tracking_pages_are_light_and_score_95(
    served: Served, tmp_path: Path
) -> None:
    filed = served.police.submit_application(terrace_asked(served.police))
    sent = served.police.submit_report(car_on_sidewalk())
    pages = {
        "form": "/demarches/terrace/nouvelle",
        "tracking": f"/demarches/suivi/{filed.number}/{filed.secret}",
        "report": "/signaler",
        "report tracking": f"/signaler/suivi/{sent.number}/{sent.secret}",
        "recipient": "/mon-avis",
    }
    found = {}
    for name, path in pages.items():
        report = judged(served.url + path, tmp_path / f"{name}.json")
        categories = report["categories"]
        audits = report["audits"]
        assert isinstance(categories, dict)
        assert isinstance(audits, dict)
        scores = {c: round(categories[c]["score"] * 100) for c in CATEGORIES}
        weight = int(audits["total-byte-weight"]["numericValue"])
        found[name] = (scores, weight)
    print(found)  # the scores and bytes, for the log
    assert all(min(s.values()) >= 95 for s, _ in found.values()), found
    assert all(w < MAX_BYTES for _, w in found.values()), found
