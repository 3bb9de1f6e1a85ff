"""The private access code printed on every notice, with which its recipient opens their own
case at /mon-avis: twelve characters of Crockford's base 32 (no I, L, O or U, so nothing reads
as another), in three groups, typed from paper on a phone. 60 random bits: with attempts limited
per address, guessing one is out of reach. Recorded only as its SHA-256, compared in constant
time (``police.private_links``)."""

from __future__ import annotations

import secrets

from police.private_links import digest_of

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 12
# What people type for what they read: a letter O for a zero, an I or L for a one.
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


def new_access_code() -> str:
    code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return "-".join(code[i : i + 4] for i in range(0, LENGTH, 4))


def normalized(typed: str) -> str:
    """The code as typed (spaces, dashes, lower case, look-alike letters) in its one form."""
    kept = "".join(c for c in typed.upper() if c.isalnum()).translate(_READ_AS)
    return "-".join(kept[i : i + 4] for i in range(0, len(kept), 4))


def code_digest(typed: str) -> str:
    return digest_of(normalized(typed))
