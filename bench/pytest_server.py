"""A pytest runner that keeps third-party libraries imported and forks a fresh child per run,
for ``bench.mutations``: a mutant's test run starts in 1.5 s instead of 4.5 s.

The server imports only third-party packages (pytest, WeasyPrint, Pillow, Starlette,
eventsourcing, ...), never the project's code, so each child imports the project from disk as
it is at that moment: the mutated module included. Each run is ``pytest.main`` in a forked
child in its own session; when the client goes away (cosmic-ray's time-out kills it), the
child and whatever it started are killed too.

    python -m bench.pytest_server serve SOCKET          # in the tree to test, cwd = that tree
    python -m bench.pytest_server run SOCKET -- ARGS    # what the mutation run calls
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib
import json
import os
import random
import select
import signal
import socket
import struct
import sys
import tempfile
from pathlib import Path

PRELOAD = (
    "pytest",
    "weasyprint",
    "weasyprint.text.fonts",
    "PIL.Image",
    "pillow_heif",
    "starlette.applications",
    "starlette.testclient",
    "starlette.templating",
    "starlette.middleware.sessions",
    "jinja2",
    "eventsourcing.application",
    "eventsourcing.sqlite",
    "eventsourcing.postgres",
    "eventsourcing.projection",
    "psycopg",
    "psycopg_pool",
    "minio",
    "pypdf",
    "segno",
    "babel.dates",
    "babel.numbers",
    "yaml",
    "argon2",
    "python_multipart",
    "prometheus_client",
    "pythonjsonlogger.json",
    "itsdangerous",
)
# Starlette brings anyio, whose pytest plugin then cannot be assertion-rewritten: pytest says
# so with a warning the project's settings turn into an error. Nothing here tests anyio.
PR_SET_CHILD_SUBREAPER = 36  # linux/prctl.h
PYTEST_ARGS = ("-W", "ignore::pytest.PytestAssertRewriteWarning")


def _send(conn: socket.socket, value: object) -> None:
    data = json.dumps(value).encode()
    conn.sendall(struct.pack("!I", len(data)) + data)


def _receive(conn: socket.socket) -> object:
    header = _exactly(conn, 4)
    return json.loads(_exactly(conn, struct.unpack("!I", header)[0]))


def _exactly(conn: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = conn.recv(size - len(data))
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
    return data


def _become_subreaper() -> None:
    """Processes a run starts in a session of their own (a projector worker a test kills) are
    re-parented here rather than to init, so they can be ended with the run."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def _end_leftovers() -> None:
    """Kills every process still parented here once a run is over, and reaps it."""
    me = str(os.getpid())
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if fields[1] == me:
                os.kill(int(stat.parent.name), signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass


def serve(path: str) -> None:
    _become_subreaper()
    sys.path.insert(0, os.getcwd())
    for name in PRELOAD:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(1)
    print("ready", flush=True)
    while True:
        conn, _ = listener.accept()
        with conn:
            try:
                args = _receive(conn)
            except ConnectionError:
                continue
            if args == "stop":
                return
            assert isinstance(args, list)
            try:
                _run(conn, [*PYTEST_ARGS, *args])
            finally:
                _end_leftovers()


def _run(conn: socket.socket, args: list[str]) -> None:
    with tempfile.TemporaryFile() as output:
        pid = os.fork()
        if pid == 0:  # the child: a fresh pytest session
            code = 3
            try:
                os.setsid()
                os.dup2(output.fileno(), 1)
                os.dup2(output.fileno(), 2)
                random.seed()
                import pytest

                code = int(pytest.main(args))
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        while True:
            readable, _, _ = select.select([conn], [], [], 0.1)
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                output.seek(0)
                text = output.read().decode(errors="replace")
                _send(conn, {"code": os.waitstatus_to_exitcode(status), "output": text})
                return
            if readable and not conn.recv(1):  # the client was killed: so is the run
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(pid, signal.SIGKILL)  # the run and whatever it started
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)  # killed before its own session began
                os.waitpid(pid, 0)
                return


def run(path: str, args: list[str]) -> int:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.connect(path)
        _send(conn, args)
        answer = _receive(conn)
    assert isinstance(answer, dict)
    sys.stdout.write(answer["output"])
    return int(answer["code"])


def stop(path: str) -> None:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.connect(path)
        _send(conn, "stop")


def main() -> None:
    command, path, *rest = sys.argv[1:]
    if command == "serve":
        serve(path)
    elif command == "run":
        sys.exit(run(path, rest[1:] if rest[:1] == ["--"] else rest))
    elif command == "stop":
        stop(path)
    else:
        raise SystemExit(f"unknown command {command}; see {Path(__file__).name}")


if __name__ == "__main__":
    main()
