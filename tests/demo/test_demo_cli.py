"""`flask --app incubator demo`: invented Vietnamese data, one user per role, twice without duplicates."""

import sqlalchemy as sa

from incubator.auth.enums import Role
from incubator.auth.models import User
from incubator.companies.models import Company, Residency
from incubator.companies.taxcode import is_valid
from incubator.partners.models import Partner
from incubator.targets.models import Target


def _counts(db):
    from incubator.applications.models import IntakeRound

    return {m.__name__: db.session.scalar(sa.select(sa.func.count()).select_from(m))
            for m in (Partner, Company, Residency, User, Target, IntakeRound)}


def test_demo_loads_plausible_data_and_prints_every_login(runner, db):
    result = runner.invoke(args=["demo", "--no-upgrade"])
    assert result.exit_code == 0, result.output
    for role in Role:
        assert role.value in result.output
    counts = _counts(db)
    assert counts["Partner"] == 3 and counts["Company"] >= 30
    # The city's three targets, and each incubator's own copies of them.
    from incubator.organisation.models import Incubator

    city = db.session.scalars(sa.select(Target).where(Target.incubator_id.is_(None))).all()
    assert sorted(t.code for t in city) == ["CERT5", "GRAD10", "IT70"]
    incubators = db.session.scalar(sa.select(sa.func.count()).select_from(Incubator))
    assert counts["Target"] == 3 * (1 + incubators)
    assert {p.short_name for p in db.session.scalars(sa.select(Partner))} == {"VINASA", "MISA", "Weangles"}
    companies = list(db.session.scalars(sa.select(Company)))
    assert all(is_valid(c.tax_code) for c in companies)
    assert {c.is_it for c in companies} == {True, False}
    kinds = {r.kind for r in db.session.scalars(sa.select(Residency))}
    assert len(kinds) >= 4
    years = {r.starts_on.year for r in db.session.scalars(sa.select(Residency))}
    assert years == {2023, 2024, 2025}
    # Across the network: with two incubators and none chosen, ``roles`` holds only those held network-wide.
    roles = set().union(*(u.roles_everywhere for u in db.session.scalars(sa.select(User))))
    assert roles == set(Role)
    from incubator.applications.models import IntakeRound
    from incubator.db import utcnow

    now = utcnow()
    rounds = list(db.session.scalars(sa.select(IntakeRound).join(Incubator)
                                     .where(Incubator.code == "VUHN").order_by(IntakeRound.id)))
    open_rounds = [r for r in rounds if r.is_open(now)]
    assert len(open_rounds) == 1 and len(open_rounds[0].questions) == 5
    # A closed round under review: the demo reviewer has applications waiting, others have scored theirs.
    from incubator.reviews.enums import ReviewStatus
    from incubator.reviews.models import Assignment, Review

    assert len(rounds) == 2 and rounds[1].closes_at < now
    waiting = db.session.scalars(sa.select(Assignment).join(User, User.id == Assignment.reviewer_id)
                                 .where(User.email == "chuyengia@vuonuom.example")).all()
    assert waiting and all(a.review is None for a in waiting)
    submitted = db.session.scalar(sa.select(sa.func.count()).select_from(Review)
                                  .where(Review.status == ReviewStatus.SUBMITTED))
    assert submitted == 36 - len(waiting)


def test_demo_twice_duplicates_nothing(runner, db):
    assert runner.invoke(args=["demo", "--no-upgrade"]).exit_code == 0
    first = _counts(db)
    result = runner.invoke(args=["demo", "--no-upgrade"])
    assert result.exit_code == 0
    assert "(0 rows created this time)" in result.output
    assert _counts(db) == first


def test_demo_users_can_log_in_with_the_printed_password(runner, client, db):
    from incubator.demo.data import DEMO_PASSWORD
    from tests.helpers import post_form

    runner.invoke(args=["demo", "--no-upgrade"])
    response = post_form(client, "/login", {"email": "canbo@vuonuom.example", "password": DEMO_PASSWORD},
                         token_from="/login")
    assert response.status_code == 302
    assert client.get("/home/staff").status_code == 200


def test_demo_is_refused_where_production_is_configured(app, runner, db, monkeypatch):
    """A secret key in the settings with debug and testing off is an installation meant to serve: the demo's
    accounts, whose password is published, never go there. --debug (a development copy) or --force does."""
    monkeypatch.setitem(app.config, "TESTING", False)
    monkeypatch.setitem(app.config, "SECRET_KEY_CONFIGURED", True)
    result = runner.invoke(args=["demo", "--no-upgrade"])
    assert result.exit_code != 0
    assert "configured for production" in result.output and "--force" in result.output
    assert _counts(db)["User"] == 0 and _counts(db)["Company"] == 0
    monkeypatch.setitem(app.config, "DEBUG", True)
    assert runner.invoke(args=["demo", "--no-upgrade"]).exit_code == 0


def test_demo_is_refused_on_a_database_with_real_accounts(runner, db, make):
    make.user(Role.ADMIN, email="giamdoc@vuonuom.gov.vn")
    result = runner.invoke(args=["demo", "--no-upgrade"])
    assert result.exit_code != 0
    assert "giamdoc@vuonuom.gov.vn" in result.output
    assert _counts(db)["Company"] == 0 and _counts(db)["User"] == 1
    result = runner.invoke(args=["demo", "--no-upgrade", "--force"])
    assert result.exit_code == 0, result.output
    assert _counts(db)["Company"] >= 30
