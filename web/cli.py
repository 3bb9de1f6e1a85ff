"""Subcommands that need the whole product wired together (web is the composition root: the one
package that imports police, projections and storage): ``police serve``, ``police demo`` (its
notices need the object store), ``police verify``, ``police backup`` and ``police restore``.
They are added to the ``police`` command through the ``police.cli`` entry-point group."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

import uvicorn

from police.demo import load_demo
from police.demo_data import LOGINS
from police.roles import TWO_FACTOR_ROLES
from police.settings import Settings
from projections.queries import ReadModels
from projections.runner import Projector
from storage import StorageError, open_store
from web.app import open_police
from web.backup import BackupError, restore
from web.mail import MailFailed, open_mailer
from web.observability import configure_logging
from web.reminders import send_renewal_reminders
from web.upkeep import backed_up, verified


def register(commands: Any) -> None:
    demo = commands.add_parser("demo", help="charge les données de démonstration")
    demo.add_argument("--inspections", type=int, default=300)
    demo.add_argument("--days", type=int, default=60)
    demo.add_argument("--seed", type=int, default=2026)
    demo.add_argument("--if-empty", action="store_true", help="ne rien charger si déjà chargé")
    demo.add_argument("--reset", action="store_true", help="efface d'abord la base SQLite locale")
    demo.set_defaults(handler=_demo)

    serve = commands.add_parser("serve", help="sert l'application web")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.set_defaults(handler=_serve)

    demarches = commands.add_parser("demarches", help="les demandes en ligne (e-démarches)")
    demarches_commands = demarches.add_subparsers(dest="demarches_command", required=True)
    remind = demarches_commands.add_parser(
        "remind",
        help="rappelle par e-mail les autorisations payées qui prennent fin dans 30 jours "
        "(une fois par échéance ; à lancer chaque jour)",
    )
    remind.set_defaults(handler=_remind)

    verify = commands.add_parser(
        "verify", help="relit chaque photo et avis stocké et vérifie son empreinte SHA-256"
    )
    verify.set_defaults(handler=_verify)

    backup = commands.add_parser(
        "backup", help="sauvegarde le journal d'événements et les objets dans un dossier vide"
    )
    backup.add_argument("target", type=Path)
    backup.set_defaults(handler=_backup)
    restore_cmd = commands.add_parser(
        "restore", help="restaure une sauvegarde dans un journal d'événements vide"
    )
    restore_cmd.add_argument("source", type=Path)
    restore_cmd.set_defaults(handler=_restore)


def _demo(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    if args.reset:
        if settings.postgres is not None:
            print("--reset ne s'applique qu'à la base SQLite locale.", file=sys.stderr)
            return 2
        for path in settings.data_dir.glob(settings.sqlite_path.name + "*"):
            path.unlink()
    app = open_police(settings)
    tracking = report = ""
    access = ("", "")
    try:
        if args.if_empty and app.recorder.max_notification_id():
            print("Données déjà présentes : rien n'est chargé.")
        else:
            summary = load_demo(
                app,
                inspections=args.inspections,
                days=args.days,
                seed=args.seed,
                public_url=settings.web.public_url,
            )
            print(
                f"Démo chargée : {summary.inspections} contrôles, {summary.cases} dossiers, "
                f"{summary.transitions} décisions, {summary.notices} avis émis, "
                f"{summary.permits} autorisations ({summary.arretes} arrêtés imprimés), "
                f"{summary.applications} demandes en ligne, {summary.reports} signalements, "
                f"{summary.campaigns} campagnes."
            )
            tracking = settings.web.public_url + summary.tracking_path
            report = settings.web.public_url + summary.report_path
            access = summary.access_notice
    finally:
        app.close()
    _print_logins()
    if tracking:
        print(f"\nSuivi d'une demande en ligne (pièces demandées), sans compte :\n  {tracking}")
    if report:
        print(f"\nSuivi d'un signalement (infraction constatée), sans compte :\n  {report}")
    if access[0]:
        print(
            f"\nLe destinataire d'un avis, à {settings.web.public_url}/mon-avis :\n"
            f"  avis {access[0]}, code d'accès {access[1]}"
        )
    return 0


def _print_logins() -> None:
    print("\nComptes de démonstration (identifiant / mot de passe) :")
    for login in LOGINS:
        everywhere = "admin" in login.roles
        scope = "toutes brigades" if everywhere else ", ".join(login.brigades) or "sans brigade"
        print(f"  {login.username:<22} {login.password:<26} {'/'.join(login.roles)} ({scope})")
    second = [login.username for login in LOGINS if set(TWO_FACTOR_ROLES) & set(login.roles)]
    print(
        f"  Double authentification exigée pour {', '.join(second)} : à la première connexion,"
        "\n  la page d'activation montre un code QR à scanner avec une application"
        "\n  d'authentification (FreeOTP, Aegis, Google Authenticator…), puis des codes de secours."
    )


def _remind(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    configure_logging(json_lines=settings.web.json_logs)  # without SMTP, the letters go there
    app = open_police(settings)
    projector = Projector(app.env, log=app)
    try:
        projector.catch_up()
        models = ReadModels(projector.store, app.today)
        try:
            sent = send_renewal_reminders(
                app, models, open_mailer(settings.mail), settings.web.public_url
            )
        except MailFailed as failed:
            print(f"Envoi impossible : {failed}", file=sys.stderr)
            return 1
    finally:
        projector.close()
        app.close()
    print(f"{sent} rappel(s) de renouvellement envoyé(s).")
    return 0


def _serve(args: argparse.Namespace) -> int:
    Settings.from_env()  # bad settings stop here, with a clear message, before any worker
    _fresh_metrics_dir()
    print(f"Police administrative : http://{args.host}:{args.port}/", flush=True)
    uvicorn.run(
        "web.app:serve_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        proxy_headers=True,
        log_config=None,  # keep our handler: JSON lines with the request id
        access_log=False,  # web.observability logs each request with more context
    )
    return 0


def _verify(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    store = open_store(settings.objects)
    app = open_police(settings, store)
    try:
        report = verified(app, store)  # recorded, intact or not
    except StorageError as e:
        print(f"Stockage injoignable : {e}", file=sys.stderr)
        return 2
    finally:
        app.close()
    for recorded in report.missing:
        print(f"MANQUANT  {recorded.kind:8} {recorded.key}  (événement n° {recorded.position})")
    for recorded, actual in report.altered:
        print(
            f"ALTÉRÉ    {recorded.kind:8} {recorded.key}  (événement n° {recorded.position}) "
            f"attendu {recorded.sha256}, lu {actual}"
        )
    print(
        f"{report.checked} objets vérifiés : "
        f"{report.checked - len(report.missing) - len(report.altered)} intacts, "
        f"{len(report.missing)} manquants, {len(report.altered)} altérés."
    )
    return 0 if report.intact else 1


def _backup(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    store = open_store(settings.objects)
    app = open_police(settings, store)
    try:
        summary = backed_up(app, store, args.target)  # recorded, made or failed
    except (BackupError, StorageError) as e:
        print(f"Sauvegarde impossible : {e}", file=sys.stderr)
        return 1
    finally:
        app.close()
    print(f"Sauvegarde : {summary.events} événements, {summary.objects} objets → {args.target}")
    return 0


def _restore(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    store = open_store(settings.objects)
    app = open_police(settings, store)
    try:
        summary = restore(app, store, args.source)
    except (BackupError, StorageError, OSError) as e:
        print(f"Restauration impossible : {e}", file=sys.stderr)
        return 1
    finally:
        app.close()
    print(
        f"Restauration : {summary.events} événements, {summary.objects} objets. "
        "Reconstruisez les vues : police project --rebuild all"
    )
    return 0


def _fresh_metrics_dir() -> None:
    """Workers of the previous run left their samples there: Prometheus wants it empty."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        Path(directory).mkdir(parents=True, exist_ok=True)
        for stale in Path(directory).glob("*.db"):
            stale.unlink()
