"""Fixtures shared by the whole suite: the event store on SQLite and on the real PostgreSQL, the
application on it with a local object store, and the staff of a city.

Every test that takes ``store_env`` (so ``app``, ``police`` and ``staff``) runs twice, once per
store. PostgreSQL is the real local server (bin/test starts it when it is down); each test gets
its own schema, dropped afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import hypothesis
import psycopg
import pytest

from police.app import PoliceApp
from police.settings import Settings
from storage import ObjectStore
from storage.local import LocalObjectStore
from tests.police.builders import Staff, staff_of
from tests.seaweed import ACCESS_KEY, SECRET_KEY, SeaweedS3
from web.photos import StoredPhotoIntake

# Property tests check what is answered, not how fast: a loaded machine (CI, two workers) must
# not fail them on Hypothesis's 200 ms deadline.
hypothesis.settings.register_profile("police", deadline=None)
hypothesis.settings.load_profile("police")

PG_HOST = os.environ.get("POSTGRES_HOST", "127.0.0.1")
PG_PORT = int(os.environ.get("POSTGRES_PORT", "5432"))
PG_USER = os.environ.get("POSTGRES_USER", "postgres")
PG_PASSWORD = os.environ.get("POSTGRES_PASSWORD", "")
PG_TEST_DB = "police_test"


def pg_connect(dbname: str) -> psycopg.Connection:
    return psycopg.connect(
        host=PG_HOST,
        port=PG_PORT,
        user=PG_USER,
        password=PG_PASSWORD,
        dbname=dbname,
        autocommit=True,
        connect_timeout=5,
    )


@pytest.fixture(scope="session")
def postgres_database() -> str:
    try:
        with pg_connect("postgres") as conn:
            found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (PG_TEST_DB,))
            if found.fetchone() is None:
                conn.execute(f"CREATE DATABASE {PG_TEST_DB}")
    except psycopg.OperationalError as e:
        pytest.fail(f"PostgreSQL is not reachable at {PG_HOST}:{PG_PORT} ({e}); bin/test starts it")
    return PG_TEST_DB


@pytest.fixture
def postgres_schema(postgres_database: str) -> Iterator[str]:
    schema = f"t_{uuid.uuid4().hex[:16]}"
    with pg_connect(postgres_database) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    yield schema
    with pg_connect(postgres_database) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")


def sqlite_env(path: Path) -> dict[str, str]:
    return {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": str(path),
        "SQLITE_LOCK_TIMEOUT": "30",
    }


def postgres_env(schema: str) -> dict[str, str]:
    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_HOST": PG_HOST,
        "POSTGRES_PORT": str(PG_PORT),
        "POSTGRES_USER": PG_USER,
        "POSTGRES_PASSWORD": PG_PASSWORD,
        "POSTGRES_DBNAME": PG_TEST_DB,
        "POSTGRES_SCHEMA": schema,
        # Two test workers share the server's 100 connections; the busiest test runs 32
        # threads over 4 applications, 8 connections each at most.
        "POSTGRES_POOL_SIZE": "4",
        "POSTGRES_MAX_OVERFLOW": "4",
        "POSTGRES_LOCK_TIMEOUT": "10",
    }


@pytest.fixture(
    params=[pytest.param("sqlite"), pytest.param("postgres", marks=pytest.mark.postgres)]
)
def store_env(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, str]:
    """The environment of an empty event store, once on SQLite and once on PostgreSQL (in
    memory for most domain tests: ``tests/police/conftest.py``)."""
    return event_store_env(request.param, request, tmp_path)


def event_store_env(kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, str]:
    if kind == "memory":
        return {"PERSISTENCE_MODULE": "eventsourcing.popo"}
    if kind == "sqlite":
        return sqlite_env(tmp_path / "events.sqlite")
    return postgres_env(request.getfixturevalue("postgres_schema"))


@pytest.fixture
def objects(tmp_path: Path) -> LocalObjectStore:
    """The local object store, where the web app on ``tmp_path`` keeps its objects too."""
    return LocalObjectStore(tmp_path / "objects")


def police_on(store_env: dict[str, str], store: ObjectStore) -> PoliceApp:
    """The application on the test's event store, keeping its photos and notices in ``store``."""
    return PoliceApp(env=store_env, objects=store, photos=StoredPhotoIntake(store))


@pytest.fixture
def app(store_env: dict[str, str], objects: LocalObjectStore) -> Iterator[PoliceApp]:
    application = police_on(store_env, objects)
    yield application
    application.close()


@pytest.fixture
def police(app: PoliceApp) -> PoliceApp:
    """The same application, under the name the web tests give it beside the web app."""
    return app


@pytest.fixture
def staff(app: PoliceApp) -> Staff:
    return staff_of(app)


@pytest.fixture(scope="session")
def seaweed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SeaweedS3]:
    """One real S3 server for the whole run (each test uses its own bucket)."""
    server = SeaweedS3(tmp_path_factory.mktemp("seaweed")).start()
    yield server
    server.stop()


def s3_env(server: SeaweedS3, bucket: str | None = None) -> dict[str, str]:
    """The settings names docker-compose uses, pointed at the test server."""
    return {
        "POLICE_OBJECT_STORE": "s3",
        "S3_ENDPOINT": server.endpoint,
        "S3_ACCESS_KEY": ACCESS_KEY,
        "S3_SECRET_KEY": SECRET_KEY,
        "S3_BUCKET": bucket or f"t-{uuid.uuid4().hex[:20]}",
        "S3_LOCK_MODE": "governance",
        "S3_RETENTION_DAYS": "1",
        "S3_TIMEOUT_SECONDS": "2",
    }


def app_settings_on_s3(tmp_path: Path, server: SeaweedS3) -> Settings:
    """The app's settings on the test S3 server, quick to give up when it stops (1 s)."""
    env = {"POLICE_DATA_DIR": str(tmp_path)} | s3_env(server) | {"S3_TIMEOUT_SECONDS": "1"}
    return Settings.from_env(env)
