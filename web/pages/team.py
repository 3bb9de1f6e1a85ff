"""The supervisors' team page, read-only: the officers of their brigades (every brigade for an
admin), each with their badge, brigades, whether their account is active, and their load: the
visits open today, those rolled over from an earlier day, the visits made in the last seven
days. Roles and brigades are granted by an admin, not here."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from police.roles import Actor
from web.case_filters import scope_of
from web.routing import route
from web.state import fresh_read_models, pages_of, police_of, read_models_of


def routes() -> list[Route]:
    return [route("/team", page, name="team.show")]


async def page(request: Request) -> Response:
    actor: Actor = request.state.actor
    brigades = scope_of(actor)
    await fresh_read_models(request)
    members = await run_in_threadpool(
        read_models_of(request).team, brigades, police_of(request).today()
    )
    context = {"members": members, "brigades": brigades}
    return pages_of(request).render(request, "team/list.html", context)
