"""Rules found by trying the application as its users would."""

import re

from incubator.auth.enums import Role
from incubator.mail.models import OutboxMessage
from incubator.partners.enums import PartnerKind
from tests.helpers import PASSWORD, login, post_form

GOOD = "Pho-co-Hang-Bac-2026"


def test_staff_reading_the_outbox_never_see_a_link_that_opens_an_account(login_as, make, client_factory, db):
    victim = make.user(Role.ADMIN)
    assert post_form(client_factory(), "/password/forgot", {"email": victim.email}).status_code == 302
    message = db.session.query(OutboxMessage).filter_by(to_address=victim.email).one()
    token = re.search(r"/password/reset/(\S+)", message.body_text).group(1)
    staff, _ = login_as(Role.STAFF)
    html = staff.get(f"/outbox/{message.id}").get_data(as_text=True)
    assert token not in html and "/password/reset/••••••" in html


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
    assert post_form(admin, "/admin/users/invite", {**data, "roles": ["official"]},
                     token_from="/admin/users/invite").status_code == 400
    assert post_form(admin, "/admin/users/invite", {**data, "roles": ["reviewer"]},
                     token_from="/admin/users/invite").status_code == 302


def test_a_language_chosen_before_logging_in_is_kept_for_the_person(make, client, db):
    user = make.user(Role.OFFICIAL)
    post_form(client, "/language", {"locale": "en"})
    login(client, user)
    db.session.refresh(user)
    assert user.locale == "en"
