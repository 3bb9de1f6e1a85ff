"""The embedded default: objects as read-only files in a folder under ``var/``.

A spooled upload becomes visible by a hard link, which fails when the name exists: an object
appears whole or not at all, and is never overwritten. Files are made read-only.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path
from typing import BinaryIO

from storage.base import (
    CHUNK,
    ObjectExists,
    ObjectInfo,
    ObjectMissing,
    ObjectStore,
    StoredObject,
    StoreUnavailable,
    content_key,
)
from storage.spool import Spool


class LocalObjectStore(ObjectStore):
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.spool_dir = self.root / ".spool"

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if key.startswith(".") or not path.is_relative_to(self.root) or path == self.root:
            raise ObjectMissing(key)
        return path

    def put(self, prefix: str, source: BinaryIO, content_type: str) -> StoredObject:
        with self._spooled(source) as spool:
            key = content_key(prefix, spool.sha256)
            with suppress(ObjectExists):  # the same bytes, stored before
                self._link(spool, key)
            return StoredObject(key, spool.sha256, spool.size, content_type)

    def write(self, key: str, source: BinaryIO, content_type: str) -> StoredObject:
        path = self._path(key)
        if path.exists():
            raise ObjectExists(key)
        with self._spooled(source) as spool:
            self._link(spool, key)
            return StoredObject(key, spool.sha256, spool.size, content_type)

    def _spooled(self, source: BinaryIO) -> Spool:
        try:
            spool = Spool(self.spool_dir)
        except OSError as e:
            raise StoreUnavailable(f"{self.spool_dir}: {e.strerror}") from e
        try:
            spool.copy_from(source)
        except OSError as e:
            spool.discard()
            raise StoreUnavailable(f"{self.spool_dir}: {e.strerror}") from e
        return spool

    def _link(self, spool: Spool, key: str) -> None:
        """Makes the spooled file visible under ``key`` in one step, refusing a taken name."""
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            os.chmod(spool.path, stat.S_IRUSR | stat.S_IRGRP)
            os.link(spool.path, path)
            _fsync_dir(path.parent)
        except FileExistsError:
            raise ObjectExists(key) from None
        except OSError as e:
            raise StoreUnavailable(f"{path.parent}: {e.strerror}") from e

    def stat(self, key: str) -> ObjectInfo | None:
        try:
            return ObjectInfo(key, self._path(key).stat().st_size, None)
        except (FileNotFoundError, ObjectMissing):
            return None

    def open(self, key: str) -> Iterator[bytes]:
        try:
            file = self._path(key).open("rb")
        except FileNotFoundError:
            raise ObjectMissing(key) from None
        return _chunks(file)

    def list_keys(self, prefix: str = "") -> Iterator[str]:
        found = (
            p.relative_to(self.root).as_posix()
            for p in self.root.rglob("*")
            if p.is_file() and not p.relative_to(self.root).parts[0].startswith(".")
        )
        return iter(sorted(k for k in found if k.startswith(prefix)))

    def check(self) -> None:
        try:
            self.spool_dir.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise StoreUnavailable(f"{self.root}: {e.strerror}") from e
        if not os.access(self.spool_dir, os.W_OK):
            raise StoreUnavailable(f"{self.spool_dir} is not writable")


def _chunks(file: BinaryIO) -> Iterator[bytes]:
    with file:
        while chunk := file.read(CHUNK):
            yield chunk


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
