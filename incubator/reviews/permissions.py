"""Who may do what in a review. Views, templates and queries use these predicates."""

from __future__ import annotations

import sqlalchemy as sa

from incubator.applications.enums import ApplicationStatus
from incubator.applications.models import Application
from incubator.auth.enums import Role
from incubator.auth.permissions import is_staff
from incubator.extensions import db
from incubator.reviews.enums import ACTIVE_ASSIGNMENT, AssignmentStatus, ReviewStatus
from incubator.reviews.models import Assignment, Review, StageEntry

# ---- The reviewer's rule ------------------------------------------------------------------------------------
# Written once, as a predicate on an assignment and, beside it, the same rule as a where-clause over Assignment
# joined to its Application, for the lists and queries (tests/reviews/test_reviewer_rule.py checks they agree).
# An assignment is the reviewer's own while it is given to them, neither recused nor withdrawn, and its
# application is not withdrawn by its founders: it is on their desk, where they say whether they have a conflict.
# Through it they read and score the application once they have declared none (confirmed).


def holds_assignment(user, assignment) -> bool:
    """The assignment is the user's own, current one (given or confirmed; its application not withdrawn)."""
    return (assignment.reviewer_id == getattr(user, "id", None) and assignment.status in ACTIVE_ASSIGNMENT
            and assignment.application.status is not ApplicationStatus.WITHDRAWN)


def holds_assignment_where(user):
    """``holds_assignment`` in SQL, over Assignment joined to its Application."""
    return sa.and_(Assignment.reviewer_id == getattr(user, "id", None), Assignment.status.in_(ACTIVE_ASSIGNMENT),
                   Application.status != ApplicationStatus.WITHDRAWN)


def can_score(user, assignment) -> bool:
    """The reviewer's rule: only the reviewer the application was given to reads and scores it, once they have
    said they have no conflict, and while the assignment lasts (not recused, not withdrawn, nor the application)."""
    return holds_assignment(user, assignment) and assignment.status is AssignmentStatus.CONFIRMED


def can_score_where(user):
    """``can_score`` in SQL, over Assignment joined to its Application."""
    return sa.and_(holds_assignment_where(user), Assignment.status == AssignmentStatus.CONFIRMED)


def can_manage_reviews(user) -> bool:
    """Stages, rubric, panel, assignments, conflicts, ranking and decisions are the staff's."""
    return is_staff(user)


def reviews_due(user, stage) -> int:
    """How many of the stage's applications given to ``user`` still wait for their submitted review (withdrawn
    and decided ones are no longer due). One query."""
    return db.session.scalar(
        sa.select(sa.func.count(Assignment.id)).join(Application, Application.id == Assignment.application_id)
        .outerjoin(Review, Review.assignment_id == Assignment.id)
        .where(Assignment.stage_id == stage.id, holds_assignment_where(user),
               sa.or_(Review.id.is_(None), Review.status != ReviewStatus.SUBMITTED),
               sa.exists().where(StageEntry.stage_id == Assignment.stage_id,
                                 StageEntry.application_id == Assignment.application_id,
                                 StageEntry.decision.is_(None)))) or 0


def can_see_ranking(user, stage) -> bool:
    """Staff see a stage's ranking, its reviews and decide on it; when the stage keeps its panel's staff blind,
    a staff member on the panel does only once their own reviews in it are all submitted."""
    if not can_manage_reviews(user):
        return False
    return not stage.blind_panel_staff or reviews_due(user, stage) == 0


def can_use_review_desk(user) -> bool:
    """Reviewers, and staff who sit on a panel."""
    return bool(user is not None and user.is_authenticated and user.has_role(Role.REVIEWER, Role.STAFF, Role.ADMIN))


def can_read_for_review(user, application) -> bool:
    """A reviewer reads an application (and its documents) only through an assignment they may score."""
    if user is None or not user.is_authenticated or application.status is ApplicationStatus.WITHDRAWN:
        return False
    return db.session.scalar(
        sa.select(Assignment.id).join(Application, Application.id == Assignment.application_id)
        .where(Assignment.application_id == application.id, can_score_where(user)).limit(1)) is not None


def register(app) -> None:
    from incubator.applications.permissions import add_application_reader

    add_application_reader(can_read_for_review)  # a reviewer reads the documents of what they may score
    app.jinja_env.globals.update(can_manage_reviews=can_manage_reviews, can_use_review_desk=can_use_review_desk)
