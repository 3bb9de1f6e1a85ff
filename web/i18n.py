"""French first, Arabic second: the request's language, translations and local formats.

Message ids are the French sentences themselves (templates and the domain's error templates),
so French needs no catalogue; the Arabic one is ``web/locale/ar/LC_MESSAGES/messages.po``,
compiled in memory at start-up by Babel.

The module itself is the ``police.sentences.Language`` of the current request: ``gettext_``,
``money``, ``day`` and ``isolate``.
"""

from __future__ import annotations

import gettext
from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations

LANGUAGES = ("fr", "ar")
LOCALES = {"fr": "fr_MA", "ar": "ar_MA"}
CATALOGUE = Path(__file__).parent / "locale" / "ar" / "LC_MESSAGES" / "messages.po"

_language: ContextVar[str] = ContextVar("language", default="fr")


def load_arabic() -> Translations:
    with CATALOGUE.open("rb") as po:
        catalog = read_po(po, locale="ar")
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled)


_TRANSLATIONS: dict[str, gettext.NullTranslations] = {
    "fr": gettext.NullTranslations(),
    "ar": load_arabic(),
}


def set_language(language: str) -> None:
    _language.set(language if language in LANGUAGES else "fr")


def language() -> str:
    return _language.get()


def direction() -> str:
    return "rtl" if _language.get() == "ar" else "ltr"


def isolate(value: str) -> str:
    """On a right-to-left page, ``value`` isolated (U+2068 … U+2069): a Latin name, a plate or
    a reference keeps its own order inside Arabic text."""
    return f"\u2068{value}\u2069" if direction() == "rtl" else value


def gettext_(message: str) -> str:
    return _TRANSLATIONS[_language.get()].gettext(message)


def ngettext_(singular: str, plural: str, n: int) -> str:
    return _TRANSLATIONS[_language.get()].ngettext(singular, plural, n)


def quantity(value: Decimal | float | None, digits: int = 2) -> str:
    """A measured quantity (m², count, metres, degrees) in the reader's number format."""
    if value is None:
        return ""
    return format_decimal(value, format="#,##0." + "#" * digits, locale=LOCALES[_language.get()])


def money(amount: Decimal | None) -> str:
    return "" if amount is None else _money(amount, _language.get())


@lru_cache(maxsize=4096)
def _money(amount: Decimal, language: str) -> str:
    """Cached: a form lists a dozen fines, and Babel's formatting is the page's slowest part."""
    number = format_decimal(amount, format="#,##0.00", locale=LOCALES[language])
    return f"{number} MAD" if language == "fr" else f"{number} درهم"


def day(value: date | None) -> str:
    return format_date(value, format="long", locale=LOCALES[_language.get()]) if value else ""


def moment(value: datetime | None, zone: ZoneInfo) -> str:
    if value is None:
        return ""
    return format_datetime(
        value, format="d MMM y, HH:mm", tzinfo=zone, locale=LOCALES[_language.get()]
    )
