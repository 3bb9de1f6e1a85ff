"""User accounts: registration, roles and brigade scope, passwords, sign-in with its second
factor, sessions."""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import IntegrityError
from eventsourcing.utils import get_topic

from police import clock, two_factor
from police.aggregates.user import User, normalize_username
from police.app.base import BaseApp
from police.errors import N_, Conflict, InvalidInput, NotAllowed
from police.identifiers import clean_text
from police.passwords import check_strength, hash_password, one_time_password, verify_password
from police.roles import Actor, Brigade, Role, parse_brigade, parse_role

_NOT_FOUND = N_("Utilisateur introuvable.")
_STALE = N_(
    "Le compte {username} a changé depuis l'affichage de sa page : rechargez-la et "
    "vérifiez avant de recommencer."
)
_LOCKED = N_("Compte verrouillé après plusieurs échecs : réessayez dans {minutes} min.")


_LANGUAGE = re.compile(r"[a-z]{2}")


class LoginRefused(NotAllowed):
    """Wrong credentials, a locked or a disabled account."""


class SessionEnded(NotAllowed):
    """The session is not (or no longer) open: signed out, reset, or the account disabled."""


@dataclass(frozen=True)
class SignIn:
    """A password accepted: the actor, or None while the account's second factor is awaited
    (nothing is recorded as signed in until it is given: ``log_in_second_factor``)."""

    user_id: UUID
    username: str
    actor: Actor | None


@dataclass(frozen=True)
class SessionState:
    """Who a signed-in session acts as now, and what they must do before anything else."""

    actor: Actor
    must_change_password: bool  # a one-time password set by an admin
    must_enrol: bool  # a role held requires a second factor not yet enrolled
    language: str  # the one chosen, or ""


@dataclass(frozen=True)
class OpenedAccount:
    """A new account and its one-time password, to hand over once."""

    user_id: UUID
    password: str


def session_key(session_id: str) -> str:
    """What the record keeps of a session's id: its digest (the id itself stays in the cookie)."""
    return hashlib.sha256(session_id.encode()).hexdigest()[:32] if session_id else ""


def _known_words(user: User) -> list[str]:
    return [user.username, *user.username.split("."), *user.full_name.split(), user.badge]


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
        must_change_password: bool = False,
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
            must_change_password=must_change_password,
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

    def open_account(
        self,
        actor_id: UUID,
        *,
        username: str,
        full_name: str,
        badge: str = "",
        roles: Iterable[str] = (),
        brigades: Iterable[str] = (),
    ) -> OpenedAccount:
        """An account with a one-time password the user must change at first sign-in."""
        password = one_time_password()
        user_id = self.register_user(
            actor_id,
            username=username,
            full_name=full_name,
            badge=badge,
            password=password,
            roles=roles,
            brigades=brigades,
            must_change_password=True,
        )
        return OpenedAccount(user_id, password)

    def grant_role(
        self,
        actor_id: UUID,
        user_id: UUID,
        role: str,
        reason: str = "",
        expected_version: int | None = None,
    ) -> None:
        self._scope_change(
            actor_id, user_id, User.grant_role, parse_role(role), reason, expected_version
        )

    def revoke_role(
        self,
        actor_id: UUID,
        user_id: UUID,
        role: str,
        reason: str = "",
        expected_version: int | None = None,
    ) -> None:
        self._scope_change(
            actor_id, user_id, User.revoke_role, parse_role(role), reason, expected_version
        )

    def grant_brigade(
        self,
        actor_id: UUID,
        user_id: UUID,
        brigade: str,
        reason: str = "",
        expected_version: int | None = None,
    ) -> None:
        scope = parse_brigade(brigade)
        self._scope_change(actor_id, user_id, User.grant_brigade, scope, reason, expected_version)

    def revoke_brigade(
        self,
        actor_id: UUID,
        user_id: UUID,
        brigade: str,
        reason: str = "",
        expected_version: int | None = None,
    ) -> None:
        scope = parse_brigade(brigade)
        self._scope_change(actor_id, user_id, User.revoke_brigade, scope, reason, expected_version)

    def _scope_change(
        self,
        actor_id: UUID,
        user_id: UUID,
        change: Callable[[User, Actor, Any, str], None],
        value: Role | Brigade,
        reason: str,
        expected_version: int | None,
    ) -> None:
        """A role or brigade granted or revoked, with its reason; ``expected_version``: the
        version of the account the admin's page was read at."""
        text = _reason(reason)
        self._change_user(
            actor_id,
            user_id,
            lambda u, a: change(u, a, value, text),
            expected_version=expected_version,
        )

    def reset_password(self, actor_id: UUID, user_id: UUID, *, reason: str) -> str:
        """A new one-time password (returned, to hand over once); every session ends."""
        text = clean_text(reason, field="reason", label=N_("Motif"), required=True)
        password = one_time_password()
        new_hash = hash_password(password)
        self._change_user(
            actor_id,
            user_id,
            lambda u, a: u.reset_password(a, password_hash=new_hash, reason=text),
        )
        return password

    def unlock_user(self, actor_id: UUID, user_id: UUID, *, reason: str) -> None:
        text = clean_text(reason, field="reason", label=N_("Motif"), required=True)
        self._change_user(actor_id, user_id, lambda u, a: u.unlock(a, clock.now(), text))

    def reset_two_factor(self, actor_id: UUID, user_id: UUID, *, reason: str = "") -> None:
        """An admin resets anyone's (a lost phone); a user turns off their own optional one."""
        text = clean_text(reason, field="reason", label=N_("Motif"), max_length=500)

        def change(user: User, actor: Actor) -> None:
            _self_or_admin(user, actor)
            user.reset_two_factor(actor, text)

        self._change_user(actor_id, user_id, change, admin_only=False)

    def deactivate_user(
        self, actor_id: UUID, user_id: UUID, *, reason: str, expected_version: int | None = None
    ) -> None:
        text = clean_text(reason, field="reason", label=N_("Motif"), required=True)
        self._change_user(
            actor_id, user_id, lambda u, a: u.deactivate(a, text), expected_version=expected_version
        )

    def reactivate_user(
        self, actor_id: UUID, user_id: UUID, *, expected_version: int | None = None
    ) -> None:
        self._change_user(
            actor_id, user_id, lambda u, a: u.reactivate(a), expected_version=expected_version
        )

    def change_password(
        self,
        actor_id: UUID,
        user_id: UUID,
        *,
        new_password: str,
        current_password: str | None = None,
    ) -> None:
        """A user changes their own password (giving the current one); an admin sets any
        (the command line). Either way the new one must pass the policy."""
        new_hash = hash_password(new_password)

        def change(user: User, actor: Actor) -> None:
            check_strength(new_password, _known_words(user))
            if verify_password(user.password_hash, new_password):
                raise InvalidInput(
                    N_("Le nouveau mot de passe doit différer de l'actuel."), field="password"
                )
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

    def log_in(self, username: str, password: str, *, source: str, session: str = "") -> SignIn:
        """The password checked; each failure and success is on the user's record.

        Five failures in a row lock the account for 15 minutes, whichever web process is asked.
        An account with a second factor is not signed in yet: its code comes next.
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
        if user.two_factor:
            return SignIn(user.id, user.username, None)
        self._signed_in(user.id, source=source, session=session)
        return SignIn(user.id, user.username, user.as_actor())

    def log_in_second_factor(
        self, user_id: UUID, code: str, *, source: str, session: str = ""
    ) -> Actor:
        """The code of the user's authenticator app, or one of their recovery codes, after
        their password: a wrong one counts as a failed sign-in (and locks like one)."""
        now = clock.now()
        user = self._get(User, user_id, _NOT_FOUND)
        if until := user.locked_until(now):
            raise LoginRefused(_LOCKED, minutes=_minutes_until(until, now))
        if not user.active or not user.two_factor:
            raise LoginRefused(N_("Ce compte est désactivé : adressez-vous à l'administrateur."))

        def attempt() -> tuple[bool, User]:
            fresh = self._get(User, user_id, _NOT_FOUND)
            key, trimmed = session_key(session), source[:200]
            step = two_factor.accepted_step(
                fresh.totp_secret, code, now, after=fresh.last_totp_step
            )
            digest = two_factor.recovery_digest(code[:40])
            if step is not None:
                fresh.logged_in(source=trimmed, session=key, factor="totp", totp_step=step)
            elif digest in fresh.recovery_digests:
                fresh.logged_in(
                    source=trimmed, session=key, factor="recovery", recovery_digest=digest
                )
            else:
                fresh.login_failed(at=now, source=trimmed)
            self.save(fresh)
            return not fresh.failed_logins, fresh

        accepted, user = self._retrying(attempt)
        if not accepted:
            if until := user.locked_until(now):
                raise LoginRefused(_LOCKED, minutes=_minutes_until(until, now))
            raise LoginRefused(N_("Code incorrect ou déjà utilisé."))
        return user.as_actor()

    def _signed_in(self, user_id: UUID, *, source: str, session: str) -> None:
        def attempt() -> None:
            fresh = self._get(User, user_id, _NOT_FOUND)
            fresh.logged_in(source=source[:200], session=session_key(session))
            self.save(fresh)

        self._retrying(attempt)

    def session_state(self, user_id: UUID, session: str) -> SessionState:
        """The session's actor as they are now; ``SessionEnded`` when it is not open."""
        try:  # read-only, as ``actor``: the cached user, fast-forwarded, not copied
            user: object = self.repository.get(
                user_id, deepcopy_from_cache=False, fastforward_skipping=True
            )
        except AggregateNotFoundError:
            user = None
        if not isinstance(user, User) or not user.has_session(session_key(session)):
            raise SessionEnded(N_("Session expirée : reconnectez-vous."))
        return SessionState(
            actor=user.as_actor(),
            must_change_password=user.must_change_password,
            must_enrol=user.needs_two_factor and not user.two_factor,
            language=user.language,
        )

    def log_out(self, user_id: UUID, session: str) -> None:
        def attempt() -> None:
            user = self._get(User, user_id, _NOT_FOUND)
            if user.has_session(session_key(session)):
                user.trigger_event(User.LoggedOut, session=session_key(session))
                self.save(user)

        self._retrying(attempt)

    def sign_out_everywhere(self, actor_id: UUID, user_id: UUID) -> None:
        def change(user: User, actor: Actor) -> None:
            _self_or_admin(user, actor)
            user.sign_out_everywhere(actor)

        self._change_user(actor_id, user_id, change, admin_only=False)

    def choose_language(self, user_id: UUID, language: str) -> None:
        if not _LANGUAGE.fullmatch(language):
            raise InvalidInput(N_("Langue inconnue."), field="language")

        def change(user: User, actor: Actor) -> None:
            if user.language != language:
                user.choose_language(language=language)

        self._change_user(user_id, user_id, change, admin_only=False)

    def enrol_two_factor(self, user_id: UUID, *, secret: str, code: str) -> list[str]:
        """The user's authenticator app set up with ``secret``, proved by one of its codes.
        Returns the recovery codes, to show once."""
        codes = two_factor.new_recovery_codes()

        def change(user: User, actor: Actor) -> None:
            step = two_factor.accepted_step(secret, code, clock.now(), after=user.last_totp_step)
            if step is None:
                raise InvalidInput(
                    N_(
                        "Code incorrect : saisissez le code à 6 chiffres affiché par l'application."
                    ),
                    field="code",
                )
            user.enrol_two_factor(
                actor,
                secret=secret,
                recovery_digests=[two_factor.recovery_digest(c) for c in codes],
                totp_step=step,
            )

        self._change_user(user_id, user_id, change, admin_only=False)
        return codes

    def renew_recovery_codes(self, user_id: UUID) -> list[str]:
        codes = two_factor.new_recovery_codes()
        digests = [two_factor.recovery_digest(c) for c in codes]
        self._change_user(
            user_id, user_id, lambda u, a: u.renew_recovery_codes(a, digests), admin_only=False
        )
        return codes

    def account_history(self, actor_id: UUID, user_id: UUID) -> list[DomainEventProtocol[UUID]]:
        """Every event of the account, oldest first (for its page: who, when, why)."""
        self.actor(actor_id).require([Role.ADMIN])
        self._get(User, user_id, _NOT_FOUND)
        return list(self.events.get(user_id))

    def _save_login_failure(self, user_id: UUID, now: datetime, source: str) -> User:
        def attempt() -> User:
            user = self._get(User, user_id, _NOT_FOUND)
            user.login_failed(at=now, source=source[:200])
            self.save(user)
            return user

        return self._retrying(attempt)

    def find_user(self, username: str) -> User | None:
        return self._find(User, User.create_id(normalize_username(username)))

    def find_user_by_id(self, user_id: UUID) -> User | None:
        return self._find(User, user_id)

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
        expected_version: int | None = None,
    ) -> None:
        """``expected_version``: the version of the account the admin's page was read at."""

        def attempt() -> None:
            actor = self.actor(actor_id)
            if admin_only:
                actor.require([Role.ADMIN])
            user = self._get(User, user_id, _NOT_FOUND)
            if expected_version is not None and user.version != expected_version:
                raise Conflict(_STALE, username=user.username)
            change(user, actor)
            self.save(user)

        self._retrying(attempt)


def _reason(reason: str) -> str:
    return clean_text(reason, field="reason", label=N_("Motif"), max_length=500)


def _self_or_admin(user: User, actor: Actor) -> None:
    if actor.id != user.id and not actor.is_admin:
        raise NotAllowed(N_("Seul un administrateur peut agir sur le compte d'un autre."))
