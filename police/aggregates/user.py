"""The user: an officer, supervisor, legal staff member or admin.

Roles and brigade scope are granted and revoked by events (with the reason given), so who
could do what, and when, is itself on the record. The id is a name-based UUID of the username:
usernames are unique. API tokens (for the city's GIS and apps, ``police.app.tokens``) are issued
and revoked by events too, with what each may do and until when (``police.token_terms``), and the
day each was last used; the events keep only each token's SHA-256, never the token.

Signing in is on the record as well: each success names its session (a digest of the cookie's
session id, never the id) and the second factor used; signing out, everywhere or in one
session, ends them. A password set by an admin (a new account's, a reset) is one-time: the user
must choose their own before anything else. Two-factor sign-in (TOTP, ``police.two_factor``) is
enrolled and reset by events; a code's time step is kept so that no code is accepted twice, and
recovery codes are kept as digests, each struck out when used.
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
from police.roles import ROLE_LABELS, TWO_FACTOR_ROLES, Actor, Brigade, Role
from police.token_terms import FIRST_SCOPES

_USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{2,31}")
MAX_FAILED_LOGINS = 5
LOCK_OUT = timedelta(minutes=15)
MAX_SESSIONS = 20  # open sessions kept per account: a 21st sign-in ends the oldest


@dataclass(frozen=True)
class OpenSession:
    """A signed-in session as the record keeps it: its digest, when and from where."""

    key: str
    started_at: datetime
    source: str


def locked_until(failures: list[datetime], now: datetime) -> datetime | None:
    """After five failures in a row within 15 minutes, the account waits 15 minutes from
    the last one (not until the first of them is 15 minutes old)."""
    if not failures:
        return None
    last = failures[-1]
    burst = [t for t in failures if last - t < LOCK_OUT]
    if len(burst) >= MAX_FAILED_LOGINS and now < last + LOCK_OUT:
        return last + LOCK_OUT
    return None


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
        must_change_password: bool  # a one-time password, set by an admin

        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, object]) -> None:
            state["must_change_password"] = False

    class LoginFailed(Event):
        at: datetime
        source: str

    class LoggedIn(Event):
        source: str
        session: str  # digest of the session's id; "" before sessions were recorded
        factor: str  # "password", "totp" or "recovery"
        totp_step: int  # the time step of the code accepted (0 without one)
        recovery_digest: str  # the recovery code used, struck out ("" when none)

        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, object]) -> None:
            state.update(session="", factor="password", totp_step=0, recovery_digest="")

        def apply(self, user: User) -> None:
            user.failed_logins = []
            user.last_login_at = self.timestamp
            if self.session:
                user.sessions[self.session] = OpenSession(self.session, self.timestamp, self.source)
                while len(user.sessions) > MAX_SESSIONS:
                    del user.sessions[next(iter(user.sessions))]
            user.last_totp_step = max(user.last_totp_step, self.totp_step)
            if self.recovery_digest in user.recovery_digests:
                user.recovery_digests.remove(self.recovery_digest)

    class LoggedOut(Event):
        session: str

    class SignedOutEverywhere(Event):
        actor_id: UUID

    class Unlocked(Event):
        actor_id: UUID
        reason: str

    class RoleGranted(Event):
        actor_id: UUID
        role: str
        reason: str

        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, object]) -> None:
            state["reason"] = ""

    class RoleRevoked(Event):
        actor_id: UUID
        role: str
        reason: str

        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, object]) -> None:
            state["reason"] = ""

    class BrigadeGranted(Event):
        actor_id: UUID
        brigade: str
        reason: str

        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, object]) -> None:
            state["reason"] = ""

    class BrigadeRevoked(Event):
        actor_id: UUID
        brigade: str
        reason: str

        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, object]) -> None:
            state["reason"] = ""

    class PasswordChanged(Event):
        actor_id: UUID
        password_hash: str

    class PasswordReset(Event):
        """An admin set a one-time password: every session ends, the user must change it."""

        actor_id: UUID
        password_hash: str
        reason: str

    class LanguageChosen(Event):
        language: str

    class TwoFactorEnrolled(Event):
        actor_id: UUID
        secret: str  # the TOTP key, base32: needed to check codes (the store may encrypt it)
        recovery_digests: list[str]
        totp_step: int  # the step of the code that proved it: not accepted again

    class RecoveryCodesRenewed(Event):
        actor_id: UUID
        recovery_digests: list[str]

    class TwoFactorReset(Event):
        actor_id: UUID
        reason: str

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
        self,
        *,
        username: str,
        full_name: str,
        badge: str,
        password_hash: str,
        actor_id: UUID,
        must_change_password: bool,
    ) -> None:
        self.username = username
        self.full_name = full_name
        self.badge = badge
        self.password_hash = password_hash
        self.must_change_password = must_change_password
        self.roles: list[str] = []
        self.brigades: list[str] = []
        self.active = True
        self.failed_logins: list[datetime] = []  # consecutive, since the last success
        self.last_login_at: datetime | None = None
        self.sessions: dict[str, OpenSession] = {}  # by key, oldest first
        self.language = ""
        self.totp_secret = ""  # enrolled when set
        self.last_totp_step = 0
        self.recovery_digests: list[str] = []
        self.api_tokens: dict[str, ApiToken] = {}  # by key, in the order issued

    def locked_until(self, now: datetime) -> datetime | None:
        return locked_until(self.failed_logins, now)

    @property
    def two_factor(self) -> bool:
        return bool(self.totp_secret)

    @property
    def needs_two_factor(self) -> bool:
        """Whether a role held requires a second factor (admins and legal staff)."""
        return any(r in TWO_FACTOR_ROLES for r in self.roles)

    def has_session(self, key: str) -> bool:
        return self.active and key in self.sessions

    def as_actor(self) -> Actor:
        return Actor(
            id=self.id,
            username=self.username,
            roles=frozenset(Role(r) for r in self.roles),
            brigades=frozenset(Brigade(b) for b in self.brigades),
        )

    def grant_role(self, actor: Actor, role: Role, reason: str = "") -> None:
        if role in self.roles:
            raise InvalidTransition(
                N_("{username} a déjà le rôle {role}."),
                username=self.username,
                role=ROLE_LABELS[role],
            )
        self._role_granted(actor_id=actor.id, role=role, reason=reason)

    def revoke_role(self, actor: Actor, role: Role, reason: str = "") -> None:
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
        self._role_revoked(actor_id=actor.id, role=role, reason=reason)

    def grant_brigade(self, actor: Actor, brigade: Brigade, reason: str = "") -> None:
        if brigade in self.brigades:
            raise InvalidTransition(
                N_("{username} est déjà habilité(e) pour cette brigade."), username=self.username
            )
        self._brigade_granted(actor_id=actor.id, brigade=brigade, reason=reason)

    def revoke_brigade(self, actor: Actor, brigade: Brigade, reason: str = "") -> None:
        if brigade not in self.brigades:
            raise InvalidTransition(
                N_("{username} n'est pas habilité(e) pour cette brigade."), username=self.username
            )
        self._brigade_revoked(actor_id=actor.id, brigade=brigade, reason=reason)

    def reset_password(self, actor: Actor, *, password_hash: str, reason: str) -> None:
        if not self.active:
            raise InvalidTransition(
                N_("Le compte {username} est désactivé : réactivez-le d'abord."),
                username=self.username,
            )
        self.trigger_event(
            self.PasswordReset, actor_id=actor.id, password_hash=password_hash, reason=reason
        )

    def unlock(self, actor: Actor, now: datetime, reason: str) -> None:
        if self.locked_until(now) is None:
            raise InvalidTransition(
                N_("Le compte {username} n'est pas verrouillé."), username=self.username
            )
        self.trigger_event(self.Unlocked, actor_id=actor.id, reason=reason)

    def enrol_two_factor(
        self, actor: Actor, *, secret: str, recovery_digests: list[str], totp_step: int
    ) -> None:
        if self.two_factor:
            raise InvalidTransition(
                N_("La double authentification est déjà activée pour {username}."),
                username=self.username,
            )
        self.trigger_event(
            self.TwoFactorEnrolled,
            actor_id=actor.id,
            secret=secret,
            recovery_digests=recovery_digests,
            totp_step=totp_step,
        )

    def renew_recovery_codes(self, actor: Actor, recovery_digests: list[str]) -> None:
        self._require_two_factor()
        self.trigger_event(
            self.RecoveryCodesRenewed, actor_id=actor.id, recovery_digests=recovery_digests
        )

    def reset_two_factor(self, actor: Actor, reason: str) -> None:
        """An admin resets a lost phone's enrolment; a user whose roles do not require a
        second factor may turn theirs off."""
        self._require_two_factor()
        if actor.id == self.id and self.needs_two_factor:
            raise InvalidTransition(
                N_(
                    "Votre rôle exige la double authentification : seul un administrateur "
                    "peut la réinitialiser."
                )
            )
        self.trigger_event(self.TwoFactorReset, actor_id=actor.id, reason=reason)

    def _require_two_factor(self) -> None:
        if not self.two_factor:
            raise InvalidTransition(
                N_("La double authentification n'est pas activée pour {username}."),
                username=self.username,
            )

    def sign_out_everywhere(self, actor: Actor) -> None:
        self.trigger_event(self.SignedOutEverywhere, actor_id=actor.id)

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

    def logged_in(
        self,
        *,
        source: str,
        session: str = "",
        factor: str = "password",
        totp_step: int = 0,
        recovery_digest: str = "",
    ) -> None:
        self.trigger_event(
            self.LoggedIn,
            source=source,
            session=session,
            factor=factor,
            totp_step=totp_step,
            recovery_digest=recovery_digest,
        )

    @event(LoggedOut)
    def logged_out(self, *, session: str) -> None:
        self.sessions.pop(session, None)

    @event(SignedOutEverywhere)
    def _signed_out_everywhere(self, *, actor_id: UUID) -> None:
        self.sessions = {}

    @event(Unlocked)
    def _unlocked(self, *, actor_id: UUID, reason: str) -> None:
        self.failed_logins = []

    @event(RoleGranted)
    def _role_granted(self, *, actor_id: UUID, role: str, reason: str) -> None:
        self.roles.append(role)

    @event(RoleRevoked)
    def _role_revoked(self, *, actor_id: UUID, role: str, reason: str) -> None:
        self.roles.remove(role)

    @event(BrigadeGranted)
    def _brigade_granted(self, *, actor_id: UUID, brigade: str, reason: str) -> None:
        self.brigades.append(brigade)

    @event(BrigadeRevoked)
    def _brigade_revoked(self, *, actor_id: UUID, brigade: str, reason: str) -> None:
        self.brigades.remove(brigade)

    @event(PasswordChanged)
    def change_password(self, *, actor_id: UUID, password_hash: str) -> None:
        self.password_hash = password_hash
        self.must_change_password = False

    @event(PasswordReset)
    def _password_reset(self, *, actor_id: UUID, password_hash: str, reason: str) -> None:
        self.password_hash = password_hash
        self.must_change_password = True
        self.failed_logins = []
        self.sessions = {}

    @event(LanguageChosen)
    def choose_language(self, *, language: str) -> None:
        self.language = language

    @event(TwoFactorEnrolled)
    def _two_factor_enrolled(
        self, *, actor_id: UUID, secret: str, recovery_digests: list[str], totp_step: int
    ) -> None:
        self.totp_secret = secret
        self.last_totp_step = max(self.last_totp_step, totp_step)
        self.recovery_digests = list(recovery_digests)

    @event(RecoveryCodesRenewed)
    def _recovery_codes_renewed(self, *, actor_id: UUID, recovery_digests: list[str]) -> None:
        self.recovery_digests = list(recovery_digests)

    @event(TwoFactorReset)
    def _two_factor_reset(self, *, actor_id: UUID, reason: str) -> None:
        self.totp_secret = ""
        self.recovery_digests = []

    @event(Deactivated)
    def _deactivated(self, *, actor_id: UUID, reason: str) -> None:
        self.active = False

    @event(Reactivated)
    def _reactivated(self, *, actor_id: UUID) -> None:
        self.active = True
