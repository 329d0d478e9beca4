"""Administrators invite people: the invitation names the roles in the invitee's language and opens in it, is used
once, expires or is withdrawn; founders are not invited, and only mentors, fund managers (of a fund) and reviewers
belong to a partner."""

import re
from datetime import timedelta

from incubator.auth.enums import Role
from incubator.auth.models import User
from incubator.db import utcnow
from incubator.mail.models import OutboxMessage
from incubator.partners.enums import PartnerKind
from tests.helpers import nothing_written, post_form

GOOD = "Pho-co-Hang-Bac-2026"


def test_the_invitation_names_the_roles_in_the_invitees_language(login_as, db):
    admin, _ = login_as(Role.ADMIN)
    post_form(admin, "/admin/users/invite", {"full_name": "Ms Official", "email": "official@vuonuom.example",
                                             "roles": ["official"], "partner_id": 0, "locale": "en"},
              token_from="/admin/users/invite")
    body = db.session.query(OutboxMessage).one().body_text
    assert "Department official" in body and "Cán bộ" not in body


def test_the_invitation_page_opens_in_the_invitations_language(make, client):
    token, _row = make.invitation(roles=("official",))
    _row.payload = {**_row.payload, "locale": "en"}
    from incubator.extensions import db

    db.session.commit()
    assert 'lang="en"' in client.get(f"/invitation/{token}").get_data(as_text=True)


def test_only_mentors_fund_managers_and_reviewers_belong_to_a_partner(login_as, make):
    admin, _ = login_as(Role.ADMIN)
    misa = make.partner(kind=PartnerKind.SOFTWARE_COMPANY)
    data = {"full_name": "Cán Bộ Sở", "email": "so@vuonuom.example", "partner_id": misa.id, "locale": "vi"}
    with nothing_written():
        assert post_form(admin, "/admin/users/invite", {**data, "roles": ["official"]},
                         token_from="/admin/users/invite").status_code == 400
    assert post_form(admin, "/admin/users/invite", {**data, "roles": ["reviewer"]},
                     token_from="/admin/users/invite").status_code == 302


def _link_in_last_mail(db, to: str) -> str:
    message = db.session.query(OutboxMessage).filter_by(to_address=to).order_by(OutboxMessage.id.desc()).first()
    assert message is not None, f"no mail to {to}"
    match = re.search(r"http://localhost(/\S+)", message.body_text)
    assert match, message.body_text
    return match.group(1)


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
    with nothing_written():
        r = post_form(admin_client, "/admin/users/invite", {**data, "partner_id": association.id},
                      token_from="/admin/users/invite")
        assert r.status_code == 400
    r = post_form(admin_client, "/admin/users/invite", {**data, "partner_id": fund.id},
                  token_from="/admin/users/invite")
    assert r.status_code == 302


def test_founders_cannot_be_invited(login_as):
    admin_client, _ = login_as(Role.ADMIN)
    with nothing_written():
        r = post_form(admin_client, "/admin/users/invite", {"full_name": "A", "email": "a@vuonuom.example",
                                                            "roles": ["founder"], "partner_id": 0, "locale": "vi"},
                      token_from="/admin/users/invite")
        assert r.status_code == 400
