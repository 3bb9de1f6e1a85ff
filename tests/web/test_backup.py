"""``police backup`` / ``police restore``: the event log and every object, copied out and back
into an empty store of another kind (SQLite + local folder into PostgreSQL + S3), arrive whole:
same events in the same order, same objects, ``police verify`` clean."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from police.app import PoliceApp, open_app
from police.cli import main
from police.commands import ValidateCase
from police.roles import SYSTEM
from police.settings import Settings
from projections.runner import Projector
from storage import open_store
from storage.evidence import store_photo
from tests.conftest import PG_HOST, PG_PORT, PG_TEST_DB, PG_USER, s3_env
from tests.police.builders import hygiene, opened_case, parking, staff_of
from tests.projections.conftest import tables
from tests.seaweed import SeaweedS3
from tests.storage import photos
from web.photos import evidence_of


def use(monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> Settings:
    for name in ("POSTGRES_DBNAME", "POLICE_OBJECT_STORE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return Settings.from_env(env)


def history(app: PoliceApp) -> list[tuple[str, int, str, bytes]]:
    events = app.recorder.select_notifications(0, 100_000)
    return [(str(e.originator_id), e.originator_version, e.topic, e.state) for e in events]


@pytest.fixture
def original(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    settings = use(monkeypatch, {"POLICE_DATA_DIR": str(tmp_path / "original")})
    app = open_app(settings)
    store = open_store(settings.objects)
    staff = staff_of(app)
    for colour in ("#aa0000", "#00aa00"):
        photo = evidence_of(store_photo(store, io.BytesIO(photos.jpeg_with_exif(colour=colour))))
        app.record_inspection(parking(evidence=(photo,)), staff.parking_officer)
    case_id = opened_case(app, hygiene(), staff.hygiene_officer)
    app.change_case(ValidateCase(case_id=case_id, note="Constat confirmé"), staff.hygiene_chief)
    yield settings
    app.close()


def test_backup_restores_into_postgresql_and_s3_identically(
    original: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    postgres_schema: str,
    seaweed: SeaweedS3,
    capsys: pytest.CaptureFixture[str],
) -> None:
    backup = tmp_path / "backup"
    assert main(["backup", str(backup)]) == 0
    assert "événements, 6 objets" in capsys.readouterr().out  # 2 photos, their thumbnails, displays

    target = use(
        monkeypatch,
        {
            "POLICE_DATA_DIR": str(tmp_path / "restored"),
            "POSTGRES_DBNAME": PG_TEST_DB,
            "POSTGRES_HOST": PG_HOST,
            "POSTGRES_PORT": str(PG_PORT),
            "POSTGRES_USER": PG_USER,
            "POSTGRES_SCHEMA": postgres_schema,
        }
        | s3_env(seaweed),
    )
    assert main(["restore", str(backup)]) == 0
    assert main(["verify"]) == 0

    before, after = open_app(original), open_app(target)
    try:
        # The same record, each then noting its own upkeep: the original that it was backed up,
        # the restored one that its objects verified.
        *backed_up, started, made = history(before)
        *restored, started_again, checked = history(after)
        assert restored == backed_up
        upkeep = "police.aggregates.upkeep:Upkeep."
        assert [started[2], made[2]] == [upkeep + "Started", upkeep + "BackupMade"]
        assert [started_again[2], checked[2]] == [upkeep + "Started", upkeep + "ObjectsVerified"]
        assert list(open_store(target.objects).list_keys()) == list(
            open_store(original.objects).list_keys()
        )
    finally:
        before.close()
        after.close()

    dashboards = []
    for settings in (original, target):
        projector = Projector(settings.event_store_env())
        try:
            projector.catch_up()
            dashboards.append(tables(projector))
        finally:
            projector.close()
    assert dashboards[0] == dashboards[1]  # the read models rebuilt from the restored log

    assert main(["restore", str(backup)]) == 1  # never over an existing record
    assert "n'est pas vide" in capsys.readouterr().err


def test_an_altered_backup_is_refused_and_restores_nothing(
    original: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    backup = tmp_path / "backup"
    assert main(["backup", str(backup)]) == 0
    log = backup / "events.jsonl"
    log.write_bytes(
        log.read_bytes().replace(b'"originator_version": 1', b'"originator_version": 7', 1)
    )

    target = use(monkeypatch, {"POLICE_DATA_DIR": str(tmp_path / "restored")})
    assert main(["restore", str(backup)]) == 1
    assert "ne correspond pas au manifeste" in capsys.readouterr().err
    app = open_app(target)
    try:
        assert app.recorder.max_notification_id() is None
    finally:
        app.close()
    assert list(open_store(target.objects).list_keys()) == []


def test_a_backup_from_the_command_line_is_on_the_upkeep_record(
    original: Settings, tmp_path: Path
) -> None:
    backup = tmp_path / "backup"
    assert main(["backup", str(backup)]) == 0
    app = open_app(original)
    try:
        upkeep = app.upkeep()
        assert upkeep is not None
        assert upkeep.last_backup is not None
        made = upkeep.last_backup
        assert (made["ok"], made["target"], made["objects"], made["detail"]) == (
            True,
            str(backup),
            6,  # 2 photos, their thumbnails, their displays
            "",
        )
        assert made["events"] == len(history(app)) - 2  # all but its own record (2 events)
        assert made["actor_id"] == SYSTEM.id
    finally:
        app.close()


def test_a_refused_backup_is_recorded_as_failed_and_exits_as_before(
    original: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backup = tmp_path / "busy"
    backup.mkdir()
    (backup / "autre.txt").write_text("déjà là")
    assert main(["backup", str(backup)]) == 1
    assert "n'est pas vide" in capsys.readouterr().err
    app = open_app(original)
    try:
        upkeep = app.upkeep()
        assert upkeep is not None
        assert upkeep.last_backup is not None
        failed = upkeep.last_backup
        assert (failed["ok"], failed["events"], failed["objects"]) == (False, 0, 0)
        assert failed["detail"] == f"{backup} n'est pas vide"
        assert upkeep.last_verification is None
    finally:
        app.close()
