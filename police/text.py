"""Free text typed by users: trimmed, control characters removed, length bounded."""

from __future__ import annotations

import unicodedata

from police.errors import N_, InvalidInput


def clean_text(
    value: str | None, *, field: str, label: str, required: bool = False, max_length: int = 2000
) -> str:
    """The text as it will be recorded; refuses it when required and empty, or too long."""
    text = unicodedata.normalize("NFC", value or "")
    text = "".join(c for c in text if c in "\n\t" or unicodedata.category(c) != "Cc").strip()
    if required and not text:
        raise InvalidInput(N_("{label} : ce champ est obligatoire."), field=field, label=label)
    if len(text) > max_length:
        raise InvalidInput(
            N_("{label} : {max_length} caractères au plus ({length} saisis)."),
            field=field,
            label=label,
            max_length=max_length,
            length=len(text),
        )
    return text
