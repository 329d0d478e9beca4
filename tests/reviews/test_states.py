"""Assignments and reviews change state through one door each, which lets through only the transitions of their
tables (those the review makes: confirm, recuse, withdraw, give again a withdrawn one; submit a draft) and
records each in the audit log."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from incubator.audit.models import AuditEntry
from incubator.auth.enums import Role
from incubator.errors import DomainError
from incubator.reviews import assigning, scoring
from incubator.reviews.enums import ASSIGNMENT_TRANSITIONS, REVIEW_TRANSITIONS, AssignmentStatus, ReviewStatus

A = AssignmentStatus
PAIRS = [(a, b) for a in AssignmentStatus for b in AssignmentStatus]


def test_the_tables_hold_the_transitions_the_review_makes():
    assert {(a, b) for a, targets in ASSIGNMENT_TRANSITIONS.items() for b in targets} == {
        (A.ASSIGNED, A.CONFIRMED), (A.ASSIGNED, A.RECUSED), (A.ASSIGNED, A.WITHDRAWN),
        (A.CONFIRMED, A.RECUSED), (A.CONFIRMED, A.WITHDRAWN), (A.WITHDRAWN, A.ASSIGNED)}
    assert {ReviewStatus.DRAFT: {ReviewStatus.SUBMITTED}, ReviewStatus.SUBMITTED: set()} == REVIEW_TRANSITIONS


@pytest.mark.parametrize(("before", "to"), PAIRS, ids=[f"{a.value}-{b.value}" for a, b in PAIRS])
def test_an_assignment_changes_state_only_as_its_table_allows(make, db, before, to):
    staff = make.user(Role.STAFF)
    a = make.assignment(status=before)
    if to not in ASSIGNMENT_TRANSITIONS[before]:
        with pytest.raises(DomainError):
            assigning.change_assignment_status(a, to, actor=staff, action="review.assignment.withdraw")
        assert a.status is before
        return
    assigning.change_assignment_status(a, to, actor=staff, action="review.assignment.withdraw")
    assert a.status is to
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.object_type == "review_assignments",
                                                          AuditEntry.object_id == str(a.id)))
    assert (entry.from_state, entry.to_state) == (before.value, to.value)
    assert (a.ended_at is None) is (to in (A.ASSIGNED, A.CONFIRMED))


def test_a_submitted_review_is_not_submitted_again(make):
    review = make.review()
    with pytest.raises(DomainError):
        scoring.change_review_status(review, ReviewStatus.SUBMITTED, actor=review.assignment.reviewer,
                                     now=review.submitted_at, criteria=review.assignment.stage.criteria)
