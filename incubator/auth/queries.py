"""Read-side queries on accounts."""

from __future__ import annotations

import sqlalchemy as sa

from incubator.auth.enums import Role
from incubator.auth.models import User, UserRole
from incubator.extensions import db


def active_with_role(role: Role) -> list[User]:
    """The people who hold ``role`` now and can act on what they are told: an active account with a confirmed
    address (mail to staff about a dispute, to the Department's officials about a report …)."""
    holds = sa.select(UserRole.user_id).where(UserRole.user_id == User.id, UserRole.role == Role(role))
    return list(db.session.scalars(sa.select(User).where(User.active.is_(True), User.email_verified_at.is_not(None),
                                                         holds.exists()).order_by(User.id)))
