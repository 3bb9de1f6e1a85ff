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
        ({"POLICE_MAP_TILES_URL": "tile.osm.org/{z}/{x}/{y}.png"}, "an http\\(s\\) URL template"),
        ({"POLICE_MAP_TILES_URL": "https://tile.osm.org/{z}/{x}.png"}, "with {z}, {x} and {y}"),
        ({"POLICE_MAP_TILES_URL": "https://t{s}.osm.org/{z}/{x}/{y}"}, "only a leading {s}."),
        ({"POLICE_MAP_WMS_URL": "ftp://sig.example/wms"}, "POLICE_MAP_WMS_URL='ftp:"),
        ({"POLICE_MAP_WMS_URL": "https://sig.example/wms"}, "needs POLICE_MAP_WMS_LAYERS"),
        ({"POLICE_MAP_WMS_LAYERS": "voirie"}, "POLICE_MAP_WMS_LAYERS is set without"),
        (
            {
                "POLICE_MAP_TILES_URL": "https://tile.osm.org/{z}/{x}/{y}.png",
                "POLICE_MAP_WMS_URL": "https://sig.example/wms",
                "POLICE_MAP_WMS_LAYERS": "voirie",
            },
            "set one or the other",
        ),
        (
            {
                "POLICE_MAP_WMS_URL": "https://sig.example/wms",
                "POLICE_MAP_WMS_LAYERS": "v",
                "POLICE_MAP_WMS_FORMAT": "image/gif",
            },
            "POLICE_MAP_WMS_FORMAT='image/gif': expected image/png or image/jpeg or image/webp",
        ),
    ],
)
def test_a_malformed_setting_names_itself(environ: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        Settings.from_env(environ)


def test_each_pool_may_grow_by_its_own_size_only() -> None:
    env = Settings.from_env({"POSTGRES_DBNAME": "police"}).event_store_env()
    assert env["POSTGRES_POOL_SIZE"] == env["POSTGRES_MAX_OVERFLOW"] == "5"
    assert env["POSTGRES_PRE_PING"] == "y"


def test_the_base_map_is_a_plain_background_by_default() -> None:
    web = Settings.from_env({}).web
    assert (web.map_tiles_url, web.map_wms_url, web.map_wms_layers) == ("", "", "")
    assert web.map_wms_format == "image/png"
    assert web.map_origins == ()


def test_the_base_map_may_be_xyz_tiles_or_the_citys_wms() -> None:
    tiles = Settings.from_env({"POLICE_MAP_TILES_URL": "https://t.example:8080/{z}/{x}/{y}.png"})
    assert tiles.web.map_origins == ("https://t.example:8080",)
    wms = Settings.from_env(
        {
            "POLICE_MAP_WMS_URL": "https://sig.example/geoserver/wms?map=voirie",
            "POLICE_MAP_WMS_LAYERS": "voirie,batiments",
            "POLICE_MAP_WMS_FORMAT": "image/jpeg",
        }
    ).web
    assert (wms.map_wms_url, wms.map_wms_layers, wms.map_wms_format) == (
        "https://sig.example/geoserver/wms?map=voirie",
        "voirie,batiments",
        "image/jpeg",
    )
    assert wms.map_origins == ("https://sig.example",)
