"""Dialogue conferences between the city and its businesses (hội nghị đối thoại, issue 21): the conference with
the bodies attending, its agenda of requests with the answers given, the people invited and registered, the
questions raised beforehand and from the floor, and the minutes (biên bản)."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from incubator.db import UTCDateTime, utcnow
from incubator.dialogue.enums import ConferenceStatus, QuestionKind, QuestionOutcome
from incubator.enums import enum_column
from incubator.extensions import db
from incubator.organisation.models import IncubatorScoped
from incubator.requests.models import AnsweringBody, BusinessRequest

conference_bodies = sa.Table(
    "dialogue_conference_bodies", db.metadata,
    sa.Column("conference_id", sa.ForeignKey("dialogue_conferences.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("body_id", sa.ForeignKey("answering_bodies.id"), primary_key=True),
)


class DialogueConference(IncubatorScoped, db.Model):
    __tablename__ = "dialogue_conferences"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    minutes_long: Mapped[int] = mapped_column(default=180)
    place: Mapped[str | None] = mapped_column(sa.String(300))
    link: Mapped[str | None] = mapped_column(sa.String(500))
    chair: Mapped[str] = mapped_column(sa.String(200))
    status: Mapped[ConferenceStatus] = mapped_column(enum_column(ConferenceStatus), default=ConferenceStatus.PLANNED,
                                                     index=True)
    # Raised by each change of date or place (and the cancellation), so calendars replace the event.
    sequence: Mapped[int] = mapped_column(default=0)
    cancel_reason: Mapped[str | None] = mapped_column(sa.Text)
    # The minutes: who attended, what was concluded; the PDF made from them (in Vietnamese, the working
    # language) and its number.
    minutes_number: Mapped[str | None] = mapped_column(sa.String(40))
    attendance: Mapped[str | None] = mapped_column(sa.Text)
    conclusions: Mapped[str | None] = mapped_column(sa.Text)
    minutes_pdf: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)
    minutes_made_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    version_id: Mapped[int] = mapped_column(default=1)

    bodies: Mapped[list[AnsweringBody]] = relationship(secondary=conference_bodies, order_by=AnsweringBody.name_vi)
    items: Mapped[list[AgendaItem]] = relationship(back_populates="conference", order_by="AgendaItem.position",
                                                   cascade="all, delete-orphan")
    registrations: Mapped[list[Registration]] = relationship(back_populates="conference",
                                                             order_by="Registration.id",
                                                             cascade="all, delete-orphan")
    questions: Mapped[list[DialogueQuestion]] = relationship(back_populates="conference",
                                                             order_by="DialogueQuestion.id",
                                                             cascade="all, delete-orphan")
    created_by = relationship("User")

    __mapper_args__ = {"version_id_col": version_id}
    __table_args__ = (sa.CheckConstraint("minutes_long BETWEEN 15 AND 1440", name="length_in_range"),)

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.minutes_long)

    @property
    def is_planned(self) -> bool:
        return self.status is ConferenceStatus.PLANNED

    @property
    def is_held(self) -> bool:
        return self.status is ConferenceStatus.HELD

    @property
    def is_cancelled(self) -> bool:
        return self.status is ConferenceStatus.CANCELLED

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def has_minutes(self) -> bool:
        return self.minutes_made_at is not None

    def __repr__(self) -> str:
        return f"<DialogueConference {self.id} {self.title!r}>"


class AgendaItem(IncubatorScoped, db.Model):
    """A request on the conference's agenda, in its place, with the answer given there."""

    __tablename__ = "dialogue_agenda_items"
    __incubator_from__ = ("conference", "request")

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("dialogue_conferences.id", ondelete="CASCADE"),
                                               index=True)
    request_id: Mapped[int] = mapped_column(sa.ForeignKey("business_requests.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    answer_text: Mapped[str | None] = mapped_column(sa.Text)
    answered_by_body_id: Mapped[int | None] = mapped_column(sa.ForeignKey("answering_bodies.id"))
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    conference: Mapped[DialogueConference] = relationship(back_populates="items")
    request: Mapped[BusinessRequest] = relationship()
    answered_by_body: Mapped[AnsweringBody | None] = relationship()

    __table_args__ = (sa.UniqueConstraint("conference_id", "request_id", name="one_place_per_request"),)

    @property
    def is_answered(self) -> bool:
        return self.recorded_at is not None


class Registration(IncubatorScoped, db.Model):
    """A person invited to the conference (a founder of a business concerned, or anyone by e-mail), and whether
    they registered."""

    __tablename__ = "dialogue_registrations"
    __incubator_from__ = "conference"

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("dialogue_conferences.id", ondelete="CASCADE"),
                                               index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    company_id: Mapped[int | None] = mapped_column(sa.ForeignKey("companies.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    email: Mapped[str] = mapped_column(sa.String(254))
    invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    registered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    conference: Mapped[DialogueConference] = relationship(back_populates="registrations")
    user = relationship("User")
    company = relationship("Company")

    __table_args__ = (sa.UniqueConstraint("conference_id", "email", name="one_per_address"),)

    @property
    def is_registered(self) -> bool:
        return self.registered_at is not None


class DialogueQuestion(IncubatorScoped, db.Model):
    """A question raised before the conference (filed as the business's request) or from the floor (answered
    there, sent to a body, or attached to a request already filed)."""

    __tablename__ = "dialogue_questions"
    __incubator_from__ = "conference"

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("dialogue_conferences.id", ondelete="CASCADE"),
                                               index=True)
    kind: Mapped[QuestionKind] = mapped_column(enum_column(QuestionKind))
    outcome: Mapped[QuestionOutcome] = mapped_column(enum_column(QuestionOutcome))
    text: Mapped[str] = mapped_column(sa.Text)
    # Who asked (kept for staff; the minutes and the public page print no one's name).
    asked_by: Mapped[str | None] = mapped_column(sa.String(300))
    registration_id: Mapped[int | None] = mapped_column(sa.ForeignKey("dialogue_registrations.id",
                                                                      ondelete="SET NULL"))
    request_id: Mapped[int | None] = mapped_column(sa.ForeignKey("business_requests.id"))
    body_id: Mapped[int | None] = mapped_column(sa.ForeignKey("answering_bodies.id"))
    answer_text: Mapped[str | None] = mapped_column(sa.Text)
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    conference: Mapped[DialogueConference] = relationship(back_populates="questions")
    registration: Mapped[Registration | None] = relationship()
    request: Mapped[BusinessRequest | None] = relationship()
    body: Mapped[AnsweringBody | None] = relationship()
