"""Read-side queries on accounts."""

from __future__ import annotations

import sqlalchemy as sa

from incubator.auth.enums import Role
from incubator.auth.models import User, UserRole
from incubator.extensions import db
from incubator.organisation.current import incubator_in_force


def holds_role_here(*roles: Role, incubator_id: int | None = None):
    """A condition on ``User``: the person holds one of ``roles`` across the network or in the incubator
    (default: the one this request or command works in, as ``User.roles`` counts them)."""
    here = incubator_id if incubator_id is not None else incubator_in_force()
    return sa.select(UserRole.user_id).where(
        UserRole.user_id == User.id, UserRole.role.in_([Role(r) for r in roles]),
        sa.or_(UserRole.incubator_id.is_(None), UserRole.incubator_id == here)).exists()


def active_with_role(role: Role, incubator_id: int | None = None) -> list[User]:
    """The people who hold ``role`` now and can act on what they are told: an active account with a confirmed
    address (mail to staff about a dispute, to the Department's officials about a report …). A role held in
    an incubator counts in ``incubator_id`` (default: the current one)."""
    return list(db.session.scalars(sa.select(User).where(
        User.active.is_(True), User.email_verified_at.is_not(None), holds_role_here(role, incubator_id=incubator_id))
        .order_by(User.id)))


def active_holding(*roles: Role, incubator_id: int | None = None) -> sa.Select:
    """A statement of the active people holding one of ``roles`` here (the lists staff choose reviewers, mentors
    or staff from), by name."""
    return sa.select(User).where(User.active.is_(True), holds_role_here(*roles, incubator_id=incubator_id)) \
        .order_by(User.full_name, User.id)


def incubators_of(user) -> set[int] | None:
    """The incubators the person may act in: None when they hold a role across the network (administrators,
    the Department's officials: every incubator); else the ids of the incubators where they hold a role (an
    empty set for a founder, who belongs to none)."""
    ids = set()
    for row in user.role_rows:
        if row.incubator_id is not None:
            ids.add(row.incubator_id)
        elif row.role is not Role.FOUNDER:
            # Administrators and officials (NETWORK_ROLES); a role of ROLES_IN_AN_INCUBATOR held in no incubator
            # counts everywhere too, as User.roles counts it.
            return None
    return ids
