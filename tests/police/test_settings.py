"""Settings: the embedded default needs nothing; PostgreSQL and S3 by environment variables,
with a clear message for anything malformed."""

from __future__ import annotations

from pathlib import Path

import pytest

from police.settings import Settings, SettingsError


def test_the_default_is_sqlite_and_a_local_folder_under_var() -> None:
    settings = Settings.from_env({})
    assert settings.postgres is None
    assert settings.sqlite_path == Path("var/police.sqlite")
    assert settings.objects.kind == "local"
    assert settings.objects.local_dir == Path("var/objects")


def test_postgres_when_its_variables_are_set() -> None:
    settings = Settings.from_env(
        {
            "POSTGRES_DBNAME": "police",
            "POSTGRES_HOST": "db",
            "POSTGRES_PORT": "6432",
            "POSTGRES_PASSWORD": "secret",
        }
    )
    env = settings.event_store_env()
    assert env["PERSISTENCE_MODULE"] == "eventsourcing.postgres"
    assert (env["POSTGRES_HOST"], env["POSTGRES_PORT"], env["POSTGRES_DBNAME"]) == (
        "db",
        "6432",
        "police",
    )


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"POSTGRES_DBNAME": "p", "POSTGRES_PORT": "x"}, "POSTGRES_PORT='x': an integer"),
        ({"POSTGRES_DBNAME": "p", "POSTGRES_PORT": "70000"}, "between 1 and 65535"),
        ({"POLICE_OBJECT_STORE": "ftp"}, "expected 'local' or 's3'"),
        ({"POLICE_OBJECT_STORE": "s3"}, "needs S3_ENDPOINT, S3_ACCESS_KEY, S3_SECRET_KEY"),
        ({"S3_LOCK_MODE": "strict"}, "governance, compliance or off"),
    ],
)
def test_a_malformed_setting_names_itself(environ: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        Settings.from_env(environ)


def test_each_pool_may_grow_by_its_own_size_only() -> None:
    env = Settings.from_env({"POSTGRES_DBNAME": "police"}).event_store_env()
    assert env["POSTGRES_POOL_SIZE"] == env["POSTGRES_MAX_OVERFLOW"] == "5"
    assert env["POSTGRES_PRE_PING"] == "y"
