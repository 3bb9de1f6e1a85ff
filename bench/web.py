"""Officer pages under load: the form page and a submission without photos, beside a bare
Starlette page served the same way (uvicorn, one worker, same machine), in one run.

Prints requests/s and p99 latency (wrk, 2 threads, 16 connections) for each, the ratio to the bare
page (target >= 0.4), and the weight of the officer form page: HTML + CSS + JS, uncompressed
(target < 150 KB). Also a floor: Starlette's SessionMiddleware in front of the form page's bytes
rendered once, the least any page behind a signed session can cost here.

Needs wrk (``apt-get install wrk``). Run: .venv/bin/python -m bench.web [--seconds 10]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx2 as httpx

from police.app import PoliceApp
from police.settings import Settings
from tests.police.builders import PASSWORD, staff_of

BARE_APP = """
from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Route

async def page(request):
    return HTMLResponse("<!doctype html><title>bare</title><p>bare Starlette page</p>")

app = Starlette(routes=[Route("/", page)])
"""

# The least any page with a signed session can cost on this stack: Starlette's own
# SessionMiddleware (verify the cookie, sign it again on the way out) answering with the bytes
# the officer form page sends, rendered once.
FLOOR_APP = """
from pathlib import Path
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.responses import HTMLResponse, PlainTextResponse
from starlette.routing import Route

FORM = Path(__file__).with_name("form.html").read_text()

async def page(request):
    request.session.get("uid")
    return HTMLResponse(FORM)

async def login(request):
    request.session.update(uid="0b6f0f5c-8d1e-4c7e-9a51-3c1f4d2e6b7a", csrf="c" * 43)
    return PlainTextResponse("ok")

app = Starlette(
    routes=[Route("/", page), Route("/login", login)],
    middleware=[Middleware(SessionMiddleware, secret_key="k" * 32, session_cookie="s")],
)
"""

SUBMIT_LUA = r"""
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
local function uuid()
  return (string.gsub("xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx", "[xy]", function (c)
    local v = (c == "x") and math.random(0, 0xf) or math.random(8, 0xb)
    return string.format("%x", v)
  end))
end
request = function()
  local body = "csrf_token=TOKEN&brigade=parking&submission_id=" .. uuid() ..
    "&observed_at=2026-11-20T09:15:00%2B01:00&arrondissement=sidi_belyout" ..
    "&address=Boulevard+Mohammed+V&lat=33.5975&lon=-7.6170&accuracy=9" ..
    "&plate=" .. math.random(1, 99999) .. "-A-6&finding=STA-02"
  return wrk.format("POST", "/officer/inspections", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Accept"] = "application/json",
    ["Cookie"] = "COOKIE",
  }, body)
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(target: str, port: int, env: dict[str, str], cwd: Path) -> subprocess.Popen[bytes]:
    args = [sys.executable, "-m", "uvicorn", target, "--port", str(port), "--no-access-log"]
    args += ["--log-level", "warning"]
    if target.endswith("serve_app"):
        args.append("--factory")
    process = subprocess.Popen(
        args, env=os.environ | env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/", timeout=1)
            return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"{target} did not start")


def found(pattern: str, text: str) -> re.Match[str]:
    """The first match of ``pattern`` in ``text``, which must have one."""
    match = re.search(pattern, text)
    assert match is not None, f"{pattern!r} not in {text[:300]!r}"
    return match


def wrk(
    url: str, seconds: int, script: Path | None = None, cookie: str = ""
) -> tuple[float, float]:
    args = ["wrk", "-t2", "-c16", f"-d{seconds}s", "--latency"]
    if cookie:
        args += ["-H", f"Cookie: {cookie}"]
    if script:
        args += ["-s", str(script)]
    out = subprocess.run([*args, url], capture_output=True, text=True, check=True).stdout
    rate = float(found(r"Requests/sec:\s+([\d.]+)", out).group(1))
    value, unit = found(r"99%\s+([\d.]+)(us|ms|s)", out).groups()
    p99_ms = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        print(f"    ({errors.group(1)} non-2xx answers)")
    return rate, p99_ms


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    seconds = parser.parse_args().seconds
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    with tempfile.TemporaryDirectory(prefix="bench-web-") as tmp:
        work = Path(tmp)
        (work / "bare_app.py").write_text(BARE_APP)
        (work / "floor_app.py").write_text(FLOOR_APP)
        env = {"POLICE_DATA_DIR": str(work / "var"), "POLICE_LOG_FORMAT": "text"}
        police = PoliceApp(env=Settings.from_env(env).event_store_env())
        staff_of(police)
        police.close()
        app_port, bare_port, floor_port = free_port(), free_port(), free_port()
        servers = [
            serve("web.app:serve_app", app_port, env, Path.cwd()),
            serve("bare_app:app", bare_port, {}, work),
        ]
        try:
            base = f"http://127.0.0.1:{app_port}"
            with httpx.Client(base_url=base) as client:
                token = found(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
                client.post(
                    "/login",
                    data={
                        "username": "agent.stationnement",
                        "password": PASSWORD,
                        "csrf_token": token.group(1),
                    },
                )
                cookie = f"police_session={client.cookies['police_session']}"
                csrf = client.get("/csrf").json()["csrf_token"]
                form = client.get("/officer/inspections/new/parking")
                assert form.status_code == 200, form.status_code
                weight = len(form.content)
                (work / "form.html").write_bytes(form.content)
                for asset in re.findall(r'(?:href|src)="(/static/[^"?]+\.(?:css|js))', form.text):
                    weight += len(client.get(asset).content)
            servers.append(serve("floor_app:app", floor_port, {}, work))
            floor_cookie = "s=" + httpx.get(f"http://127.0.0.1:{floor_port}/login").cookies["s"]
            script = work / "submit.lua"
            script.write_text(SUBMIT_LUA.replace("TOKEN", csrf).replace("COOKIE", cookie))

            bare_rate, bare_p99 = wrk(f"http://127.0.0.1:{bare_port}/", seconds)
            floor_rate, floor_p99 = wrk(
                f"http://127.0.0.1:{floor_port}/", seconds, cookie=floor_cookie
            )
            form_rate, form_p99 = wrk(
                f"{base}/officer/inspections/new/parking", seconds, cookie=cookie
            )
            submit_rate, submit_p99 = wrk(base, seconds, script=script)
        finally:
            for server in servers:
                server.terminate()
                server.wait(timeout=10)

    print(f"{'page':<34}{'req/s':>9}{'p99 ms':>9}{'ratio':>8}   target ratio >= 0.4")
    print(f"{'bare Starlette page':<34}{bare_rate:>9.0f}{bare_p99:>9.1f}")
    print(
        f"{'floor: + session, same bytes':<34}{floor_rate:>9.0f}{floor_p99:>9.1f}"
        f"{floor_rate / bare_rate:>8.2f}   (no page with a signed session can do better)"
    )
    for name, rate, p99 in (
        ("officer form page (parking)", form_rate, form_p99),
        ("submission without photos", submit_rate, submit_p99),
    ):
        ok = "ok" if rate / bare_rate >= 0.4 else "MISS"
        print(f"{name:<34}{rate:>9.0f}{p99:>9.1f}{rate / bare_rate:>8.2f}   {ok}")
    ok = "ok" if weight < 150 * 1024 else "MISS"
    print(
        f"officer form page weight (HTML+CSS+JS, uncompressed): {weight / 1024:.1f} KB   "
        f"target < 150 KB: {ok}"
    )


if __name__ == "__main__":
    main()
