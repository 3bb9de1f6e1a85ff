"""Rendering pages: the Jinja2 environment with translations and local formats, and the error
page every refusal ends on (HTML, an htmx fragment, or JSON for the phone's offline queue)."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader
from markupsafe import escape
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.templating import Jinja2Templates

from police.plausibility import Flag
from police.roles import BRIGADE_LABELS, ROLE_LABELS
from police.territory import Territory
from police.workflow import ACTION_LABELS, STATUS_LABELS
from web import i18n
from web.csrf import csrf_token

TEMPLATES = Path(__file__).parent / "templates"


class Pages:
    def __init__(
        self,
        territory: Territory,
        *,
        static_version: str,
        map_tiles_url: str = "",
        map_wms: tuple[str, str, str] = ("", "", "image/png"),
    ) -> None:
        """``map_tiles_url``: the XYZ tiles under the maps; ``map_wms``: or the city's WMS
        (address, layers, image format). Neither: the points on a plain background."""
        env = Environment(
            loader=FileSystemLoader(TEMPLATES),
            autoescape=True,
            extensions=["jinja2.ext.i18n"],
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=False,  # templates ship with the code: no stat of each file per page
        )
        # Added to the environment by the jinja2.ext.i18n extension, so unknown to its type.
        env.install_gettext_callables(i18n.gettext_, i18n.ngettext_, newstyle=True)  # type: ignore[attr-defined]
        env.filters["identifier"] = _identifier
        env.filters["money"] = i18n.money
        env.filters["quantity"] = i18n.quantity
        env.globals["doubt"] = _doubt
        env.filters["day"] = i18n.day
        env.filters["moment"] = lambda value: i18n.moment(value, territory.timezone)
        env.filters["arrondissement"] = lambda code: _arrondissement_name(territory, code)
        # Read models keep ISO strings: dates and times as the screens show them.
        env.filters["isoday"] = lambda value: i18n.day(date.fromisoformat(value)) if value else ""
        env.filters["isotime"] = lambda value: (
            datetime.fromisoformat(value).astimezone(territory.timezone).strftime("%H:%M")
            if value
            else ""
        )
        env.filters["isomoment"] = lambda value: (
            i18n.moment(datetime.fromisoformat(value), territory.timezone) if value else ""
        )
        env.globals.update(
            ACTION_LABELS=ACTION_LABELS,
            map_tiles_url=map_tiles_url,
            # The base map, as static/maps.js reads it from a map's data-base attribute.
            map_base=json.dumps(
                {
                    "tiles": map_tiles_url,
                    "wms": map_wms[0],
                    "wms_layers": map_wms[1],
                    "wms_format": map_wms[2],
                }
            ),
            BRIGADE_LABELS=BRIGADE_LABELS,
            ROLE_LABELS=ROLE_LABELS,
            STATUS_LABELS=STATUS_LABELS,
            territory=territory,
            static_version=static_version,
        )
        self.templates = Jinja2Templates(env=env)

    def render(
        self,
        request: Request,
        name: str,
        context: dict[str, Any] | None = None,
        status: int = 200,
        headers: dict[str, str] | None = None,
    ) -> HTMLResponse:
        values = {
            "actor": getattr(request.state, "actor", None),
            "csrf_token": csrf_token(request),
            "lang": i18n.language(),
            "dir": i18n.direction(),
            **(context or {}),
        }
        return self.templates.TemplateResponse(
            request, name, values, status_code=status, headers=headers
        )

    def error(
        self,
        request: Request,
        status: int,
        message: str,
        params: dict[str, Any] | None = None,
        back: tuple[str, str] | None = None,
    ) -> Response:
        """A refusal in the user's language (``message`` is a French template): no stack trace.
        ``back``: where to go from here (a French label and a path), instead of the home page."""
        text = i18n.gettext_(message).format(**(params or {}))
        if wants_json(request):
            return JSONResponse({"error": text}, status_code=status)
        if request.headers.get("hx-request"):
            return HTMLResponse(
                f'<p class="alert" role="alert">{escape(text)}</p>', status_code=status
            )
        context = {"status": status, "message": text, "back": back}
        return self.render(request, "errors/error.html", context, status)


def wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def _arrondissement_name(territory: Territory, code: str) -> str:
    found = territory.arrondissements.get(code)
    if found is None:
        return code
    return found.name_fr if i18n.language() == "fr" else found.name_ar


def _identifier(subject_key: str) -> str:
    """ "ICE 001234567000089" from the subject key "ice:001234567000089"; nothing for keys that
    are not an official identifier (a plate is the label already, a name and place is not one)."""
    kind, _, value = subject_key.partition(":")
    return f"{kind.upper()} {value}" if kind in ("ice", "rc", "cin") else ""


def _doubt(flag: Flag) -> str:
    """A flag in the reader's language; what the officer typed keeps its own direction."""
    params = {k: i18n.isolate(v) if isinstance(v, str) else v for k, v in flag.params.items()}
    return i18n.gettext_(flag.template).format(**params)
