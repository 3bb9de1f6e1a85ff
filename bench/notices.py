"""Notice rendering: milliseconds per notice of each kind through the application's renderer,
beside bare WeasyPrint rendering the same HTML in the same run (ratio, target <= 1.3), and
notices per second for a batch of 500 on both cores.

Run: .venv/bin/python -m bench.notices [--runs 20] [--batch 500]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path

from weasyprint import HTML

from police.app import PoliceApp
from police.commands import ValidateCase
from police.notices.content import NoticeContent
from police.notices.rendering import render_html, render_pdf
from police.workflow import NoticeKind
from tests.conftest import sqlite_env
from tests.police.builders import hygiene, opened_case, parking, staff_of

PUBLIC = "https://police.casablanca.ma"


def contents() -> dict[NoticeKind, NoticeContent]:
    tmp = Path(tempfile.mkdtemp())
    app = PoliceApp(env=sqlite_env(tmp / "events.db"))
    staff = staff_of(app)
    ticket = opened_case(app, parking(), staff.parking_officer)
    cafe = opened_case(app, hygiene(), staff.hygiene_officer)
    app.change_case(ValidateCase(case_id=cafe), staff.hygiene_chief)
    found = {}
    for kind in NoticeKind:
        case_id = ticket if kind is NoticeKind.AVIS_CONTRAVENTION else cafe
        case = app.get_case(case_id)
        found[kind] = app._content(
            kind,
            f"{kind.value[:2].upper()}-2026-000001",
            case,
            PUBLIC,
            app._deadline(kind, None),
            None,
        )
    app.close()
    return found


def timed(work: Callable[[], object], runs: int) -> float:
    work()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def _bare_pdf(html: str) -> object:
    """The same HTML rendered by WeasyPrint alone."""
    return HTML(string=html).write_pdf()


def _render(content: NoticeContent) -> int:
    return len(render_pdf(content))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--batch", type=int, default=500)
    args = parser.parse_args()
    notices = contents()
    print(f"{'kind':<30}{'app ms':>9}{'bare ms':>9}{'ratio':>8}   target ratio <= 1.3")
    for kind, content in notices.items():
        html = render_html(content)
        app_ms = timed(partial(render_pdf, content), args.runs)
        bare_ms = timed(partial(_bare_pdf, html), args.runs)
        ok = "ok" if app_ms / bare_ms <= 1.3 else "MISS"
        print(f"{kind.value:<30}{app_ms:>9.1f}{bare_ms:>9.1f}{app_ms / bare_ms:>8.2f}   {ok}")
    batch = [notices[NoticeKind.AVIS_CONTRAVENTION]] * args.batch
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=2) as pool:
        sizes = list(pool.map(_render, batch, chunksize=25))
    elapsed = time.perf_counter() - started
    print(
        f"batch of {len(sizes)} parking tickets, 2 processes: {len(sizes) / elapsed:.1f} notices/s"
    )


if __name__ == "__main__":
    main()
