"""The secrets of private links and codes given to people without an account (an applicant's
tracking link, a reporter's, a notice's access code): drawn from ``secrets``, recorded only as
their SHA-256, and compared in constant time against every digest a record keeps."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable


def new_secret() -> str:
    """192 random bits, URL-safe: no search over the digests can find one."""
    return secrets.token_urlsafe(24)


def digest_of(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def opens(secret: str, digests: Iterable[str]) -> bool:
    """Whether ``secret`` is one of those whose ``digests`` are kept."""
    return matches(digest_of(secret), digests)


def matches(digest: str, digests: Iterable[str]) -> bool:
    """Whether ``digest`` is one of ``digests``, each compared in constant time and every one
    compared, so that the time taken tells nothing."""
    found = False
    for known in digests:
        found |= hmac.compare_digest(digest, known)
    return found
