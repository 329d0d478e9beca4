"""The reviewer's rule is written once, as a predicate on an assignment and as a where-clause for the lists: the
two agree on every assignment, whatever its state, for every user."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask_login import AnonymousUserMixin

from incubator.applications.enums import ApplicationStatus
from incubator.applications.models import Application
from incubator.auth.enums import Role
from incubator.reviews import assigning
from incubator.reviews.enums import AssignmentStatus
from incubator.reviews.models import Assignment
from incubator.reviews.permissions import (
    can_read_for_review,
    can_score,
    can_score_where,
    holds_assignment,
    holds_assignment_where,
)

RULES = [(holds_assignment, holds_assignment_where), (can_score, can_score_where)]


@pytest.fixture
def case(make):
    """One reviewer's assignments in every state, and another reviewer's."""
    reviewer, other = make.user(Role.REVIEWER), make.user(Role.REVIEWER)
    first = make.review_stage()
    second = make.review_stage(intake_round=first.round, position=2)

    def entry(stage=first, **kw):
        return make.stage_entry(stage, **kw)

    confirmed = entry()
    a = {
        "confirmed": make.assignment(confirmed, reviewer),
        "other stage": make.assignment(make.stage_entry(second, confirmed.application), reviewer,
                                       status=AssignmentStatus.ASSIGNED),
        "other reviewer": make.assignment(confirmed, other),
        "assigned": make.assignment(entry(), reviewer, status=AssignmentStatus.ASSIGNED),
        "recused": make.assignment(entry(), reviewer, status=AssignmentStatus.RECUSED),
        "withdrawn": make.assignment(entry(), reviewer, status=AssignmentStatus.WITHDRAWN),
    }
    declared = entry()
    a["conflict declared"] = make.assignment(declared, reviewer)
    assigning.record_conflict(reviewer, declared.application.company, kind="employer", reason="Tôi làm ở đây",
                              actor=reviewer, refill=False)
    withdrawn_application = make.application(intake_round=first.round, status=ApplicationStatus.WITHDRAWN,
                                             reference="VU-2026-9999")
    a["application withdrawn"] = make.assignment(entry(application=withdrawn_application), reviewer)
    return {"reviewer": reviewer, "other": other, "staff": make.user(Role.STAFF), "assignments": a}


def test_the_predicate_and_the_where_clause_agree(case, db):
    everyone = [case["reviewer"], case["other"], case["staff"], AnonymousUserMixin()]
    assignments = list(case["assignments"].values())
    for predicate, where in RULES:
        for user in everyone:
            in_sql = set(db.session.scalars(
                sa.select(Assignment.id).join(Application, Application.id == Assignment.application_id)
                .where(where(user))))
            in_python = {a.id for a in assignments if predicate(user, a)}
            assert in_python == in_sql, (predicate.__name__, user)


def test_the_reviewer_scores_only_through_a_confirmed_current_assignment_of_theirs(case):
    a, reviewer = case["assignments"], case["reviewer"]
    assert a["conflict declared"].status is AssignmentStatus.RECUSED
    assert {name for name, x in a.items() if can_score(reviewer, x)} == {"confirmed"}
    assert {name for name, x in a.items() if holds_assignment(reviewer, x)} == {"confirmed", "other stage",
                                                                                 "assigned"}
    assert {name for name, x in a.items() if can_score(case["other"], x)} == {"other reviewer"}
    assert not any(can_score(case["staff"], x) for x in a.values())


def test_the_reviewer_reads_an_application_only_through_an_assignment_they_may_score(case):
    a, reviewer = case["assignments"], case["reviewer"]
    readable = {name for name, x in a.items() if can_read_for_review(reviewer, x.application)}
    assert readable == {"confirmed", "other stage", "other reviewer"}  # the same application
    assert not can_read_for_review(case["staff"], a["confirmed"].application)
    assert not can_read_for_review(AnonymousUserMixin(), a["confirmed"].application)
