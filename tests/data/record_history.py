"""Writes ``tests/data/record-2026-12/``: a backup (``police backup`` format) of a record holding
every kind of event the product had on 2026-12-01, made by its commands of that day.

The record is the product's most valuable output and outlives every version of the code: the
test beside it restores this backup and reads every aggregate back, so a change that would
orphan a stored event (a renamed event class, a changed field) fails there. Rerun this only to
add events of a new kind, never to make an old one pass:

    .venv/bin/python -m tests.data.record_history
"""

from __future__ import annotations

import contextlib
import io
import shutil
import tempfile
from datetime import date
from pathlib import Path

from police.aggregates.access import Viewed
from police.app.users import LoginRefused
from police.commands import IssueNotice
from police.identifiers import SubjectInput
from police.workflow import NoticeKind
from storage.evidence import store_photo
from storage.local import LocalObjectStore
from tests.conftest import police_on, sqlite_env
from tests.police import builders
from tests.police.builders import hire, staff_of
from tests.storage import photos
from tests.web.test_timeline_wording import every_kind_of_case_event
from web.backup import back_up
from web.photos import evidence_of

TARGET = Path(__file__).parent / "record-2026-12"


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        store = LocalObjectStore(Path(scratch) / "objects")
        app = police_on(sqlite_env(Path(scratch) / "events.sqlite"), store)
        staff = staff_of(app)
        cases = every_kind_of_case_event(app, staff)
        photo = evidence_of(store_photo(store, io.BytesIO(photos.jpeg_with_exif())))
        ticket = app.record_inspection(
            builders.parking("4321-D-6", evidence=(photo,)), staff.parking_officer
        )
        assert ticket.case_id is not None
        app.issue_notice(
            IssueNotice(case_id=ticket.case_id, kind=NoticeKind.AVIS_CONTRAVENTION),
            staff.legal,
            public_url="https://police.casablanca.ma",
        )
        app.record_view(staff.hygiene_chief, Viewed.CASE, cases[0])
        renamed = SubjectInput(
            kind="establishment", trade_name="Atlas Salon de thé", ice=builders.CAFE_ICE
        )
        app.record_inspection(builders.hygiene(), staff.hygiene_officer)
        app.record_inspection(builders.hygiene(subject=renamed), staff.hygiene_officer)
        # The stored record's permit was granted on 2026-12-01 by the legal staff with a typed
        # number (AOT-2026-0042) and a surface; since the registry (issue 17) the permits
        # office grants it, numbered by its series, from frontage x depth. The events of the
        # stored record keep the December form: the restore test reads them back.
        number = app.grant_permit(
            staff.permits_clerk, builders.terrace(valid_until=date(2026, 12, 31))
        )
        app.revoke_permit(staff.permits_clerk, number, reason="Terrasse fermée")
        clerk = hire(app, "agent.archive", ["officer"], ["hygiene"])
        app.grant_role(staff.admin, clerk, "supervisor")
        app.revoke_role(staff.admin, clerk, "supervisor")
        app.grant_brigade(staff.admin, clerk, "parking")
        app.revoke_brigade(staff.admin, clerk, "parking")
        app.change_password(staff.admin, clerk, new_password="un-autre-secret-2026")
        app.log_in("agent.archive", "un-autre-secret-2026", source="127.0.0.1 test")
        with contextlib.suppress(LoginRefused):  # refused, and the refusal recorded
            app.log_in("agent.archive", "faux", source="127.0.0.1 test")
        app.deactivate_user(staff.admin, clerk, reason="Mutation")
        app.reactivate_user(staff.admin, clerk)
        if TARGET.exists():
            shutil.rmtree(TARGET)
        summary = back_up(app, store, TARGET)
        app.close()
    print(f"{summary.events} events, {summary.objects} objects -> {TARGET}")


if __name__ == "__main__":
    main()
