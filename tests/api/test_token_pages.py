"""The API tokens' pages: administrators and officials make tokens (shown once), list and revoke theirs;
administrators see and revoke everyone's; nobody else opens them."""

from __future__ import annotations

import re

import sqlalchemy as sa

from incubator.api.enums import SCOPES
from incubator.api.models import ApiToken
from incubator.audit.models import AuditEntry
from incubator.auth.enums import Role
from incubator.organisation import services as organisation
from tests.helpers import csrf_token, nothing_written


def _make(client, **data):
    token = csrf_token(client, "/account/api-tokens/new")
    form = {"csrf_token": token, "name": "Hệ thống báo cáo", "days": "30", "resources": list(SCOPES), **data}
    return client.post("/account/api-tokens/new", data=form)


def _secret(response) -> str:
    return re.search(r'id="token-secret"[^>]*value="(ivn_[^"]+)"', response.get_data(as_text=True)).group(1)


def test_an_official_makes_a_token_shown_once_that_works(login_as, db, api):
    client, official = login_as(Role.OFFICIAL)
    page = client.get("/account/api-tokens/")
    assert page.status_code == 200 and 'id="tokens"' in page.get_data(as_text=True)
    response = _make(client, resources=["incubators", "targets"])
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    secret = _secret(response)
    token = db.session.scalar(sa.select(ApiToken))
    assert token.owner_id == official.id and token.resources == ["incubators", "targets"]
    assert token.secret_hash != secret and secret not in repr(db.session.execute(sa.select(ApiToken.__table__)).all())
    assert api(secret).get("/api/v1/incubators").status_code == 200
    # Shown once: the list shows its first characters only.
    listing = client.get("/account/api-tokens/").get_data(as_text=True)
    assert token.prefix in listing and secret not in listing
    assert db.session.scalar(sa.select(AuditEntry.action).where(AuditEntry.object_type == "api_tokens")) \
        == "api_token.create"


def test_the_form_keeps_what_was_typed_and_refuses_bad_input(login_as, db):
    client, _official = login_as(Role.OFFICIAL)
    assert _make(client, name="mine").status_code == 200
    for data in ({"name": "mine"}, {"name": ""}, {"days": "0"}, {"days": str(2**70)}, {"resources": []},
                 {"resources": ["salaries"]}, {"incubators": ["999999"]}, {"name": "a\x00b"}):
        with nothing_written():
            response = _make(client, **data)
        assert response.status_code == 400, data
    assert db.session.scalar(sa.select(sa.func.count(ApiToken.id))) == 1


def test_incubators_ticked_limit_the_token(login_as, db, api):
    hn2 = organisation.create("HN2", "Vườn ươm thứ hai", "Second")
    db.session.commit()
    client, _ = login_as(Role.ADMIN)
    secret = _secret(_make(client, incubators=[str(hn2.id)]))
    assert db.session.scalar(sa.select(ApiToken.incubator_ids)) == [hn2.id]
    assert [i["code"] for i in api(secret).get("/api/v1/incubators").get_json()["items"]] == ["HN2"]


def test_revoking_stops_the_token_and_is_audited(login_as, db, api):
    client, _ = login_as(Role.OFFICIAL)
    secret = _secret(_make(client))
    token = db.session.scalar(sa.select(ApiToken))
    response = client.post(f"/account/api-tokens/{token.id}/revoke",
                           data={"csrf_token": csrf_token(client, "/account/api-tokens/")})
    assert response.status_code == 302
    assert api(secret).get("/api/v1/incubators").status_code == 401
    assert db.session.get(ApiToken, token.id).revoked_at is not None
    assert "api_token.revoke" in db.session.scalars(sa.select(AuditEntry.action)).all()


def test_revoking_needs_the_csrf_token(login_as, db):
    client, _ = login_as(Role.OFFICIAL)
    _make(client)
    token = db.session.scalar(sa.select(ApiToken))
    with nothing_written():
        assert client.post(f"/account/api-tokens/{token.id}/revoke").status_code == 400
    assert db.session.get(ApiToken, token.id).revoked_at is None


def test_an_official_sees_and_revokes_only_their_own_an_administrator_everyones(login_as, db, new_token, make):
    other = make.user(Role.OFFICIAL)
    new_token(other, "someone else's")
    theirs = db.session.scalar(sa.select(ApiToken))
    client, _ = login_as(Role.OFFICIAL)
    assert "someone else" not in client.get("/account/api-tokens/").get_data(as_text=True)
    with nothing_written():
        response = client.post(f"/account/api-tokens/{theirs.id}/revoke",
                               data={"csrf_token": csrf_token(client, "/account/api-tokens/")})
    assert response.status_code == 404
    admin, _ = login_as(Role.ADMIN)
    page = admin.get("/account/api-tokens/").get_data(as_text=True)
    assert "someone else" in page and other.email in page
    response = admin.post(f"/account/api-tokens/{theirs.id}/revoke",
                          data={"csrf_token": csrf_token(admin, "/account/api-tokens/")})
    assert response.status_code == 302
    assert db.session.get(ApiToken, theirs.id).revoked_at is not None


def test_founders_staff_and_the_others_cannot_make_tokens(login_as, db):
    for role in (Role.FOUNDER, Role.STAFF, Role.REVIEWER, Role.MENTOR, Role.FUND_MANAGER):
        client, _ = login_as(role)
        assert client.get("/account/api-tokens/").status_code == 403
        with nothing_written():
            response = client.post("/account/api-tokens/new", data={"csrf_token": csrf_token(client),
                                                                     "name": "x", "days": "5",
                                                                     "resources": ["targets"]})
        assert response.status_code == 403, role
    assert db.session.scalar(sa.select(sa.func.count(ApiToken.id))) == 0


def test_the_menu_offers_the_page_to_administrators_and_officials_only(login_as):
    for role, shown in ((Role.ADMIN, True), (Role.OFFICIAL, True), (Role.STAFF, False), (Role.FOUNDER, False)):
        client, _ = login_as(role)
        assert ('id="menu-api-tokens"' in client.get("/account").get_data(as_text=True)) is shown, role
