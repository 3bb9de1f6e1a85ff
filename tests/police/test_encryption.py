"""Personal data at rest (law 09-08): with ``POLICE_CIPHER_KEY`` set, event payloads are stored
encrypted on both stores; the application reads them back, nothing else can."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest
from eventsourcing.cipher import AESCipher
from eventsourcing.persistence import MapperDeserialisationError

from police.app import PoliceApp
from police.settings import Settings, SettingsError
from tests.conftest import pg_connect
from tests.police.builders import CAFE_ICE, hygiene, staff_of

pytestmark = pytest.mark.stores  # what the real stores do is what is under test

KEY = AESCipher.create_key(32)


def raw_payloads(env: dict[str, str]) -> bytes:
    if env["PERSISTENCE_MODULE"] == "eventsourcing.sqlite":
        with closing(sqlite3.connect(env["SQLITE_DBNAME"])) as db:
            rows = db.execute("SELECT state FROM stored_events").fetchall()
    else:
        with pg_connect(env["POSTGRES_DBNAME"]) as db:
            rows = db.execute(
                f"SELECT state FROM {env['POSTGRES_SCHEMA']}.police_events"
            ).fetchall()
    return b"".join(bytes(r[0]) for r in rows)


def encrypted(env: dict[str, str]) -> dict[str, str]:
    return env | {
        "CIPHER_TOPIC": "eventsourcing.cipher:AESCipher",
        "CIPHER_KEY": KEY,
        "COMPRESSOR_TOPIC": "eventsourcing.compressor:ZlibCompressor",
    }


def test_the_setting_turns_on_encryption_and_compression(tmp_path: object) -> None:
    env = Settings.from_env({"POLICE_DATA_DIR": str(tmp_path), "POLICE_CIPHER_KEY": KEY})
    store_env = env.event_store_env()
    assert store_env["CIPHER_TOPIC"] == "eventsourcing.cipher:AESCipher"
    assert store_env["CIPHER_KEY"] == KEY
    assert (
        "CIPHER_KEY" not in Settings.from_env({"POLICE_DATA_DIR": str(tmp_path)}).event_store_env()
    )


@pytest.mark.parametrize("bad", ["not base64!", "c2hvcnQ="])
def test_a_bad_key_stops_start_up_with_a_clear_message(bad: str) -> None:
    with pytest.raises(SettingsError, match="POLICE_CIPHER_KEY"):
        Settings.from_env({"POLICE_CIPHER_KEY": bad})


def test_payloads_are_unreadable_at_rest_but_read_back_by_the_app(
    store_env: dict[str, str],
) -> None:
    app = PoliceApp(env=encrypted(store_env))
    try:
        receipt = app.record_inspection(hygiene(), staff_of(app).hygiene_officer)
        assert app.get_inspection(receipt.inspection_id).subject
    finally:
        app.close()

    at_rest = raw_payloads(store_env)
    assert at_rest
    for personal in (CAFE_ICE.encode(), "Café Atlas".encode(), b"Zerktouni"):
        assert personal not in at_rest

    without_key = PoliceApp(env=store_env)
    try:
        with pytest.raises(MapperDeserialisationError):
            without_key.get_inspection(receipt.inspection_id)
    finally:
        without_key.close()
