"""The audit log: one service records every change; nothing can edit or delete an entry."""

import pytest

from incubator.audit import services as audit
from incubator.audit.models import AuditEntry, AuditLogIsAppendOnly
from incubator.auth.enums import Role


def test_record_keeps_who_when_what_from_to_and_why(db, make):
    actor = make.user(Role.STAFF)
    company = make.company()
    entry = audit.record("company.status", company, from_state="applicant", to_state="tenant",
                         reason="Ký hợp đồng thuê", actor=actor)
    db.session.commit()
    stored = db.session.get(AuditEntry, entry.id)
    assert (stored.actor_id, stored.actor_email) == (actor.id, actor.email)
    assert (stored.object_type, stored.object_id, stored.object_label) == ("companies", str(company.id),
                                                                          company.name)
    assert (stored.from_state, stored.to_state, stored.reason) == ("applicant", "tenant", "Ký hợp đồng thuê")
    assert stored.at is not None and stored.at.tzinfo is not None


def test_entries_cannot_be_changed(db, make):
    entry = make.audit_entry()
    entry.reason = "sửa lại"
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.flush()
    db.session.rollback()


def test_entries_cannot_be_deleted(db, make):
    entry = make.audit_entry()
    db.session.delete(entry)
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.flush()
    db.session.rollback()
