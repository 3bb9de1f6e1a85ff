"""The user: an officer, supervisor, legal staff member or admin.

Roles and brigade scope are granted and revoked by events, so who could do what, and when,
is itself on the record. The id is a name-based UUID of the username: usernames are unique.
API tokens (for the city's GIS and apps, ``police.app.tokens``) are issued and revoked by
events too, with what each may do and until when (``police.token_terms``), and the day each
was last used; the events keep only each token's SHA-256, never the token.
"""

from __future__ import annotations

import hmac
import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from police.aggregates.base import PoliceAggregate
from police.errors import N_, InvalidInput, InvalidTransition
from police.identifiers import natural_id
from police.roles import ROLE_LABELS, Actor, Brigade, Role
from police.token_terms import FIRST_SCOPES

_USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{2,31}")
MAX_FAILED_LOGINS = 5
LOCK_OUT = timedelta(minutes=15)


@dataclass(frozen=True)
class ApiToken:
    """A token as the record keeps it: its key (its name in lists), label and digest, what it
    may do (``police.token_terms.TokenScope`` values), until when, and the day it was last
    accepted."""

    key: str
    label: str
    digest: str  # SHA-256 of the whole token, hex
    issued_at: datetime
    scopes: tuple[str, ...] = FIRST_SCOPES
    expires_on: date | None = None  # the last day it works; None: issued before expiries
    revoked_at: datetime | None = None
    last_used_on: date | None = None

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    def expired(self, today: date) -> bool:
        return self.expires_on is not None and today > self.expires_on

    def state(self, today: date) -> str:
        """ "revoked", "expired" or "active", as the lists show it."""
        if self.revoked:
            return "revoked"
        return "expired" if self.expired(today) else "active"


def normalize_username(value: str) -> str:
    username = value.strip().lower()
    if not _USERNAME.fullmatch(username):
        raise InvalidInput(
            N_("Identifiant « {value} » invalide : 3 à 32 caractères, lettres, chiffres, . _ -"),
            field="username",
            value=value.strip(),
        )
    return username


class User(PoliceAggregate):
    # --- events: each fact it records, and what the fact carries ---

    class Event(PoliceAggregate.Event):
        pass

    class Created(Event, PoliceAggregate.Created):
        pass

    class Registered(Created):
        username: str
        full_name: str
        badge: str
        password_hash: str
        actor_id: UUID

    class LoginFailed(Event):
        at: datetime
        source: str

    class LoggedIn(Event):
        source: str

    class RoleGranted(Event):
        actor_id: UUID
        role: str

    class RoleRevoked(Event):
        actor_id: UUID
        role: str

    class BrigadeGranted(Event):
        actor_id: UUID
        brigade: str

    class BrigadeRevoked(Event):
        actor_id: UUID
        brigade: str

    class PasswordChanged(Event):
        actor_id: UUID
        password_hash: str

    class Deactivated(Event):
        actor_id: UUID
        reason: str

    class Reactivated(Event):
        actor_id: UUID

    class ApiTokenIssued(Event):
        key: str
        label: str
        digest: str
        actor_id: UUID
        scopes: list[str]
        expires_on: date | None

        class_version = 2  # 2: scopes and expiry

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            """A token issued before scopes and expiry could do all there was, for ever."""
            state["scopes"] = list(FIRST_SCOPES)
            state["expires_on"] = None

        def apply(self, user: User) -> None:
            user.api_tokens[self.key] = ApiToken(
                key=self.key,
                label=self.label,
                digest=self.digest,
                issued_at=self.timestamp,
                scopes=tuple(self.scopes),
                expires_on=self.expires_on,
            )

    class ApiTokenRevoked(Event):
        key: str
        actor_id: UUID

        def apply(self, user: User) -> None:
            user.api_tokens[self.key] = replace(
                user.api_tokens[self.key], revoked_at=self.timestamp
            )

    class ApiTokenUsed(Event):
        """The first time that day the token was accepted (at most one a day per token)."""

        key: str
        on: date

        def apply(self, user: User) -> None:
            user.api_tokens[self.key] = replace(user.api_tokens[self.key], last_used_on=self.on)

    # --- state and commands ---

    @staticmethod
    def create_id(username: str) -> UUID:
        return natural_id("user", username)

    @event(Registered)
    def __init__(
        self, *, username: str, full_name: str, badge: str, password_hash: str, actor_id: UUID
    ) -> None:
        self.username = username
        self.full_name = full_name
        self.badge = badge
        self.password_hash = password_hash
        self.roles: list[str] = []
        self.brigades: list[str] = []
        self.active = True
        self.failed_logins: list[datetime] = []  # consecutive, since the last success
        self.api_tokens: dict[str, ApiToken] = {}  # by key, in the order issued

    def locked_until(self, now: datetime) -> datetime | None:
        """After five failures in a row within 15 minutes, the account waits 15 minutes from
        the last one (not until the first of them is 15 minutes old)."""
        if not self.failed_logins:
            return None
        last = self.failed_logins[-1]
        burst = [t for t in self.failed_logins if last - t < LOCK_OUT]
        if len(burst) >= MAX_FAILED_LOGINS and now < last + LOCK_OUT:
            return last + LOCK_OUT
        return None

    def as_actor(self) -> Actor:
        return Actor(
            id=self.id,
            username=self.username,
            roles=frozenset(Role(r) for r in self.roles),
            brigades=frozenset(Brigade(b) for b in self.brigades),
        )

    def grant_role(self, actor: Actor, role: Role) -> None:
        if role in self.roles:
            raise InvalidTransition(
                N_("{username} a déjà le rôle {role}."),
                username=self.username,
                role=ROLE_LABELS[role],
            )
        self._role_granted(actor_id=actor.id, role=role)

    def revoke_role(self, actor: Actor, role: Role) -> None:
        if role not in self.roles:
            raise InvalidTransition(
                N_("{username} n'a pas le rôle {role}."),
                username=self.username,
                role=ROLE_LABELS[role],
            )
        if actor.id == self.id and role == Role.ADMIN:
            raise InvalidTransition(
                N_("Un administrateur ne peut pas se retirer ce rôle lui-même.")
            )
        self._role_revoked(actor_id=actor.id, role=role)

    def grant_brigade(self, actor: Actor, brigade: Brigade) -> None:
        if brigade in self.brigades:
            raise InvalidTransition(
                N_("{username} est déjà habilité(e) pour cette brigade."), username=self.username
            )
        self._brigade_granted(actor_id=actor.id, brigade=brigade)

    def revoke_brigade(self, actor: Actor, brigade: Brigade) -> None:
        if brigade not in self.brigades:
            raise InvalidTransition(
                N_("{username} n'est pas habilité(e) pour cette brigade."), username=self.username
            )
        self._brigade_revoked(actor_id=actor.id, brigade=brigade)

    def deactivate(self, actor: Actor, reason: str) -> None:
        if not self.active:
            raise InvalidTransition(
                N_("Le compte {username} est déjà désactivé."), username=self.username
            )
        if actor.id == self.id:
            raise InvalidTransition(N_("Vous ne pouvez pas désactiver votre propre compte."))
        self._deactivated(actor_id=actor.id, reason=reason)

    def reactivate(self, actor: Actor) -> None:
        if self.active:
            raise InvalidTransition(
                N_("Le compte {username} est déjà actif."), username=self.username
            )
        self._reactivated(actor_id=actor.id)

    def issue_api_token(
        self,
        actor: Actor,
        *,
        key: str,
        label: str,
        digest: str,
        scopes: list[str],
        expires_on: date,
    ) -> None:
        """``scopes`` and ``expires_on`` as ``police.token_terms`` checked them."""
        if not self.active:
            raise InvalidTransition(
                N_("Le compte {username} est désactivé : aucun jeton ne lui est délivré."),
                username=self.username,
            )
        if key in self.api_tokens:  # keys are random: only a bug would repeat one
            raise InvalidTransition(N_("Ce jeton existe déjà."))
        self.trigger_event(
            self.ApiTokenIssued,
            key=key,
            label=label,
            digest=digest,
            actor_id=actor.id,
            scopes=scopes,
            expires_on=expires_on,
        )

    def revoke_api_token(self, actor: Actor, key: str) -> None:
        token = self.api_tokens.get(key)
        if token is None:
            raise InvalidTransition(
                N_("{username} n'a pas de jeton « {key} »."), username=self.username, key=key
            )
        if token.revoked:
            raise InvalidTransition(N_("Le jeton « {key} » est déjà révoqué."), key=key)
        self.trigger_event(self.ApiTokenRevoked, key=key, actor_id=actor.id)

    def accepts_api_token(self, key: str, digest: str, *, scope: str, today: date) -> bool:
        """Whether an active account holds this token (constant-time compare), not revoked,
        not past its expiry day, and allowed ``scope``."""
        token = self.api_tokens.get(key)
        return (
            token is not None
            and hmac.compare_digest(token.digest, digest)
            and self.active
            and not token.revoked
            and not token.expired(today)
            and scope in token.scopes
        )

    def api_token_used(self, key: str, on: date) -> None:
        """Records the day the token was accepted, unless it is recorded already."""
        if self.api_tokens[key].last_used_on != on:
            self.trigger_event(self.ApiTokenUsed, key=key, on=on)

    @event(LoginFailed)
    def login_failed(self, *, at: datetime, source: str) -> None:
        self.failed_logins = [*self.failed_logins[-(MAX_FAILED_LOGINS - 1) :], at]

    @event(LoggedIn)
    def logged_in(self, *, source: str) -> None:
        self.failed_logins = []

    @event(RoleGranted)
    def _role_granted(self, *, actor_id: UUID, role: str) -> None:
        self.roles.append(role)

    @event(RoleRevoked)
    def _role_revoked(self, *, actor_id: UUID, role: str) -> None:
        self.roles.remove(role)

    @event(BrigadeGranted)
    def _brigade_granted(self, *, actor_id: UUID, brigade: str) -> None:
        self.brigades.append(brigade)

    @event(BrigadeRevoked)
    def _brigade_revoked(self, *, actor_id: UUID, brigade: str) -> None:
        self.brigades.remove(brigade)

    @event(PasswordChanged)
    def change_password(self, *, actor_id: UUID, password_hash: str) -> None:
        self.password_hash = password_hash

    @event(Deactivated)
    def _deactivated(self, *, actor_id: UUID, reason: str) -> None:
        self.active = False

    @event(Reactivated)
    def _reactivated(self, *, actor_id: UUID) -> None:
        self.active = True
