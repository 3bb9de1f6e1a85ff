"""Deterministic aggregate ids from natural keys (name-based UUIDs).

Two officers recording the same plate reach the same subject; two saves of the same username,
permit number or reference counter collide in the event store instead of creating a twin.
"""

from __future__ import annotations

from functools import lru_cache
from uuid import UUID, uuid5

# Fixed for the life of the record: changing it would orphan every natural-key id.
NAMESPACE = UUID("6f1c7b52-3f0e-5b7e-9a55-0c2d2f0a9e41")


@lru_cache(maxsize=65536)
def natural_id(kind: str, key: str) -> UUID:
    """The id of the aggregate of ``kind`` whose normalised natural key is ``key``."""
    return uuid5(NAMESPACE, f"{kind}:{key}")


@lru_cache(maxsize=65536)
def derived_id(origin: UUID, purpose: str) -> UUID:
    """An id derived from another, e.g. the case opened by an inspection submission."""
    return uuid5(origin, purpose)
