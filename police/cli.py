"""The ``police`` command line: demo data, user accounts, and the commands other packages add.

``police`` knows nothing of the web or the projections (DESIGN's dependency rule); they add
their own subcommands (``police serve``, ``police project``) through the ``police.cli``
entry-point group declared in pyproject.toml.
"""

from __future__ import annotations

import argparse
import getpass
import secrets
import sys
from collections.abc import Callable, Sequence
from datetime import date
from importlib.metadata import entry_points
from uuid import UUID

from police.app import PoliceApp, open_app
from police.errors import DomainError
from police.roles import SYSTEM
from police.settings import SettingsError
from police.token_terms import TokenScope

Handler = Callable[[argparse.Namespace], int]


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    try:
        return handler(args)
    except SettingsError as e:
        print(f"Configuration : {e}", file=sys.stderr)
        return 2
    except DomainError as e:
        print(f"Refusé : {e.message}", file=sys.stderr)
        return 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="police", description="Police administrative : dossiers")
    commands = parser.add_subparsers(title="commandes", metavar="COMMANDE")

    users = commands.add_parser("users", help="comptes utilisateurs").add_subparsers(
        metavar="ACTION"
    )
    users.add_parser("list", help="liste les comptes").set_defaults(handler=_users_list)
    create = users.add_parser("create", help="crée un compte")
    create.add_argument("username")
    create.add_argument("--name", required=True, help="nom complet")
    create.add_argument(
        "--role", action="append", default=[], help="officer, supervisor, legal, permits, admin"
    )
    create.add_argument(
        "--brigade", action="append", default=[], help="hygiene, parking, public_domain"
    )
    create.add_argument("--badge", default="")
    create.add_argument("--password", help="sinon un mot de passe est généré et affiché")
    create.set_defaults(handler=_users_create)
    for action in ("grant", "revoke"):
        change = users.add_parser(action, help=f"{action} rôle ou brigade")
        change.add_argument("username")
        change.add_argument("--role", action="append", default=[])
        change.add_argument("--brigade", action="append", default=[])
        change.set_defaults(handler=_users_change, action=action)
    passwd = users.add_parser("passwd", help="réinitialise un mot de passe")
    passwd.add_argument("username")
    passwd.set_defaults(handler=_users_passwd)
    deactivate = users.add_parser("deactivate", help="désactive un compte")
    deactivate.add_argument("username")
    deactivate.add_argument("--reason", required=True)
    deactivate.set_defaults(handler=_users_deactivate)

    tokens = commands.add_parser(
        "tokens", help="jetons d'accès (SIG : OGC API - Features ; applications : Open311)"
    ).add_subparsers(metavar="ACTION")
    issue = tokens.add_parser("create", help="délivre un jeton à un compte (affiché une fois)")
    issue.add_argument("username")
    issue.add_argument("--label", required=True, help="à quoi il sert, ex. « QGIS du SIG »")
    issue.add_argument(
        "--scope",
        action="append",
        default=[],
        help=f"ce qu'il permet, à répéter : {', '.join(TokenScope)} (par défaut : tout)",
    )
    issue.add_argument(
        "--expires",
        type=_day,
        help="dernier jour où il vaut, AAAA-MM-JJ (par défaut : dans un an ; deux ans au plus)",
    )
    issue.set_defaults(handler=_tokens_create)
    listing = tokens.add_parser("list", help="liste les jetons (révoqués et expirés compris)")
    listing.add_argument("username", nargs="?")
    listing.set_defaults(handler=_tokens_list)
    revoke = tokens.add_parser("revoke", help="révoque un jeton, par sa clé")
    revoke.add_argument("key")
    revoke.set_defaults(handler=_tokens_revoke)

    for plugin in entry_points(group="police.cli"):
        plugin.load()(commands)
    return parser


def _with_app(run: Callable[[PoliceApp], int]) -> int:
    app = open_app()
    try:
        return run(app)
    finally:
        app.close()


def _users_list(args: argparse.Namespace) -> int:
    def run(app: PoliceApp) -> int:
        for user in app.list_users():
            state = "actif" if user.active else "désactivé"
            print(
                f"{user.username:<24} {user.full_name:<28} {'/'.join(user.roles):<20} "
                f"{','.join(user.brigades):<30} {state}"
            )
        return 0

    return _with_app(run)


def _users_create(args: argparse.Namespace) -> int:
    password = args.password or secrets.token_urlsafe(12)

    def run(app: PoliceApp) -> int:
        app.register_user(
            SYSTEM.id,
            username=args.username,
            full_name=args.name,
            password=password,
            badge=args.badge,
            roles=args.role,
            brigades=args.brigade,
        )
        print(f"Compte {args.username} créé.")
        if not args.password:
            print(f"Mot de passe initial : {password}")
        return 0

    return _with_app(run)


def _users_change(args: argparse.Namespace) -> int:
    def run(app: PoliceApp) -> int:
        user = _user(app, args.username)
        for role in args.role:
            (app.grant_role if args.action == "grant" else app.revoke_role)(SYSTEM.id, user, role)
        for brigade in args.brigade:
            (app.grant_brigade if args.action == "grant" else app.revoke_brigade)(
                SYSTEM.id, user, brigade
            )
        print(f"Compte {args.username} mis à jour.")
        return 0

    return _with_app(run)


def _users_passwd(args: argparse.Namespace) -> int:
    password = (
        getpass.getpass("Nouveau mot de passe : ")
        if sys.stdin.isatty()
        else sys.stdin.readline().rstrip("\n")
    )

    def run(app: PoliceApp) -> int:
        app.change_password(SYSTEM.id, _user(app, args.username), new_password=password)
        print(f"Mot de passe de {args.username} changé.")
        return 0

    return _with_app(run)


def _users_deactivate(args: argparse.Namespace) -> int:
    def run(app: PoliceApp) -> int:
        app.deactivate_user(SYSTEM.id, _user(app, args.username), reason=args.reason)
        print(f"Compte {args.username} désactivé.")
        return 0

    return _with_app(run)


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"date invalide (AAAA-MM-JJ) : {value}") from None


def _tokens_create(args: argparse.Namespace) -> int:
    def run(app: PoliceApp) -> int:
        issued = app.issue_api_token(
            SYSTEM.id,
            _user(app, args.username),
            label=args.label,
            scopes=args.scope or tuple(TokenScope),
            expires_on=args.expires,
        )
        print(f"Jeton {issued.key} délivré à {args.username} :")
        print(issued.token)
        print("Copiez-le maintenant : il ne sera plus jamais affiché.")
        return 0

    return _with_app(run)


def _tokens_list(args: argparse.Namespace) -> int:
    def run(app: PoliceApp) -> int:
        if args.username:
            _user(app, args.username)  # an unknown account is told, not listed as empty
        today = app.today()
        for user, token in app.list_api_tokens(SYSTEM.id, args.username):
            expires = f"expire le {token.expires_on}" if token.expires_on else "sans expiration"
            used = f"utilisé le {token.last_used_on}" if token.last_used_on else "jamais utilisé"
            if token.revoked_at is not None:
                state = f"révoqué le {token.revoked_at:%Y-%m-%d %H:%M}"
            else:
                state = "expiré" if token.expired(today) else "actif"
            print(
                f"{token.key:<14} {user.username:<24} {token.label:<32} "
                f"{','.join(token.scopes):<12} {token.issued_at:%Y-%m-%d %H:%M}  "
                f"{expires}  {used}  {state}"
            )
        return 0

    return _with_app(run)


def _tokens_revoke(args: argparse.Namespace) -> int:
    def run(app: PoliceApp) -> int:
        app.revoke_api_token_by_key(SYSTEM.id, args.key)
        print(f"Jeton {args.key} révoqué.")
        return 0

    return _with_app(run)


def _user(app: PoliceApp, username: str) -> UUID:
    user = app.find_user(username)
    if user is None:
        raise SystemExit(f"Compte inconnu : {username}")
    return user.id


if __name__ == "__main__":
    sys.exit(main())
