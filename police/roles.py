"""Roles, brigades and the actor on whose behalf a command runs."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID

from police.errors import N_, InvalidInput, NotAllowed


class Role(StrEnum):
    OFFICER = "officer"
    SUPERVISOR = "supervisor"
    LEGAL = "legal"
    PERMITS = "permits"
    ADMIN = "admin"


class Brigade(StrEnum):
    HYGIENE = "hygiene"
    PARKING = "parking"
    PUBLIC_DOMAIN = "public_domain"


# Roles whose sign-in needs a second factor (TOTP): they sign notices and grant roles.
TWO_FACTOR_ROLES = frozenset({Role.ADMIN, Role.LEGAL})

ROLE_LABELS: dict[Role, str] = {
    Role.OFFICER: N_("Agent"),
    Role.SUPERVISOR: N_("Chef de brigade"),
    Role.LEGAL: N_("Juriste"),
    Role.PERMITS: N_("Service des autorisations"),
    Role.ADMIN: N_("Administrateur"),
}

BRIGADE_LABELS: dict[Brigade, str] = {
    Brigade.HYGIENE: N_("Salubrité publique"),
    Brigade.PARKING: N_("Stationnement"),
    Brigade.PUBLIC_DOMAIN: N_("Occupation du domaine public"),
}


def parse_role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        raise InvalidInput(N_("Rôle inconnu : « {value} »."), field="role", value=value) from None


def parse_brigade(value: str) -> Brigade:
    try:
        return Brigade(value)
    except ValueError:
        raise InvalidInput(
            N_("Brigade inconnue : « {value} »."), field="brigade", value=value
        ) from None


@dataclass(frozen=True)
class Actor:
    """Who is acting, with the roles and brigade scope they hold at this moment."""

    id: UUID
    username: str
    roles: frozenset[Role]
    brigades: frozenset[Brigade]

    @property
    def is_admin(self) -> bool:
        return Role.ADMIN in self.roles

    def has_role(self, role: Role) -> bool:
        return self.is_admin or role in self.roles

    def in_scope(self, brigade: Brigade | str) -> bool:
        return self.is_admin or Brigade(brigade) in self.brigades

    def require(self, roles: Iterable[Role], brigade: Brigade | str | None = None) -> None:
        """Refuses unless the actor holds one of ``roles`` (within ``brigade`` when given)."""
        wanted = tuple(roles)
        if not any(self.has_role(r) for r in wanted):
            raise NotAllowed(
                N_("Action réservée au rôle : {roles}."),
                roles=", ".join(ROLE_LABELS[r] for r in wanted),
            )
        if brigade is not None and not self.in_scope(brigade):
            raise NotAllowed(
                N_("Vous n'êtes pas habilité(e) pour la brigade « {brigade} »."),
                brigade=BRIGADE_LABELS[Brigade(brigade)],
            )


SYSTEM = Actor(
    id=UUID("c885a588-38b9-56a0-b323-9aada805f25c"),  # natural_id("system", "system")
    username="system",
    roles=frozenset({Role.ADMIN}),
    brigades=frozenset(Brigade),
)
"""The installation itself (command line on the server): bootstraps the first admin."""
