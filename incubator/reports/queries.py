"""Read side of the periodic reports: what officials read (the finalised ones), without loading their PDFs."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import defer

from incubator.extensions import db
from incubator.reports.models import PeriodicReport


def latest_final() -> PeriodicReport | None:
    """The finalised report of the latest period (its latest version), its figures and PDFs left unread."""
    return db.session.scalar(
        sa.select(PeriodicReport).where(PeriodicReport.status == "final")
        .options(defer(PeriodicReport.pdf_vi), defer(PeriodicReport.pdf_en), defer(PeriodicReport.snapshot))
        .order_by(PeriodicReport.period_end.desc(), PeriodicReport.version.desc(), PeriodicReport.id.desc())
        .limit(1))
