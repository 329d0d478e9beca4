"""Sessions are stored server-side: logout and password change end them, a copied cookie stops working."""

from incubator.auth.enums import Role
from incubator.auth.models import WebSession
from tests.helpers import PASSWORD, login, post_form


def _cookie(client):
    return client.get_cookie("incubator_session")


def test_session_cookie_captured_before_logout_is_refused_after_it(login_as, client_factory):
    client, _user = login_as(Role.STAFF)
    stolen = _cookie(client).value
    assert client.get("/home/staff").status_code == 200

    response = post_form(client, "/logout")
    assert response.status_code == 302

    thief = client_factory()
    thief.set_cookie("incubator_session", stolen)
    response = thief.get("/home/staff")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_cookie_holds_only_a_random_id_and_the_data_stays_on_the_server(login_as, db):
    client, user = login_as(Role.STAFF)
    value = _cookie(client).value
    assert user.email not in value and "_user_id" not in value
    stored = db.session.query(WebSession).filter_by(user_id=user.id).one()
    assert value not in stored.sid_hash  # only the hash of the id is stored


def test_login_gives_a_new_session_id(client, make):
    user = make.user(Role.FOUNDER)
    client.get("/login")
    before = _cookie(client).value
    login(client, user)
    after = _cookie(client).value
    assert before != after


def test_password_change_ends_other_sessions_but_not_this_one(make, client_factory):
    user = make.user(Role.STAFF)
    laptop, phone = client_factory(), client_factory()
    login(laptop, user)
    login(phone, user)
    new_password = "Ho-Tay-sen-no-2026"
    response = post_form(laptop, "/account", {"current_password": PASSWORD, "password": new_password,
                                              "confirm": new_password}, token_from="/account")
    assert response.status_code == 302
    assert laptop.get("/home/staff").status_code == 200
    assert phone.get("/home/staff").status_code == 302


def test_deactivation_ends_sessions_at_once(make, login_as, client_factory):
    person = make.user(Role.REVIEWER)
    their_client = client_factory()
    login(their_client, person)
    admin_client, _admin = login_as(Role.ADMIN)
    response = post_form(admin_client, f"/admin/users/{person.id}/deactivate", {"reason": "Hết hợp đồng"})
    assert response.status_code == 302
    assert their_client.get("/home/reviewer").status_code == 302


def test_anonymous_visit_without_form_stores_no_session(client, db):
    client.get("/login")  # the login form needs a CSRF token, so a session is created
    count_after_form = db.session.query(WebSession).count()
    anonymous = client.application.test_client()
    anonymous.get("/static/css/app.css")
    assert db.session.query(WebSession).count() == count_after_form


def test_a_request_that_changes_no_session_opens_no_writing_transaction(login_as, db):
    """Most requests store nothing in their session: they take no write lock for it (on SQLite a login holds
    that lock while argon2 checks a password, and every page would wait behind it)."""
    from sqlalchemy import event

    from incubator.db import _writing_context

    client, _user = login_as(Role.STAFF)
    assert client.get("/home/staff").status_code == 200  # the session is fresh from the login
    writing = []

    def _on_begin(_conn):
        writing.append(_writing_context())

    event.listen(db.engine, "begin", _on_begin)
    try:
        assert client.get("/home/staff").status_code == 200
        assert client.get("/rounds/").status_code == 200
    finally:
        event.remove(db.engine, "begin", _on_begin)
    assert writing and not any(writing)
