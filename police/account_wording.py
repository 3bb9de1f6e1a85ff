"""How an account's history reads (its page for the admin): the sentence of each of its events,
with the role, brigade or reason it carries. Signing in and out are listed apart, not worded
here."""

from __future__ import annotations

from collections.abc import Callable

from police.aggregates.user import User
from police.errors import N_
from police.roles import BRIGADE_LABELS, ROLE_LABELS, Brigade, Role
from police.sentences import Language, Names, Params, Wording, fill, noted


def _role(value: str) -> str:
    return ROLE_LABELS[Role(value)]


def _brigade(value: str) -> str:
    return BRIGADE_LABELS[Brigade(value)]


def _granted(message: str, explained: str, label_of: Callable[[str], str], key: str) -> Wording:
    def wording(p: Params, lang: Language, names: Names) -> str:
        label = lang.gettext_(label_of(p[key]))
        if p.get("reason"):
            return fill(lang, explained, label=label, text=p["reason"])
        return fill(lang, message, label=label)

    return wording


def _registered(p: Params, lang: Language, names: Names) -> str:
    if p.get("must_change_password"):
        return lang.gettext_(N_("Compte créé, avec un mot de passe à usage unique"))
    return lang.gettext_(N_("Compte créé"))


def _token(message: str) -> Wording:
    def wording(p: Params, lang: Language, names: Names) -> str:
        return fill(lang, message, key=str(p["key"]), label=str(p.get("label", p["key"])))

    return wording


ACCOUNT_WORDINGS: dict[type, Wording] = {
    User.Registered: _registered,
    User.RoleGranted: _granted(
        N_("Rôle accordé : {label}"), N_("Rôle accordé : {label} ({text})"), _role, "role"
    ),
    User.RoleRevoked: _granted(
        N_("Rôle retiré : {label}"), N_("Rôle retiré : {label} ({text})"), _role, "role"
    ),
    User.BrigadeGranted: _granted(
        N_("Brigade accordée : {label}"),
        N_("Brigade accordée : {label} ({text})"),
        _brigade,
        "brigade",
    ),
    User.BrigadeRevoked: _granted(
        N_("Brigade retirée : {label}"),
        N_("Brigade retirée : {label} ({text})"),
        _brigade,
        "brigade",
    ),
    User.PasswordChanged: noted(N_("Mot de passe changé"), N_("Mot de passe changé")),
    User.PasswordReset: noted(
        N_("Mot de passe réinitialisé (à usage unique)"),
        N_("Mot de passe réinitialisé (à usage unique) : {text}"),
    ),
    User.Unlocked: noted(N_("Compte déverrouillé"), N_("Compte déverrouillé : {text}")),
    User.Deactivated: noted(N_("Compte désactivé"), N_("Compte désactivé : {text}")),
    User.Reactivated: noted(N_("Compte réactivé"), N_("Compte réactivé : {text}")),
    User.SignedOutEverywhere: noted(N_("Déconnecté partout"), N_("Déconnecté partout")),
    User.LanguageChosen: noted(N_("Langue préférée choisie"), N_("Langue préférée choisie")),
    User.TwoFactorEnrolled: noted(
        N_("Double authentification activée"), N_("Double authentification activée")
    ),
    User.RecoveryCodesRenewed: noted(
        N_("Nouveaux codes de secours"), N_("Nouveaux codes de secours")
    ),
    User.TwoFactorReset: noted(
        N_("Double authentification réinitialisée"),
        N_("Double authentification réinitialisée : {text}"),
    ),
    User.ApiTokenIssued: _token(N_("Jeton d'accès délivré : {label} ({key})")),
    User.ApiTokenRevoked: _token(N_("Jeton d'accès révoqué : {key}")),
}
# What a sign-in leaves: listed apart on the account's page, as its recent sign-ins.
SIGN_IN_EVENTS = (User.LoggedIn, User.LoginFailed, User.LoggedOut)
