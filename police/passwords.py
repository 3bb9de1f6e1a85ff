"""Password hashing (Argon2id, memory-hard), the password policy, and one-time passwords.

The policy: at least ten characters, and a password that zxcvbn (Dropbox's estimator, which
knows common passwords, names, keyboard walks, dates and l33t spellings) scores 3 or more out of
4 (about 10^8 guesses or more), the user's own name and username counting as known words.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

from police.errors import N_, InvalidInput

MIN_LENGTH = 10
MAX_LENGTH = 256
MIN_SCORE = 3
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
    if len(password) > MAX_LENGTH:
        raise InvalidInput(N_("Mot de passe trop long : 256 caractères au plus."), field="password")
    return _hasher.hash(password)


def check_strength(password: str, known_words: Iterable[str] = ()) -> None:
    """Refuses a password short or easy to guess (see the module's policy)."""
    if len(password) < MIN_LENGTH or len(password) > MAX_LENGTH:
        hash_password(password)  # the length messages
    words = [w for w in known_words if w]
    # zxcvbn only looks at the first 100 characters (its own limit against slow matching)
    if zxcvbn(password[:100], user_inputs=words)["score"] < MIN_SCORE:
        raise InvalidInput(
            N_(
                "Mot de passe trop facile à deviner : évitez les mots courants, votre nom, "
                "les suites et les dates ; plusieurs mots sans lien entre eux sont plus sûrs."
            ),
            field="password",
        )


def one_time_password() -> str:
    """A password an admin hands over (a new account, a reset): 16 letters and digits in
    four groups, easy to read out, 80 random bits; it must be changed at first sign-in."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False
