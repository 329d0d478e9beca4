"""Review stages of an intake round, their rubric and panel, the reviewers' assignments, conflicts of
interest, the reviews with their scores, and each stage's decision on each application."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from incubator.db import UTCDateTime, utcnow
from incubator.enums import enum_column
from incubator.extensions import db
from incubator.i18n import localised as _localised
from incubator.organisation.models import IncubatorScoped
from incubator.reviews.enums import (
    AssignmentStatus,
    ConflictKind,
    Decision,
    ReviewStatus,
    decision_is_open,
    may_be_decided,
)


class ReviewStage(IncubatorScoped, db.Model):
    __tablename__ = "review_stages"
    __incubator_from__ = "round"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("intake_rounds.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=1)
    name_vi: Mapped[str] = mapped_column(sa.String(200))
    name_en: Mapped[str] = mapped_column(sa.String(200))
    reviewers_per_application: Mapped[int] = mapped_column(default=3)
    # Whether a reviewer sees the other reviewers' scores once their own is submitted (never before).
    share_scores: Mapped[bool] = mapped_column(default=True)
    # Whether staff who sit on the panel see the ranking only once they have submitted their own reviews.
    blind_panel_staff: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Reviewers' totals (0-100) further apart than this are flagged in the ranking.
    spread_threshold: Mapped[int] = mapped_column(default=25)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version_id: Mapped[int] = mapped_column(default=1)

    round = relationship("IntakeRound")
    criteria: Mapped[list[Criterion]] = relationship(back_populates="stage", cascade="all, delete-orphan",
                                                     order_by="Criterion.position")
    panel: Mapped[list[PanelMember]] = relationship(back_populates="stage", cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version_id}
    __table_args__ = (
        sa.UniqueConstraint("round_id", "position", name="uq_review_stages_round_position"),
        sa.CheckConstraint("reviewers_per_application BETWEEN 1 AND 20", name="reviewers_per_application_range"),
        sa.CheckConstraint("spread_threshold BETWEEN 0 AND 100", name="spread_threshold_range"),
    )

    @property
    def name(self) -> str:
        return _localised(self.name_vi, self.name_en)

    def is_open(self, now: datetime) -> bool:
        return now < self.closes_at


class Criterion(IncubatorScoped, db.Model):
    __tablename__ = "review_criteria"
    __incubator_from__ = "stage"

    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(sa.ForeignKey("review_stages.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    name_vi: Mapped[str] = mapped_column(sa.String(200))
    name_en: Mapped[str] = mapped_column(sa.String(200))
    guidance_vi: Mapped[str | None] = mapped_column(sa.Text)
    guidance_en: Mapped[str | None] = mapped_column(sa.Text)
    weight: Mapped[int] = mapped_column(default=1)
    scale_min: Mapped[int] = mapped_column(default=1)
    scale_max: Mapped[int] = mapped_column(default=5)

    stage: Mapped[ReviewStage] = relationship(back_populates="criteria")

    __table_args__ = (
        sa.CheckConstraint("weight > 0", name="weight_positive"),
        sa.CheckConstraint("scale_max > scale_min", name="scale_ordered"),
    )

    @property
    def name(self) -> str:
        return _localised(self.name_vi, self.name_en)

    @property
    def guidance(self) -> str:
        return _localised(self.guidance_vi, self.guidance_en)


class PanelMember(IncubatorScoped, db.Model):
    """A reviewer on a stage's panel: the automatic assignment shares the applications among them."""

    __tablename__ = "review_panel_members"
    __incubator_from__ = "stage"

    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(sa.ForeignKey("review_stages.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    stage: Mapped[ReviewStage] = relationship(back_populates="panel")
    user = relationship("User")

    __table_args__ = (sa.UniqueConstraint("stage_id", "user_id", name="uq_review_panel_members_stage_user"),)


class StageEntry(IncubatorScoped, db.Model):
    """An application taken into a stage, and the stage's decision on it."""

    __tablename__ = "review_stage_entries"
    __incubator_from__ = ("stage", "application", "reason")

    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(sa.ForeignKey("review_stages.id", ondelete="CASCADE"), index=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("applications.id"), index=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decision: Mapped[Decision | None] = mapped_column(enum_column(Decision))
    reason_id: Mapped[int | None] = mapped_column(sa.ForeignKey("rejection_reasons.id"))
    reason_text: Mapped[str | None] = mapped_column(sa.String(2000))
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version_id: Mapped[int] = mapped_column(default=1)

    stage: Mapped[ReviewStage] = relationship()
    application = relationship("Application")
    reason = relationship("RejectionReason")

    __mapper_args__ = {"version_id_col": version_id}
    __table_args__ = (sa.UniqueConstraint("stage_id", "application_id", name="uq_review_stage_entries_pair"),)

    # What pages and e-mails ask of an entry, by name (see incubator/enums.py).
    @property
    def is_open(self) -> bool:
        """A decision may still be taken on it (reviews.enums.decision_is_open): none yet, or waitlisted."""
        return decision_is_open(self.decision)

    @property
    def may_be_decided(self) -> bool:
        """Open, and its application still in the review (reviews.enums.may_be_decided)."""
        return may_be_decided(self.decision, self.application.is_withdrawn)

    @property
    def is_accepted(self) -> bool:
        return self.decision is Decision.ACCEPT

    @property
    def is_waitlisted(self) -> bool:
        return self.decision is Decision.WAITLIST

    @property
    def is_advanced(self) -> bool:
        """Sent on to the stage after this one."""
        return self.decision is Decision.ADVANCE

    @property
    def is_rejected(self) -> bool:
        return self.decision is Decision.REJECT


class Assignment(IncubatorScoped, db.Model):
    __tablename__ = "review_assignments"
    __incubator_from__ = ("stage", "application")

    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(sa.ForeignKey("review_stages.id", ondelete="CASCADE"), index=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("applications.id"), index=True)
    reviewer_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    status: Mapped[AssignmentStatus] = mapped_column(enum_column(AssignmentStatus),
                                                     default=AssignmentStatus.ASSIGNED)
    assigned_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version_id: Mapped[int] = mapped_column(default=1)

    stage: Mapped[ReviewStage] = relationship()
    application = relationship("Application")
    reviewer = relationship("User", foreign_keys=[reviewer_id])
    review: Mapped[Review | None] = relationship(back_populates="assignment", uselist=False)

    __mapper_args__ = {"version_id_col": version_id}
    # One row per reviewer and application in a stage, kept when recused or withdrawn, so the same
    # reviewer is never handed the application again.
    __table_args__ = (sa.UniqueConstraint("stage_id", "application_id", "reviewer_id",
                                          name="uq_review_assignments_triple"),)

    @property
    def is_active(self) -> bool:
        return self.status in (AssignmentStatus.ASSIGNED, AssignmentStatus.CONFIRMED)

    @property
    def awaits_declaration(self) -> bool:
        """Given, and the reviewer has not yet said whether they have a conflict."""
        return self.status is AssignmentStatus.ASSIGNED

    @property
    def is_recused(self) -> bool:
        return self.status is AssignmentStatus.RECUSED

    @property
    def is_withdrawn(self) -> bool:
        return self.status is AssignmentStatus.WITHDRAWN

    @property
    def may_be_taken_back(self) -> bool:
        """Staff may still take it back (assigning.withdraw_assignment): it lasts, and its review is not
        submitted."""
        return self.is_active and not (self.review is not None and self.review.is_submitted)


class Conflict(db.Model):
    """A reviewer's tie to a company: they are never given its applications."""

    __tablename__ = "review_conflicts"

    id: Mapped[int] = mapped_column(primary_key=True)
    reviewer_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    company_id: Mapped[int] = mapped_column(sa.ForeignKey("companies.id"), index=True)
    kind: Mapped[ConflictKind] = mapped_column(enum_column(ConflictKind))
    reason: Mapped[str] = mapped_column(sa.String(1000))
    declared_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    reviewer = relationship("User", foreign_keys=[reviewer_id])
    company = relationship("Company")
    declared_by = relationship("User", foreign_keys=[declared_by_id])

    __table_args__ = (sa.UniqueConstraint("reviewer_id", "company_id", name="uq_review_conflicts_pair"),)


class Review(IncubatorScoped, db.Model):
    __tablename__ = "reviews"
    __incubator_from__ = "assignment"

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(sa.ForeignKey("review_assignments.id", ondelete="CASCADE"),
                                               unique=True)
    status: Mapped[ReviewStatus] = mapped_column(enum_column(ReviewStatus), default=ReviewStatus.DRAFT)
    comment_for_applicant: Mapped[str | None] = mapped_column(sa.Text)
    private_note: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The weighted total on 100 (ranking.weighted_total) of a submitted review, kept so that a stage's ranking
    # reads one number per review rather than every score (as pretalx keeps Review.score): set by
    # update_total at each save, and again for the whole stage when a criterion's weight changes.
    weighted_total: Mapped[float | None] = mapped_column(sa.Float)
    version_id: Mapped[int] = mapped_column(default=1)

    assignment: Mapped[Assignment] = relationship(back_populates="review")
    scores: Mapped[list[Score]] = relationship(back_populates="review", cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def is_draft(self) -> bool:
        return self.status is ReviewStatus.DRAFT

    @property
    def is_submitted(self) -> bool:
        return self.status is ReviewStatus.SUBMITTED

    def computed_total(self, criteria: list[Criterion]) -> float | None:
        """The weighted total of the scores on the stage's criteria; None for a draft."""
        from incubator.reviews import ranking

        if self.status is not ReviewStatus.SUBMITTED:
            return None
        scales = [ranking.CriterionScale(c.id, c.weight, c.scale_min, c.scale_max) for c in criteria]
        return ranking.weighted_total({s.criterion_id: s.value for s in self.scores}, scales)

    def update_total(self, criteria: list[Criterion]) -> None:
        self.weighted_total = self.computed_total(criteria)


class Score(IncubatorScoped, db.Model):
    __tablename__ = "review_scores"
    __incubator_from__ = ("review", "criterion")

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(sa.ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[int] = mapped_column(sa.ForeignKey("review_criteria.id", ondelete="CASCADE"))
    value: Mapped[int | None]
    comment: Mapped[str | None] = mapped_column(sa.String(2000))

    review: Mapped[Review] = relationship(back_populates="scores")
    criterion: Mapped[Criterion] = relationship()

    __table_args__ = (sa.UniqueConstraint("review_id", "criterion_id", name="uq_review_scores_pair"),)


class RejectionReason(IncubatorScoped, db.Model):
    """The editable list of reasons staff pick from when rejecting (free text may be added); each incubator
    keeps its own (a new one is the current incubator's)."""

    __tablename__ = "rejection_reasons"

    id: Mapped[int] = mapped_column(primary_key=True)
    position: Mapped[int] = mapped_column(default=0)
    label_vi: Mapped[str] = mapped_column(sa.String(300))
    label_en: Mapped[str] = mapped_column(sa.String(300))
    active: Mapped[bool] = mapped_column(default=True)

    @property
    def label(self) -> str:
        return _localised(self.label_vi, self.label_en)


class StageStanding(IncubatorScoped, db.Model):
    """An entry's figures in its stage's ranking (ranking.Row), kept by ``reviews.standings`` in the same
    transaction as each write that changes them (a review submitted or reopened, an assignment made or
    withdrawn, an application taken into the stage, the spread's threshold changed), so that the ranking's page
    reads one sorted page of rows instead of ranking the whole stage at every view (issue 23). Written by
    ``standings.refresh`` alone, with the connection: read its columns, never load it as an object."""

    __tablename__ = "review_stage_standings"
    __incubator_from__ = "entry"

    entry_id: Mapped[int] = mapped_column(sa.ForeignKey("review_stage_entries.id", ondelete="CASCADE"),
                                          primary_key=True)
    stage_id: Mapped[int] = mapped_column(sa.ForeignKey("review_stages.id", ondelete="CASCADE"))
    assigned: Mapped[int] = mapped_column(default=0)
    done: Mapped[int] = mapped_column(default=0)
    unreliable_reviewers: Mapped[int] = mapped_column(default=0)
    mean: Mapped[float | None] = mapped_column(sa.Float)
    median: Mapped[float | None] = mapped_column(sa.Float)
    normalised: Mapped[float | None] = mapped_column(sa.Float)
    spread: Mapped[float | None] = mapped_column(sa.Float)
    wide: Mapped[bool] = mapped_column(default=False)

    entry = relationship(StageEntry)

    __table_args__ = (sa.Index("ix_review_stage_standings_stage_normalised", "stage_id", "normalised"),)


class StageReviewer(IncubatorScoped, db.Model):
    """How many counted reviews (submitted, with a weighted total, of an active assignment) a reviewer has in a
    stage: what tells the ranking which reviewers' normalised scores are not yet reliable. Kept by
    ``reviews.standings`` with the stage's standings, in the same transaction as each write that changes them;
    read with plain columns, never loaded as an object."""

    __tablename__ = "review_stage_reviewers"
    __incubator_from__ = "stage"

    stage_id: Mapped[int] = mapped_column(sa.ForeignKey("review_stages.id", ondelete="CASCADE"), primary_key=True)
    reviewer_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), primary_key=True)
    reviews: Mapped[int] = mapped_column(default=0)

    stage = relationship(ReviewStage)
