"""Two application servers against one PostgreSQL database (issue 23): nothing a request needs lives on one server's
disk or in one process's memory. Each server is its own gunicorn process with its own instance folder and the
same secret key, as behind a load balancer: a document uploaded through one is downloaded through the other, and
a person logged in on one is recognised by the other (sessions are rows of the database, not files or memory).

PostgreSQL only: on SQLite it is skipped with the reason (CI runs it in its PostgreSQL pass, where
INCUBATOR_TEST_DATABASE_URL is set)."""

from __future__ import annotations

import http.client
import io
import os
import re
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from incubator.auth.enums import Role
from incubator.outcomes.models import GraduationOutcome
from tests.conftest import require_or_skip
from tests.helpers import PASSWORD, free_port

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = Path(sys.executable).with_name("gunicorn")


class Server:
    """One application server, and a browser's cookie jar of one (shared between servers in these tests)."""

    def __init__(self, name: str, port: int, instance: Path, log: Path):
        self.name, self.port, self.instance, self.log = name, port, instance, log

    def request(self, method: str, path: str, cookie: str | None = None, body: bytes | None = None,
                content_type: str | None = None) -> tuple[int, dict, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Cookie": f"incubator_session={cookie}"} if cookie else {}
        if content_type:
            headers["Content-Type"] = content_type
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        conn.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data


def _cookie(headers: dict) -> str | None:
    found = re.search(r"incubator_session=([^;]+)", headers.get("set-cookie", ""))
    return found.group(1) if found else None


def _token(html: bytes) -> str:
    return re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1).decode()


def _start(name: str, database_url: str, secret: str, public_url: str, tmp_path: Path):
    port = free_port()
    instance = tmp_path / f"instance-{name}"
    log = tmp_path / f"{name}.log"
    env = {key: value for key, value in os.environ.items() if not key.startswith("INCUBATOR_")}
    env.update({
        "INCUBATOR_DATABASE_URL": database_url,
        "INCUBATOR_SECRET_KEY": secret,
        "INCUBATOR_PUBLIC_URL": public_url,
        "INCUBATOR_INSTANCE_PATH": str(instance),
    })
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [str(GUNICORN), "--workers", "1", "--worker-class", "sync", "--bind", f"127.0.0.1:{port}",
             "incubator:create_app()"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    return process, Server(name, port, instance, log)


def _wait(process, server: Server) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"server {server.name} stopped:\n" + server.log.read_text()[-3000:])
        try:
            if server.request("GET", "/login")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    pytest.fail(f"server {server.name} did not answer:\n" + server.log.read_text()[-3000:])


@pytest.fixture
def two_servers(database_url, tmp_path):
    if not database_url.startswith("postgresql"):
        pytest.skip("two application servers share one PostgreSQL database: set INCUBATOR_TEST_DATABASE_URL "
                    "(CI runs this in its PostgreSQL pass)")
    require_or_skip(GUNICORN.exists(), "gunicorn is not installed (pip install -e '.[dev]')")
    secret = secrets.token_hex(32)
    public_url = "http://127.0.0.1"  # one public address, as behind a load balancer
    started = []
    try:
        for name in ("a", "b"):
            started.append(_start(name, database_url, secret, public_url, tmp_path))
        for process, server in started:
            _wait(process, server)
        yield [server for _, server in started]
    finally:
        for process, _server in started:
            process.terminate()
        for process, _server in started:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def _log_in(server: Server, email: str) -> str:
    status, headers, html = server.request("GET", "/login")
    assert status == 200
    cookie = _cookie(headers)
    body = f"csrf_token={_token(html)}&email={email}&password={PASSWORD}".encode()
    status, headers, _ = server.request("POST", "/login", cookie, body, "application/x-www-form-urlencoded")
    assert status == 302, status
    return _cookie(headers) or cookie


def test_an_upload_through_one_server_is_downloaded_through_the_other_and_a_login_holds_on_both(
        two_servers, make, db):
    from pypdf import PdfWriter

    a, b = two_servers
    staff = make.user(Role.STAFF, email="canbo.hai.may@vuonuom.example")
    company = make.company(name="Công ty Hai Máy Chủ")
    db.session.commit()

    # Logged in on A, recognised by B (and the other way round).
    cookie = _log_in(a, staff.email)
    form = f"/register/{company.id}/outcomes/new"
    status, _, html = b.request("GET", form, cookie)
    assert status == 200 and "Công ty Hai Máy Chủ".encode() in html
    assert b.request("GET", form)[0] == 302  # without the cookie: to the login page
    other = _log_in(b, staff.email)
    assert a.request("GET", form, other)[0] == 200

    # A PDF uploaded through B's form by a real route, downloaded through A.
    writer = PdfWriter()  # a real PDF, as a member of staff would attach
    writer.add_blank_page(72, 72)
    writer.add_metadata({"/Title": "Hợp đồng qua hai máy chủ"})
    buffer = io.BytesIO()
    writer.write(buffer)
    pdf = buffer.getvalue()
    boundary, body = encode_multipart({
        "csrf_token": _token(html), "decision": "graduated", "decided_on": "2025-06-30", "serves_economy": "y",
        "evidence_pdf": FileStorage(io.BytesIO(pdf), filename="hop-dong.pdf", content_type="application/pdf")})
    status, headers, answer = b.request("POST", form, cookie, body, f"multipart/form-data; boundary={boundary}")
    assert status == 302, answer[:2000]
    db.session.rollback()
    outcome = db.session.query(GraduationOutcome).filter_by(company_id=company.id).one()
    status, headers, data = a.request("GET", f"/register/outcomes/{outcome.id}/evidence", cookie)
    assert status == 200 and data == pdf
    assert headers["content-disposition"].startswith("attachment")
    for server in (a, b):  # nothing was written on either server's disk
        assert not (server.instance / "uploads").exists()
