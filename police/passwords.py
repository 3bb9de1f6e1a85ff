"""Password hashing (Argon2id, memory-hard) and the password policy."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from police.errors import N_, InvalidInput

MIN_LENGTH = 10
_hasher = PasswordHasher()  # argon2-cffi defaults: RFC 9106 low-memory profile (64 MiB)
# Verified against when the username is unknown, so both paths take the same time.
_DUMMY_HASH = _hasher.hash("not-a-password-of-anyone")


def hash_password(password: str) -> str:
    if len(password) < MIN_LENGTH:
        raise InvalidInput(
            N_("Mot de passe trop court : {min} caractères au moins."),
            field="password",
            min=MIN_LENGTH,
        )
    if len(password) > 256:
        raise InvalidInput(N_("Mot de passe trop long : 256 caractères au plus."), field="password")
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False
