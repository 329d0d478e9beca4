"""Founders register and verify their e-mail; passwords are reset by e-mail (which lifts a lock); a person's
language is kept."""

import re

import pytest

from incubator.auth.enums import Role, TokenPurpose
from incubator.auth.models import AccountToken, User
from incubator.mail.models import OutboxMessage, OutboxStatus
from tests.helpers import PASSWORD, login, nothing_written, post_form

GOOD = "Pho-co-Hang-Bac-2026"


def _link_in_last_mail(db, to: str) -> str:
    message = db.session.query(OutboxMessage).filter_by(to_address=to).order_by(OutboxMessage.id.desc()).first()
    assert message is not None, f"no mail to {to}"
    match = re.search(r"http://localhost(/\S+)", message.body_text)
    assert match, message.body_text
    return match.group(1)


def test_founder_registers_then_confirms_the_email(client, db):
    response = post_form(client, "/register", {"full_name": "Đặng Thị Mai", "email": "mai@vuonuom.example",
                                               "password": GOOD, "confirm": GOOD}, token_from="/register")
    assert response.status_code == 302
    user = db.session.query(User).filter_by(email="mai@vuonuom.example").one()
    assert user.roles == {Role.FOUNDER}
    assert user.email_verified_at is None
    mail = db.session.query(OutboxMessage).filter_by(to_address=user.email).one()
    assert mail.status is OutboxStatus.LOGGED  # no SMTP server in tests: written to the log, kept
    assert mail.subject == "Xác nhận địa chỉ email"  # in the founder's language: Vietnamese by default

    link = _link_in_last_mail(db, user.email)
    assert client.get(link).status_code == 302
    db.session.refresh(user)
    assert user.email_verified_at is not None
    # Opened again by the confirmed founder: a friendly word; by anyone else: the link is spent.
    again = client.get(link, follow_redirects=True)
    assert "Địa chỉ email của bạn đã được xác nhận." in again.get_data(as_text=True)
    assert client.application.test_client().get(link).status_code == 400


def test_registration_refuses_common_and_short_passwords(client, db):
    for weak in ("password123", "1234567890", "matkhau2024", "short"):
        response = post_form(client, "/register", {"full_name": "Bùi Văn An", "email": "an@vuonuom.example",
                                                   "password": weak, "confirm": weak}, token_from="/register")
        assert response.status_code == 400, weak
    assert db.session.query(User).count() == 0


def test_registration_keeps_what_was_typed_when_refused(client):
    with nothing_written():
        response = post_form(client, "/register", {"full_name": "Bùi Văn An", "email": "an@vuonuom.example",
                                                   "password": GOOD, "confirm": "khac-nhau-roi"},
                             token_from="/register")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'value="Bùi Văn An"' in html and 'value="an@vuonuom.example"' in html


def test_registration_refuses_an_existing_address(client, make):
    user = make.user(Role.STAFF)
    with nothing_written():
        response = post_form(client, "/register", {"full_name": "Ai Đó", "email": user.email.upper(),
                                                   "password": GOOD, "confirm": GOOD}, token_from="/register")
        assert response.status_code == 400


def test_password_reset_by_email_ends_every_session(make, client_factory, db):
    user = make.user(Role.STAFF)
    old_device = client_factory()
    login(old_device, user)
    anonymous = client_factory()
    assert post_form(anonymous, "/password/forgot", {"email": user.email}).status_code == 302
    link = _link_in_last_mail(db, user.email)
    response = post_form(anonymous, link, {"password": GOOD, "confirm": GOOD}, token_from=link)
    assert response.status_code == 302
    assert old_device.get("/home/staff").status_code == 302
    login(client_factory(), user, password=GOOD)
    with pytest.raises(AssertionError):
        login(client_factory(), user, password=PASSWORD)
    assert anonymous.get(link).status_code == 400


def test_password_reset_says_nothing_about_unknown_addresses(client, db):
    response = post_form(client, "/password/forgot", {"email": "khongai@vuonuom.example"})
    assert response.status_code == 302
    assert db.session.query(OutboxMessage).count() == 0
    assert db.session.query(AccountToken).filter_by(purpose=TokenPurpose.PASSWORD_RESET).count() == 0


def test_language_choice_persists_for_the_user(make, client_factory, db):
    user = make.user(Role.STAFF)
    first = client_factory()
    login(first, user)
    assert 'lang="vi"' in first.get("/home/staff").get_data(as_text=True)
    post_form(first, "/language", {"locale": "en", "next": "/home/staff"})
    db.session.refresh(user)
    assert user.locale == "en"
    second = client_factory()
    login(second, user)
    html = second.get("/home/staff").get_data(as_text=True)
    assert 'lang="en"' in html and "Incubator staff" in html and "Cán bộ Vườn ươm" not in html


def test_a_password_reset_lifts_the_lock_on_the_account(make, client_factory, app, db):
    user = make.user(Role.STAFF)
    client = client_factory()
    for _ in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]):
        post_form(client, "/login", {"email": user.email, "password": "sai-roi-sai-roi"}, token_from="/login")
    assert post_form(client, "/login", {"email": user.email, "password": PASSWORD},
                     token_from="/login").status_code == 429
    post_form(client, "/password/forgot", {"email": user.email})
    body = db.session.query(OutboxMessage).filter_by(to_address=user.email).one().body_text
    link = re.search(r"http://localhost(/\S+)", body).group(1)
    assert post_form(client, link, {"password": GOOD, "confirm": GOOD}, token_from=link).status_code == 302
    login(client, user, password=GOOD)


def test_a_language_chosen_before_logging_in_is_kept_for_the_person(make, client, db):
    user = make.user(Role.OFFICIAL)
    post_form(client, "/language", {"locale": "en"})
    login(client, user)
    db.session.refresh(user)
    assert user.locale == "en"
