"""``police serve``: the web app under uvicorn (added to the ``police`` command by entry point)."""

from __future__ import annotations

import argparse
from typing import Any

import uvicorn


def register(commands: Any) -> None:
    serve = commands.add_parser("serve", help="sert l'application web")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.set_defaults(handler=_serve)


def _serve(args: argparse.Namespace) -> int:
    print(f"Police administrative : http://{args.host}:{args.port}/", flush=True)
    uvicorn.run(
        "web.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        proxy_headers=True,
        log_level="info",
    )
    return 0
