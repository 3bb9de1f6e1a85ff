"""Domain errors: each carries a French message template the interface can translate.

A template is the French sentence with ``{name}`` placeholders; ``N_`` marks it for Babel's
extraction so the Arabic catalogue can translate it, while ``str(error)`` stays French.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def N_(template: str) -> str:
    """Marks a message template for extraction without translating it here."""
    return template


class DomainError(Exception):
    """A command was refused; nothing was recorded."""

    def __init__(self, template: str, *, field: str | None = None, **params: Any) -> None:
        self.template = template
        self.params = params
        self.field = field
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return self.template.format(**self.params)

    def translated(self, gettext: Callable[[str], str]) -> str:
        """The message in another language; labels given as parameters are translated too."""
        params = {k: gettext(v) if isinstance(v, str) else v for k, v in self.params.items()}
        return gettext(self.template).format(**params)


class InvalidInput(DomainError):
    """A value given to a command is malformed or out of range."""


class NotAllowed(DomainError):
    """The actor's roles or brigade scope do not allow the command."""


class NotFound(DomainError):
    """The command names something that was never recorded."""


class InvalidTransition(DomainError):
    """The case (or other aggregate) is not in a state where the command applies."""


class Conflict(DomainError):
    """Someone else changed the record in the meantime; the command was not applied."""
