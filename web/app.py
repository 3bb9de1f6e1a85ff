"""The one place the web app is wired together: settings, the police application, the object
store, the read model, middleware, routes and error pages.

Run with ``police serve`` (see ``web.cli``) or ``uvicorn --factory web.app:serve_app``.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import secrets
from collections.abc import AsyncIterator
from pathlib import Path

from eventsourcing.persistence import DataError, InterfaceError, OperationalError
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from police.app import PoliceApp, open_app
from police.errors import (
    N_,
    Conflict,
    DomainError,
    InvalidInput,
    InvalidTransition,
    NotAllowed,
    NotFound,
)
from police.settings import Settings
from projections.queries import ReadModels
from projections.runner import EmbeddedProjections, Projector
from storage import ObjectStore, StorageError, open_store
from web import i18n
from web.mail import open_mailer
from web.metrics import PROJECTION_LAG
from web.observability import RequestLogMiddleware, configure_logging
from web.pages import (
    account,
    admin_accounts,
    admin_reference,
    admin_system,
    admin_tokens,
    applications,
    auth,
    campaigns,
    cases,
    demarches,
    evidence,
    legal,
    maps,
    mon_avis,
    notices,
    officer,
    ogc,
    open311,
    ops,
    permits,
    planning,
    register,
    reports,
    signaler,
    site_visits,
    team,
)
from web.photos import StoredPhotoIntake
from web.rendering import Pages
from web.security import SecurityMiddleware, content_security_policy
from web.state import Services, pages_of
from web.throttle import Throttle, Throttled
from web.ticket_batches import TicketBatches

log = logging.getLogger(__name__)
_UNEXPECTED = N_(
    "Une erreur inattendue est survenue (réf. {reference}). Rien de ce qui était déjà "
    "enregistré n'est perdu : réessayez, et signalez la référence si cela persiste."
)
STATIC = Path(__file__).parent / "static"
STATUS_OF: list[tuple[type[DomainError], int]] = [
    (InvalidInput, 400),
    (NotAllowed, 403),
    (NotFound, 404),
    (InvalidTransition, 409),
    (Conflict, 409),
]


_NO_SUCH_PAGE = N_("Cette page n'existe pas.")
_WRONG_METHOD = N_("Cette adresse ne s'ouvre pas ainsi : revenez à la page précédente.")
_RELOAD_CASE = N_("Recharger le dossier")
_BACK_TO_CASE = N_("Revenir au dossier")
_UNSTORABLE = N_("Caractères non valides dans la saisie : rien n'a été enregistré.")
_DATABASE_DOWN = N_(
    "Le registre ne répond pas pour l'instant. Rien n'a été enregistré : réessayez dans un "
    "instant (un constat reste sur le téléphone et sera renvoyé)."
)
_STORE_DOWN = N_(
    "Le stockage des photos ne répond pas. Rien n'a été enregistré : le constat reste sur le "
    "téléphone et sera renvoyé dès que possible."
)


def create_app(
    settings: Settings | None = None,
    *,
    police: PoliceApp | None = None,
    store: ObjectStore | None = None,
) -> Starlette:
    settings = settings or Settings.from_env()
    object_store = store or open_store(settings.objects)
    owns_police = police is None
    police_app = police or open_police(settings, object_store)

    env = dict(police_app.env)  # the read models live beside this application's events
    # The read side shares the application's pool for reading the log: one pool fewer per worker.
    embedded = EmbeddedProjections(env, log=police_app) if settings.projector_in_process else None
    projector = embedded.projector if embedded else Projector(env, log=police_app)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if embedded:
            embedded.start()
        yield
        if embedded:
            embedded.stop()
        else:
            projector.close()
        if owns_police:
            police_app.close()

    app = Starlette(
        routes=[
            *ops.routes(),
            *auth.routes(),
            *account.routes(),
            *admin_accounts.routes(),
            *officer.routes(),
            *evidence.routes(),
            *cases.routes(),
            *maps.routes(),
            *notices.routes(),
            *legal.routes(),
            *applications.routes(),  # before the registry's /permits/{number}
            *permits.routes(),
            *demarches.routes(),
            *signaler.routes(),
            *mon_avis.routes(),
            *reports.routes(),
            *campaigns.routes(),
            *register.routes(),
            *planning.routes(),
            *admin_tokens.routes(),
            *site_visits.routes(),
            *team.routes(),
            *admin_reference.routes(),
            *admin_system.routes(),
            *ogc.routes(),
            *open311.routes(),
            Mount("/static", StaticFiles(directory=STATIC), name="static"),
        ],
        middleware=[
            Middleware(RequestLogMiddleware),
            Middleware(SecurityMiddleware, csp=content_security_policy(_origin(settings))),
            Middleware(
                SessionMiddleware,
                secret_key=settings.web.secret_key or _development_key(settings.data_dir),
                session_cookie="police_session",
                max_age=settings.web.session_hours * 3600,
                same_site="lax",
                https_only=settings.web.production,
            ),
        ],
        exception_handlers={
            HTTPException: _no_such_page,
            DomainError: _refused,
            Throttled: _throttled,
            StorageError: _store_down,
            DataError: _unstorable,
            OperationalError: _database_down,
            InterfaceError: _database_down,
            Exception: _failed,
        },
        lifespan=lifespan,
    )
    read_models = ReadModels(projector.store, police_app.today)
    police_app.track = read_models  # the officers' tracks, for the speed between inspections
    app.state.services = Services(
        settings=settings,
        police=police_app,
        read_models=read_models,
        projector=projector,
        store=object_store,
        pages=Pages(
            police_app.territory,
            static_version=_static_version(),
            map_tiles_url=settings.web.map_tiles_url,
            map_wms=(
                settings.web.map_wms_url,
                settings.web.map_wms_layers,
                settings.web.map_wms_format,
            ),
        ),
        login_throttle=Throttle(),
        public_throttle=Throttle(limit=60, window_seconds=600),
        application_throttle=Throttle(limit=5, window_seconds=3600),
        report_throttle=Throttle(limit=10, window_seconds=3600),
        access_throttle=Throttle(limit=10, window_seconds=600),
        open311_throttle=Throttle(limit=60, window_seconds=3600),
        mailer=open_mailer(settings.mail),
        ticket_batches=TicketBatches(),
        readiness_checks={
            "event_store": lambda: {"events": police_app.recorder.max_notification_id() or 0},
            "object_store": object_store.check,
            "read_models": lambda: _read_models_ready(projector, embedded),
        },
        refresh_metrics=lambda: PROJECTION_LAG.labels("read_models").set(projector.lag()),
    )
    return app


MAX_LAG = 1000


def open_police(settings: Settings, store: ObjectStore | None = None) -> PoliceApp:
    """The application on the configured event store, keeping its photos and notices in
    ``store`` (the configured one by default)."""
    store = store or open_store(settings.objects)
    return open_app(settings, objects=store, photos=StoredPhotoIntake(store))


def _read_models_ready(
    projector: Projector, embedded: EmbeddedProjections | None
) -> dict[str, int]:
    if embedded is not None and embedded.error is not None:
        raise RuntimeError(f"projection stopped: {embedded.error}")
    lag = projector.lag()
    if lag > MAX_LAG:
        raise RuntimeError(f"read models {lag} events behind")
    return {"position": projector.position(), "lag": lag}


def serve_app() -> Starlette:
    """The factory ``police serve`` gives uvicorn: each worker process configures its logs."""
    settings = Settings.from_env()
    configure_logging(json_lines=settings.web.json_logs)
    return create_app(settings)


async def _refused(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DomainError)
    status = next(code for kind, code in STATUS_OF if isinstance(exc, kind))
    back = None
    if "case_id" in request.path_params and status != 404:
        # Refused on a case: back to it, read afresh (after a Conflict: what changed).
        label = _RELOAD_CASE if isinstance(exc, Conflict) else _BACK_TO_CASE
        back = (label, f"/cases/{request.path_params['case_id']}")
    params = {k: i18n.gettext_(v) if isinstance(v, str) else v for k, v in exc.params.items()}
    return pages_of(request).error(request, status, exc.template, params=params, back=back)


async def _throttled(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Throttled)
    return pages_of(request).error(request, 429, exc.message)


async def _no_such_page(request: Request, exc: Exception) -> Response:
    """No route for this address or method: the same page as every refusal, not a bare text."""
    assert isinstance(exc, HTTPException)
    if exc.status_code == 405:
        return pages_of(request).error(request, 405, _WRONG_METHOD)
    if exc.status_code == 404:
        return pages_of(request).error(request, 404, _NO_SUCH_PAGE)
    return Response(status_code=exc.status_code, headers=exc.headers)


async def _store_down(request: Request, exc: Exception) -> Response:
    log.warning("object store unavailable on %s %s: %s", request.method, request.url.path, exc)
    return pages_of(request).error(request, 503, _STORE_DOWN)


async def _unstorable(request: Request, exc: Exception) -> Response:
    """A value the database cannot hold (a NUL character...) that no form check caught."""
    log.warning("value refused by the database on %s %s: %s", request.method, request.url.path, exc)
    return pages_of(request).error(request, 400, _UNSTORABLE)


async def _database_down(request: Request, exc: Exception) -> Response:
    log.warning("event store unavailable on %s %s: %s", request.method, request.url.path, exc)
    return pages_of(request).error(request, 503, _DATABASE_DOWN)


async def _failed(request: Request, exc: Exception) -> Response:
    reference = secrets.token_hex(4)
    log.exception("unexpected error %s on %s %s", reference, request.method, request.url.path)
    return pages_of(request).error(request, 500, _UNEXPECTED, params={"reference": reference})


def _development_key(data_dir: Path) -> str:
    """A key kept under var/ so development sessions survive restarts (production sets one)."""
    path = data_dir / "secret.key"
    if not path.exists():
        # Written aside, then linked into place: workers starting together agree on one key
        # (the first link wins; the others read it), and no one reads a half-written file.
        data_dir.mkdir(parents=True, exist_ok=True)
        draft = data_dir / f".secret.key.{secrets.token_hex(8)}"
        draft.write_text(secrets.token_urlsafe(48))
        draft.chmod(0o600)
        with contextlib.suppress(FileExistsError):
            os.link(draft, path)
        draft.unlink()
    return path.read_text().strip()


def _static_version() -> str:
    digest = hashlib.sha256()
    for path in sorted(STATIC.rglob("*")):
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def _origin(settings: Settings) -> str:
    """Where the base map's images come from (XYZ tiles or WMS), for the CSP's img-src."""
    return " ".join(settings.web.map_origins)
