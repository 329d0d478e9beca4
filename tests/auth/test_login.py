"""Logging in: every role lands on its home page; limits per account and per address hold."""

import pytest

from incubator.auth.enums import ROLE_PRIORITY, Role
from incubator.auth.models import LoginAttempt
from tests.helpers import PASSWORD, login, post_form


@pytest.mark.parametrize("role", list(Role))
def test_every_role_logs_in_and_lands_on_its_home_page(role, make, client):
    user = make.user(role)
    response = login(client, user)
    assert response.headers["Location"] == "/"
    response = client.get("/")
    assert response.headers["Location"] == f"/home/{role.value}"
    page = client.get(f"/home/{role.value}")
    assert page.status_code == 200
    assert user.full_name in page.get_data(as_text=True)


def test_person_with_several_roles_sees_a_tab_per_role(make, client):
    user = make.user(Role.FOUNDER, Role.REVIEWER)
    login(client, user)
    assert client.get("/").headers["Location"] == "/home/reviewer"  # by priority
    html = client.get("/home/founder").get_data(as_text=True)
    assert "/home/reviewer" in html and "/home/founder" in html
    assert ROLE_PRIORITY.index(Role.REVIEWER) < ROLE_PRIORITY.index(Role.FOUNDER)


def test_anonymous_users_are_sent_to_the_login_page(client):
    response = client.get("/home/staff")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_wrong_password_is_refused_with_a_message_and_recorded(client, make, db):
    user = make.user(Role.STAFF)
    response = post_form(client, "/login", {"email": user.email, "password": "sai-mat-khau-roi"},
                         token_from="/login")
    assert response.status_code == 401
    assert "Địa chỉ email hoặc mật khẩu không đúng." in response.get_data(as_text=True)
    assert db.session.query(LoginAttempt).filter_by(email=user.email, succeeded=False).count() == 1


def test_login_is_case_insensitive_on_email(client, make):
    user = make.user(Role.STAFF, email="Hoa.Le@vuonuom.example".lower())
    response = post_form(client, "/login", {"email": "  HOA.LE@vuonuom.example ", "password": PASSWORD},
                         token_from="/login")
    assert response.status_code == 302
    assert user.last_login_at is not None


def test_login_is_limited_per_account(client, make, app):
    user = make.user(Role.STAFF)
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    for _ in range(limit):
        assert post_form(client, "/login", {"email": user.email, "password": "khong-dung-dau"},
                         token_from="/login").status_code == 401
    # Even the right password is refused while the limit holds.
    response = post_form(client, "/login", {"email": user.email, "password": PASSWORD}, token_from="/login")
    assert response.status_code == 429


def test_login_is_limited_per_address(client, make, app, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_MAX_FAILURES_PER_ADDRESS", 3)
    users = [make.user(Role.STAFF) for _ in range(4)]
    for user in users[:3]:
        post_form(client, "/login", {"email": user.email, "password": "khong-dung-dau"}, token_from="/login")
    response = post_form(client, "/login", {"email": users[3].email, "password": PASSWORD}, token_from="/login")
    assert response.status_code == 429


def test_deactivated_account_cannot_log_in(client, make):
    user = make.user(Role.MENTOR, active=False)
    response = post_form(client, "/login", {"email": user.email, "password": PASSWORD}, token_from="/login")
    assert response.status_code == 401


def test_next_parameter_never_leaves_the_site(client, make):
    user = make.user(Role.STAFF)
    for bad in ("https://evil.example/", "//evil.example/x", "/\\evil.example"):
        response = post_form(client, f"/login?next={bad}", {"email": user.email, "password": PASSWORD},
                             token_from="/login")
        assert response.headers["Location"] == "/", bad
        post_form(client, "/logout")
    response = post_form(client, "/login?next=/account", {"email": user.email, "password": PASSWORD},
                         token_from="/login")
    assert response.headers["Location"] == "/account"


def test_logout_needs_post(login_as):
    client, _ = login_as(Role.STAFF)
    assert client.get("/logout").status_code == 405
