"""Chooses the store from configuration: the same code path for both, never a fork."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from storage.base import ObjectStore
from storage.local import LocalObjectStore
from storage.s3 import S3ObjectStore


class StoreConfig(Protocol):
    """What the settings provide (``police.settings.ObjectStoreSettings`` fits)."""

    kind: str
    local_dir: Path
    s3_endpoint: str
    s3_access_key: str
    s3_secret_key: str
    s3_bucket: str
    s3_region: str
    s3_secure: bool
    lock_mode: str
    retention_days: int
    timeout_seconds: float


def open_store(config: StoreConfig) -> ObjectStore:
    if config.kind == "s3":
        return S3ObjectStore(
            endpoint=config.s3_endpoint,
            access_key=config.s3_access_key,
            secret_key=config.s3_secret_key,
            bucket=config.s3_bucket,
            region=config.s3_region,
            secure=config.s3_secure,
            lock_mode=config.lock_mode,
            retention_days=config.retention_days,
            timeout_seconds=config.timeout_seconds,
        )
    return LocalObjectStore(config.local_dir)
