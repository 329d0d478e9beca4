"""An administrator changes a person's roles (never their own admin role) and deactivates or reactivates an
account, the reason audited; the services behind the pages refuse, writing nothing, whoever calls them."""

import pytest

from incubator.audit.models import AuditEntry
from incubator.auth import services
from incubator.auth.enums import Role
from incubator.errors import Conflict, DomainError
from tests.helpers import nothing_written, post_form


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


# ---- The services the pages call, refusing whoever calls them ---------------------------------------------

def test_an_administrator_cannot_deactivate_their_own_account_nor_one_twice_nor_reactivate_an_active_one(make, db):
    admin, person = make.user(Role.ADMIN), make.user(Role.STAFF)
    for call in (lambda: services.deactivate(admin, admin, "Tự khóa"),
                 lambda: services.reactivate(admin, person)):
        with nothing_written(), pytest.raises(DomainError):
            call()
        db.session.rollback()
    services.deactivate(admin, person, "Nghỉ việc")
    db.session.commit()
    with nothing_written(), pytest.raises(DomainError):
        services.deactivate(admin, person, "Lần nữa")
    db.session.rollback()


def test_roles_need_one_at_least_and_a_partner_only_for_those_who_belong_to_one(make, db):
    admin, person = make.user(Role.ADMIN), make.user(Role.REVIEWER)
    partner = make.partner()
    cases = [((), None, "roles"), ((Role.OFFICIAL,), partner, "partner_id"), ((Role.MENTOR,), None, "partner_id"),
             ((Role.STAFF,), None, "roles")]
    for roles, chosen, field in cases:
        who = admin if field == "roles" and roles else person  # the last: an admin dropping their own role
        with nothing_written(str(roles)), pytest.raises(DomainError) as refused:
            services.set_roles(admin, who, roles, chosen, version=who.version_id)
        assert refused.value.field == field, roles
        db.session.rollback()
    with nothing_written(), pytest.raises(Conflict):
        services.set_roles(admin, person, (Role.STAFF,), None, version=person.version_id + 1)
    db.session.rollback()


def test_a_change_of_roles_is_audited_and_the_same_roles_again_record_nothing(make, db):
    admin, person = make.user(Role.ADMIN), make.user(Role.REVIEWER)
    partner = make.partner()
    services.set_roles(admin, person, (Role.MENTOR, Role.REVIEWER), partner, version=person.version_id)
    db.session.commit()
    entry = db.session.query(AuditEntry).filter_by(action="user.roles").one()
    assert (entry.from_state, entry.to_state, entry.actor_id) == ("reviewer", "mentor,reviewer", admin.id)
    assert entry.details == {"partner_from": None, "partner_to": partner.id}
    with nothing_written():
        services.set_roles(admin, person, (Role.REVIEWER, Role.MENTOR), partner, version=person.version_id)
        db.session.commit()


def test_an_invitation_used_or_withdrawn_cannot_be_withdrawn_again(make, db):
    admin = make.user(Role.ADMIN)
    _token, row = make.invitation()
    services.revoke_invitation(admin, row)
    db.session.commit()
    with nothing_written(), pytest.raises(DomainError):
        services.revoke_invitation(admin, row)
    db.session.rollback()
    assert db.session.query(AuditEntry).filter_by(action="invitation.revoke").count() == 1
