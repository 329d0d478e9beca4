"""Identity before access: an account whose e-mail address is not confirmed can only confirm it, ask for the
link again, correct the address, and log out. Every other door says why (403), and the rules behind the doors
refuse it too, so that a door reached another way stays shut."""

from __future__ import annotations

import io
import re

import pytest

from incubator.auth.enums import Role
from incubator.auth.models import AccountToken, User
from incubator.auth.permissions import is_confirmed
from incubator.companies.models import CompanyMember
from incubator.companies.permissions import can_claim_company
from incubator.errors import DomainError
from incubator.mail.models import OutboxMessage
from tests.helpers import PASSWORD, blank_pdf, login, post_form

WHY = "chỉ mở sau khi địa chỉ email của bạn được xác nhận"


@pytest.fixture
def unconfirmed(make, client_factory):
    user = make.user(Role.FOUNDER, email_verified_at=None, email="chua-xac-nhan@vuonuom.example")
    client = client_factory()
    login(client, user)
    return client, user


def test_an_unconfirmed_account_lands_on_the_confirmation_page(unconfirmed):
    client, user = unconfirmed
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/account/confirm")
    page = client.get("/account/confirm").get_data(as_text=True)
    assert user.email in page and "Gửi lại đường liên kết" in page and "Đổi địa chỉ" in page


@pytest.mark.parametrize("method,url", [
    ("GET", "/home/founder"),
    ("GET", "/my/companies/new"),
    ("POST", "/my/companies/new"),
    ("GET", "/account"),
    ("POST", "/account"),
    ("GET", "/startups/1"),
    ("POST", "/applications/start/1"),
    ("POST", "/applications/1/autosave"),
    ("POST", "/applications/1/documents/1"),
    ("GET", "/mentoring/"),
])
def test_every_other_door_says_why_it_is_closed(unconfirmed, method, url):
    client, _ = unconfirmed
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                      client.get("/account/confirm").get_data(as_text=True)).group(1)
    response = client.get(url) if method == "GET" else client.post(url, data={"csrf_token": token})
    assert response.status_code == 403
    assert WHY in response.get_data(as_text=True)


def test_claiming_applying_and_uploading_are_refused_and_write_nothing(unconfirmed, make, db):
    client, _user = unconfirmed
    intake_round = make.intake_round()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                      client.get("/account/confirm").get_data(as_text=True)).group(1)
    response = client.post("/my/companies/new", data={
        "csrf_token": token, "tax_code": "0100109106", "name": "Công ty Chưa Xác Nhận", "is_it": "y",
        "certificate": (io.BytesIO(blank_pdf()), "gcn.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 403
    assert client.post(f"/applications/start/{intake_round.id}", data={"csrf_token": token}).status_code == 403
    assert db.session.query(CompanyMember).count() == 0


def test_the_rules_refuse_an_unconfirmed_account_whatever_the_door(unconfirmed, make):
    _, user = unconfirmed
    assert not is_confirmed(user) and not can_claim_company(user)
    from incubator.companies.services import claim_company

    with pytest.raises(DomainError):
        claim_company(user, tax_code="0100109106", name="Công ty Qua Cửa Khác", is_it=True)


def test_public_pages_and_the_account_s_own_doors_stay_open(unconfirmed, db):
    client, user = unconfirmed
    assert client.get("/rounds/").status_code == 200
    assert post_form(client, "/verify/resend", token_from="/account/confirm").status_code == 302
    assert db.session.query(OutboxMessage).filter_by(to_address=user.email).count() == 1
    assert post_form(client, "/language", {"locale": "en"}, token_from="/account/confirm").status_code == 302
    assert post_form(client, "/logout", token_from="/account/confirm").status_code == 302
    assert client.get("/account/confirm").status_code == 302  # logged out: to the login page


def _link(db, to: str) -> str:
    message = db.session.query(OutboxMessage).filter_by(to_address=to).order_by(OutboxMessage.id.desc()).first()
    return re.search(r"http://localhost(/verify/\S+)", message.body_text).group(1)


def test_a_mistyped_address_is_corrected_and_the_old_link_stops_working(unconfirmed, make, db):
    client, user = unconfirmed
    post_form(client, "/verify/resend", token_from="/account/confirm")
    old_link = _link(db, user.email)
    taken = make.user(Role.FOUNDER)
    response = post_form(client, "/account/confirm", {"email": taken.email, "password": PASSWORD},
                         token_from="/account/confirm")
    assert response.status_code == 400  # another account's address
    response = post_form(client, "/account/confirm", {"email": "dung-dia-chi@vuonuom.example",
                                                      "password": "sai-mat-khau-roi"}, token_from="/account/confirm")
    assert response.status_code == 400  # the password proves it is the account's owner
    response = post_form(client, "/account/confirm", {"email": "Dung-Dia-Chi@vuonuom.example ",
                                                      "password": PASSWORD}, token_from="/account/confirm")
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.email == "dung-dia-chi@vuonuom.example" and user.email_verified_at is None
    assert client.get(old_link).status_code == 400
    new_link = _link(db, "dung-dia-chi@vuonuom.example")
    assert client.get(new_link).status_code == 302
    db.session.refresh(user)
    assert user.email_verified_at is not None
    # Confirmed, the account acts: its home opens, and the confirmation page sends it there.
    assert client.get("/home/founder").status_code == 200
    assert client.get("/account/confirm").status_code == 302
    usable = db.session.query(AccountToken).filter_by(user_id=user.id, used_at=None, revoked_at=None).count()
    assert usable == 0


def test_a_confirmed_account_cannot_change_its_address_through_this_door(make, login_as, db):
    client, user = login_as(Role.FOUNDER)
    response = post_form(client, "/account/confirm", {"email": "khac@vuonuom.example", "password": PASSWORD},
                         token_from="/account")
    assert response.status_code == 302
    assert db.session.get(User, user.id).email == user.email


def test_asking_for_the_link_again_ends_the_one_before(unconfirmed, db):
    client, user = unconfirmed
    post_form(client, "/verify/resend", token_from="/account/confirm")
    first = _link(db, user.email)
    post_form(client, "/verify/resend", token_from="/account/confirm")
    second = _link(db, user.email)
    assert first != second
    assert client.get(first).status_code == 400
    db.session.refresh(user)
    assert user.email_verified_at is None
    assert client.get(second).status_code == 302
    db.session.refresh(user)
    assert user.email_verified_at is not None
