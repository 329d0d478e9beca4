"""The yearly survey (issue 22): a survey of one incubator for one year, its questions (the same kinds as an
intake round's; the default ones carry a stable ``key``, the same every year, so years compare) and each invited
business's response (its answers keyed by question id, as applications store them)."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from incubator.applications.enums import QuestionKind
from incubator.applications.models import QuestionWording
from incubator.companies.enums import ResidencyKind
from incubator.companies.models import Company
from incubator.db import UTCDateTime, utcnow
from incubator.enums import enum_column
from incubator.extensions import db
from incubator.i18n import localised as _localised
from incubator.organisation.models import IncubatorScoped
from incubator.surveys.enums import ResponseStatus, SurveyStatus


class Survey(IncubatorScoped, db.Model):
    """An incubator's survey of its businesses for one calendar year (at most one a year)."""

    __tablename__ = "surveys"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int]
    title_vi: Mapped[str] = mapped_column(sa.String(300))
    title_en: Mapped[str] = mapped_column(sa.String(300))
    opens_on: Mapped[date]
    deadline: Mapped[date]  # the last day founders may submit (inclusive)
    status: Mapped[SurveyStatus] = mapped_column(enum_column(SurveyStatus), default=SurveyStatus.DRAFT, index=True)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    opened_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version_id: Mapped[int] = mapped_column(default=1)

    questions: Mapped[list[SurveyQuestion]] = relationship(back_populates="survey", cascade="all, delete-orphan",
                                                           order_by="SurveyQuestion.position")
    responses: Mapped[list[SurveyResponse]] = relationship(back_populates="survey", cascade="all, delete-orphan",
                                                           order_by="SurveyResponse.id")

    __mapper_args__ = {"version_id_col": version_id}
    __table_args__ = (
        sa.UniqueConstraint("incubator_id", "year", name="uq_surveys_incubator_year"),
        sa.CheckConstraint("deadline >= opens_on", name="deadline_after_opening"),
    )

    @property
    def title(self) -> str:
        return _localised(self.title_vi, self.title_en)

    @property
    def is_draft(self) -> bool:
        return self.status is SurveyStatus.DRAFT

    @property
    def is_open(self) -> bool:
        return self.status is SurveyStatus.OPEN

    @property
    def is_closed(self) -> bool:
        return self.status is SurveyStatus.CLOSED

    @property
    def visible_questions(self) -> list[SurveyQuestion]:
        return [q for q in self.questions if not q.hidden]

    def accepts_answers_on(self, day: date) -> bool:
        """Whether founders may still save and submit on ``day``: open, and the deadline not passed."""
        return self.is_open and day <= self.deadline

    def __repr__(self) -> str:
        return f"<Survey {self.year}>"


class SurveyQuestion(QuestionWording, IncubatorScoped, db.Model):
    __tablename__ = "survey_questions"
    __incubator_from__ = "survey"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(sa.ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    # The stable key of a default question (revenue_total, employees_it…), the same every year; None for a
    # question staff added.
    key: Mapped[str | None] = mapped_column(sa.String(40))
    kind: Mapped[QuestionKind] = mapped_column(enum_column(QuestionKind))
    label_vi: Mapped[str] = mapped_column(sa.String(500))
    label_en: Mapped[str] = mapped_column(sa.String(500))
    help_vi: Mapped[str | None] = mapped_column(sa.String(1000))
    help_en: Mapped[str | None] = mapped_column(sa.String(1000))
    required: Mapped[bool] = mapped_column(default=False)
    max_length: Mapped[int | None]
    # For choices: [{"value": "...", "label_vi": "...", "label_en": "..."}]
    choices: Mapped[list] = mapped_column(sa.JSON, default=list)
    # Hidden rather than removed once the survey is open.
    hidden: Mapped[bool] = mapped_column(default=False)

    survey: Mapped[Survey] = relationship(back_populates="questions")

    @property
    def help(self) -> str:
        return _localised(self.help_vi, self.help_en) if (self.help_vi or self.help_en) else ""


class SurveyResponse(IncubatorScoped, db.Model):
    """One invited business's response to a survey."""

    __tablename__ = "survey_responses"
    __incubator_from__ = "survey"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(sa.ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    company_id: Mapped[int] = mapped_column(sa.ForeignKey("companies.id"), index=True)
    # The business's residency kind in the incubator that year (its latest residency of the year), set when
    # invited, so results group by it.
    residency_kind: Mapped[ResidencyKind | None] = mapped_column(enum_column(ResidencyKind))
    status: Mapped[ResponseStatus] = mapped_column(enum_column(ResponseStatus), default=ResponseStatus.INVITED,
                                                   index=True)
    answers: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    submitted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    last_reminded_on: Mapped[date | None]
    # The business request its proposals were filed as (staff, from the results: once per response).
    proposal_request_id: Mapped[int | None] = mapped_column(sa.ForeignKey("business_requests.id"), index=True)
    version_id: Mapped[int] = mapped_column(default=1)

    survey: Mapped[Survey] = relationship(back_populates="responses")
    proposal_request = relationship("BusinessRequest", foreign_keys=[proposal_request_id])
    company: Mapped[Company] = relationship()
    submitted_by = relationship("User", foreign_keys=[submitted_by_id])
    updated_by = relationship("User", foreign_keys=[updated_by_id])

    __mapper_args__ = {"version_id_col": version_id}
    __table_args__ = (sa.UniqueConstraint("survey_id", "company_id", name="uq_survey_responses_company"),)

    @property
    def is_submitted(self) -> bool:
        return self.status is ResponseStatus.SUBMITTED

    def __repr__(self) -> str:
        return f"<SurveyResponse {self.survey_id}/{self.company_id} {self.status.value}>"
