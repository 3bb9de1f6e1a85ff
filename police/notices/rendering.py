"""A notice to HTML (the preview on screen) and to PDF (WeasyPrint), bilingual, with the QR code
of its verification page. Photos come from the object store through a callable: WeasyPrint
never reaches the network (any other URL is refused)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import segno
from jinja2 import Environment, FileSystemLoader
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from police.inspecting import MEASUREMENTS
from police.notices.content import NoticeContent

PhotoReader = Callable[[str], bytes]
TEMPLATES = Path(__file__).parent / "templates"


def _mad(amount: Decimal | None) -> str:
    if amount is None:
        return ""
    whole, _, cents = f"{amount:.2f}".partition(".")
    return f"{int(whole):,}".replace(",", "\u202f") + f",{cents} MAD"


def _ltr(text: str) -> str:
    """Left-to-right whatever the paragraph (a plate or a number in an Arabic sentence): a Unicode
    isolate, since WeasyPrint ignores CSS ``unicode-bidi``. A left-to-right mark after each
    Arabic letter keeps a Moroccan plate's digits on both sides of its letter, as on the plate."""
    marked = "".join(c + "\u200e" if "\u0600" <= c <= "\u06ff" else c for c in text)
    return f"\u2066{marked}\u2069"


def _quantity(value: Decimal) -> str:
    """A measured quantity as written in French: 2, 12,5 (never 2.00)."""
    return format(value.normalize(), "f").replace(".", ",")


def _both(french: str, arabic: str) -> str:
    """A bilingual label on a left-to-right line, the Arabic isolated right-to-left, so what
    follows it (an amount, a colon, a number) stays after it in reading order (WeasyPrint
    ignores CSS ``unicode-bidi``: Unicode isolates do it)."""
    return f"{french} / \u2067{arabic}\u2069"


def _isolated(text: str) -> str:
    """Typed text, in whichever script, kept in its own direction inside the other's sentence:
    a first-strong isolate (WeasyPrint ignores CSS ``unicode-bidi``)."""
    return f"\u2068{text}\u2069"


@cache
def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True)
    env.filters["mad"] = _mad
    env.filters["ltr"] = _ltr
    env.filters["isolated"] = _isolated
    env.globals["both"] = _both
    env.globals["MEASUREMENTS"] = MEASUREMENTS
    env.filters["quantity"] = _quantity
    return env


@cache
def _fonts() -> FontConfiguration:
    """One for the process: a fresh one per render leaks memory (STACK-NOTES)."""
    return FontConfiguration()


def render_html(content: NoticeContent) -> str:
    qr = segno.make(content.verify_url, error="m").svg_data_uri(scale=4, border=1)
    template = _environment().get_template(f"{content.kind.value}.html")
    return template.render(n=content, qr=qr)


def render_pdf(content: NoticeContent, photos: PhotoReader | None = None) -> bytes:
    return _write(render_html(content), photos)


def _write(html: str, photos: PhotoReader | None) -> bytes:
    # WeasyPrint has no type information: write_pdf's bytes are Any to mypy.
    return HTML(string=html, url_fetcher=_fetcher(photos)).write_pdf(  # type: ignore[no-any-return]
        font_config=_fonts(),
        pdf_variant="pdf/a-3b",  # archival: fonts embedded, colours and metadata declared
        optimize_images=True,
        jpeg_quality=80,
        dpi=150,
    )


class _Fetcher(URLFetcher):  # type: ignore[misc]  # an untyped WeasyPrint class
    """Data URIs (the QR code) and ``evidence:`` photos from the store; nothing else, so
    rendering never reaches the network."""

    def __init__(self, photos: PhotoReader | None) -> None:
        super().__init__(allowed_protocols={"data"}, fail_on_errors=True)
        self.photos = photos

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if url.startswith("evidence:") and self.photos is not None:
            body = self.photos(url.removeprefix("evidence:"))
            return URLFetcherResponse(url, body=body, headers={"Content-Type": "image/webp"})
        return super().fetch(url, headers)


def _fetcher(photos: PhotoReader | None) -> _Fetcher:
    return _Fetcher(photos)
