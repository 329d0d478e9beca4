"""Logging in: every role lands on its home page; limits per account and per address hold."""

import pytest
import sqlalchemy as sa

from incubator.auth.enums import ROLE_PRIORITY, Role
from incubator.auth.models import LoginAttempt, User
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


def test_the_password_is_checked_before_the_request_takes_the_write_lock(client, make, db, monkeypatch):
    """argon2 is slow by design: while it runs, the login holds no transaction of its own (on SQLite that
    would be the only write lock, and every writer would wait for each login in turn)."""
    from incubator import security
    from incubator.auth import services

    make.user(Role.STAFF, email="canbo@vuonuom.example")
    during_check = []
    real_verify = security.verify_password

    def verify(password_hash, password):
        during_check.append(db.session().in_transaction())
        return real_verify(password_hash, password)

    monkeypatch.setattr(services.security, "verify_password", verify)
    response = post_form(client, "/login", {"email": "canbo@vuonuom.example", "password": PASSWORD},
                         token_from="/login")
    assert response.status_code == 302
    assert during_check == [False]


def test_a_password_changed_during_the_check_is_the_one_that_counts(client, make, db, monkeypatch):
    from incubator import security
    from incubator.auth import services

    user_id = make.user(Role.STAFF, email="canbo@vuonuom.example").id
    new_hash = security.hash_password("Mat-khau-moi-2026-rat-dai")
    real_verify = security.verify_password

    def verify_then_reset(password_hash, password):
        ok = real_verify(password_hash, password)
        if password_hash != new_hash:  # a reset lands while the old hash is being checked
            with db.engine.begin() as conn:
                conn.execute(sa.update(User).where(User.id == user_id).values(password_hash=new_hash))
        return ok

    monkeypatch.setattr(services.security, "verify_password", verify_then_reset)
    response = post_form(client, "/login", {"email": "canbo@vuonuom.example", "password": PASSWORD},
                         token_from="/login")
    assert response.status_code == 401
    attempt = db.session.scalar(sa.select(LoginAttempt).order_by(LoginAttempt.id.desc()))
    assert attempt.succeeded is False
