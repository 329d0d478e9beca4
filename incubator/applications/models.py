"""Intake rounds (with their questions and required documents) and the applications made to them."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from incubator import uploads
from incubator.applications.eligibility import SectorKind
from incubator.applications.enums import DECIDED, ApplicationStatus, QuestionKind
from incubator.db import UTCDateTime, utcnow
from incubator.enums import enum_column
from incubator.extensions import db
from incubator.i18n import localised as _localised
from incubator.organisation.models import IncubatorScoped


class IntakeRound(IncubatorScoped, db.Model):
    __tablename__ = "intake_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    name_vi: Mapped[str] = mapped_column(sa.String(200))
    name_en: Mapped[str] = mapped_column(sa.String(200))
    description_vi: Mapped[str | None] = mapped_column(sa.Text)
    description_en: Mapped[str | None] = mapped_column(sa.Text)
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime())
    cohort_name: Mapped[str | None] = mapped_column(sa.String(200))
    # Per-rule parameters laid over eligibility.DEFAULT_PARAMETERS.
    eligibility: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version_id: Mapped[int] = mapped_column(default=1)

    questions: Mapped[list[RoundQuestion]] = relationship(back_populates="round", cascade="all, delete-orphan",
                                                          order_by="RoundQuestion.position")
    documents: Mapped[list[RoundDocument]] = relationship(back_populates="round", cascade="all, delete-orphan",
                                                          order_by="RoundDocument.position")

    __mapper_args__ = {"version_id_col": version_id}
    __table_args__ = (sa.CheckConstraint("closes_at > opens_at", name="closes_after_opening"),)

    @property
    def name(self) -> str:
        return _localised(self.name_vi, self.name_en)

    @property
    def description(self) -> str:
        return _localised(self.description_vi, self.description_en)

    def is_open(self, now: datetime) -> bool:
        return self.opens_at <= now < self.closes_at


class QuestionWording:
    """What a question of a form founders fill (a round's, a survey's) says, in the page's language: its label,
    its choices' labels, an answer in words. The class has label_vi/label_en and choices columns."""

    @property
    def label(self) -> str:
        return _localised(self.label_vi, self.label_en)

    def choice_label(self, value) -> str:
        """The label of one of the question's choices, in the page's language (the value when none matches)."""
        for choice in self.choices or []:
            if choice.get("value") == value:
                return _localised(choice.get("label_vi"), choice.get("label_en"))
        return str(value)

    def answer_text(self, value) -> str:
        """An answer to this question as people read it (see applications/answers.py)."""
        from incubator.applications.answers import answer_text

        return answer_text(self, value)


class RoundQuestion(QuestionWording, IncubatorScoped, db.Model):
    __tablename__ = "round_questions"
    __incubator_from__ = "round"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("intake_rounds.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[QuestionKind] = mapped_column(enum_column(QuestionKind))
    label_vi: Mapped[str] = mapped_column(sa.String(500))
    label_en: Mapped[str] = mapped_column(sa.String(500))
    help_vi: Mapped[str | None] = mapped_column(sa.String(1000))
    help_en: Mapped[str | None] = mapped_column(sa.String(1000))
    required: Mapped[bool] = mapped_column(default=False)
    max_length: Mapped[int | None]
    # For choices: [{"value": "...", "label_vi": "...", "label_en": "..."}]
    choices: Mapped[list] = mapped_column(sa.JSON, default=list)
    # A question cannot be removed once applications exist; it can be hidden.
    hidden: Mapped[bool] = mapped_column(default=False)

    round: Mapped[IntakeRound] = relationship(back_populates="questions")


class RoundDocument(IncubatorScoped, db.Model):
    __tablename__ = "round_documents"
    __incubator_from__ = "round"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("intake_rounds.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    name_vi: Mapped[str] = mapped_column(sa.String(300))
    name_en: Mapped[str] = mapped_column(sa.String(300))
    required: Mapped[bool] = mapped_column(default=True)

    round: Mapped[IntakeRound] = relationship(back_populates="documents")

    @property
    def name(self) -> str:
        return _localised(self.name_vi, self.name_en)


class Application(IncubatorScoped, db.Model):
    __tablename__ = "applications"
    # The round's incubator, whichever incubator the founder came from.
    __incubator_from__ = "round"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("intake_rounds.id"), index=True)
    company_id: Mapped[int] = mapped_column(sa.ForeignKey("companies.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    status: Mapped[ApplicationStatus] = mapped_column(enum_column(ApplicationStatus),
                                                      default=ApplicationStatus.DRAFT, index=True)
    # Given at submission, e.g. VU-2025-0042; unique, so a double submission cannot number twice.
    reference: Mapped[str | None] = mapped_column(sa.String(20), unique=True)
    answers: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    # What the founder declares for the eligibility rules.
    is_public_company: Mapped[bool | None]
    sector_kind: Mapped[SectorKind | None] = mapped_column(enum_column(SectorKind))
    employees: Mapped[int | None]
    revenue: Mapped[Decimal | None] = mapped_column(sa.Numeric(18, 0))
    capital: Mapped[Decimal | None] = mapped_column(sa.Numeric(18, 0))
    # The checklist's summary as of the last save (passed / failed / staff), so lists filter on it in SQL.
    eligibility_summary: Mapped[str | None] = mapped_column(sa.String(10), index=True)
    # Staff may let one application through a failed hard rule, with a written reason (audited).
    eligibility_override: Mapped[str | None] = mapped_column(sa.String(1000))
    # Staff's judgement of the novelty rule (None: not judged yet), with who, when and why (audited).
    novelty_met: Mapped[bool | None]
    novelty_note: Mapped[str | None] = mapped_column(sa.String(1000))
    novelty_judged_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    novelty_judged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version_id: Mapped[int] = mapped_column(default=1)

    round: Mapped[IntakeRound] = relationship()
    company = relationship("Company")
    created_by = relationship("User", foreign_keys=[created_by_id])
    novelty_judged_by = relationship("User", foreign_keys=[novelty_judged_by_id])
    documents: Mapped[list[ApplicationDocument]] = relationship(back_populates="application",
                                                                cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version_id}
    __table_args__ = (
        # One application per company per round.
        sa.UniqueConstraint("round_id", "company_id", name="uq_applications_round_company"),
        sa.CheckConstraint("employees IS NULL OR employees >= 0", name="employees_positive"),
        sa.CheckConstraint("revenue IS NULL OR revenue >= 0", name="revenue_positive"),
        sa.CheckConstraint("capital IS NULL OR capital >= 0", name="capital_positive"),
        # The report to the Department counts applications received and accepted in a period. (Led by the status,
        # as ix_applications_status is: SQLite's planner, without statistics, prefers an equality to a range.)
        sa.Index("ix_applications_submitted_at", "submitted_at"),
        sa.Index("ix_applications_status_decided_at", "status", "decided_at"),
    )

    # What pages ask of an application, by name (see incubator/enums.py).
    @property
    def is_draft(self) -> bool:
        """Not sent yet: it has no copy of what was sent, only its summary."""
        return self.status is ApplicationStatus.DRAFT

    @property
    def is_withdrawn(self) -> bool:
        return self.status is ApplicationStatus.WITHDRAWN

    @property
    def may_be_withdrawn(self) -> bool:
        """Its founders may still withdraw it (services.withdraw): not decided, and its state allows it."""
        return self.status not in DECIDED and self.status.allows(ApplicationStatus.WITHDRAWN)

    @property
    def novelty_judgeable(self) -> bool:
        """Staff judge its novelty once it is submitted, and not after it is withdrawn (services.judge_novelty)."""
        return self.status not in (ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN)


class ApplicationDocument(IncubatorScoped, db.Model):
    __tablename__ = "application_documents"
    __incubator_from__ = ("application", "document")

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int] = mapped_column(sa.ForeignKey("round_documents.id"))
    stored_name: Mapped[str] = mapped_column(sa.String(100))
    original_name: Mapped[str] = mapped_column(sa.String(255))
    size: Mapped[int]
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    uploaded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))

    application: Mapped[Application] = relationship(back_populates="documents")
    document: Mapped[RoundDocument] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("application_id", "document_id", name="uq_application_documents_slot"),
    )


# A document's PDF is an upload: replaced, or its row deleted, the file is deleted after the commit;
# `flask uploads prune` knows which files are in use (incubator/uploads.py).
uploads.register_references("applications", ApplicationDocument.stored_name)
