"""Friendly error pages in both languages, security headers, CSRF on every POST."""

import logging

import pytest
from flask import Blueprint

from incubator import create_app
from incubator.auth.enums import Role
from incubator.security import CONTENT_SECURITY_POLICY
from tests.helpers import post_form


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


def test_security_headers_on_every_response(client):
    for url in ("/login", "/khong-co", "/static/css/app.css"):
        headers = client.get(url).headers
        assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
        assert "'unsafe-inline'" not in headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"


def test_session_cookie_is_httponly_and_samesite_and_secure_behind_https(client):
    response = client.get("/login")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    response = client.get("/login", base_url="https://vuonuom.example")
    assert "Secure" in response.headers["Set-Cookie"]


def test_post_without_csrf_token_is_refused(client, make):
    user = make.user(Role.STAFF)
    client.get("/login")
    response = client.post("/login", data={"email": user.email, "password": "x"})
    assert response.status_code == 400


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
