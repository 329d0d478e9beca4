"""The counter the dashboard reads to know whether the figures it remembers are still today's (issue 23): raised
when a transaction that wrote what the targets count (a business, a residency, an outcome, a certificate)
commits, whatever the door, and by nothing else; a rolled-back write does not raise it."""

from __future__ import annotations

from datetime import date

from incubator.applications.enums import ApplicationStatus
from incubator.extensions import db
from incubator.targets import freshness


def _raised(action) -> bool:
    before = freshness.counter()
    action()
    db.session.commit()
    return freshness.counter() != before


def test_every_write_to_what_the_targets_count_raises_it(make):
    company = make.company()
    assert freshness.counter() != 0  # the business's own write created the row
    residency = make.residency(company=company)

    def end():
        residency.ends_on = date(2025, 6, 30)

    def no_longer_it():
        company.is_it = False

    assert _raised(end)
    assert _raised(no_longer_it)
    assert _raised(lambda: make.outcome(company=company))
    assert _raised(lambda: db.session.delete(residency))


def test_other_writes_and_rolled_back_ones_leave_it(make):
    company = make.company()
    application = make.application(company=company, status=ApplicationStatus.DRAFT)
    before = freshness.counter()

    def autosave():
        application.answers = {"summary": "Nền tảng số cho phường xã"}

    assert not _raised(autosave)
    assert not _raised(lambda: make.cohort())
    company.is_it = not company.is_it
    db.session.flush()
    assert freshness.counter() == before  # raised at the commit, not at each flush ...
    db.session.rollback()
    assert freshness.counter() == before  # ... and a rolled-back write never raises it
    db.session.commit()  # nothing left over from the rolled-back write
    assert freshness.counter() == before
