"""A periodic report's status is an enumeration stored as its value ("draft", "final"); a draft is finalised
once, through reports.services.finalise, the one door, which refuses a report already final."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from incubator.auth.enums import Role
from incubator.errors import DomainError
from incubator.reports import services
from incubator.reports.enums import TRANSITIONS, ReportStatus
from incubator.reports.models import PeriodicReport


def test_a_draft_becomes_final_and_a_final_report_stays_so():
    assert {status: set(targets) for status, targets in TRANSITIONS.items()} == {
        ReportStatus.DRAFT: {ReportStatus.FINAL}, ReportStatus.FINAL: set()}
    assert ReportStatus.DRAFT.allows("final") and not ReportStatus.FINAL.allows(ReportStatus.DRAFT)


def test_the_status_is_stored_as_its_value_and_read_back_as_the_enum(make, db):
    staff = make.user(Role.STAFF)
    report = services.create(actor=staff, period_label="2025-Q2", start=date(2025, 4, 1), end=date(2025, 6, 30))
    db.session.commit()
    db.session.expire_all()
    assert report.status is ReportStatus.DRAFT and not report.is_final
    stored = db.session.execute(sa.text("SELECT status FROM periodic_reports WHERE id = :id"),
                                {"id": report.id}).scalar_one()
    assert stored == "draft"


def test_finalising_a_final_report_is_refused(make, db):
    staff = make.user(Role.STAFF)
    report = PeriodicReport(period_label="2025", period_start=date(2025, 1, 1), period_end=date(2025, 12, 31),
                            status=ReportStatus.FINAL, number="1/BC")
    db.session.add(report)
    db.session.commit()
    with pytest.raises(DomainError):
        services.finalise(report, actor=staff)
    assert db.session.execute(sa.text("SELECT status FROM periodic_reports")).scalar_one() == "final"


def test_a_report_finalised_without_a_date_is_issued_on_the_day_in_ha_noi(make, db, monkeypatch):
    """At 00:30 on 1 January in Hà Nội it is still 31 December in UTC: the report is dated 01/01."""
    from datetime import UTC, datetime

    from incubator import db as base

    staff = make.user(Role.STAFF)
    report = services.create(actor=staff, period_label="2025", start=date(2025, 1, 1), end=date(2025, 12, 31))
    report.number = "1/BC-VUON"
    db.session.commit()
    monkeypatch.setattr(base, "utcnow", lambda: datetime(2025, 12, 31, 17, 30, tzinfo=UTC))
    services.finalise(report, actor=staff)
    db.session.commit()
    assert report.issued_on == date(2026, 1, 1) and report.is_final
