"""Personal API tokens: what the city's GIS (QGIS, any OGC API client) sends as
``Authorization: Bearer ...``. An admin issues and revokes them; each acts as its user, with
the roles and brigade scope that user holds at the moment it is used.

A token reads ``pat_<user id, 32 hex>_<key, 12 hex>_<secret>``: the user id lets the check
load that one user, the key names the token in lists and revocations, the secret is
``secrets.token_urlsafe(32)``. It is shown once, when issued; the record keeps only its SHA-256.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.utils import get_topic

from police.aggregates.user import ApiToken, User
from police.app.base import BaseApp
from police.errors import N_, NotAllowed, NotFound
from police.identifiers import clean_text
from police.roles import Actor, Role

PREFIX = "pat"
_SHAPE = re.compile(r"pat_([0-9a-f]{32})_([0-9a-f]{12})_([A-Za-z0-9_-]{43})")
_REFUSED = N_("Jeton d'accès invalide, révoqué, ou compte désactivé.")
_NO_TOKEN = N_("Aucun jeton « {key} ».")


class TokenRefused(NotAllowed):
    """A token that is malformed, unknown, revoked, or whose account is disabled: all alike."""


@dataclass(frozen=True)
class IssuedToken:
    """A new token: ``token`` is the plaintext, to show once and never again."""

    user_id: UUID
    key: str
    token: str


def token_digest(token: str) -> str:
    """The SHA-256 of the token, as the record keeps it.

    A fast hash is enough here, unlike for passwords: the secret is 256 random bits, so no
    dictionary or brute-force search over digests can find it, and a slow hash would only slow
    every request of the GIS (each one checks its token)."""
    return hashlib.sha256(token.encode("ascii")).hexdigest()


class TokenCommands(BaseApp):
    def issue_api_token(self, actor_id: UUID, user_id: UUID, *, label: str) -> IssuedToken:
        text = clean_text(label, field="label", label=N_("Libellé"), required=True, max_length=80)
        key = secrets.token_hex(6)
        token = f"{PREFIX}_{user_id.hex}_{key}_{secrets.token_urlsafe(32)}"

        def attempt() -> None:
            actor = self.actor(actor_id)
            actor.require([Role.ADMIN])
            user = self._get(User, user_id, N_("Utilisateur introuvable."))
            user.issue_api_token(actor, key=key, label=text, digest=token_digest(token))
            self.save(user)

        self._retrying(attempt)
        return IssuedToken(user_id=user_id, key=key, token=token)

    def revoke_api_token(self, actor_id: UUID, user_id: UUID, key: str) -> None:
        def attempt() -> None:
            actor = self.actor(actor_id)
            actor.require([Role.ADMIN])
            user = self._get(User, user_id, N_("Utilisateur introuvable."))
            user.revoke_api_token(actor, key)
            self.save(user)

        self._retrying(attempt)

    def token_owner(self, key: str) -> UUID:
        """The id of the user the token named ``key`` was issued to (for the command line)."""
        for user_id, issued_key in self._issued():
            if issued_key == key:
                return user_id
        raise NotFound(_NO_TOKEN, key=key)

    def list_api_tokens(self, actor_id: UUID) -> list[tuple[User, ApiToken]]:
        """Every token ever issued, revoked ones included, with its user, oldest first."""
        self.actor(actor_id).require([Role.ADMIN])
        users: dict[UUID, User] = {}
        for user_id, _ in self._issued():
            users.setdefault(user_id, self._get(User, user_id, N_("Utilisateur introuvable.")))
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

    def authenticate_token(self, token: str) -> Actor:
        """The token's user as they are now; ``TokenRefused`` for any token that is not valid.

        One read of the cached user (fast-forwarded: a revocation or deactivation saved by any
        process counts at the next request), one SHA-256, one constant-time comparison."""
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
        if not isinstance(user, User) or not user.holds_api_token(key, token_digest(token)):
            raise TokenRefused(_REFUSED)
        return user.as_actor()
