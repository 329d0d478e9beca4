"""Fixtures for the whole suite.

The schema is built once per run by the migrations (``flask db upgrade``), on SQLite in a temporary folder,
or on the PostgreSQL database named by INCUBATOR_TEST_DATABASE_URL. Every test then starts from empty
tables. Factories (``make``) create every model; ``login`` logs a test client in through the login form.
"""

from __future__ import annotations

import os
import shutil
import threading
from datetime import date, datetime, time, timedelta
from time import sleep

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher
from flask.globals import _cv_app
from flask.testing import FlaskClient

from incubator import create_app, security
from incubator.extensions import db as _db
from tests.helpers import PASSWORD, login

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
PG_URL = os.environ.get("INCUBATOR_TEST_DATABASE_URL")
MIDNIGHT_MARGIN = timedelta(minutes=10)  # longer than the slowest test that compares two readings (one_hanoi_day)

# argon2 with the application's parameters takes a good part of a second by design, and nearly every test logs
# someone in: the suite hashes and verifies with argon2's cheapest parameters instead (set before any
# application is created, so that the stand-in hash of unknown addresses has them too). The tests about that
# cost (timing, bursts of logins) ask for ``real_password_hashing``.
PRODUCTION_HASHER = security._hasher
security._hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


def pytest_collection_modifyitems(items):
    """A browser test is a slow one too: ``pytest -m "not slow"`` leaves it out with the fuzzers, the scans,
    the walks over every route and the tests that start workers or servers."""
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.slow)


def require_or_skip(condition: bool, reason: str) -> None:
    """On a newcomer's machine a missing browser or server skips with the reason; in CI it fails."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI must provide this: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    if PG_URL:
        return PG_URL
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite")


class IsolatedClient(FlaskClient):
    """Each request gets its own application context (its own ``g`` and database session), as in
    production, even though the test itself runs inside one. The test's transaction is ended before and
    after each request, so the test sees what the request committed."""

    def open(self, *args, **kwargs):
        from flask import has_app_context

        outer = has_app_context()  # a test's own thread; other threads (parallel requests) have none
        if outer:
            _db.session.commit()
        token = _cv_app.set(None)
        try:
            return super().open(*args, **kwargs)
        finally:
            _cv_app.reset(token)
            if outer:
                _db.session.commit()


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SERVER_NAME": None,
        "PUBLIC_URL": "http://localhost",
        "MAIL_SERVER": None,
        "REPORT_RENDERS": "inline",  # a report's PDF drawn in the request; tests of the background set it
    })
    app.instance_path = str(tmp_path_factory.mktemp("instance"))
    app.test_client_class = IsolatedClient
    with app.app_context():
        if database_url.startswith("postgresql"):
            with _db.engine.begin() as conn:
                conn.exec_driver_sql("DROP SCHEMA public CASCADE")
                conn.exec_driver_sql("CREATE SCHEMA public")
        from flask_migrate import upgrade

        upgrade()
        _db.engine.dispose()
    return app


TABLES_IN_DELETE_ORDER = None


def _empty_tables():
    global TABLES_IN_DELETE_ORDER
    if TABLES_IN_DELETE_ORDER is None:
        TABLES_IN_DELETE_ORDER = list(reversed(_db.metadata.sorted_tables))
    _db.session.rollback()
    _db.session.close()
    with _db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            names = ", ".join(t.name for t in TABLES_IN_DELETE_ORDER)
            conn.exec_driver_sql(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
        else:
            for table in TABLES_IN_DELETE_ORDER:
                conn.execute(table.delete())
    # An installation always has an incubator (the migrations create VUHN): the rows the factories make go to it.
    from incubator.certificates.services import ensure_default_standards
    from incubator.organisation.services import ensure_default

    ensure_default()
    ensure_default_standards()  # the migrations seed the four recognised standards too
    _db.session.commit()


@pytest.fixture(autouse=True)
def app_ctx(app):
    """Every test runs inside an application context on empty tables."""
    with app.app_context():
        _empty_tables()
        yield app
        _db.session.rollback()
        _db.session.close()


@pytest.fixture
def db(app_ctx):
    return _db


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def client_factory(app):
    return app.test_client


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


# ---- Factories --------------------------------------------------------------------------------------------

_hash_cache: dict[tuple, str] = {}


def password_hash(password: str = PASSWORD) -> str:
    """The hash of ``password``, made once per hasher's parameters."""
    key = (security._hasher.time_cost, security._hasher.memory_cost, security._hasher.parallelism, password)
    if key not in _hash_cache:
        _hash_cache[key] = security.hash_password(password)
    return _hash_cache[key]


@pytest.fixture
def real_password_hashing(monkeypatch):
    """argon2 with the application's own parameters for this test: its accounts, logins and the stand-in hash
    of unknown addresses cost what they cost in production."""
    monkeypatch.setattr(security, "_hasher", PRODUCTION_HASHER)
    monkeypatch.setattr(security, "_dummy_hashes", [PRODUCTION_HASHER.hash(security.new_token())])


class Factory:
    """Creates committed rows of every model, with plausible defaults and a counter for unique keys."""

    def __init__(self):
        self.n = 0

    def _next(self) -> int:
        self.n += 1
        return self.n

    def _save(self, obj):
        _db.session.add(obj)
        _db.session.commit()
        return obj

    def partner(self, **kw):
        from incubator.partners.enums import PartnerKind
        from incubator.partners.models import Partner

        n = self._next()
        kw.setdefault("kind", PartnerKind.SOFTWARE_COMPANY)
        kw.setdefault("name", f"Công ty Đối tác Số {n}")
        return self._save(Partner(**kw))

    def user(self, *roles, incubator=None, **kw):
        """A person with these roles (a founder by default); a role held in an incubator (staff, reviewer, mentor,
        fund manager) is held in ``incubator`` (a record or id), else in the one chosen, else in the first."""
        from incubator.auth.enums import ROLES_IN_AN_INCUBATOR, Role
        from incubator.auth.models import User, UserRole
        from incubator.db import utcnow
        from incubator.organisation.current import chosen_incubator_id
        from incubator.organisation.models import Incubator
        from incubator.partners.enums import PartnerKind

        if incubator is None:
            incubator = chosen_incubator_id() or _db.session.scalar(sa.select(sa.func.min(Incubator.id)))
        incubator_id = getattr(incubator, "id", incubator)
        n = self._next()
        roles = roles or (Role.FOUNDER,)
        kw.setdefault("email", f"nguoi{n}@vuonuom.example")
        kw.setdefault("full_name", f"Nguyễn Văn Thử {n}")
        kw.setdefault("password_hash", password_hash(kw.pop("password", PASSWORD)))
        kw.setdefault("email_verified_at", utcnow())
        if "partner" not in kw and (Role.MENTOR in roles or Role.FUND_MANAGER in roles):
            kind = PartnerKind.FUND_MANAGER if Role.FUND_MANAGER in roles else PartnerKind.SOFTWARE_COMPANY
            kw["partner"] = self.partner(kind=kind)
        user = User(**kw)
        user.role_rows.extend(UserRole(role=Role(r), incubator_id=incubator_id if Role(r) in ROLES_IN_AN_INCUBATOR
                                       else None) for r in roles)
        return self._save(user)

    def company(self, **kw):
        from incubator.companies.models import Company
        from incubator.demo.data import demo_tax_code

        n = self._next()
        kw.setdefault("tax_code", demo_tax_code(5000 + n))
        kw.setdefault("name", f"Công ty TNHH Công nghệ Thử nghiệm {n}")
        kw.setdefault("is_it", True)
        kw.setdefault("founded_on", date(2023, 1, 1))
        if "verified_at" not in kw:  # as staff enter or import a business; a founder's new one is not verified
            from incubator.db import utcnow

            kw["verified_at"] = utcnow()
        return self._save(Company(**kw))

    def member(self, company=None, user=None, **kw):
        from incubator.companies.enums import MembershipStatus
        from incubator.companies.models import CompanyMember

        kw.setdefault("status", MembershipStatus.APPROVED)
        return self._save(CompanyMember(company=company or self.company(), user=user or self.user(), **kw))

    def residency(self, company=None, **kw):
        from incubator.companies.enums import ResidencyKind
        from incubator.companies.models import Residency

        kw.setdefault("kind", ResidencyKind.INCUBATED)
        kw.setdefault("starts_on", date(2024, 1, 1))
        return self._save(Residency(company=company or self.company(), **kw))

    def intake_round(self, **kw):
        from datetime import UTC, datetime, timedelta

        from incubator.applications.models import IntakeRound

        n = self._next()
        now = datetime.now(UTC)
        kw.setdefault("name_vi", f"Đợt tuyển chọn {n}")
        kw.setdefault("name_en", f"Intake round {n}")
        kw.setdefault("opens_at", now - timedelta(days=7))
        kw.setdefault("closes_at", now + timedelta(days=30))
        return self._save(IntakeRound(**kw))

    def application(self, intake_round=None, company=None, created_by=None, **kw):
        from incubator.applications.models import Application

        return self._save(Application(round=intake_round or self.intake_round(), company=company or self.company(),
                                      created_by=created_by or self.user(), **kw))

    def review_stage(self, intake_round=None, criteria=((1, 1, 5), (1, 1, 5)), **kw):
        """A stage with simple criteria given as (weight, scale_min, scale_max)."""
        from datetime import UTC, datetime, timedelta

        from incubator.reviews.models import Criterion, ReviewStage

        n = self._next()
        kw.setdefault("name_vi", f"Vòng đánh giá {n}")
        kw.setdefault("name_en", f"Review stage {n}")
        kw.setdefault("closes_at", datetime.now(UTC) + timedelta(days=14))
        kw.setdefault("position", 1)
        stage = ReviewStage(round=intake_round or self.intake_round(), **kw)
        for i, (weight, low, high) in enumerate(criteria, start=1):
            stage.criteria.append(Criterion(position=i, name_vi=f"Tiêu chí {i}", name_en=f"Criterion {i}",
                                            weight=weight, scale_min=low, scale_max=high))
        return self._save(stage)

    def stage_entry(self, stage=None, application=None, **kw):
        from incubator.applications.enums import ApplicationStatus
        from incubator.reviews.models import StageEntry

        stage = stage or self.review_stage()
        if application is None:
            application = self.application(intake_round=stage.round, status=ApplicationStatus.UNDER_REVIEW,
                                           reference=f"VU-2026-{self._next():04d}")
        return self._save(StageEntry(stage=stage, application=application, **kw))

    def assignment(self, entry=None, reviewer=None, **kw):
        from incubator.auth.enums import Role
        from incubator.reviews.enums import AssignmentStatus
        from incubator.reviews.models import Assignment, PanelMember

        entry = entry or self.stage_entry()
        reviewer = reviewer or self.user(Role.REVIEWER)
        kw.setdefault("status", AssignmentStatus.CONFIRMED)
        if not any(m.user_id == reviewer.id for m in entry.stage.panel):
            entry.stage.panel.append(PanelMember(user_id=reviewer.id))
        return self._save(Assignment(stage=entry.stage, application=entry.application, reviewer=reviewer, **kw))

    def review(self, assignment=None, values=None, submitted=True, **kw):
        """A review with one score per criterion (``values`` in the criteria's order)."""
        from incubator.db import utcnow
        from incubator.reviews.enums import ReviewStatus
        from incubator.reviews.models import Review, Score

        assignment = assignment or self.assignment()
        criteria = assignment.stage.criteria
        values = values if values is not None else [c.scale_max for c in criteria]
        kw.setdefault("submitted_at", utcnow() if submitted else None)
        review = Review(assignment=assignment, status=ReviewStatus.SUBMITTED if submitted else ReviewStatus.DRAFT,
                        **kw)
        review.scores.extend(Score(criterion_id=c.id, value=v) for c, v in zip(criteria, values, strict=True))
        review.update_total(criteria)
        return self._save(review)

    def rejection_reason(self, **kw):
        from incubator.reviews.models import RejectionReason

        n = self._next()
        kw.setdefault("label_vi", f"Lý do {n}")
        kw.setdefault("label_en", f"Reason {n}")
        kw.setdefault("position", n)
        return self._save(RejectionReason(**kw))

    def cohort(self, **kw):
        from incubator.cohorts.models import Cohort

        n = self._next()
        kw.setdefault("name", f"Khóa ươm tạo thử {n}")
        kw.setdefault("starts_on", date(2025, 1, 1))
        kw.setdefault("ends_on", date(2025, 12, 31))
        return self._save(Cohort(**kw))

    def cohort_member(self, cohort=None, company=None, **kw):
        from incubator.cohorts.models import CohortMember

        cohort = cohort or self.cohort()
        kw.setdefault("joined_on", cohort.starts_on)
        return self._save(CohortMember(cohort=cohort, company=company or self.company(), **kw))

    def mentor_assignment(self, member=None, mentor=None, **kw):
        from incubator.auth.enums import Role
        from incubator.mentoring.models import MentorAssignment

        return self._save(MentorAssignment(member=member or self.cohort_member(),
                                           mentor=mentor or self.user(Role.MENTOR), **kw))

    def mentoring_session(self, assignment=None, **kw):
        from datetime import UTC, datetime

        from incubator.mentoring.enums import SessionMode, SessionStatus
        from incubator.mentoring.models import MentoringSession

        assignment = assignment or self.mentor_assignment()
        kw.setdefault("starts_at", datetime(2025, 3, 10, 2, 0, tzinfo=UTC))
        kw.setdefault("minutes", 60)
        kw.setdefault("mode", SessionMode.IN_PERSON)
        kw.setdefault("place", "Phòng họp tầng 3")
        kw.setdefault("status", SessionStatus.HELD)
        kw.setdefault("notes", "Ghi chú riêng của cố vấn")
        return self._save(MentoringSession(
            assignment=assignment, mentor_id=assignment.mentor_id, partner_id=assignment.mentor.partner_id,
            company_id=assignment.member.company_id, cohort_id=assignment.member.cohort_id, **kw))

    def outcome(self, company=None, pillars=("economy",), **kw):
        from incubator.outcomes.enums import Decision
        from incubator.outcomes.models import GraduationOutcome

        kw.setdefault("decision", Decision.GRADUATED)
        kw.setdefault("decided_on", date(2025, 6, 30))
        kw.setdefault("evidence_text", "Hợp đồng với khách hàng")
        outcome = GraduationOutcome(company=company or self.company(), **kw)
        outcome.pillars = pillars
        return self._save(outcome)

    def target(self, **kw):
        from decimal import Decimal

        from incubator.targets.enums import TargetKind
        from incubator.targets.models import Target

        n = self._next()
        kw.setdefault("code", f"T{n}")
        kw.setdefault("name_vi", f"Chỉ tiêu {n}")
        kw.setdefault("name_en", f"Target {n}")
        kw.setdefault("kind", TargetKind.INCUBATED_IT_RATIO)
        kw.setdefault("threshold", Decimal("70"))
        return self._save(Target(**kw))

    def invitation(self, email=None, roles=("staff",), partner=None, created_by=None, **kw):
        """Returns (token, row)."""
        from datetime import timedelta

        from incubator import security
        from incubator.auth.enums import TokenPurpose
        from incubator.auth.models import AccountToken
        from incubator.db import utcnow

        token = security.new_token()
        expires_at = kw.pop("expires_at", utcnow() + timedelta(days=7))
        row = AccountToken(purpose=TokenPurpose.INVITATION, token_hash=security.token_hash(token),
                           email=email or f"moi{self._next()}@vuonuom.example",
                           payload={"full_name": "Trần Thị Mời", "roles": list(roles),
                                    "partner_id": partner.id if partner else None, "locale": "vi"},
                           created_by=created_by, expires_at=expires_at,
                           **kw)
        return token, self._save(row)

    def outbox_message(self, **kw):
        from incubator.mail.models import OutboxMessage

        n = self._next()
        kw.setdefault("to_address", f"nhan{n}@vuonuom.example")
        kw.setdefault("subject", f"Thư thử {n}")
        kw.setdefault("body_text", "Nội dung thư.")
        kw.setdefault("purpose", "test")
        return self._save(OutboxMessage(**kw))

    def audit_entry(self, **kw):
        from incubator.audit.models import AuditEntry

        kw.setdefault("action", "test.action")
        kw.setdefault("object_type", "test")
        return self._save(AuditEntry(**kw))

    def login_attempt(self, **kw):
        from incubator.auth.models import LoginAttempt

        kw.setdefault("email", "ai@vuonuom.example")
        kw.setdefault("ip_address", "127.0.0.1")
        return self._save(LoginAttempt(**kw))

    def web_session(self, user=None, **kw):
        from datetime import timedelta

        from incubator import security
        from incubator.auth.models import WebSession
        from incubator.db import utcnow

        kw.setdefault("sid_hash", security.token_hash(security.new_token()))
        kw.setdefault("expires_at", utcnow() + timedelta(days=1))
        return self._save(WebSession(user_id=user.id if user else None, **kw))


@pytest.fixture
def one_hanoi_day():
    """For a test that reads pages at two moments and compares them: both readings fall on the same day in
    Hà Nội. Pages carry today's date (a form's latest day, the days left to answer a request), so a reading
    on either side of midnight in Hà Nội differs for no fault of the code. When midnight is nearer than
    ``MIDNIGHT_MARGIN``, the test waits until it has passed."""
    from incubator.i18n import local_tz

    now = datetime.now(local_tz())
    midnight = datetime.combine(now.date() + timedelta(days=1), time(), tzinfo=now.tzinfo)
    if midnight - now < MIDNIGHT_MARGIN:
        sleep((midnight - now).total_seconds() + 1)
    day = datetime.now(local_tz()).date()
    yield
    assert datetime.now(local_tz()).date() == day, "the test ran across midnight in Hà Nội: widen MIDNIGHT_MARGIN"


@pytest.fixture
def make(app_ctx):
    return Factory()


@pytest.fixture
def login_as(make, client_factory):
    """login_as(Role.STAFF) -> (client, user): a fresh client logged in as a new user of those roles."""

    def _login_as(*roles, **kw):
        user = make.user(*roles, **kw)
        client = client_factory()
        login(client, user)
        return client, user

    return _login_as


# ---- A live server for the browser ------------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture
def live_server(app):
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    require_or_skip(CHROMIUM is not None, "Chromium is not installed (apt-get install chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    }


@pytest.fixture
def sql():
    """Run a scalar SQL query (for assertions on what is stored)."""

    def _sql(statement, **params):
        return _db.session.execute(sa.text(statement), params).scalar()

    return _sql
