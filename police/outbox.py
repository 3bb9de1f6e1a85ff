"""What the domain and its callers hand the mailer: a letter. The concrete mailer (SMTP, or the
log when none is configured) is ``web.mail``; ``police`` knows no mail protocol."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Letter:
    to: str
    subject: str
    body: str  # plain text
    language: str = "fr"


class Mail(Protocol):
    def send(self, letter: Letter) -> None:
        """Sends it, or raises; blocking (callers run it off the event loop)."""
        ...
