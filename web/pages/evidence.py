"""Evidence photos, served only to users who may see the inspection: to look at, a rendition
re-encoded from the pixels (and a thumbnail); the original file, exactly as received, only as a
download, never as something a browser would render.

The URL names the inspection and the photo's hash, so only a photo recorded on that inspection
can be reached. Bytes are streamed through the app from either store: the S3 server is usually
on a private network the phones cannot reach, and a redirect would also widen the CSP.
"""

from __future__ import annotations

from starlette.concurrency import iterate_in_threadpool, run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from police.errors import N_, NotFound
from police.roles import Actor
from storage import ObjectMissing
from storage.evidence import display_of
from web.routing import route, shows
from web.state import police_of, services

_NO_PHOTO = N_("Photo introuvable.")
_EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "image/heic": "heic"}


def routes() -> list[Route]:
    return [
        route("/evidence/{inspection_id:uuid}/{sha256}", photo, name="evidence.photo"),
        route(
            "/evidence/{inspection_id:uuid}/{sha256}/thumbnail",
            thumbnail,
            name="evidence.thumbnail",
        ),
        route(
            "/evidence/{inspection_id:uuid}/{sha256}/original",
            original,
            name="evidence.original",
        ),
    ]


async def photo(request: Request) -> Response:
    evidence = await _evidence(request)
    shows(request, request.path_params["inspection_id"], evidence["sha256"])
    store = services(request).store
    try:
        key = await run_in_threadpool(display_of, store, evidence["key"], evidence["sha256"])
    except ObjectMissing:
        raise NotFound(_NO_PHOTO) from None
    return await _serve(request, key, "image/webp")


async def original(request: Request) -> Response:
    evidence = await _evidence(request)
    sha256 = evidence["sha256"]
    shows(request, request.path_params["inspection_id"], f"{sha256} (original)")
    extension = _EXTENSIONS.get(evidence["content_type"], "bin")
    headers = {"Content-Disposition": f'attachment; filename="photo-{sha256[:16]}.{extension}"'}
    return await _serve(request, evidence["key"], "application/octet-stream", headers)


async def thumbnail(request: Request) -> Response:
    evidence = await _evidence(request)
    return await _serve(request, evidence["thumbnail_key"], "image/webp")


async def _evidence(request: Request) -> dict[str, str]:
    actor: Actor = request.state.actor
    police = police_of(request)
    inspection = await run_in_threadpool(
        police.find_inspection, request.path_params["inspection_id"]
    )
    found = None
    if inspection is not None and inspection.may_view(actor):
        found = inspection.evidence_by_hash(request.path_params["sha256"])
    if found is None or not found.get("key"):
        raise NotFound(_NO_PHOTO)
    return found


async def _serve(
    request: Request, key: str | None, content_type: str, headers: dict[str, str] | None = None
) -> Response:
    if not key:
        raise NotFound(_NO_PHOTO)
    try:
        chunks = await run_in_threadpool(services(request).store.open, key)
    except ObjectMissing:
        raise NotFound(_NO_PHOTO) from None
    # Content-addressed: the bytes under this URL never change.
    headers = {"Cache-Control": "private, max-age=86400, immutable", **(headers or {})}
    return StreamingResponse(
        iterate_in_threadpool(chunks), media_type=content_type, headers=headers
    )
