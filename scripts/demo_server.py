"""A throw-away server for scans and load tests: the demonstration data in a fresh SQLite database in a
temporary folder, served by gunicorn on 127.0.0.1 at a free port, stopped (and the folder removed) on exit.

Used by ``scripts/wapiti_scan.py`` and ``benchmarks/load.py``; on its own it serves until Ctrl-C::

    .venv/bin/python scripts/demo_server.py --workers 4
"""

from __future__ import annotations

import argparse
import contextlib
import html
import http.cookiejar
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DEMO_PASSWORD = "Vuon-uom-2025-demo"  # noqa: S105 (the demonstration's published password)
SESSION_COOKIE = "incubator_session"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class DemoServer:
    url: str
    folder: Path
    log: Path
    env: dict


def _tool(name: str) -> str:
    path = BIN / name
    if not path.exists():
        sys.exit(f"{path} is missing: install the project with its dev extras (.venv/bin/pip install -e '.[dev]')")
    return str(path)


@contextlib.contextmanager
def demo_server(*, workers: int = 2, threads: int = 1, extra_env: dict | None = None,
                keep: Path | None = None, prepare: list[list[str]] = (),
                database_url: str | None = None) -> Iterator[DemoServer]:
    """Seed a temporary database with ``flask demo``, serve it with gunicorn, stop it at the end.

    ``prepare``: commands run after the demo is loaded, before the server starts, with the same settings.
    ``extra_env`` adds INCUBATOR_* settings for the server only (not for the demo command). The server's
    log is copied to ``keep`` (a folder) before the temporary folder is removed. ``database_url``: an empty
    database to use instead of the temporary SQLite one (a PostgreSQL database the caller made)."""
    folder = Path(tempfile.mkdtemp(prefix="incubator-demo-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("INCUBATOR_")}
    env.update(INCUBATOR_INSTANCE_PATH=str(folder / "instance"),
               INCUBATOR_DATABASE_URL=database_url or f"sqlite:///{folder / 'incubator.sqlite'}",
               PYTHONUNBUFFERED="1")
    log = folder / "gunicorn.log"
    process = None
    try:
        # No secret key for the demo command: it is what a development copy looks like (see `flask demo`).
        demo = subprocess.run([_tool("flask"), "--app", "incubator", "demo"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if demo.returncode != 0:
            sys.exit(f"flask demo failed:\n{demo.stderr}")
        for command in prepare:
            subprocess.run(command, cwd=ROOT, env=env, check=True)
        port = free_port()
        server_env = {**env, "INCUBATOR_SECRET_KEY": secrets.token_hex(32),
                      "INCUBATOR_PUBLIC_URL": f"http://127.0.0.1:{port}", **(extra_env or {})}
        with log.open("w") as out:
            process = subprocess.Popen(
                [_tool("gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
                 "--threads", str(threads), "--timeout", "120", "--graceful-timeout", "10",
                 "--access-logfile", "-", "--access-logformat", '%(p)s %(m)s %(U)s %(s)s %(M)sms',
                 *no_control_socket(), "incubator:create_app()"],
                cwd=ROOT, env=server_env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        url = f"http://127.0.0.1:{port}"
        wait_until_up(url, process, log)
        yield DemoServer(url=url, folder=folder, log=log, env=server_env)
    finally:
        if process is not None and process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        if keep is not None and log.exists():
            keep.mkdir(parents=True, exist_ok=True)
            shutil.copy(log, keep / "gunicorn.log")
        shutil.rmtree(folder, ignore_errors=True)


def no_control_socket() -> list[str]:
    """gunicorn 24+ opens a control socket at one fixed path per user: two servers at once would share it."""
    usage = subprocess.run([_tool("gunicorn"), "--help"], capture_output=True, text=True).stdout
    return ["--no-control-socket"] if "--no-control-socket" in usage else []


def wait_until_up(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"gunicorn stopped at start:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url + "/login", timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    sys.exit(f"gunicorn did not answer within 60 s:\n{log.read_text()}")


_SERVER_ERROR = re.compile(r"Traceback|database is locked|OperationalError| ERROR |\[ERROR\]")
_ANSWER_5XX = re.compile(r"<\d+> \S+ \S+ 5\d\d ")  # the access log's "<pid> METHOD PATH STATUS TIMEms"


def server_errors(log: str) -> list[str]:
    """Lines of the server's log that tell of an error: a 5xx answer, a traceback, a locked database."""
    return [line for line in log.splitlines() if _SERVER_ERROR.search(line) or _ANSWER_5XX.match(line)]


def csrf_token(page: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) \
        or re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    if not match:
        raise RuntimeError("no CSRF token in the page")
    return html.unescape(match.group(1))


def log_in(url: str, email: str, password: str = DEMO_PASSWORD) -> str:
    """Log in through the form (its CSRF token included) and return the session cookie's value."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(url + "/login", timeout=30) as response:
        token = csrf_token(response.read().decode())
    body = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": password}).encode()
    with opener.open(url + "/login", data=body, timeout=60) as response:
        landed = response.url
    if urllib.parse.urlsplit(landed).path == "/login":
        raise RuntimeError(f"logging in as {email} failed")
    for cookie in jar:
        if cookie.name == SESSION_COOKIE:
            return cookie.value
    raise RuntimeError("no session cookie after logging in")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with demo_server(workers=args.workers) as server:
        print(f"Serving the demonstration at {server.url} (database in {server.folder}); Ctrl-C stops it.")
        with contextlib.suppress(KeyboardInterrupt):
            signal.pause()


if __name__ == "__main__":
    main()
