"""Configuration from environment variables, checked once at start-up with clear errors.

The embedded default needs nothing: SQLite file and local object folder under ``var/``.
Setting ``POSTGRES_DBNAME`` (and its companions, the names the ``eventsourcing`` library and the
docker-compose file use) switches the event store to PostgreSQL: configuration, never a fork.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from police.territory import DEFAULT_TERRITORY


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names it and says what is expected."""


@dataclass(frozen=True)
class PostgresSettings:
    host: str
    port: int
    dbname: str
    user: str
    password: str
    schema: str
    pool_size: int
    connect_timeout: int


@dataclass(frozen=True)
class ObjectStoreSettings:
    """Where evidence photos and issued PDFs live: a local folder, or an S3/MinIO bucket."""

    kind: str  # "local" | "s3"
    local_dir: Path
    s3_endpoint: str  # host:port
    s3_access_key: str
    s3_secret_key: str
    s3_bucket: str
    s3_region: str
    s3_secure: bool
    lock_mode: str  # "governance" | "compliance" | "off"
    retention_days: int
    timeout_seconds: float


@dataclass(frozen=True)
class WebSettings:
    production: bool  # cookies marked Secure, a real secret key required
    secret_key: str  # signs session cookies; empty in development: one is kept under var/
    session_hours: int
    public_url: str  # printed in QR codes on notices: the verification page's origin
    map_tiles_url: str  # XYZ tile template; empty (and no WMS): points on a plain background
    json_logs: bool  # one JSON object per log line (POLICE_LOG_FORMAT=json|text)
    map_wms_url: str = ""  # the city's WMS, instead of XYZ tiles
    map_wms_layers: str = ""  # its layers, comma-separated, as its GetCapabilities names them
    map_wms_format: str = "image/png"

    @property
    def map_origins(self) -> tuple[str, ...]:
        """The origins the base map's images come from, for the Content-Security-Policy (a
        ``{s}`` subdomain placeholder allows every subdomain)."""
        return tuple(_origin(url) for url in (self.map_tiles_url, self.map_wms_url) if url)


@dataclass(frozen=True)
class MailSettings:
    """The city's SMTP server for the applicants' letters; no host: letters go to the log."""

    host: str = ""
    port: int = 587
    tls: str = "starttls"  # "starttls" | "ssl" | "none"
    user: str = ""
    password: str = ""
    sender: str = ""
    timeout_seconds: int = 10
    ca_file: str = ""  # a private SMTP server's certificate authority (PEM)


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    territory: str
    postgres: PostgresSettings | None
    objects: ObjectStoreSettings
    web: WebSettings
    cipher_key: str = ""  # base64 AES key; empty: event payloads are stored in clear
    projector_in_process: bool = True  # False: a separate `police project` worker feeds them
    mail: MailSettings = MailSettings()

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        data_dir = Path(env.get("POLICE_DATA_DIR") or "var")
        postgres = None
        if env.get("POSTGRES_DBNAME"):
            postgres = PostgresSettings(
                host=env.get("POSTGRES_HOST") or "127.0.0.1",
                port=_int(env, "POSTGRES_PORT", 5432, 1, 65535),
                dbname=env["POSTGRES_DBNAME"],
                user=env.get("POSTGRES_USER") or "postgres",
                password=env.get("POSTGRES_PASSWORD") or "",
                schema=env.get("POSTGRES_SCHEMA") or "",
                pool_size=_int(env, "POSTGRES_POOL_SIZE", 5, 1, 200),
                connect_timeout=_int(env, "POSTGRES_CONNECT_TIMEOUT", 2, 1, 60),
            )
        return cls(
            data_dir=data_dir,
            territory=env.get("POLICE_TERRITORY") or DEFAULT_TERRITORY,
            postgres=postgres,
            objects=_objects(env, data_dir),
            web=_web(env),
            cipher_key=_cipher_key(env),
            projector_in_process=_choice(
                env, "POLICE_PROJECTOR", "in-process", ("in-process", "worker")
            )
            == "in-process",
            mail=_mail(env),
        )

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "police.sqlite"

    def event_store_env(self) -> dict[str, str]:
        """The environment the ``eventsourcing`` application is constructed with."""
        env = {"POLICE_TERRITORY": self.territory}
        if self.cipher_key:
            # Law 09-08: personal data encrypted at rest (AES-GCM), compressed first.
            env |= {
                "CIPHER_TOPIC": "eventsourcing.cipher:AESCipher",
                "CIPHER_KEY": self.cipher_key,
                "COMPRESSOR_TOPIC": "eventsourcing.compressor:ZlibCompressor",
            }
        if self.postgres is None:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            return env | {
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "SQLITE_DBNAME": str(self.sqlite_path),
                "SQLITE_LOCK_TIMEOUT": "30",
            }
        pg = self.postgres
        return env | {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_HOST": pg.host,
            "POSTGRES_PORT": str(pg.port),
            "POSTGRES_DBNAME": pg.dbname,
            "POSTGRES_USER": pg.user,
            "POSTGRES_PASSWORD": pg.password,
            "POSTGRES_SCHEMA": pg.schema,
            # Opened at start and kept; each process has two pools (events, read models), each
            # may grow by the same number again under load.
            "POSTGRES_POOL_SIZE": str(pg.pool_size),
            "POSTGRES_MAX_OVERFLOW": str(pg.pool_size),
            "POSTGRES_LOCK_TIMEOUT": "10",
            # After a database restart, pooled connections are dead: test each before use. The
            # library tries a read ten times, each waiting this long for a connection: a short
            # outage is ridden through, a long one answers "unavailable" within ~10x this.
            "POSTGRES_PRE_PING": "y",
            "POSTGRES_CONNECT_TIMEOUT": str(pg.connect_timeout),
        }


def _objects(env: Mapping[str, str], data_dir: Path) -> ObjectStoreSettings:
    kind = env.get("POLICE_OBJECT_STORE") or "local"
    if kind not in ("local", "s3"):
        raise SettingsError(f"POLICE_OBJECT_STORE={kind!r}: expected 'local' or 's3'")
    lock_mode = env.get("S3_LOCK_MODE") or "governance"
    if lock_mode not in ("governance", "compliance", "off"):
        raise SettingsError(f"S3_LOCK_MODE={lock_mode!r}: expected governance, compliance or off")
    settings = ObjectStoreSettings(
        kind=kind,
        local_dir=Path(env.get("POLICE_OBJECTS_DIR") or data_dir / "objects"),
        s3_endpoint=env.get("S3_ENDPOINT") or "",
        s3_access_key=env.get("S3_ACCESS_KEY") or "",
        s3_secret_key=env.get("S3_SECRET_KEY") or "",
        s3_bucket=env.get("S3_BUCKET") or "police",
        s3_region=env.get("S3_REGION") or "us-east-1",
        s3_secure=(env.get("S3_SECURE") or "false").lower() in ("1", "true", "yes"),
        lock_mode=lock_mode,
        retention_days=_int(env, "S3_RETENTION_DAYS", 3650, 1, 36500),
        timeout_seconds=float(_int(env, "S3_TIMEOUT_SECONDS", 10, 1, 300)),
    )
    if kind == "s3":
        missing = [
            name
            for name, value in (
                ("S3_ENDPOINT", settings.s3_endpoint),
                ("S3_ACCESS_KEY", settings.s3_access_key),
                ("S3_SECRET_KEY", settings.s3_secret_key),
            )
            if not value
        ]
        if missing:
            raise SettingsError(f"POLICE_OBJECT_STORE=s3 needs {', '.join(missing)}")
    return settings


def _web(env: Mapping[str, str]) -> WebSettings:
    mode = env.get("POLICE_ENV") or "development"
    if mode not in ("development", "production"):
        raise SettingsError(f"POLICE_ENV={mode!r}: expected 'development' or 'production'")
    secret = env.get("POLICE_SECRET_KEY") or ""
    if mode == "production" and len(secret) < 32:
        raise SettingsError("POLICE_SECRET_KEY: at least 32 random characters in production")
    public_url = (env.get("POLICE_PUBLIC_URL") or "http://127.0.0.1:8000").rstrip("/")
    if not public_url.startswith(("http://", "https://")):
        raise SettingsError(f"POLICE_PUBLIC_URL={public_url!r}: an http(s) URL is expected")
    return WebSettings(
        production=mode == "production",
        secret_key=secret,
        session_hours=_int(env, "POLICE_SESSION_HOURS", 12, 1, 72),
        public_url=public_url,
        json_logs=_choice(env, "POLICE_LOG_FORMAT", "json", ("json", "text")) == "json",
        **_base_map(env),
    )


WMS_FORMATS = ("image/png", "image/jpeg", "image/webp")


def _base_map(env: Mapping[str, str]) -> dict[str, str]:
    """The base map under the points: XYZ tiles, or the city's WMS, or neither."""
    tiles = (env.get("POLICE_MAP_TILES_URL") or "").strip()
    wms = (env.get("POLICE_MAP_WMS_URL") or "").strip()
    layers = (env.get("POLICE_MAP_WMS_LAYERS") or "").strip()
    image = _choice(env, "POLICE_MAP_WMS_FORMAT", "image/png", WMS_FORMATS)
    if tiles and wms:
        raise SettingsError("POLICE_MAP_TILES_URL and POLICE_MAP_WMS_URL: set one or the other")
    if tiles and not (_is_http(tiles) and all(p in tiles for p in ("{z}", "{x}", "{y}"))):
        raise SettingsError(
            f"POLICE_MAP_TILES_URL={tiles!r}: an http(s) URL template with {{z}}, {{x}} and {{y}} "
            "is expected, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png"
        )
    if "{" in _host(tiles).removeprefix("{s}."):
        raise SettingsError(
            f"POLICE_MAP_TILES_URL={tiles!r}: only a leading {{s}}. (subdomains) in the host"
        )
    if wms and (not _is_http(wms) or "{" in wms):
        raise SettingsError(f"POLICE_MAP_WMS_URL={wms!r}: the http(s) address of a WMS is expected")
    if wms and not layers:
        raise SettingsError("POLICE_MAP_WMS_URL needs POLICE_MAP_WMS_LAYERS (comma-separated)")
    if layers and not wms:
        raise SettingsError("POLICE_MAP_WMS_LAYERS is set without POLICE_MAP_WMS_URL")
    return {
        "map_tiles_url": tiles,
        "map_wms_url": wms,
        "map_wms_layers": layers,
        "map_wms_format": image,
    }


def _is_http(url: str) -> bool:
    scheme = url.partition("://")[0]
    return scheme in ("http", "https") and bool(_host(url)) and not any(c.isspace() for c in url)


def _host(url: str) -> str:
    """The host (and port) of an http(s) URL."""
    return url.partition("://")[2].split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]


def _origin(url: str) -> str:
    host = _host(url)
    if host.startswith("{s}."):  # Leaflet's subdomains: a.tile..., b.tile..., c.tile...
        host = "*." + host.removeprefix("{s}.")
    return f"{url.partition('://')[0]}://{host}"


def _cipher_key(env: Mapping[str, str]) -> str:
    key = (env.get("POLICE_CIPHER_KEY") or "").strip()
    if not key:
        return ""
    try:
        size = len(base64.b64decode(key, validate=True))
    except ValueError:
        size = 0
    if size not in (16, 24, 32):
        raise SettingsError(
            "POLICE_CIPHER_KEY: a base64 AES key of 16, 24 or 32 bytes is expected "
            '(python -c "from eventsourcing.cipher import AESCipher; '
            'print(AESCipher.create_key(32))")'
        )
    return key


def _mail(env: Mapping[str, str]) -> MailSettings:
    host = env.get("POLICE_SMTP_HOST", "").strip()
    if not host:
        return MailSettings()
    tls = _choice(env, "POLICE_SMTP_TLS", "starttls", ("starttls", "ssl", "none"))
    sender = env.get("POLICE_MAIL_FROM", "").strip()
    if "@" not in sender or " " in sender:
        raise SettingsError(
            f"POLICE_MAIL_FROM={sender!r}: the sender's address is required with POLICE_SMTP_HOST"
        )
    ca_file = env.get("POLICE_SMTP_CA_FILE", "").strip()
    if ca_file and not Path(ca_file).is_file():
        raise SettingsError(f"POLICE_SMTP_CA_FILE={ca_file!r}: no such file")
    default_port = {"starttls": 587, "ssl": 465, "none": 25}[tls]
    return MailSettings(
        host=host,
        port=_int(env, "POLICE_SMTP_PORT", default_port, 1, 65535),
        tls=tls,
        user=env.get("POLICE_SMTP_USER", ""),
        password=env.get("POLICE_SMTP_PASSWORD", ""),
        sender=sender,
        timeout_seconds=_int(env, "POLICE_SMTP_TIMEOUT", 10, 1, 120),
        ca_file=ca_file,
    )


def _choice(env: Mapping[str, str], name: str, default: str, allowed: tuple[str, ...]) -> str:
    value = (env.get(name) or default).strip().lower()
    if value not in allowed:
        raise SettingsError(f"{name}={value!r}: expected {' or '.join(allowed)}")
    return value


def _int(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = env.get(name)
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name}={raw!r}: an integer is expected") from None
    if not low <= value <= high:
        raise SettingsError(f"{name}={value}: expected between {low} and {high}")
    return value
