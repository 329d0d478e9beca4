"""A startup that leaves its cohort leaves its mentors: cohorts tells (its member_left signal), mentoring ends
each assignment still running, by the person who recorded the leaving, in the same change; an extension ends
none."""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa

from incubator.audit.models import AuditEntry
from incubator.auth.enums import Role
from incubator.cohorts import services
from incubator.cohorts.enums import MemberStatus


def _unassigned(db):
    return db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "mentor.unassign")).all()


def test_leaving_ends_the_running_assignments_by_the_same_person(make, db):
    staff = make.user(Role.STAFF)
    cohort = services.create_cohort(actor=staff, name="Khóa 2025", starts_on=date(2025, 1, 1),
                                    ends_on=date(2025, 6, 30))
    leaving, other = (services.admit(cohort, make.company(), actor=staff) for _ in range(2))
    running = [make.mentor_assignment(member=leaving) for _ in range(2)]
    ended_before = make.mentor_assignment(member=leaving, ended_at=datetime(2025, 2, 1, tzinfo=UTC))
    elsewhere = make.mentor_assignment(member=other)
    db.session.commit()

    services.leave(leaving, MemberStatus.WITHDRAWN, on=date(2025, 3, 31), actor=staff)
    # Ended in the same change, before any commit.
    assert all(a.ended_at is not None for a in running)
    db.session.commit()

    entries = _unassigned(db)
    assert sorted(int(e.object_id) for e in entries) == sorted(a.id for a in running)
    assert {e.actor_id for e in entries} == {staff.id}
    assert ended_before.ended_at.replace(tzinfo=UTC) == datetime(2025, 2, 1, tzinfo=UTC)
    assert elsewhere.ended_at is None


def test_an_extension_keeps_the_mentors(make, db):
    staff = make.user(Role.STAFF)
    cohort = services.create_cohort(actor=staff, name="Khóa 2025", starts_on=date(2025, 1, 1),
                                    ends_on=date(2025, 6, 30))
    member = services.admit(cohort, make.company(), actor=staff)
    assignment = make.mentor_assignment(member=member)
    db.session.commit()

    services.leave(member, MemberStatus.EXTENDED, on=date(2025, 6, 30), actor=staff, extended_to=date(2025, 12, 31))
    db.session.commit()
    assert assignment.ended_at is None
    assert _unassigned(db) == []
