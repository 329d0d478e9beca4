"""Who may do what in a review. Views, templates and queries use these predicates."""

from __future__ import annotations

import sqlalchemy as sa

from incubator.auth.enums import Role
from incubator.auth.permissions import is_staff
from incubator.extensions import db
from incubator.reviews.enums import AssignmentStatus


def can_manage_reviews(user) -> bool:
    """Stages, rubric, panel, assignments, conflicts, ranking and decisions are the staff's."""
    return is_staff(user)


def can_use_review_desk(user) -> bool:
    """Reviewers, and staff who sit on a panel."""
    return bool(user is not None and user.is_authenticated and user.has_role(Role.REVIEWER, Role.STAFF, Role.ADMIN))


def can_score(user, assignment) -> bool:
    """Only the reviewer it was given to, once they have said they have no conflict, and while it lasts."""
    return (assignment.reviewer_id == getattr(user, "id", None)
            and assignment.status is AssignmentStatus.CONFIRMED)


def can_read_for_review(user, application) -> bool:
    """A reviewer reads an application (and its documents) only through a confirmed, current assignment."""
    from incubator.applications.enums import ApplicationStatus
    from incubator.reviews.models import Assignment

    if user is None or not user.is_authenticated or application.status is ApplicationStatus.WITHDRAWN:
        return False
    return db.session.scalar(sa.select(Assignment.id).where(
        Assignment.application_id == application.id, Assignment.reviewer_id == user.id,
        Assignment.status == AssignmentStatus.CONFIRMED).limit(1)) is not None


def register(app) -> None:
    app.jinja_env.globals.update(can_manage_reviews=can_manage_reviews, can_use_review_desk=can_use_review_desk)
