"""An administrator changes a person's roles (never their own admin role) and deactivates or reactivates an
account, the reason audited."""

from incubator.auth.enums import Role
from tests.helpers import post_form


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
