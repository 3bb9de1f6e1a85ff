"""Two-factor sign-in: time-based one-time passwords (TOTP, RFC 6238) and recovery codes.

The key is pyotp's base32 (160 bits); a code is accepted for the current 30-second step and
one step either side (a phone's clock a little off), and only for a step later than the last
accepted one, so a code seen over a shoulder cannot be used again. Recovery codes are 80
random bits, written as four groups of four letters and digits; the record keeps only their
SHA-256 (a fast hash suffices for 80 random bits), and each is struck out when used.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime

import pyotp

RECOVERY_CODES = 10
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read off paper


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, *, username: str, issuer: str) -> str:
    """The ``otpauth://`` address an authenticator app reads from the enrolment QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=issuer)


def accepted_step(secret: str, code: str, now: datetime, *, after: int) -> int | None:
    """The time step ``code`` belongs to, if it is a valid code for now (one step of leeway
    either side) of a step later than ``after``; None otherwise."""
    typed = "".join(code.split())
    if not (typed.isdigit() and len(typed) == 6):
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in (current - 1, current, current + 1):
        if step > after and hmac.compare_digest(totp.generate_otp(step), typed):
            return step
    return None


def new_recovery_codes() -> list[str]:
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(_ALPHABET) for _ in range(16))
        codes.append("-".join(raw[i : i + 4] for i in range(0, 16, 4)))
    return codes


def recovery_digest(code: str) -> str:
    """The digest the record keeps: of the code without its dashes or spaces, in capitals."""
    typed = "".join(c for c in code.upper() if c.isalnum())
    return hashlib.sha256(typed.encode("ascii", "replace")).hexdigest()
