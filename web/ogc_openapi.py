"""The OpenAPI 3.0 definition of the OGC API (``/ogc/api``), which Part 1: Core asks the
landing page to link (``service-desc``): every path, its parameters and answers, the bearer
token it needs, and the collections the caller may read."""

from __future__ import annotations

from typing import Any

from web.ogc_collections import Collection

OPENAPI = "application/vnd.oai.openapi+json;version=3.0"
_PAGING = [
    {"$ref": "#/components/parameters/bbox"},
    {"$ref": "#/components/parameters/datetime"},
    {"$ref": "#/components/parameters/limit"},
    {"$ref": "#/components/parameters/offset"},
]
_ANSWERS = {
    "400": {"description": "Paramètre invalide (exception OGC : code, description)."},
    "401": {"description": "Jeton absent, inconnu ou révoqué."},
    "404": {"description": "Collection ou objet introuvable pour ce jeton."},
}


def _get(
    summary: str, media: str, parameters: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    return {
        "get": {
            "summary": summary,
            "parameters": parameters or [],
            "responses": {"200": {"description": summary, "content": {media: {}}}, **_ANSWERS},
        }
    }


def definition(base: str, title: str, collections: list[Collection]) -> dict[str, Any]:
    paths: dict[str, Any] = {
        "/": _get("Page d'accueil", "application/json"),
        "/api": _get("Cette définition", OPENAPI),
        "/conformance": _get("Classes de conformité", "application/json"),
        "/collections": _get("Collections", "application/json"),
    }
    for c in collections:
        paths[f"/collections/{c.id}"] = _get(c.title, "application/json")
        paths[f"/collections/{c.id}/items"] = _get(c.title, "application/geo+json", _PAGING)
        paths[f"/collections/{c.id}/items/{{featureId}}"] = _get(
            c.title,
            "application/geo+json",
            [{"name": "featureId", "in": "path", "required": True, "schema": {"type": "string"}}],
        )
    return {
        "openapi": "3.0.3",
        "info": {"title": title, "version": "1.0"},
        "servers": [{"url": base}],
        "security": [{"token": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}},
            "parameters": {
                "bbox": {
                    "name": "bbox",
                    "in": "query",
                    "style": "form",
                    "explode": False,
                    "schema": {
                        "type": "array",
                        "minItems": 4,
                        "maxItems": 4,
                        "items": {"type": "number"},
                    },
                },
                "datetime": {"name": "datetime", "in": "query", "schema": {"type": "string"}},
                "limit": {
                    "name": "limit",
                    "in": "query",
                    "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100},
                },
                "offset": {
                    "name": "offset",
                    "in": "query",
                    "schema": {"type": "integer", "minimum": 0, "default": 0},
                },
            },
        },
    }
