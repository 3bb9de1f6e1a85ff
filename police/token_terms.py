"""What an API token may do, and for how long: its scopes (the small table below, one per
machine interface) and the rule on its expiry date.

A token issued before scopes and expiry existed (``ApiTokenIssued`` version 1) could do all
there was then, for ever: it reads as ``FIRST_SCOPES`` and no expiry.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from enum import StrEnum

from police.errors import N_, InvalidInput


class TokenScope(StrEnum):
    OGC = "ogc"
    OPEN311 = "open311"


SCOPE_LABELS: dict[TokenScope, str] = {
    TokenScope.OGC: N_("Lecture SIG (OGC API - Features)"),
    TokenScope.OPEN311: N_("Envoi de signalements (Open311)"),
}
FIRST_SCOPES: tuple[str, ...] = (TokenScope.OGC.value, TokenScope.OPEN311.value)
DEFAULT_YEARS = 1  # what the form and the command line propose
MAX_YEARS = 2

_UNKNOWN_SCOPE = N_("Portée de jeton inconnue : « {value} » (portées possibles : {known}).")
_NO_SCOPE = N_("Choisissez au moins une portée pour le jeton.")
_PAST = N_("La date d'expiration doit être postérieure à aujourd'hui.")
_TOO_LATE = N_("Un jeton expire au plus tard dans deux ans : le {latest} au plus tard.")


def parse_scopes(values: Iterable[str]) -> list[str]:
    """The scopes asked for, each once, in the table's order; refuses an unknown one or none."""
    wanted = {v.strip() for v in values}
    known = {s.value for s in TokenScope}
    unknown = sorted(wanted - known)
    if unknown:
        raise InvalidInput(
            _UNKNOWN_SCOPE, field="scopes", value=unknown[0][:40], known=", ".join(TokenScope)
        )
    if not wanted:
        raise InvalidInput(_NO_SCOPE, field="scopes")
    return [s.value for s in TokenScope if s.value in wanted]


def years_after(day: date, years: int) -> date:
    """The same day ``years`` later (the 29th of February becomes the 28th)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def default_expiry(today: date) -> date:
    return years_after(today, DEFAULT_YEARS)


def check_expiry(expires_on: date, today: date) -> date:
    """An expiry after today and at most two years ahead (the token works on that day still)."""
    if expires_on <= today:
        raise InvalidInput(_PAST, field="expires_on")
    latest = years_after(today, MAX_YEARS)
    if expires_on > latest:
        raise InvalidInput(_TOO_LATE, field="expires_on", latest=latest.isoformat())
    return expires_on
