"""A startup's consent for a fund manager to see its file, and each fund manager's private pipeline."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from incubator.db import UTCDateTime, utcnow
from incubator.enums import enum_column
from incubator.extensions import db
from incubator.funding.enums import Instrument, PipelineStage
from incubator.organisation.models import IncubatorScoped


class Consent(IncubatorScoped, db.Model):
    """While granted and not withdrawn, the fund manager's people may see the startup's profile and latest
    progress report. A withdrawal keeps the row (history); a new grant is a new row."""

    __tablename__ = "fund_consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(sa.ForeignKey("companies.id"), index=True)
    partner_id: Mapped[int] = mapped_column(sa.ForeignKey("partners.id"), index=True)
    granted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    company = relationship("Company")
    partner = relationship("Partner")


class PipelineEntry(IncubatorScoped, db.Model):
    __tablename__ = "fund_pipeline"

    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(sa.ForeignKey("partners.id"), index=True)
    company_id: Mapped[int] = mapped_column(sa.ForeignKey("companies.id"), index=True)
    stage: Mapped[PipelineStage] = mapped_column(enum_column(PipelineStage), default=PipelineStage.SCREENING)
    stage_on: Mapped[date]
    notes: Mapped[str | None] = mapped_column(sa.Text)
    amount: Mapped[Decimal | None] = mapped_column(sa.Numeric(18, 0))
    instrument: Mapped[Instrument | None] = mapped_column(enum_column(Instrument))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    version_id: Mapped[int] = mapped_column(default=1)

    company = relationship("Company")
    moves: Mapped[list[PipelineMove]] = relationship(back_populates="entry", order_by="PipelineMove.id")

    __mapper_args__ = {"version_id_col": version_id}
    __table_args__ = (
        sa.UniqueConstraint("partner_id", "company_id", name="uq_fund_pipeline_pair"),
        sa.CheckConstraint("amount IS NULL OR amount >= 0", name="amount_positive"),
    )


class PipelineMove(IncubatorScoped, db.Model):
    __tablename__ = "fund_pipeline_moves"
    __incubator_from__ = "entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(sa.ForeignKey("fund_pipeline.id"), index=True)
    from_stage: Mapped[PipelineStage | None] = mapped_column(enum_column(PipelineStage))
    to_stage: Mapped[PipelineStage] = mapped_column(enum_column(PipelineStage))
    moved_on: Mapped[date]
    moved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    entry: Mapped[PipelineEntry] = relationship(back_populates="moves")
