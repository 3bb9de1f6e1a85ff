"""User accounts: registration, roles and brigade scope, passwords, authentication."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from datetime import datetime
from uuid import UUID

from eventsourcing.persistence import IntegrityError
from eventsourcing.utils import get_topic

from police import clock
from police.aggregates.user import User, normalize_username
from police.app.base import BaseApp
from police.errors import N_, InvalidInput, NotAllowed
from police.identifiers import clean_text
from police.passwords import hash_password, verify_password
from police.roles import Actor, Role, parse_brigade, parse_role

_NOT_FOUND = N_("Utilisateur introuvable.")
_LOCKED = N_("Compte verrouillé après plusieurs échecs : réessayez dans {minutes} min.")


class LoginRefused(NotAllowed):
    """Wrong credentials, a locked or a disabled account."""


def _minutes_until(until: datetime, now: datetime) -> int:
    """Whole minutes left, rounded up: the last seconds of a lock are its last minute."""
    return math.ceil((until - now).total_seconds() / 60)


class UserCommands(BaseApp):
    def register_user(
        self,
        actor_id: UUID,
        *,
        username: str,
        full_name: str,
        password: str,
        badge: str = "",
        roles: Iterable[str] = (),
        brigades: Iterable[str] = (),
    ) -> UUID:
        actor = self.actor(actor_id)
        actor.require([Role.ADMIN])
        user = User(
            username=normalize_username(username),
            full_name=clean_text(
                full_name, field="full_name", label=N_("Nom complet"), required=True, max_length=120
            ),
            badge=clean_text(badge, field="badge", label=N_("Matricule"), max_length=30),
            password_hash=hash_password(password),
            actor_id=actor.id,
        )
        for role in dict.fromkeys(roles):
            user.grant_role(actor, parse_role(role))
        for brigade in dict.fromkeys(brigades):
            user.grant_brigade(actor, parse_brigade(brigade))
        try:
            self.save(user)
        except IntegrityError:
            raise InvalidInput(
                N_("L'identifiant « {username} » est déjà pris."),
                field="username",
                username=user.username,
            ) from None
        return user.id

    def grant_role(self, actor_id: UUID, user_id: UUID, role: str) -> None:
        self._change_user(actor_id, user_id, lambda u, a: u.grant_role(a, parse_role(role)))

    def revoke_role(self, actor_id: UUID, user_id: UUID, role: str) -> None:
        self._change_user(actor_id, user_id, lambda u, a: u.revoke_role(a, parse_role(role)))

    def grant_brigade(self, actor_id: UUID, user_id: UUID, brigade: str) -> None:
        self._change_user(
            actor_id, user_id, lambda u, a: u.grant_brigade(a, parse_brigade(brigade))
        )

    def revoke_brigade(self, actor_id: UUID, user_id: UUID, brigade: str) -> None:
        self._change_user(
            actor_id, user_id, lambda u, a: u.revoke_brigade(a, parse_brigade(brigade))
        )

    def deactivate_user(self, actor_id: UUID, user_id: UUID, *, reason: str) -> None:
        text = clean_text(reason, field="reason", label=N_("Motif"), required=True)
        self._change_user(actor_id, user_id, lambda u, a: u.deactivate(a, text))

    def reactivate_user(self, actor_id: UUID, user_id: UUID) -> None:
        self._change_user(actor_id, user_id, lambda u, a: u.reactivate(a))

    def change_password(
        self,
        actor_id: UUID,
        user_id: UUID,
        *,
        new_password: str,
        current_password: str | None = None,
    ) -> None:
        """A user changes their own password (giving the current one); an admin resets any."""
        new_hash = hash_password(new_password)

        def change(user: User, actor: Actor) -> None:
            if actor.id == user.id:
                if not verify_password(user.password_hash, current_password or ""):
                    raise InvalidInput(
                        N_("Mot de passe actuel incorrect."), field="current_password"
                    )
            elif not actor.is_admin:
                raise NotAllowed(
                    N_("Seul un administrateur peut changer le mot de passe d'un autre compte.")
                )
            user.change_password(actor_id=actor.id, password_hash=new_hash)

        self._change_user(actor_id, user_id, change, admin_only=False)

    def log_in(self, username: str, password: str, *, source: str) -> Actor:
        """The actor for valid credentials; each failure and success is on the user's record.

        Five failures in a row lock the account for 15 minutes, whichever web process is asked.
        """
        try:
            user = self.find_user(username)
        except InvalidInput:
            user = None
        now = clock.now()
        if user is not None and (until := user.locked_until(now)):
            raise LoginRefused(_LOCKED, minutes=_minutes_until(until, now))
        if not verify_password(user.password_hash if user else None, password):
            if user is not None:
                user = self._save_login_failure(user.id, now, source)
                if until := user.locked_until(now):
                    raise LoginRefused(_LOCKED, minutes=_minutes_until(until, now))
            raise LoginRefused(N_("Identifiant ou mot de passe incorrect."))
        assert user is not None
        if not user.active:
            raise LoginRefused(N_("Ce compte est désactivé : adressez-vous à l'administrateur."))

        def attempt() -> None:
            fresh = self._get(User, user.id, _NOT_FOUND)
            fresh.logged_in(source=source[:200])
            self.save(fresh)

        self._retrying(attempt)
        return user.as_actor()

    def _save_login_failure(self, user_id: UUID, now: datetime, source: str) -> User:
        def attempt() -> User:
            user = self._get(User, user_id, _NOT_FOUND)
            user.login_failed(at=now, source=source[:200])
            self.save(user)
            return user

        return self._retrying(attempt)

    def find_user(self, username: str) -> User | None:
        return self._find(User, User.create_id(normalize_username(username)))

    def get_user(self, user_id: UUID) -> User:
        return self._get(User, user_id, _NOT_FOUND)

    def list_users(self) -> list[User]:
        """Every account, from the log of registrations (for the command line)."""
        topic = get_topic(User.Registered)
        ids, start = [], 1
        while batch := self.recorder.select_notifications(start=start, limit=1000, topics=[topic]):
            ids += [UUID(str(n.originator_id)) for n in batch]
            start = batch[-1].id + 1
        return sorted((self.get_user(i) for i in ids), key=lambda u: u.username)

    def _change_user(
        self,
        actor_id: UUID,
        user_id: UUID,
        change: Callable[[User, Actor], None],
        *,
        admin_only: bool = True,
    ) -> None:
        def attempt() -> None:
            actor = self.actor(actor_id)
            if admin_only:
                actor.require([Role.ADMIN])
            user = self._get(User, user_id, _NOT_FOUND)
            change(user, actor)
            self.save(user)

        self._retrying(attempt)
