"""``police project``: the projection worker (production), a rebuild, or a health check."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
import time
from typing import Any

from police.settings import Settings
from projections.runner import Projector
from projections.schema import PROJECTIONS

log = logging.getLogger("police.projections")


def register(commands: Any) -> None:
    project = commands.add_parser(
        "project", help="tient à jour les vues (tableaux de bord) à partir du journal"
    )
    project.add_argument(
        "--rebuild",
        metavar="NOM",
        choices=[*PROJECTIONS, "all"],
        help=f"reconstruit une vue depuis le journal ({', '.join(PROJECTIONS)}, all)",
    )
    project.add_argument(
        "--check", action="store_true", help="code 0 si les vues sont joignables et à jour"
    )
    project.add_argument("--max-lag", type=int, default=1000, help="retard toléré (événements)")
    project.set_defaults(handler=_project)


def _project(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    projector = Projector(settings.event_store_env())
    try:
        if args.check:
            lag = projector.lag()
            print(f"vues à la position {projector.position()}, retard {lag} événement(s)")
            return 0 if lag <= args.max_lag else 1
        if args.rebuild:
            names = PROJECTIONS if args.rebuild == "all" else (args.rebuild,)
            started = time.perf_counter()
            replayed = projector.rebuild(names)
            elapsed = time.perf_counter() - started
            print(f"{', '.join(names)} : {replayed} événements rejoués en {elapsed:.1f} s")
            return 0
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        log.info("read models: following the log from position %d", projector.position())
        try:
            projector.run(stop)
        except Exception as e:
            print(f"Vues arrêtées : {e}", file=sys.stderr)
            return 1
        log.info("read models: stopped at position %d", projector.position())
        return 0
    finally:
        projector.close()
