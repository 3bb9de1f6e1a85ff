"""A private PostgreSQL server for the fault tests that restart it: the shared one on 5432 serves
the other tests running in parallel, so it is never touched. Uses the machine's own binaries
(the Debian packages the set-up relies on); initdb refuses root, so it runs as ``postgres``."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

BIN = next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)), None)


def available() -> str | None:
    """Why a private server cannot run here, or None when it can."""
    if BIN is None or not (BIN / "initdb").exists():
        return "PostgreSQL server binaries (initdb, pg_ctl) are not installed"
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        return "running as root without runuser to drop to the postgres user"
    return None


@dataclass
class PrivatePostgres:
    directory: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="pg-")))
    port: int = 0

    def _run(self, *args: str) -> None:
        assert BIN is not None, available()
        command = [str(BIN / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def start(self) -> PrivatePostgres:
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres")
        data = self.directory / "data"
        if not data.exists():
            self._run("initdb", "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync")
            with socket.socket() as s:
                s.bind(("127.0.0.1", 0))
                self.port = s.getsockname()[1]
        self._pg_ctl("start", "-w")
        return self

    def _pg_ctl(self, *args: str) -> None:
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            "pg_ctl",
            "-D",
            str(self.directory / "data"),
            "-o",
            options,
            "-l",
            str(self.directory / "log"),
            *args,
        )

    def restart(self, down_for: float = 0.0) -> None:
        """Stops the server at once (clients cut off mid-transaction), then starts it again."""
        self._pg_ctl("stop", "-m", "immediate", "-w")
        time.sleep(down_for)
        self._pg_ctl("start", "-w")

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self._pg_ctl("stop", "-m", "immediate", "-w")
        shutil.rmtree(self.directory, ignore_errors=True)

    def env(self) -> dict[str, str]:
        return {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_HOST": "127.0.0.1",
            "POSTGRES_PORT": str(self.port),
            "POSTGRES_USER": "postgres",
            "POSTGRES_PASSWORD": "",
            "POSTGRES_DBNAME": "postgres",
            "POSTGRES_POOL_SIZE": "5",
            "POSTGRES_CONNECT_TIMEOUT": "2",
            "POSTGRES_LOCK_TIMEOUT": "5",
            "POSTGRES_PRE_PING": "y",
        }
