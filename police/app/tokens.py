"""Personal API tokens: what the city's GIS (QGIS, any OGC API client) sends as
``Authorization: Bearer ...``, and the city's apps as Open311's ``api_key``. An admin issues and
revokes them; each acts as its user, with the roles and brigade scope that user holds at the
moment it is used, within its own scopes and until its expiry day (``police.token_terms``).
The first time each day a token is accepted is recorded, so the lists show its last use.

A token reads ``pat_<user id, 32 hex>_<key, 12 hex>_<secret>``: the user id lets the check
load that one user, the key names the token in lists and revocations, the secret is
``secrets.token_urlsafe(32)``. It is shown once, when issued; the record keeps only its SHA-256.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.utils import get_topic

from police.aggregates.user import ApiToken, User
from police.app.base import BaseApp
from police.errors import N_, NotAllowed, NotFound
from police.identifiers import clean_text
from police.roles import Actor, Role
from police.token_terms import TokenScope, check_expiry, default_expiry, parse_scopes

PREFIX = "pat"
_SHAPE = re.compile(r"pat_([0-9a-f]{32})_([0-9a-f]{12})_([A-Za-z0-9_-]{43})")
_KEY = re.compile(r"[0-9a-f]{12}")
_REFUSED = N_("Jeton d'accès invalide, expiré, révoqué, ou compte désactivé.")
_NO_TOKEN = N_("Aucun jeton « {key} ».")
_NO_USER = N_("Utilisateur introuvable.")


class TokenRefused(NotAllowed):
    """A token that is malformed, unknown, expired, revoked, without the scope asked, or whose
    account is disabled: all alike."""


@dataclass(frozen=True)
class IssuedToken:
    """A new token: ``token`` is the plaintext, to show once and never again."""

    user_id: UUID
    key: str
    token: str
    scopes: tuple[str, ...]
    expires_on: date


def token_digest(token: str) -> str:
    """The SHA-256 of the token, as the record keeps it.

    A fast hash is enough here, unlike for passwords: the secret is 256 random bits, so no
    dictionary or brute-force search over digests can find it, and a slow hash would only slow
    every request of the GIS (each one checks its token)."""
    return hashlib.sha256(token.encode("ascii")).hexdigest()


class TokenCommands(BaseApp):
    def issue_api_token(
        self,
        actor_id: UUID,
        user_id: UUID,
        *,
        label: str,
        scopes: Iterable[str] = tuple(TokenScope),
        expires_on: date | None = None,
    ) -> IssuedToken:
        """A new token for ``user_id``, allowed ``scopes`` (all by default) until
        ``expires_on`` included (by default a year from today)."""
        text = clean_text(label, field="label", label=N_("Libellé"), required=True, max_length=80)
        chosen = parse_scopes(scopes)
        today = self.today()
        expiry = check_expiry(expires_on or default_expiry(today), today)
        key = secrets.token_hex(6)
        token = f"{PREFIX}_{user_id.hex}_{key}_{secrets.token_urlsafe(32)}"

        def attempt() -> None:
            actor = self.actor(actor_id)
            actor.require([Role.ADMIN])
            user = self._get(User, user_id, _NO_USER)
            user.issue_api_token(
                actor,
                key=key,
                label=text,
                digest=token_digest(token),
                scopes=chosen,
                expires_on=expiry,
            )
            self.save(user)

        self._retrying(attempt)
        return IssuedToken(
            user_id=user_id, key=key, token=token, scopes=tuple(chosen), expires_on=expiry
        )

    def revoke_api_token(self, actor_id: UUID, user_id: UUID, key: str) -> None:
        def attempt() -> None:
            actor = self.actor(actor_id)
            actor.require([Role.ADMIN])
            user = self._get(User, user_id, _NO_USER)
            user.revoke_api_token(actor, key)
            self.save(user)

        self._retrying(attempt)

    def revoke_api_token_by_key(self, actor_id: UUID, key: str) -> UUID:
        """Revokes the token named ``key``, whoever holds it; returns its user's id."""
        self.actor(actor_id).require([Role.ADMIN])  # before the search: nothing told otherwise
        user_id = self.token_owner(key)
        self.revoke_api_token(actor_id, user_id, key)
        return user_id

    def token_owner(self, key: str) -> UUID:
        """The id of the user the token named ``key`` was issued to."""
        if not _KEY.fullmatch(key):
            raise NotFound(_NO_TOKEN, key=key[:20])
        for user_id, issued_key in self._issued():
            if issued_key == key:
                return user_id
        raise NotFound(_NO_TOKEN, key=key)

    def list_api_tokens(
        self, actor_id: UUID, username: str | None = None
    ) -> list[tuple[User, ApiToken]]:
        """Every token ever issued (to ``username`` only, if given), revoked and expired ones
        included, with its user, oldest first."""
        self.actor(actor_id).require([Role.ADMIN])
        users: dict[UUID, User] = {}
        for user_id, _ in self._issued():
            if user_id not in users:
                users[user_id] = self._get(User, user_id, _NO_USER)
        if username is not None:
            users = {i: u for i, u in users.items() if u.username == username}
        found = [(u, t) for u in users.values() for t in u.api_tokens.values()]
        return sorted(found, key=lambda pair: pair[1].issued_at)

    def _issued(self) -> list[tuple[UUID, str]]:
        """(user id, key) of every token issued, from the log of issues."""
        topic = get_topic(User.ApiTokenIssued)
        found, start = [], 1
        while batch := self.recorder.select_notifications(start=start, limit=1000, topics=[topic]):
            for notification in batch:
                issued = self.mapper.to_domain_event(notification)
                assert isinstance(issued, User.ApiTokenIssued)
                found.append((UUID(str(issued.originator_id)), issued.key))
            start = batch[-1].id + 1
        return found

    def authenticate_token(self, token: str, scope: TokenScope) -> Actor:
        """The token's user as they are now, if the token is valid today for ``scope``;
        ``TokenRefused`` otherwise, for whatever reason.

        One read of the cached user (fast-forwarded: a revocation or deactivation saved by any
        process counts at the next request), one SHA-256, one constant-time comparison; and,
        the first time that day only, one save of the day it was used."""
        found = _SHAPE.fullmatch(token)
        if found is None:
            raise TokenRefused(_REFUSED)
        user_hex, key, _ = found.groups()
        try:
            user: object = self.repository.get(
                UUID(hex=user_hex), deepcopy_from_cache=False, fastforward_skipping=True
            )
        except AggregateNotFoundError:
            user = None
        today = self.today()
        digest = token_digest(token)
        if not isinstance(user, User) or not user.accepts_api_token(
            key, digest, scope=scope, today=today
        ):
            raise TokenRefused(_REFUSED)
        if user.api_tokens[key].last_used_on != today:
            self._record_use(user.id, key, today)
        return user.as_actor()

    def _record_use(self, user_id: UUID, key: str, today: date) -> None:
        """Saves the day the token was used, on a fresh copy of its user (the cached one is
        shared, never changed). Another request recording the same day at the same moment
        collides: the retry reads the user again and finds the day recorded, so saves nothing."""

        def attempt() -> None:
            user = self._get(User, user_id, _NO_USER)
            user.api_token_used(key, today)
            if user.pending_events:  # none if that day is recorded already
                self.save(user)

        self._retrying(attempt)
