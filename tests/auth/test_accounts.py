"""Founders register and verify their e-mail; admins invite; passwords are reset by e-mail."""

import re
from datetime import timedelta

import pytest

from incubator.auth.enums import Role, TokenPurpose
from incubator.auth.models import AccountToken, User
from incubator.db import utcnow
from incubator.mail.models import OutboxMessage, OutboxStatus
from incubator.partners.enums import PartnerKind
from tests.helpers import PASSWORD, login, post_form

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
    response = post_form(client, "/register", {"full_name": "Bùi Văn An", "email": "an@vuonuom.example",
                                               "password": GOOD, "confirm": "khac-nhau-roi"}, token_from="/register")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'value="Bùi Văn An"' in html and 'value="an@vuonuom.example"' in html


def test_registration_refuses_an_existing_address(client, make):
    user = make.user(Role.STAFF)
    response = post_form(client, "/register", {"full_name": "Ai Đó", "email": user.email.upper(),
                                               "password": GOOD, "confirm": GOOD}, token_from="/register")
    assert response.status_code == 400


def test_admin_invites_a_mentor_who_accepts_once(login_as, make, db, client_factory):
    admin_client, _admin = login_as(Role.ADMIN)
    misa = make.partner(name="MISA thử", kind=PartnerKind.SOFTWARE_COMPANY)
    # A mentor without a partner is refused with the reason.
    response = post_form(admin_client, "/admin/users/invite", {
        "full_name": "Phạm Thu Trang", "email": "trang@vuonuom.example", "roles": ["mentor"], "partner_id": 0,
        "locale": "en"}, token_from="/admin/users/invite")
    assert response.status_code == 400
    response = post_form(admin_client, "/admin/users/invite", {
        "full_name": "Phạm Thu Trang", "email": "trang@vuonuom.example", "roles": ["mentor", "reviewer"],
        "partner_id": misa.id, "locale": "en"}, token_from="/admin/users/invite")
    assert response.status_code == 302
    mail = db.session.query(OutboxMessage).filter_by(to_address="trang@vuonuom.example").one()
    assert "invites you" in mail.body_text  # written in the invitee's language (English here)

    link = _link_in_last_mail(db, "trang@vuonuom.example")
    guest = client_factory()
    assert guest.get(link).status_code == 200
    response = post_form(guest, link, {"full_name": "Phạm Thu Trang", "password": GOOD, "confirm": GOOD},
                         token_from=link)
    assert response.status_code == 302
    user = db.session.query(User).filter_by(email="trang@vuonuom.example").one()
    assert user.roles == {Role.MENTOR, Role.REVIEWER}
    assert user.partner_id == misa.id
    assert guest.get("/").headers["Location"] == "/home/reviewer"
    assert client_factory().get(link).status_code == 400  # single use


def test_expired_or_withdrawn_invitation_cannot_be_used(make, client, db):
    token, _row = make.invitation(expires_at=utcnow() - timedelta(minutes=1))
    assert client.get(f"/invitation/{token}").status_code == 400
    token2, row2 = make.invitation()
    row2.revoked_at = utcnow()
    db.session.commit()
    assert client.get(f"/invitation/{token2}").status_code == 400


def test_fund_manager_needs_a_fund_management_partner(login_as, make):
    admin_client, _ = login_as(Role.ADMIN)
    association = make.partner(kind=PartnerKind.ASSOCIATION)
    fund = make.partner(kind=PartnerKind.FUND_MANAGER)
    data = {"full_name": "Vũ Quỹ", "email": "quy@vuonuom.example", "roles": ["fund_manager"], "locale": "vi"}
    r = post_form(admin_client, "/admin/users/invite", {**data, "partner_id": association.id},
                  token_from="/admin/users/invite")
    assert r.status_code == 400
    r = post_form(admin_client, "/admin/users/invite", {**data, "partner_id": fund.id},
                  token_from="/admin/users/invite")
    assert r.status_code == 302


def test_founders_cannot_be_invited(login_as):
    admin_client, _ = login_as(Role.ADMIN)
    r = post_form(admin_client, "/admin/users/invite", {"full_name": "A", "email": "a@vuonuom.example",
                                                        "roles": ["founder"], "partner_id": 0, "locale": "vi"},
                  token_from="/admin/users/invite")
    assert r.status_code == 400


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


def test_admin_changes_roles_and_cannot_remove_own_admin_role(login_as, make, db):
    admin_client, admin = login_as(Role.ADMIN)
    person = make.user(Role.REVIEWER)
    r = post_form(admin_client, f"/admin/users/{person.id}", {"roles-roles": ["reviewer", "staff"],
                                                              "roles-partner_id": 0},
                  token_from=f"/admin/users/{person.id}")
    assert r.status_code == 302
    db.session.refresh(person)
    assert person.roles == {Role.REVIEWER, Role.STAFF}
    r = post_form(admin_client, f"/admin/users/{admin.id}", {"roles-roles": ["staff"], "roles-partner_id": 0},
                  token_from=f"/admin/users/{admin.id}")
    assert r.status_code == 400
    db.session.refresh(admin)
    assert Role.ADMIN in admin.roles


def test_admin_deactivates_and_reactivates_with_reason_audited(login_as, make, db):
    from incubator.audit.models import AuditEntry

    admin_client, _ = login_as(Role.ADMIN)
    person = make.user(Role.OFFICIAL)
    assert post_form(admin_client, f"/admin/users/{person.id}/deactivate", {"reason": ""}).status_code == 400
    assert post_form(admin_client, f"/admin/users/{person.id}/deactivate",
                     {"reason": "Chuyển công tác"}).status_code == 302
    db.session.refresh(person)
    assert person.active is False
    entry = db.session.query(AuditEntry).filter_by(action="user.deactivate").one()
    assert (entry.from_state, entry.to_state, entry.reason) == ("active", "inactive", "Chuyển công tác")
    assert post_form(admin_client, f"/admin/users/{person.id}/reactivate").status_code == 302
    db.session.refresh(person)
    assert person.active is True


def test_user_search_ignores_diacritics(login_as, make):
    admin_client, _ = login_as(Role.ADMIN)
    make.user(Role.STAFF, full_name="Nguyễn Thị Hằng")
    make.user(Role.STAFF, full_name="Trần Văn Bình")
    html = admin_client.get("/admin/users?q=nguyen+thi+hang").get_data(as_text=True)
    assert "Nguyễn Thị Hằng" in html and "Trần Văn Bình" not in html


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
