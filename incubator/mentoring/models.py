"""Partners' agreements, mentors' profiles, mentors assigned to startups in a cohort, mentoring sessions,
and private calendar feeds."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from incubator.db import UTCDateTime, utcnow
from incubator.enums import enum_column
from incubator.extensions import db
from incubator.mentoring.enums import SessionMode, SessionStatus
from incubator.organisation.models import IncubatorScoped

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")  # no summer time: the month is the same whatever the year


class Agreement(IncubatorScoped, db.Model):
    """A cooperation agreement with a partner: the programme, its dates, scope and commitments."""

    __tablename__ = "partner_agreements"

    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(sa.ForeignKey("partners.id"), index=True)
    programme: Mapped[str] = mapped_column(sa.String(300))
    starts_on: Mapped[date]
    ends_on: Mapped[date | None]
    scope: Mapped[str | None] = mapped_column(sa.Text)
    mentoring_hours: Mapped[int | None]  # committed for the agreement's whole period
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version_id: Mapped[int] = mapped_column(default=1, server_default="1")

    partner = relationship("Partner")

    __mapper_args__ = {"version_id_col": version_id}

    __table_args__ = (
        sa.CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="ends_after_start"),
        sa.CheckConstraint("mentoring_hours IS NULL OR mentoring_hours >= 0", name="hours_positive"),
    )


class MentorProfile(db.Model):
    __tablename__ = "mentor_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), unique=True)
    topics: Mapped[list] = mapped_column(sa.JSON, default=list)
    languages: Mapped[list] = mapped_column(sa.JSON, default=list)
    bio: Mapped[str | None] = mapped_column(sa.Text)
    capacity: Mapped[int] = mapped_column(default=3)  # startups at once
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    user = relationship("User")

    __table_args__ = (sa.CheckConstraint("capacity >= 0", name="capacity_positive"),)


class MentorAssignment(IncubatorScoped, db.Model):
    """A mentor paired with a startup for its cohort; only then may they meet it in the system."""

    __tablename__ = "mentor_assignments"
    __incubator_from__ = "member"

    id: Mapped[int] = mapped_column(primary_key=True)
    mentor_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("cohort_members.id"), index=True)
    assigned_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    mentor = relationship("User", foreign_keys=[mentor_id])
    member = relationship("CohortMember")

    __table_args__ = (sa.UniqueConstraint("mentor_id", "member_id", name="uq_mentor_assignments_pair"),)


class MentoringSession(IncubatorScoped, db.Model):
    __tablename__ = "mentoring_sessions"
    __incubator_from__ = ("assignment", "cohort")

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(sa.ForeignKey("mentor_assignments.id"), index=True)
    mentor_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    # Copied from the assignment when logged, so hours stay credited as they were earned.
    partner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("partners.id"), index=True)
    company_id: Mapped[int] = mapped_column(sa.ForeignKey("companies.id"), index=True)
    cohort_id: Mapped[int] = mapped_column(sa.ForeignKey("cohorts.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    # The Hà Nội month the session starts in ("2026-03"), kept from starts_at (see _keep_local_month) so that
    # hours are summed by month from an index rather than by working out every session's month.
    local_month: Mapped[str] = mapped_column(sa.String(7))
    minutes: Mapped[int]
    mode: Mapped[SessionMode] = mapped_column(enum_column(SessionMode))
    place: Mapped[str | None] = mapped_column(sa.String(300))
    link: Mapped[str | None] = mapped_column(sa.String(500))
    topics: Mapped[list] = mapped_column(sa.JSON, default=list)
    notes: Mapped[str | None] = mapped_column(sa.Text)  # the mentor's and the staff's only
    action_items: Mapped[str | None] = mapped_column(sa.Text)  # shown to the founders
    status: Mapped[SessionStatus] = mapped_column(enum_column(SessionStatus), default=SessionStatus.SCHEDULED,
                                                  index=True)
    dispute_reason: Mapped[str | None] = mapped_column(sa.String(1000))
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sequence: Mapped[int] = mapped_column(default=0)  # the iCalendar SEQUENCE: raised on each change
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version_id: Mapped[int] = mapped_column(default=1)

    assignment: Mapped[MentorAssignment] = relationship()
    mentor = relationship("User", foreign_keys=[mentor_id])
    partner = relationship("Partner")
    company = relationship("Company")
    cohort = relationship("Cohort")

    __mapper_args__ = {"version_id_col": version_id}
    __table_args__ = (
        sa.CheckConstraint("minutes > 0 AND minutes <= 720", name="minutes_range"),
        # A partner's hours by month, by startup and by mentor, each read in the index's order (covering, the
        # incubator included: staff of one incubator read its sessions alone, from the index only).
        sa.Index("ix_mentoring_sessions_partner_month", "partner_id", "status", "incubator_id", "local_month",
                 "minutes"),
        sa.Index("ix_mentoring_sessions_partner_company", "partner_id", "status", "incubator_id", "company_id",
                 "minutes"),
        sa.Index("ix_mentoring_sessions_partner_mentor", "partner_id", "status", "incubator_id", "mentor_id",
                 "minutes"),
        # A mentor's own hours by partner.
        sa.Index("ix_mentoring_sessions_mentor_hours", "mentor_id", "partner_id", "status", "minutes"),
        # Confirmed hours of a period by partner (the report to the Department, the staff's hours page). Led by
        # the status, as ix_mentoring_sessions_status is: SQLite's planner, without statistics, prefers an
        # equality to a range, and took that one, reading every confirmed session, when this began with the time.
        sa.Index("ix_mentoring_sessions_period_hours", "status", "starts_at", "partner_id", "minutes"),
        # The same for one incubator's report (its sessions only, in a network of ten: issue 23).
        sa.Index("ix_mentoring_sessions_incubator_period_hours", "incubator_id", "status", "starts_at", "partner_id",
                 "minutes"),
    )

    @validates("starts_at")
    def _keep_local_month(self, _key, value: datetime) -> datetime:
        if value is not None:
            self.local_month = value.astimezone(HANOI).strftime("%Y-%m")
        return value

    @property
    def hours(self) -> float:
        return self.minutes / 60

    # What pages and e-mails show, asked by name (see incubator/enums.py).
    @property
    def is_online(self) -> bool:
        """Met online: its link is where it takes place, not a place."""
        return self.mode is SessionMode.ONLINE

    @property
    def is_held(self) -> bool:
        """Logged as held by the mentor, waiting for the founders to confirm it."""
        return self.status is SessionStatus.HELD

    @property
    def is_confirmed(self) -> bool:
        return self.status is SessionStatus.CONFIRMED

    @property
    def is_disputed(self) -> bool:
        return self.status is SessionStatus.DISPUTED

    @property
    def is_cancelled(self) -> bool:
        return self.status is SessionStatus.CANCELLED


class CalendarToken(db.Model):
    """A private calendar feed: a mentor's sessions or a startup's. The token is the whole secret; only its
    hash is kept, and revoking it (or making a new one) kills the old address."""

    __tablename__ = "calendar_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    mentor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    company_id: Mapped[int | None] = mapped_column(sa.ForeignKey("companies.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (sa.CheckConstraint("(mentor_id IS NULL) <> (company_id IS NULL)", name="one_owner"),)
