"""Typed values out of request text, refused with a message naming the field: dates (ISO, as the
browser's date input sends them), amounts in MAD (a comma or a point, spaces ignored), and the
whole numbers of query strings, forms and headers (pages, versions, lengths)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from police.errors import N_, InvalidInput

_BAD_DAY = N_("Date invalide (jj/mm/aaaa).")
_WHOLE_NUMBER = re.compile(r"[0-9]{1,18}")


def whole_number(value: str) -> int | None:
    """A non-negative integer written in ASCII digits, or None. Every number read from a request
    goes through here: ``str.isdigit`` is also true of "¹" or "٣", which ``int`` then refuses
    (a 500) or reads as a digit no one typed on purpose."""
    return int(value) if _WHOLE_NUMBER.fullmatch(value) else None


def day(value: str, field: str, message: str = _BAD_DAY) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(message, field=field) from None


def optional_day(value: str, field: str) -> date | None:
    return day(value, field) if value else None


def amount(value: str, field: str = "amount") -> Decimal:
    try:
        parsed = Decimal(value.replace(" ", "").replace(",", "."))
    except InvalidOperation:
        parsed = Decimal(-1)
    if not parsed.is_finite() or parsed <= 0:
        raise InvalidInput(N_("Montant invalide."), field=field)
    return parsed


def optional_amount(value: str, field: str = "amount") -> Decimal | None:
    return amount(value, field) if value else None
