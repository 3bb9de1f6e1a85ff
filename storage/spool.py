"""A temporary file bytes are copied into in chunks while their SHA-256 and size are computed.

Nothing is held whole in memory: each chunk is hashed, written and dropped. The local store keeps
its spool beside the objects, so committing it is a hard link; it is removed in every case.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from storage.base import CHUNK


class Spool:
    def __init__(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=directory, prefix="upload-", suffix=".part")
        self.path = Path(name)
        self._file: BinaryIO = os.fdopen(fd, "wb")
        self._hash = hashlib.sha256()
        self.size = 0

    def write(self, chunk: bytes) -> None:
        self.size += len(chunk)
        self._hash.update(chunk)
        self._file.write(chunk)

    def copy_from(self, source: BinaryIO, chunk_size: int = CHUNK) -> Spool:
        while chunk := source.read(chunk_size):
            self.write(chunk)
        return self.close()

    def close(self) -> Spool:
        """Flushes the bytes to disk: what is stored must survive a power cut."""
        if not self._file.closed:
            self._file.flush()
            os.fsync(self._file.fileno())
            self._file.close()
        return self

    @property
    def sha256(self) -> str:
        return self._hash.hexdigest()

    def open(self) -> BinaryIO:
        self.close()
        return self.path.open("rb")

    def discard(self) -> None:
        if not self._file.closed:
            self._file.close()
        self.path.unlink(missing_ok=True)

    def __enter__(self) -> Spool:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.discard()
