"""The embedded default: objects as read-only files in a folder under ``var/``.

A spooled upload becomes visible by a hard link, which fails when the name exists: an object
appears whole or not at all, and is never overwritten. Files are made read-only.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from storage.base import ObjectExists, ObjectInfo, ObjectMissing, ObjectStore, StoreUnavailable
from storage.spool import CHUNK, Spool


class LocalObjectStore(ObjectStore):
    def __init__(self, root: Path, max_upload_bytes: int | None = None) -> None:
        self.root = root.resolve()
        self.spool_dir = self.root / ".spool"
        self.max_upload_bytes = max_upload_bytes

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if key.startswith(".") or not path.is_relative_to(self.root) or path == self.root:
            raise ObjectMissing(key)
        return path

    def _exists(self, key: str) -> bool:
        return self._path(key).exists()

    def _write(self, key: str, spool: Spool, content_type: str) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(spool.path, stat.S_IRUSR | stat.S_IRGRP)
        try:
            os.link(spool.path, path)
        except FileExistsError:
            raise ObjectExists(key) from None
        _fsync_dir(path.parent)

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
