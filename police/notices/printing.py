"""Notices bound into one PDF for printing (a day's parking tickets): the very PDFs that were
issued, stored and hashed, page after page, never re-rendered."""

from __future__ import annotations

import io
from collections.abc import Iterable

from pypdf import PdfReader, PdfWriter


def bind(pdfs: Iterable[bytes]) -> bytes:
    """One PDF holding every page of ``pdfs``, in order."""
    writer = PdfWriter()
    for pdf in pdfs:
        writer.append(PdfReader(io.BytesIO(pdf)))
    if not writer.pages:
        raise ValueError("no notice to print")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
