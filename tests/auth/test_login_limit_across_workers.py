"""Login attempts are counted in the database, so the limit holds across the workers of a real server.

The test starts ``gunicorn -w 2`` on a free port of 127.0.0.1, serving the application against the test
database, and alternates its failed logins between the two workers: a sync worker serves one connection at
a time, so two connections opened one after the other are held by different workers. The access log names
the process that served each request, which proves both workers took part.
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
import sqlalchemy as sa

from incubator.auth.enums import Role
from incubator.auth.models import LoginAttempt
from tests.conftest import require_or_skip
from tests.helpers import PASSWORD, free_port

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
ACCOUNT_LIMIT, ADDRESS_LIMIT = 5, 8


class Server:
    def __init__(self, port: int, access_log: Path):
        self.port, self.access_log = port, access_log
        self.cookie = self.token = None

    def connect(self) -> http.client.HTTPConnection:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        conn.connect()
        return conn

    def request(self, conn, method: str, path: str, fields: dict | None = None) -> tuple[int, str]:
        headers = {"Cookie": f"incubator_session={self.cookie}"} if self.cookie else {}
        body = None
        if fields is not None:
            body = urlencode({"csrf_token": self.token, **fields})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        html = response.read().decode()
        cookie = re.search(r"incubator_session=([^;]+)", response.getheader("Set-Cookie") or "")
        if cookie:
            self.cookie = cookie.group(1)
        conn.close()
        return response.status, html

    def served(self, count: int) -> list[tuple[str, str]]:
        """(process, status) of the last ``count`` POST /login, from the access log, which a worker writes
        just after its answer is sent."""
        deadline = time.monotonic() + 10
        while True:
            lines = self.access_log.read_text().splitlines() if self.access_log.exists() else []
            posts = [tuple(line.split()[::3]) for line in lines if line.split()[1:3] == ["POST", "/login"]]
            if len(posts) >= count or time.monotonic() > deadline:
                return posts[-count:]
            time.sleep(0.05)

    def workers_serving(self) -> set[str]:
        return {line.split()[0] for line in self.access_log.read_text().splitlines()} \
            if self.access_log.exists() else set()


@pytest.fixture
def gunicorn_server(database_url, tmp_path):
    if database_url.startswith("sqlite") and (":memory:" in database_url or database_url.rstrip("/") == "sqlite:"):
        pytest.skip("an in-memory SQLite database cannot be shared with server processes")
    require_or_skip(GUNICORN.exists(), "gunicorn is not installed (pip install -e '.[dev]')")
    port = free_port()
    access_log = tmp_path / "access.log"
    env = {key: value for key, value in os.environ.items() if not key.startswith("INCUBATOR_")}
    env.update({
        "INCUBATOR_DATABASE_URL": database_url,
        "INCUBATOR_SECRET_KEY": secrets.token_hex(32),
        "INCUBATOR_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "INCUBATOR_INSTANCE_PATH": str(tmp_path / "instance"),
        "INCUBATOR_LOGIN_MAX_FAILURES_PER_ACCOUNT": str(ACCOUNT_LIMIT),
        "INCUBATOR_LOGIN_MAX_FAILURES_PER_ADDRESS": str(ADDRESS_LIMIT),
    })
    with open(tmp_path / "gunicorn.log", "wb") as log:
        process = subprocess.Popen(
            [str(GUNICORN), "--workers", "2", "--worker-class", "sync", "--bind", f"127.0.0.1:{port}",
             "--access-logfile", str(access_log), "--access-logformat", "%(p)s %(m)s %(U)s %(s)s",
             "incubator:create_app()"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    server = Server(port, access_log)
    try:
        _wait_for_both_workers(server, process, tmp_path / "gunicorn.log")
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _wait_for_both_workers(server: Server, process, log: Path) -> None:
    """Until two connections held at once are answered by two different processes."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail("gunicorn stopped:\n" + log.read_text()[-3000:])
        try:
            first = server.connect()
            time.sleep(0.1)
            second = server.connect()
            for conn in (first, second):
                server.request(conn, "GET", "/login")
        except OSError:
            time.sleep(0.2)
            continue
        if len(server.workers_serving()) == 2:
            return
        time.sleep(0.2)
    pytest.fail("gunicorn's two workers did not both answer:\n" + log.read_text()[-3000:])


def _alternating_logins(server: Server, attempts: list[dict]) -> list[int]:
    """Each pair of attempts is sent over two connections held open at once, hence to the two workers."""
    statuses = []
    for i in range(0, len(attempts), 2):
        first = server.connect()
        time.sleep(0.05)  # the first worker has taken the first connection and waits for its request
        second = server.connect()
        for conn, fields in zip((first, second), attempts[i:i + 2], strict=False):
            statuses.append(server.request(conn, "POST", "/login", fields)[0])
        if len(attempts[i:i + 2]) == 1:
            second.close()
    return statuses


def test_the_login_limits_hold_across_two_gunicorn_workers(gunicorn_server, make, db):
    server = gunicorn_server
    victim = make.user(Role.STAFF)
    other = make.user(Role.FOUNDER)
    status, html = server.request(server.connect(), "GET", "/login")
    assert status == 200
    server.token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    wrong = {"email": victim.email, "password": "khong-phai-mat-khau"}

    # Per account: twice the limit of wrong passwords, alternating workers, then the right one.
    statuses = _alternating_logins(server, [wrong] * (2 * ACCOUNT_LIMIT) + [{"email": victim.email,
                                                                             "password": PASSWORD}])
    assert statuses == [401] * ACCOUNT_LIMIT + [429] * (ACCOUNT_LIMIT + 1), statuses
    _assert_both_workers_counted_and_refused(server.served(len(statuses)))
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LoginAttempt).where(
        LoginAttempt.email == victim.email, LoginAttempt.succeeded.is_(False))) == ACCOUNT_LIMIT

    # Per address: the failures above count too; other accounts' wrong passwords reach the address limit,
    # after which even another person's right password from this address is refused.
    strangers = [{"email": f"nguoi-la-{i}@vuonuom.example", "password": "sai-mat-khau"}
                 for i in range(ADDRESS_LIMIT)]
    statuses = _alternating_logins(server, [*strangers, {"email": other.email, "password": PASSWORD}])
    remaining = ADDRESS_LIMIT - ACCOUNT_LIMIT
    assert statuses == [401] * remaining + [429] * (len(strangers) - remaining + 1), statuses
    _assert_both_workers_counted_and_refused(server.served(len(statuses)))


def _assert_both_workers_counted_and_refused(served: list[tuple[str, str]]) -> None:
    """Each worker recorded failures and each refused once the limit was reached: the count is shared."""
    workers = {status: {pid for pid, s in served if s == status} for status in ("401", "429")}
    assert len(workers["401"]) == 2 and len(workers["429"]) == 2, served
