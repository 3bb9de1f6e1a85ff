"""Transcodings for the value types events carry beyond the library's defaults."""

from __future__ import annotations

from datetime import date

from eventsourcing.persistence import JSONTranscoder, Transcoding


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


def register(transcoder: JSONTranscoder) -> None:
    """Adds ours to a transcoder that already has UUID, Decimal and datetime."""
    transcoder.register(DateAsISO())
