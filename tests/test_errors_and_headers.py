"""Friendly error pages in both languages; issue 10's line on every route: every response has the security
headers of quality.md, every POST without a valid CSRF token is refused and writes nothing, cookies are
HttpOnly, SameSite=Lax and Secure behind HTTPS.

The walks take every route of ``app.url_map`` (a new route joins by itself) as a person allowed to use it,
with the objects of tests/test_fuzz_forms.py's world and the roles of tests/test_permission_matrix.py.
"""

import logging
from http.cookies import SimpleCookie

import pytest
from flask import Blueprint

from incubator import create_app
from incubator.auth.enums import Role
from incubator.security import CONTENT_SECURITY_POLICY
from tests.helpers import PASSWORD, csrf_token, login, nothing_written, post_form


@pytest.mark.parametrize("locale, title", [("vi", "Không tìm thấy trang"), ("en", "Page not found")])
def test_404_page_in_each_language(client, locale, title):
    post_form(client, "/language", {"locale": locale})
    response = client.get("/khong-co-trang-nay")
    assert response.status_code == 404
    assert title in response.get_data(as_text=True)


def test_403_page_is_friendly(login_as):
    client, _ = login_as(Role.FOUNDER)
    response = client.get("/admin/users")
    assert response.status_code == 403
    assert "<nav" in response.get_data(as_text=True)  # the full layout, not a bare error


def test_500_page_shows_a_reference_that_the_log_also_holds(app, caplog, monkeypatch, tmp_path):
    # A separate application, so the failing route never joins the shared one (and its permission matrix).
    failing = create_app({"TESTING": True, "SECRET_KEY": "x", "PROPAGATE_EXCEPTIONS": False,
                          "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})
    boom = Blueprint("boom_test", __name__)

    @boom.route("/__boom")
    def explode():
        raise RuntimeError("cố ý gây lỗi")

    failing.register_blueprint(boom)
    monkeypatch.setattr(logging.getLogger("incubator"), "propagate", True)
    with caplog.at_level(logging.ERROR, logger="incubator.errors"):
        response = failing.test_client().get("/__boom")
    assert response.status_code == 500
    assert_security_headers(response, "a 500")
    html = response.get_data(as_text=True)
    reference = response.headers["X-Request-Id"]
    assert f'<code id="error-reference">{reference}</code>' in html
    assert "Hệ thống đã gặp sự cố" in html  # Vietnamese by default
    assert any(reference in record.getMessage() and "cố ý gây lỗi" in record.exc_text
               for record in caplog.records if record.exc_text)


def test_a_stale_edit_answers_409_and_overwrites_nothing(login_as, make, db):
    """Two administrators open the same person's page; the first saves; the second, on the old version,
    gets the 409 page and the first one's change stays."""
    import re

    first, _ = login_as(Role.ADMIN)
    second, _ = login_as(Role.ADMIN)
    person = make.user(Role.REVIEWER)
    url = f"/admin/users/{person.id}"
    pages = [c.get(url).get_data(as_text=True) for c in (first, second)]
    token, version = (re.search(pattern, pages[1]).group(1)
                      for pattern in (r'name="csrf_token" type="hidden" value="([^"]+)"',
                                      r'name="roles-version" type="hidden" value="(\d+)"'))
    assert post_form(first, url, {"roles-roles": ["reviewer", "staff"], "roles-partner_id": 0,
                                  "roles-version": version}, token_from=url).status_code == 302
    response = second.post(url, data={"csrf_token": token, "roles-roles": ["official"], "roles-partner_id": 0,
                                      "roles-version": version})
    assert response.status_code == 409
    assert "Bản ghi này đã được người khác thay đổi" in response.get_data(as_text=True)
    db.session.refresh(person)
    assert person.roles == {Role.REVIEWER, Role.STAFF}


def test_session_cookie_is_httponly_and_samesite_and_secure_behind_https(client):
    response = client.get("/login")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    response = client.get("/login", base_url="https://vuonuom.example")
    assert "Secure" in response.headers["Set-Cookie"]


def test_no_page_loads_anything_from_another_site(client):
    html = client.get("/login").get_data(as_text=True)
    assert "http://" not in html.replace('xmlns="http://', "") and "https://" not in html
    assert "<script>" not in html and " style=" not in html  # nothing inline: the CSP forbids it


def test_control_characters_are_refused_with_the_form_kept(client, db):
    from incubator.auth.models import User

    response = post_form(client, "/register", {"full_name": "Lê\x00Văn", "email": "le@vuonuom.example",
                                               "password": "Pho-co-Hang-Bac-2026",
                                               "confirm": "Pho-co-Hang-Bac-2026"}, token_from="/register")
    assert response.status_code == 400
    assert db.session.query(User).count() == 0


# ---- Security headers and cookies on every response --------------------------------------------------------

def assert_security_headers(response, where: str) -> None:
    headers = response.headers
    assert headers.get("Content-Security-Policy") == CONTENT_SECURITY_POLICY, where
    assert "'unsafe-inline'" not in CONTENT_SECURITY_POLICY and "script-src 'self'" in CONTENT_SECURITY_POLICY
    assert "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY
    assert headers.get("X-Content-Type-Options") == "nosniff", where
    assert headers.get("Referrer-Policy") == "same-origin", where


def assert_cookies(response, where: str, https: bool) -> int:
    """Every cookie set (or deleted) is HttpOnly and SameSite=Lax, and Secure when the request came over
    HTTPS. Returns how many there were."""
    cookies = response.headers.getlist("Set-Cookie")
    for header in cookies:
        morsel = next(iter(SimpleCookie(header).values()))
        assert morsel["httponly"], f"{where}: {header}"
        assert morsel["samesite"] == "Lax", f"{where}: {header}"
        assert bool(morsel["secure"]) == https, f"{where}: {header}"
    return len(cookies)


@pytest.fixture
def world(make, client_factory):
    from tests.test_fuzz_forms import World

    return World(make, client_factory)


@pytest.mark.slow  # a walk over every route
def test_every_get_route_answers_with_the_security_headers_and_safe_cookies_over_https(app, world):
    """Each GET route (pages, downloads, feeds, static files, redirects) as someone allowed to use it, over
    HTTPS; and the error answers (404, 405, 403, a redirect to the login page)."""
    from tests.test_fuzz_forms import _route, _rules

    https = {"base_url": "https://localhost"}
    files = {"static": "/static/css/app.css", "bootstrap.static": "/bootstrap/static/js/bootstrap.min.js"}
    for endpoint in [*_rules(app, "GET"), *files]:
        if endpoint in files:
            role, url = "anonymous", files[endpoint]
        else:
            role, params = _route(app, world, "GET", endpoint)
            url = world.url(app, endpoint, params)
        response = world.client(role).get(url, **https)
        where = f"GET {url} as {role}: {response.status_code}"
        assert response.status_code < 500, where
        assert_security_headers(response, where)
        assert_cookies(response, where, https=True)
    for role, url, method, status in [("anonymous", "/khong-co-trang-nay", "get", 404),
                                      ("anonymous", "/logout", "get", 405), ("founder", "/admin/users", "get", 403),
                                      ("anonymous", "/admin/users", "get", 302)]:
        response = getattr(world.client(role), method)(url, **https)
        assert response.status_code == status, url
        assert_security_headers(response, f"{url}: {status}")


def test_cookies_are_secure_over_https_when_set_logged_in_and_deleted(app, make, client_factory):
    """A new session, a login (a new session id) and a logout (the cookie deleted) over HTTPS: each cookie is
    Secure, HttpOnly and SameSite=Lax."""
    user = make.user(Role.STAFF)
    client = client_factory()
    https = {"base_url": "https://localhost", "headers": {"Referer": "https://localhost/login"}}  # as a browser
    seen = assert_cookies(client.get("/login", **https), "new session", https=True)
    token = csrf_token(client, "/login")
    response = client.post("/login", data={"csrf_token": token, "email": user.email, "password": PASSWORD}, **https)
    assert response.status_code == 302
    seen += assert_cookies(response, "login", https=True)
    token = csrf_token(client, "/account")
    response = client.post("/logout", data={"csrf_token": token}, **https)
    assert response.status_code == 302
    seen += assert_cookies(response, "logout", https=True)
    assert seen >= 3


def test_cookies_are_secure_behind_a_proxy_that_says_https(app):
    """In production TLS ends at the proxy: with PROXY_FIX, its X-Forwarded-Proto makes the cookie Secure."""
    behind = create_app({"TESTING": True, "SECRET_KEY": "x", "PROXY_FIX": 1,
                         "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})
    response = behind.test_client().get("/login", headers={"X-Forwarded-Proto": "https"})
    assert_security_headers(response, "behind a proxy")
    assert assert_cookies(response, "behind a proxy", https=True) == 1
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


# ---- CSRF on every POST ----------------------------------------------------------------------------------------

@pytest.mark.slow  # a walk over every route
def test_every_post_route_refuses_a_post_without_a_valid_csrf_token_and_writes_nothing(app, world, db, caplog,
                                                                                       client_factory):
    """Each POST route, as someone allowed to use it, with the form's fields but no CSRF token, a made-up one,
    or one of another person's session: 400, refused by the CSRF check itself (its log says so), and no row
    written, not even a login attempt."""
    from tests.test_fuzz_forms import _route, _rules

    stranger = client_factory()
    login(stranger, world.make.user(Role.STAFF))
    tokens = {"no token": None, "a made-up token": "IjAwMDAwMDAwMDAwMDAwIg.aaaa.bbbb",
              "another session's token": csrf_token(stranger)}
    caplog.set_level(logging.INFO, logger="flask_wtf.csrf")
    endpoints = _rules(app, "POST")
    assert len(endpoints) > 50  # the walk finds the application's routes
    for endpoint in endpoints:
        role, params = _route(app, world, "POST", endpoint)
        url, client = world.url(app, endpoint, params), world.client(role)
        for what, token in tokens.items():
            data = {"email": world.owner.email, "password": PASSWORD, "name": "Tên", "reason": "Lý do"}
            if token is not None:
                data["csrf_token"] = token
            where = f"POST {url} as {role} with {what}"
            caplog.clear()
            # Every table but the sessions' (an anonymous visitor's session may be opened by the error page).
            with nothing_written(where, ignore={"web_sessions"}):
                response = client.post(url, data=data)
            assert response.status_code == 400, f"{where}: {response.status_code}"
            assert any(r.name == "flask_wtf.csrf" for r in caplog.records), f"{where}: not refused for CSRF"
            assert_security_headers(response, where)
            assert_cookies(response, where, https=False)
