"""Chooses the store from configuration: the same code path for both, never a fork."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from storage.base import ObjectStore
from storage.local import LocalObjectStore
from storage.s3 import S3ObjectStore


class StoreConfig(Protocol):
    """What the settings provide (``police.settings.ObjectStoreSettings`` fits)."""

    @property
    def kind(self) -> str: ...
    @property
    def local_dir(self) -> Path: ...
    @property
    def s3_endpoint(self) -> str: ...
    @property
    def s3_access_key(self) -> str: ...
    @property
    def s3_secret_key(self) -> str: ...
    @property
    def s3_bucket(self) -> str: ...
    @property
    def s3_region(self) -> str: ...
    @property
    def s3_secure(self) -> bool: ...
    @property
    def lock_mode(self) -> str: ...
    @property
    def retention_days(self) -> int: ...
    @property
    def timeout_seconds(self) -> float: ...


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
