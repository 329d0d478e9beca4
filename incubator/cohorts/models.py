"""Cohorts and their members, the members' progress reports (with their reminders), and the services the
incubator and its partners deliver to startups."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from incubator.cohorts.enums import MEMBER_TRANSITIONS, MemberStatus, ProductStatus, ReportStatus, Rhythm, ServiceKind
from incubator.db import UTCDateTime, utcnow
from incubator.enums import enum_column
from incubator.extensions import db
from incubator.organisation.models import IncubatorScoped

MAX_ALLOWANCE_HOURS = 1000  # mentoring hours per startup of a cohort: more is a typing mistake


class Cohort(IncubatorScoped, db.Model):
    __tablename__ = "cohorts"
    # Fed by an intake round, a cohort is in the round's incubator; without one, in the current incubator.
    __incubator_from__ = "round"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    owner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    # The intake round whose accepted applications join this cohort (at most one cohort per round).
    round_id: Mapped[int | None] = mapped_column(sa.ForeignKey("intake_rounds.id"), unique=True)
    rhythm: Mapped[Rhythm] = mapped_column(enum_column(Rhythm), default=Rhythm.MONTHLY)
    # Mentoring hours each startup of the cohort may receive; beyond it staff are warned.
    mentoring_allowance_hours: Mapped[int] = mapped_column(default=20, server_default="20")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version_id: Mapped[int] = mapped_column(default=1)

    owner = relationship("User")
    round = relationship("IntakeRound")
    members: Mapped[list[CohortMember]] = relationship(back_populates="cohort")

    __mapper_args__ = {"version_id_col": version_id}
    __table_args__ = (sa.CheckConstraint("ends_on > starts_on", name="ends_after_start"),)


class CohortMember(IncubatorScoped, db.Model):
    __tablename__ = "cohort_members"
    __incubator_from__ = ("cohort", "application", "residency", "outcome")

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(sa.ForeignKey("cohorts.id"), index=True)
    company_id: Mapped[int] = mapped_column(sa.ForeignKey("companies.id"), index=True)
    application_id: Mapped[int | None] = mapped_column(sa.ForeignKey("applications.id"))
    status: Mapped[MemberStatus] = mapped_column(enum_column(MemberStatus), default=MemberStatus.ACTIVE)
    joined_on: Mapped[date]
    left_on: Mapped[date | None]
    # An extended member stays in incubation past the cohort's last day, until this one: its reports go on.
    extended_to: Mapped[date | None]
    # The incubated residency opened at admission, and the outcome recorded when the member left.
    residency_id: Mapped[int | None] = mapped_column(sa.ForeignKey("residencies.id"))
    outcome_id: Mapped[int | None] = mapped_column(sa.ForeignKey("graduation_outcomes.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version_id: Mapped[int] = mapped_column(default=1)

    cohort: Mapped[Cohort] = relationship(back_populates="members")
    company = relationship("Company")
    application = relationship("Application")
    residency = relationship("Residency")
    outcome = relationship("GraduationOutcome")

    __mapper_args__ = {"version_id_col": version_id}
    __table_args__ = (sa.UniqueConstraint("cohort_id", "company_id", name="uq_cohort_members_pair"),)

    # What pages ask of a member, by name (see incubator/enums.py).
    @property
    def may_leave(self) -> bool:
        """Its outcome may still be recorded (services.leave): MEMBER_TRANSITIONS lets its status change."""
        return bool(MEMBER_TRANSITIONS[self.status])

    @property
    def is_extended(self) -> bool:
        return self.status is MemberStatus.EXTENDED

    @property
    def is_graduated(self) -> bool:
        return self.status is MemberStatus.GRADUATED


class ProgressReport(IncubatorScoped, db.Model):
    """One version of a member's report for one period. A submitted version is never changed: a correction
    is a later version of the same period, and the history stays."""

    __tablename__ = "progress_reports"
    __incubator_from__ = "member"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("cohort_members.id"), index=True)
    period_start: Mapped[date]
    period_end: Mapped[date]
    due_on: Mapped[date]
    version: Mapped[int] = mapped_column(default=1)
    status: Mapped[ReportStatus] = mapped_column(enum_column(ReportStatus), default=ReportStatus.DRAFT)
    revenue: Mapped[Decimal | None] = mapped_column(sa.Numeric(18, 0))
    paying_customers: Mapped[int | None]
    employees: Mapped[int | None]
    funding_raised: Mapped[Decimal | None] = mapped_column(sa.Numeric(18, 0))
    funding_source: Mapped[str | None] = mapped_column(sa.String(300))
    product_status: Mapped[ProductStatus | None] = mapped_column(enum_column(ProductStatus))
    highlights: Mapped[str | None] = mapped_column(sa.Text)
    problems: Mapped[str | None] = mapped_column(sa.Text)
    help_needed: Mapped[str | None] = mapped_column(sa.Text)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version_id: Mapped[int] = mapped_column(default=1)

    member: Mapped[CohortMember] = relationship()
    created_by = relationship("User")

    __mapper_args__ = {"version_id_col": version_id}
    __table_args__ = (
        sa.UniqueConstraint("member_id", "period_start", "version", name="uq_progress_reports_version"),
        sa.CheckConstraint("revenue IS NULL OR revenue >= 0", name="revenue_positive"),
        sa.CheckConstraint("paying_customers IS NULL OR paying_customers >= 0", name="customers_positive"),
        sa.CheckConstraint("employees IS NULL OR employees >= 0", name="employees_positive"),
        sa.CheckConstraint("funding_raised IS NULL OR funding_raised >= 0", name="funding_positive"),
        # The report to the Department sums the funding reported in a period (the period first: led by the
        # status, SQLite's planner took it for a cohort page's reports, by member, and read every report).
        sa.Index("ix_progress_reports_period_status", "period_start", "status"),
        # One incubator's sum (its report), from the index alone.
        sa.Index("ix_progress_reports_incubator_funding", "incubator_id", "status", "period_start", "funding_raised"),
    )

    @property
    def is_submitted(self) -> bool:
        return self.status is ReportStatus.SUBMITTED


class ReportReminder(IncubatorScoped, db.Model):
    """A reminder sent for one member's report of one period: its unique key makes each go out once."""

    __tablename__ = "report_reminders"
    __incubator_from__ = "member"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("cohort_members.id"), index=True)
    period_start: Mapped[date]
    kind: Mapped[str] = mapped_column(sa.String(10))  # "before" or "after" the due date
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    member: Mapped[CohortMember] = relationship()

    __table_args__ = (sa.UniqueConstraint("member_id", "period_start", "kind", name="uq_report_reminders_once"),)


class ServiceDelivery(IncubatorScoped, db.Model):
    """A service delivered (a course, consulting, office space …) by the incubator or a partner."""

    __tablename__ = "service_deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ServiceKind] = mapped_column(enum_column(ServiceKind), index=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    delivered_on: Mapped[date] = mapped_column(index=True)
    provider_id: Mapped[int | None] = mapped_column(sa.ForeignKey("partners.id"))  # None: the incubator itself
    hours: Mapped[Decimal | None] = mapped_column(sa.Numeric(7, 1))
    note: Mapped[str | None] = mapped_column(sa.String(2000))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version_id: Mapped[int] = mapped_column(default=1)

    provider = relationship("Partner")
    recipients: Mapped[list[ServiceRecipient]] = relationship(back_populates="service",
                                                              cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version_id}
    __table_args__ = (sa.CheckConstraint("hours IS NULL OR hours >= 0", name="hours_positive"),)


class ServiceRecipient(IncubatorScoped, db.Model):
    __tablename__ = "service_recipients"
    __incubator_from__ = "service"

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(sa.ForeignKey("service_deliveries.id", ondelete="CASCADE"), index=True)
    company_id: Mapped[int] = mapped_column(sa.ForeignKey("companies.id"), index=True)
    attended: Mapped[bool | None]  # for courses: whether the startup's people came

    service: Mapped[ServiceDelivery] = relationship(back_populates="recipients")
    company = relationship("Company")

    __table_args__ = (sa.UniqueConstraint("service_id", "company_id", name="uq_service_recipients_pair"),)
