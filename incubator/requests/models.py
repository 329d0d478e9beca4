"""Businesses' requests (kiến nghị) and complaints (khiếu nại) to the city, the bodies that answer them, the
categories with their time limits, the working calendar's announced days, and each request's attachments,
answer and timeline (issue 21)."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from incubator import uploads
from incubator.db import UTCDateTime, utcnow
from incubator.enums import enum_column
from incubator.extensions import db
from incubator.i18n import localised as _localised
from incubator.organisation.models import IncubatorScoped
from incubator.requests.enums import (
    AnswerSource,
    BodyKind,
    CalendarDayKind,
    EventKind,
    PublicationConsent,
    RequestKind,
    RequestOrigin,
    RequestStatus,
)

DEFAULT_TIME_LIMIT_DAYS = 15


class RequestCategory(db.Model):
    """What a request is about; the list is data (seeded with eight), city-wide, each with its time limit in
    working days."""

    __tablename__ = "request_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name_vi: Mapped[str] = mapped_column(sa.String(200))
    name_en: Mapped[str] = mapped_column(sa.String(200))
    time_limit_days: Mapped[int] = mapped_column(default=DEFAULT_TIME_LIMIT_DAYS)
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
    version_id: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version_id}
    __table_args__ = (sa.CheckConstraint("time_limit_days BETWEEN 1 AND 365", name="time_limit_in_range"),)

    @property
    def name(self) -> str:
        return _localised(self.name_vi, self.name_en)


class AnsweringBody(db.Model):
    """A body a request is routed to (a unit of the Department, another department, a district, a partner),
    kept by staff, city-wide."""

    __tablename__ = "answering_bodies"

    id: Mapped[int] = mapped_column(primary_key=True)
    name_vi: Mapped[str] = mapped_column(sa.String(300))
    name_en: Mapped[str | None] = mapped_column(sa.String(300))
    kind: Mapped[BodyKind] = mapped_column(enum_column(BodyKind), default=BodyKind.OTHER)
    contact_email: Mapped[str | None] = mapped_column(sa.String(254))
    active: Mapped[bool] = mapped_column(default=True)
    version_id: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def name(self) -> str:
        return _localised(self.name_vi, self.name_en)


class CalendarDay(db.Model):
    """A day the government announced: a day off (on a weekday) or a make-up working day (a Saturday, say).
    Weekends and the public holidays come from the ``holidays`` package; these rows complete them."""

    __tablename__ = "calendar_days"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(unique=True)
    kind: Mapped[CalendarDayKind] = mapped_column(enum_column(CalendarDayKind))
    note: Mapped[str | None] = mapped_column(sa.String(300))


class RequestNumberCounter(db.Model):
    """The last number given in a year (KN-2026-0001 …), city-wide: updated in the filing's transaction, so
    two filings at once get two numbers (the row is locked by the update)."""

    __tablename__ = "request_number_counters"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(default=0)


class BusinessRequest(IncubatorScoped, db.Model):
    """A request or complaint a founder files on behalf of a verified business."""

    __tablename__ = "business_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(20), unique=True)
    kind: Mapped[RequestKind] = mapped_column(enum_column(RequestKind), default=RequestKind.REQUEST)
    company_id: Mapped[int] = mapped_column(sa.ForeignKey("companies.id"), index=True)
    filed_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    category_id: Mapped[int] = mapped_column(sa.ForeignKey("request_categories.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    text: Mapped[str] = mapped_column(sa.Text)
    consent: Mapped[PublicationConsent] = mapped_column(enum_column(PublicationConsent))
    status: Mapped[RequestStatus] = mapped_column(enum_column(RequestStatus), default=RequestStatus.SUBMITTED,
                                                  index=True)
    filed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Where a request staff filed on the business's behalf comes from (None: the business filed it). The
    # filing step's note names the place (the conference, the survey).
    origin: Mapped[RequestOrigin | None] = mapped_column(enum_column(RequestOrigin))
    # The day in Hà Nội it was acknowledged; the clock starts on the next working day.
    acknowledged_on: Mapped[date]
    # The category's time limit when it was filed, in working days (a later change of the list moves no date).
    time_limit_days: Mapped[int] = mapped_column(default=DEFAULT_TIME_LIMIT_DAYS)
    # The last day to answer, in working days from acknowledgement (pauses excluded). While the clock is
    # paused (paused_since set) it is the date as it stood when the business was asked.
    due_on: Mapped[date] = mapped_column(index=True)
    body_id: Mapped[int | None] = mapped_column(sa.ForeignKey("answering_bodies.id"), index=True)
    routed_on: Mapped[date | None]
    # The clock's pauses, [[asked on, answered on], …] as ISO dates; the last one open while waiting.
    pauses: Mapped[list] = mapped_column(sa.JSON, default=list)
    paused_since: Mapped[date | None]
    paused_working_days: Mapped[int] = mapped_column(default=0)
    merged_into_id: Mapped[int | None] = mapped_column(sa.ForeignKey("business_requests.id"))
    decline_reason: Mapped[str | None] = mapped_column(sa.Text)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    answered_on: Mapped[date | None]
    rating_satisfied: Mapped[bool | None]
    rating_comment: Mapped[str | None] = mapped_column(sa.Text)
    rated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The version staff prepare for publication (for an anonymised request, without names); the original stays
    # private.
    public_title: Mapped[str | None] = mapped_column(sa.String(300))
    public_text: Mapped[str | None] = mapped_column(sa.Text)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    # Searched without diacritics (text.fold): by staff, the number, title, text and business; by anyone, what
    # is published (the public version, the answer, the body, and the business only when named).
    search_folded: Mapped[str] = mapped_column(sa.Text, default="")
    public_folded: Mapped[str | None] = mapped_column(sa.Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    version_id: Mapped[int] = mapped_column(default=1)

    company = relationship("Company")
    filed_by = relationship("User", foreign_keys=[filed_by_id])
    category: Mapped[RequestCategory] = relationship()
    body: Mapped[AnsweringBody | None] = relationship()
    merged_into: Mapped[BusinessRequest | None] = relationship(remote_side=[id])
    attachments: Mapped[list[RequestAttachment]] = relationship(
        back_populates="request", order_by="RequestAttachment.id", cascade="all, delete-orphan")
    answer: Mapped[RequestAnswer | None] = relationship(back_populates="request", uselist=False,
                                                        cascade="all, delete-orphan")
    events: Mapped[list[RequestEvent]] = relationship(back_populates="request", order_by="RequestEvent.id",
                                                      cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def from_survey(self) -> bool:
        """Filed by staff from a proposal in the business's answers to the yearly survey."""
        return self.origin is RequestOrigin.SURVEY

    @property
    def is_open(self) -> bool:
        return self.status.is_open

    @property
    def is_answered(self) -> bool:
        return self.status is RequestStatus.ANSWERED

    @property
    def is_paused(self) -> bool:
        return self.paused_since is not None

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def is_rated(self) -> bool:
        return self.rated_at is not None

    @property
    def is_anonymised(self) -> bool:
        return self.consent is PublicationConsent.ANONYMISED

    @property
    def may_be_published(self) -> bool:
        """The business consented to publication (named or anonymised)."""
        return self.consent is not PublicationConsent.NOT_PUBLISHED

    @property
    def answered_on_time(self) -> bool | None:
        if self.answered_on is None:
            return None
        return self.answered_on <= self.due_on

    def __repr__(self) -> str:
        return f"<BusinessRequest {self.number}>"


class RequestAttachment(IncubatorScoped, db.Model):
    """A PDF the business attached, when filing or when adding information."""

    __tablename__ = "request_attachments"
    __incubator_from__ = "request"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(sa.ForeignKey("business_requests.id", ondelete="CASCADE"), index=True)
    stored_name: Mapped[str] = mapped_column(sa.String(100))
    original_name: Mapped[str] = mapped_column(sa.String(255))
    size: Mapped[int]
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    uploaded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))

    request: Mapped[BusinessRequest] = relationship(back_populates="attachments")


class RequestAnswer(IncubatorScoped, db.Model):
    """The answer to a request: drafted by staff (or entered as received from the body, or given at a dialogue
    conference), approved by a second staff member, then sent to the business."""

    __tablename__ = "request_answers"
    __incubator_from__ = "request"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(sa.ForeignKey("business_requests.id", ondelete="CASCADE"),
                                            unique=True)
    text: Mapped[str] = mapped_column(sa.Text)
    source: Mapped[AnswerSource] = mapped_column(enum_column(AnswerSource), default=AnswerSource.STAFF)
    # The body whose answer it is (the one the request was routed to, when it was).
    body_id: Mapped[int | None] = mapped_column(sa.ForeignKey("answering_bodies.id"))
    # The body's document (a PDF upload), when the answer was received from it.
    stored_name: Mapped[str | None] = mapped_column(sa.String(100))
    original_name: Mapped[str | None] = mapped_column(sa.String(255))
    drafted_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    drafted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    approved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version_id: Mapped[int] = mapped_column(default=1)

    request: Mapped[BusinessRequest] = relationship(back_populates="answer")
    body: Mapped[AnsweringBody | None] = relationship()
    drafted_by = relationship("User", foreign_keys=[drafted_by_id])
    approved_by = relationship("User", foreign_keys=[approved_by_id])

    __mapper_args__ = {"version_id_col": version_id}
    __table_args__ = (
        sa.CheckConstraint("approved_by_id IS NULL OR approved_by_id <> drafted_by_id",
                           name="approved_by_another"),
    )

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None

    @property
    def has_document(self) -> bool:
        return self.stored_name is not None


class RequestEvent(IncubatorScoped, db.Model):
    """A step of the request's timeline; those visible to the business are the page it follows."""

    __tablename__ = "request_events"
    __incubator_from__ = "request"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(sa.ForeignKey("business_requests.id", ondelete="CASCADE"), index=True)
    kind: Mapped[EventKind] = mapped_column(enum_column(EventKind))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    note: Mapped[str | None] = mapped_column(sa.Text)
    visible_to_business: Mapped[bool] = mapped_column(default=True)

    request: Mapped[BusinessRequest] = relationship(back_populates="events")
    actor = relationship("User")

    @property
    def raised_at(self) -> str | None:
        """Where a request staff filed on the business's behalf was raised (the filing step's note: the
        dialogue conference it was raised at, or the survey it was answered in)."""
        return self.note if self.kind is EventKind.FILED else None

    @property
    def from_survey(self) -> bool:
        """The filing step of a request made from a business's answers to the yearly survey (its note: the
        survey's title), which the timeline words as such rather than as a question from the floor."""
        return self.kind is EventKind.FILED and self.request.from_survey


# Attachments and the bodies' documents are uploads: their files are deleted once no row names them
# (incubator/uploads.py).
uploads.register_references("requests", RequestAttachment.stored_name)
uploads.register_references("request-answers", RequestAnswer.stored_name)
