"""What every history's sentences share: the reader's language (``Language``: the web
request's is ``web.i18n`` itself), the parameters kept of an event, and how a sentence is filled
in (values isolated, so that a plate or a reference keeps its own order in right-to-left text),
its days and amounts formatted, a fixed sentence with the note the user typed."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, Protocol


class Language(Protocol):
    def gettext_(self, message: str) -> str:
        """The message (its French sentence) in this language."""

    def money(self, amount: Decimal | None) -> str: ...

    def day(self, value: date | None) -> str: ...

    def isolate(self, value: str) -> str:
        """A value as it sits in a sentence: in right-to-left text, isolated, so that a plate
        or a reference keeps its own order."""


Params = Mapping[str, Any]
Names = Mapping[str, str]  # user id -> full name, for the officer a case was assigned to
Wording = Callable[[Params, Language, Names], str]


def fill(language: Language, message: str, **values: str) -> str:
    isolated = {name: language.isolate(value) for name, value in values.items()}
    return language.gettext_(message).format(**isolated)


def day_of(language: Language, value: str) -> str:
    return language.day(date.fromisoformat(value))


def money_of(language: Language, value: str) -> str:
    return language.money(Decimal(value))


def noted(plain: str, explained: str) -> Wording:
    """A fixed sentence, with the note or reason the user typed when there is one."""

    def wording(p: Params, lang: Language, names: Names) -> str:
        typed = p.get("note") or p.get("reason") or ""
        return fill(lang, explained, text=typed) if typed else lang.gettext_(plain)

    return wording
