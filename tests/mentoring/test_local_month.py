"""A session keeps the Hà Nội month it starts in (MentoringSession.local_month), from which a partner's hours are
summed by month: right at the month's edges, after a reschedule, and as the migration worked it out."""

from __future__ import annotations

import importlib.util
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from incubator.mentoring import queries
from incubator.mentoring.enums import SessionStatus

MIGRATION = next((Path(__file__).resolve().parents[2] / "migrations" / "versions")
                 .glob("*_mentoring_sessions_local_month.py"))

# (UTC instant, Hà Nội month): 17:00 UTC is midnight in Hà Nội (UTC+7, no summer time).
EDGES = [
    (datetime(2026, 1, 31, 16, 59, tzinfo=UTC), "2026-01"),
    (datetime(2026, 1, 31, 17, 0, tzinfo=UTC), "2026-02"),
    (datetime(2025, 12, 31, 17, 30, tzinfo=UTC), "2026-01"),
    (datetime(2024, 2, 29, 16, 0, tzinfo=UTC), "2024-02"),
    (datetime(2024, 2, 29, 18, 0, tzinfo=UTC), "2024-03"),
]


def test_the_month_is_that_of_hanoi_at_the_edges_and_follows_a_reschedule(make, db):
    assignment = make.mentor_assignment()
    sessions = [make.mentoring_session(assignment, starts_at=at) for at, _ in EDGES]
    db.session.expire_all()
    assert [s.local_month for s in sessions] == [month for _, month in EDGES]

    moved = sessions[0]
    moved.starts_at = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)
    db.session.commit()
    db.session.expire_all()
    assert moved.local_month == "2026-03"


def test_the_migration_worked_out_each_month_as_the_model_does(make, db):
    spec = importlib.util.spec_from_file_location("local_month_migration", MIGRATION)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    expression = migration.LOCAL_MONTH_SQL[db.engine.dialect.name]

    assignment = make.mentor_assignment()
    ids = [make.mentoring_session(assignment, starts_at=at).id for at, _ in EDGES]
    by_sql = dict(db.session.execute(sa.text(f"SELECT id, {expression} FROM mentoring_sessions")).all())
    assert [by_sql[i] for i in ids] == [month for _, month in EDGES]


def test_a_partners_hours_fall_in_the_months_of_hanoi(make, db):
    assignment = make.mentor_assignment()
    partner = assignment.mentor.partner
    for at, _ in EDGES[:3]:
        make.mentoring_session(assignment, starts_at=at, minutes=90, status=SessionStatus.CONFIRMED)
    make.mentoring_session(assignment, starts_at=EDGES[3][0], minutes=60, status=SessionStatus.DISPUTED)

    page = queries.partner_page(partner, date(2026, 3, 1))
    assert dict(page["hours"].by_month) == {"2026-01": pytest.approx(3.0), "2026-02": pytest.approx(1.5)}
    assert page["hours"].total == pytest.approx(4.5) and page["hours"].sessions == 3
    assert queries.hours(partner_id=partner.id).by_month == {"2026-01": pytest.approx(3.0),
                                                            "2026-02": pytest.approx(1.5)}
