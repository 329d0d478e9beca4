"""Periodic reports to the Department: a draft, then finalised with a snapshot of its figures and its PDFs."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from incubator import uploads
from incubator.db import UTCDateTime, utcnow
from incubator.enums import enum_column
from incubator.extensions import db
from incubator.organisation.models import IncubatorScoped
from incubator.reports.enums import NameKind, RenderKind, RenderStatus, ReportStatus


class PeriodicReport(IncubatorScoped, db.Model):
    __tablename__ = "periodic_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str | None] = mapped_column(sa.String(60))  # "Số: 12/BC-VƯTT"
    period_label: Mapped[str] = mapped_column(sa.String(20))  # 2025-Q2, 2025-H1, 2025, or "custom"
    period_start: Mapped[date]
    period_end: Mapped[date]
    issued_on: Mapped[date | None]
    shortcomings: Mapped[str | None] = mapped_column(sa.Text)
    next_tasks: Mapped[str | None] = mapped_column(sa.Text)
    recommendations: Mapped[str | None] = mapped_column(sa.Text)
    recipients: Mapped[str | None] = mapped_column(sa.Text)
    signer_position: Mapped[str | None] = mapped_column(sa.String(200))
    signer_name: Mapped[str | None] = mapped_column(sa.String(200))
    status: Mapped[ReportStatus] = mapped_column(enum_column(ReportStatus, 10), default=ReportStatus.DRAFT)
    snapshot: Mapped[dict | None] = mapped_column(sa.JSON)  # the figures as finalised
    names: Mapped[dict | None] = mapped_column(sa.JSON)  # the bodies' names it was issued with, by language
    pdf_vi: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    pdf_en: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    version: Mapped[int] = mapped_column(default=1)
    supersedes_id: Mapped[int | None] = mapped_column(sa.ForeignKey("periodic_reports.id"))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finalised_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version_id: Mapped[int] = mapped_column(default=1)

    created_by = relationship("User")

    __mapper_args__ = {"version_id_col": version_id}
    __table_args__ = (sa.CheckConstraint("period_end >= period_start", name="period_ordered"),)

    @property
    def is_final(self) -> bool:
        return self.status == ReportStatus.FINAL


class BodyName(IncubatorScoped, db.Model):
    """A name a report prints (a body, the place, the signer's title), in both languages, from the day it
    applies until the day it stops (both inclusive; open-ended while it lasts). A report takes the names of its
    incubator in force on its period's last day: each incubator keeps its own (its issuing body is the
    organisation that runs it)."""

    __tablename__ = "report_names"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[NameKind] = mapped_column(enum_column(NameKind, 20))
    name_vi: Mapped[str] = mapped_column(sa.String(300))
    name_en: Mapped[str] = mapped_column(sa.String(300))
    valid_from: Mapped[date]
    valid_until: Mapped[date | None]
    position: Mapped[int] = mapped_column(default=0)  # the order of the addressees
    version_id: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version_id}
    __table_args__ = (sa.CheckConstraint("valid_until IS NULL OR valid_until >= valid_from", name="dates_ordered"),)

    @property
    def is_addressee(self) -> bool:
        """One of the addressees, printed in their order."""
        return self.kind is NameKind.ADDRESSEE

    def in_force(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or self.valid_until >= day)

    def in_language(self, lang: str) -> str:
        return self.name_en if lang == "en" and self.name_en else self.name_vi


class ReportRender(db.Model):
    """A report's PDF drawn in the background (reports.renders): at the city's scale a report takes seconds to
    draw, too long to hold a page open. Asked for on a report's page (a draft's, or the city's report of a
    period), taken by a worker thread of the server that was asked (or by ``flask reports render``), and kept
    in the upload store (kind "renders") where every server reaches it; a finalised report's PDFs go into the
    report itself. City-wide table: a render of an incubator's report names the report (and so its incubator:
    ``incubator_id`` copies it for the listing), the city's report has none."""

    __tablename__ = "report_renders"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[RenderKind] = mapped_column(enum_column(RenderKind, 10))
    report_id: Mapped[int | None] = mapped_column(sa.ForeignKey("periodic_reports.id", ondelete="CASCADE"),
                                                  index=True)
    incubator_id: Mapped[int | None] = mapped_column(sa.ForeignKey("incubators.id"))
    period: Mapped[str | None] = mapped_column(sa.String(20))  # the city's report: 2025, 2025-H1, 2025-Q2
    lang: Mapped[str] = mapped_column(sa.String(2))
    requested_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    status: Mapped[RenderStatus] = mapped_column(enum_column(RenderStatus, 10), default=RenderStatus.QUEUED)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    stored_name: Mapped[str | None] = mapped_column(sa.String(100))  # uploads kind "renders"
    size: Mapped[int | None]
    error: Mapped[str | None] = mapped_column(sa.String(500))

    report = relationship(PeriodicReport)

    __table_args__ = (sa.CheckConstraint("lang IN ('vi', 'en')", name="lang_known"),)

    # What pages ask of a render, by name (see incubator/enums.py).
    @property
    def is_in_progress(self) -> bool:
        return self.status in (RenderStatus.QUEUED, RenderStatus.RUNNING)

    @property
    def is_running(self) -> bool:
        return self.status is RenderStatus.RUNNING

    @property
    def is_failed(self) -> bool:
        return self.status is RenderStatus.FAILED

    @property
    def seconds(self) -> float | None:
        """How long it took to draw (or has been drawing)."""
        if self.started_at is None:
            return None
        return ((self.finished_at or utcnow()) - self.started_at).total_seconds()


uploads.register_references("renders", ReportRender.stored_name)
