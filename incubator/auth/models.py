from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy import event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from incubator.auth.enums import ROLE_PRIORITY, ROLES_IN_AN_INCUBATOR, Role, TokenPurpose
from incubator.db import UTCDateTime, utcnow
from incubator.enums import enum_column
from incubator.extensions import db
from incubator.organisation.current import current_incubator_id, incubator_in_force
from incubator.text import fold


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    full_name: Mapped[str] = mapped_column(sa.String(200))
    name_folded: Mapped[str] = mapped_column(sa.String(200), index=True, default="")
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    active: Mapped[bool] = mapped_column(default=True)
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    locale: Mapped[str | None] = mapped_column(sa.String(5))
    partner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("partners.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Set by every administrative edit (roles, partner, activation), which also bumps version_id.
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version_id: Mapped[int] = mapped_column(default=1)

    role_rows: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )
    partner = relationship("Partner", lazy="joined")

    __mapper_args__ = {"version_id_col": version_id}

    @sa.orm.validates("full_name")
    def _fold_name(self, _key, value):
        self.name_folded = fold(value)
        return value

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    @property
    def roles(self) -> set[Role]:
        """The roles the person holds here: those held across the network (or in no incubator), and those held
        in the incubator this request or command works in (``organisation.current``): staff of HN2 are not
        staff while working in HN1. With a single incubator, every role."""
        here = incubator_in_force()
        return {r.role for r in self.role_rows if r.incubator_id is None or r.incubator_id == here}

    @property
    def roles_everywhere(self) -> set[Role]:
        """Every role the person holds, in any incubator."""
        return {r.role for r in self.role_rows}

    def roles_in(self, incubator_id: int | None) -> set[Role]:
        """The roles held in that incubator (None: those held across the network or in none)."""
        return {r.role for r in self.role_rows if r.incubator_id == incubator_id}

    @property
    def sorted_roles(self) -> list[Role]:
        mine = self.roles
        return [r for r in ROLE_PRIORITY if r in mine]

    @property
    def sorted_roles_everywhere(self) -> list[Role]:
        mine = self.roles_everywhere
        return [r for r in ROLE_PRIORITY if r in mine]

    @property
    def primary_role(self) -> Role | None:
        ordered = self.sorted_roles
        return ordered[0] if ordered else None

    def has_role(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class UserRole(db.Model):
    """A role a person holds: in one incubator (staff, reviewers, mentors, fund managers: ROLES_IN_AN_INCUBATOR),
    across the network (administrators, officials) or in none (founders). A person may hold the same role in
    several incubators, once in each."""

    __tablename__ = "user_roles"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "role", "incubator_id", name="uq_user_roles_user_role_incubator"),
        # Once across the network too (a unique constraint lets empty incubators repeat).
        sa.Index("uq_user_roles_network_role", "user_id", "role", unique=True,
                 sqlite_where=sa.text("incubator_id IS NULL"), postgresql_where=sa.text("incubator_id IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The incubator the role is held in; empty for a role held across the network (administrators, the
    # Department's officials) or in none (founders). A role held in an incubator given none takes the current
    # one (below).
    incubator_id: Mapped[int | None] = mapped_column(sa.ForeignKey("incubators.id"), index=True)

    user: Mapped[User] = relationship(back_populates="role_rows")


@event.listens_for(Session, "before_flush")
def _give_new_roles_their_incubator(session, _context, _instances) -> None:
    """A staff, reviewer, mentor or fund-manager role granted without an incubator is held in the current one
    (the only one, with a single incubator; else the one chosen, or "Choose the incubator")."""
    for obj in session.new:
        if isinstance(obj, UserRole) and obj.incubator_id is None and obj.role in ROLES_IN_AN_INCUBATOR:
            obj.incubator_id = current_incubator_id(session.connection())


class AccountToken(db.Model):
    """A single-use, expiring token sent by e-mail: invitation, e-mail verification or password reset.
    Only the SHA-256 of the token is stored."""

    __tablename__ = "account_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[TokenPurpose] = mapped_column(enum_column(TokenPurpose))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    email: Mapped[str] = mapped_column(sa.String(254), index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    payload: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user = relationship(User, foreign_keys=[user_id])
    created_by = relationship(User, foreign_keys=[created_by_id])

    def is_usable(self, now: datetime) -> bool:
        return self.used_at is None and self.revoked_at is None and self.expires_at > now


class WebSession(db.Model):
    """Server-side session: the cookie carries a random id; the row holds the data."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    sid_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    data: Mapped[str] = mapped_column(sa.Text, default="{}")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    ip_address: Mapped[str | None] = mapped_column(sa.String(45))
    user_agent: Mapped[str | None] = mapped_column(sa.String(300))


class LoginAttempt(db.Model):
    """Failed and successful logins, kept in the database so the limit holds across workers."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), index=True)
    ip_address: Mapped[str] = mapped_column(sa.String(45), index=True)
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    succeeded: Mapped[bool] = mapped_column(default=False)
