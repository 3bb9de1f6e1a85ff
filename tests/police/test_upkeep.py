"""The installation's upkeep record: each backup and each verification, made or failed, is an
event with its actor; the last of each is what the system page reads; only an admin (the
command line is the system, an admin) records them; each reads as a sentence."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from police import clock, wording
from police.app import PoliceApp
from police.errors import NotAllowed
from police.roles import SYSTEM
from tests.police.builders import Staff, event_count
from web import i18n
from web.timeline import history_line


def test_nothing_is_on_record_before_the_first_run(app: PoliceApp) -> None:
    assert app.upkeep() is None


def test_each_run_is_recorded_with_its_actor_and_the_last_of_each_kind_is_kept(
    app: PoliceApp, staff: Staff
) -> None:
    monday = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
    tuesday = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
    with clock.frozen_at(monday):
        app.record_backup(SYSTEM.id, target="/srv/backups/lundi", events=1200, objects=40, ok=True)
        app.record_verification(SYSTEM.id, checked=40, ok=True)
    with clock.frozen_at(tuesday):
        app.record_backup(
            SYSTEM.id,
            target="/srv/backups/mardi",
            ok=False,
            detail="/srv/backups/mardi n'est pas vide",
        )
        app.record_verification(staff.admin, checked=41, missing=1, altered=0, ok=False)

    upkeep = app.upkeep()
    assert upkeep is not None
    assert upkeep.last_backup == {
        "at": tuesday,
        "actor_id": SYSTEM.id,
        "target": "/srv/backups/mardi",
        "events": 0,
        "objects": 0,
        "ok": False,
        "detail": "/srv/backups/mardi n'est pas vide",
    }
    assert upkeep.last_verification == {
        "at": tuesday,
        "actor_id": staff.admin,
        "checked": 41,
        "missing": 1,
        "altered": 0,
        "ok": False,
        "detail": "",
    }
    kinds = [type(e).__name__ for e in app.events.get(upkeep.id)]
    assert kinds == ["Started", "BackupMade", "ObjectsVerified", "BackupMade", "ObjectsVerified"]


def test_only_an_admin_records_a_run(app: PoliceApp, staff: Staff) -> None:
    before = event_count(app)
    with pytest.raises(NotAllowed):
        app.record_backup(staff.hygiene_chief, target="/srv/x", ok=True)
    with pytest.raises(NotAllowed):
        app.record_verification(staff.hygiene_officer, checked=3, ok=True)
    assert event_count(app) == before
    assert app.upkeep() is None


def test_each_run_reads_as_a_sentence(app: PoliceApp) -> None:
    app.record_backup(SYSTEM.id, target="/srv/b", events=12, objects=3, ok=True)
    app.record_backup(SYSTEM.id, target="/srv/c", ok=False, detail="disque plein")
    app.record_verification(SYSTEM.id, checked=5, ok=True)
    app.record_verification(SYSTEM.id, checked=5, missing=1, altered=2, ok=False)
    app.record_verification(SYSTEM.id, ok=False, detail="stockage injoignable")
    upkeep = app.upkeep()
    assert upkeep is not None
    events = list(app.events.get(upkeep.id))[1:]
    assert all(type(e) in wording.WORDINGS for e in events)
    assert [history_line(e)["text"] for e in events] == [
        "Sauvegarde faite : 12 événements, 3 objets, dans /srv/b",
        "Sauvegarde échouée : disque plein",
        "Vérification : 5 objets relus, tous intacts",
        "Vérification échouée : 5 objets relus, 1 manquants, 2 altérés",
        "Vérification impossible : stockage injoignable",
    ]
    i18n.set_language("ar")
    try:
        arabic = history_line(events[1])["text"]
    finally:
        i18n.set_language("fr")
    assert arabic == "فشل النسخ الاحتياطي: \u2068disque plein\u2069"
