"""Links cannot be poisoned: every absolute link comes from the configured public address (PUBLIC_URL), never
from the request's Host or X-Forwarded-Host; outside debug and tests the address must be set, and requests
for another host are refused; a new password-reset link ends the one before."""

from __future__ import annotations

import re

import click
import pytest

from incubator import ConfigurationError, create_app
from incubator.auth.enums import Role
from incubator.auth.models import AccountToken
from incubator.mail.models import OutboxMessage
from tests.helpers import login, post_form

PUBLIC = "https://vuonuom.example/he-thong"


def _last_mail(db, to: str) -> OutboxMessage:
    message = db.session.query(OutboxMessage).filter_by(to_address=to).order_by(OutboxMessage.id.desc()).first()
    assert message is not None, f"no mail to {to}"
    return message


def _links(text: str) -> list[str]:
    return re.findall(r"https?://\S+", text)


@pytest.fixture
def public_url(app):
    before = app.config["PUBLIC_URL"]
    app.config["PUBLIC_URL"] = PUBLIC
    yield PUBLIC
    app.config["PUBLIC_URL"] = before


@pytest.mark.parametrize("headers", [
    {"Host": "evil.example"},
    {"X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "http"},
])
def test_a_password_reset_link_comes_from_the_public_address_not_the_host_header(client, make, db, public_url,
                                                                                 headers):
    user = make.user(Role.FOUNDER)
    page = client.get("/password/forgot", headers=headers).get_data(as_text=True)  # the session is that host's
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/password/forgot", data={"csrf_token": token, "email": user.email}, headers=headers)
    assert response.status_code == 302
    links = _links(_last_mail(db, user.email).body_text)
    assert links and all(link.startswith(PUBLIC + "/password/reset/") for link in links), links
    assert "evil" not in _last_mail(db, user.email).body_text


def test_links_written_on_the_command_line_come_from_the_public_address(app, make, db, public_url):
    from incubator.urls import external_url

    assert external_url("auth.login") == PUBLIC + "/login"
    with app.test_request_context("/", base_url="http://evil.example"):
        assert external_url("reviews.desk") == PUBLIC + "/reviews/"


def test_a_command_that_writes_links_refuses_to_run_without_a_public_address(app, runner):
    before = app.config["PUBLIC_URL"]
    app.config["PUBLIC_URL"] = None
    try:
        result = runner.invoke(args=["cohorts", "remind"])
    finally:
        app.config["PUBLIC_URL"] = before
    assert result.exit_code == 1
    assert "INCUBATOR_PUBLIC_URL" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_outside_debug_the_app_refuses_to_serve_without_a_public_address(tmp_path, monkeypatch):
    monkeypatch.delenv("INCUBATOR_PUBLIC_URL", raising=False)
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    monkeypatch.setenv("INCUBATOR_INSTANCE_PATH", str(tmp_path))
    with pytest.raises(ConfigurationError, match="INCUBATOR_PUBLIC_URL"):
        create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})  # as under a WSGI server
    with click.Context(click.Command("run"), info_name="run"), \
            pytest.raises(ConfigurationError, match="INCUBATOR_PUBLIC_URL"):
        create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with pytest.raises(ConfigurationError, match="PUBLIC_URL"):
        create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://", "PUBLIC_URL": "vuonuom.example"})
    # A command that serves nothing starts without one; debug mode has a local default.
    with click.Context(click.Command("upgrade"), info_name="upgrade"):
        assert create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"}).config["PUBLIC_URL"] is None
    monkeypatch.setenv("FLASK_DEBUG", "1")
    assert create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"}).config["PUBLIC_URL"] == "http://127.0.0.1:5000"


@pytest.fixture
def production(app, tmp_path, monkeypatch):
    """The application as it serves: no debug, no testing, a secret key and a public address."""
    monkeypatch.delenv("FLASK_DEBUG", raising=False)

    def build(**extra):
        served = create_app({"SECRET_KEY": "x" * 32, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                             "PUBLIC_URL": "https://vuonuom.example", **extra})
        served.instance_path = str(tmp_path)
        return served.test_client()

    return build


def test_requests_for_another_host_are_refused_outside_debug(production):
    client = production()
    assert client.get("/login", base_url="https://vuonuom.example").status_code == 200
    assert client.get("/login", base_url="https://evil.example").status_code == 400
    assert client.get("/login", base_url="https://vuonuom.example",
                      headers={"Host": "evil.example"}).status_code == 400


def test_a_forwarded_host_behind_the_proxy_is_checked_too(production):
    client = production(PROXY_FIX=1)
    assert client.get("/login", base_url="https://vuonuom.example",
                      headers={"X-Forwarded-Host": "vuonuom.example"}).status_code == 200
    assert client.get("/login", base_url="https://vuonuom.example",
                      headers={"X-Forwarded-Host": "evil.example"}).status_code == 400


def test_more_hosts_can_be_trusted_by_configuration(production):
    client = production(TRUSTED_HOSTS=["10.0.0.5"])
    assert client.get("/login", base_url="http://10.0.0.5").status_code == 200
    assert client.get("/login", base_url="https://vuonuom.example").status_code == 200
    assert client.get("/login", base_url="https://evil.example").status_code == 400


def _reset_path(db, email: str) -> str:
    match = re.search(r"http://localhost(/password/reset/\S+)", _last_mail(db, email).body_text)
    assert match
    return match.group(1)


def test_a_new_password_reset_link_ends_the_one_before(client, make, db):
    user = make.user(Role.FOUNDER)
    post_form(client, "/password/forgot", {"email": user.email})
    first = _reset_path(db, user.email)
    post_form(client, "/password/forgot", {"email": user.email})
    second = _reset_path(db, user.email)
    assert first != second
    assert client.get(first).status_code == 400
    assert "withdrawn" in client.get(first).get_data(as_text=True) or \
        "thu hồi" in client.get(first).get_data(as_text=True)
    assert client.get(second).status_code == 200
    usable = db.session.query(AccountToken).filter_by(user_id=user.id, used_at=None, revoked_at=None).count()
    assert usable == 1


def test_the_calendar_address_given_to_a_mentor_uses_the_public_address(client, make, db, public_url):
    mentor = make.user(Role.MENTOR)
    login(client, mentor)
    response = post_form(client, "/mentoring/calendar", token_from="/mentoring/", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert PUBLIC + "/mentoring/calendar/" in page
    assert "http://localhost/mentoring/calendar/" not in page
