"""Per-key locks inside one process.

Commands on the same aggregate queue behind one lock instead of colliding and retrying; the
event store's optimistic check still guards against other processes. Striped: a fixed array of
locks indexed by the key's hash, always taken in index order, so no two holders deadlock.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable, Iterator
from contextlib import ExitStack, contextmanager


class KeyedLocks:
    def __init__(self, stripes: int = 512) -> None:
        self._locks = [threading.Lock() for _ in range(stripes)]

    @contextmanager
    def hold(self, *keys: Hashable) -> Iterator[None]:
        indexes = sorted({hash(k) % len(self._locks) for k in keys})
        with ExitStack() as stack:
            for i in indexes:
                stack.enter_context(self._locks[i])
            yield
