"""Typed values out of request text, refused with a message naming the field: dates (ISO, as the
browser's date input sends them), amounts in MAD (a comma or a point, spaces ignored), ids and
choices, search text, the version a form was read at, and the whole numbers of query strings,
forms and headers (pages, versions, lengths)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import TypeVar
from uuid import UUID

from starlette.datastructures import FormData

from police.errors import N_, InvalidInput

E = TypeVar("E", bound=StrEnum)
_BAD_DAY = N_("Date invalide (jj/mm/aaaa).")
_NO_VERSION = N_("Formulaire incomplet ou d'une ancienne version : rechargez la page.")
_WHOLE_NUMBER = re.compile(r"[0-9]{1,18}")


def whole_number(value: str) -> int | None:
    """A non-negative integer written in ASCII digits, or None. Every number read from a request
    goes through here: ``str.isdigit`` is also true of "¹" or "٣", which ``int`` then refuses
    (a 500) or reads as a digit no one typed on purpose."""
    return int(value) if _WHOLE_NUMBER.fullmatch(value) else None


def search_text(value: str, limit: int = 100) -> str:
    """What a search box or a filter sent, without control characters (PostgreSQL refuses a NUL
    in text, and no one searches for one), cut at ``limit`` characters."""
    return "".join(c for c in value if c.isprintable())[:limit]


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


class Fields:
    """The text fields of a posted form, trimmed, read as the values a command takes."""

    def __init__(self, form: FormData) -> None:
        self._text = {k: v.strip() for k, v in form.items() if isinstance(v, str)}

    def text(self, name: str) -> str:
        return self._text.get(name, "")

    def day(self, name: str, message: str = _BAD_DAY) -> date:
        return day(self.text(name), name, message)

    def optional_day(self, name: str) -> date | None:
        return optional_day(self.text(name), name)

    def amount(self, name: str) -> Decimal:
        return amount(self.text(name), name)

    def optional_amount(self, name: str) -> Decimal | None:
        return optional_amount(self.text(name), name)

    def id(self, name: str, message: str) -> UUID:
        try:
            return UUID(self.text(name))
        except ValueError:
            raise InvalidInput(message, field=name) from None

    def optional_id(self, name: str, message: str) -> UUID | None:
        return self.id(name, message) if self.text(name) else None

    def choice(self, name: str, choices: type[E], message: str) -> E:
        try:
            return choices(self.text(name))
        except ValueError:
            raise InvalidInput(message, field=name) from None

    def version(self) -> int:
        """The version of the record the form was drawn from: every state-changing form of a
        case carries it, so a change made meanwhile is told, never overwritten."""
        version = whole_number(self.text("version"))
        if version is None:
            raise InvalidInput(_NO_VERSION, field="version")
        return version
