"""Correctness under concurrency (quality.md), on SQLite and on PostgreSQL.

- 8 threads × 100 read-modify-write updates of one company through ``companies.services`` lose none: on
  SQLite a writing transaction takes the write lock at BEGIN IMMEDIATE, on PostgreSQL the version column
  refuses the stale write and the writer tries again. Each update adds one employee and appends one audit
  entry, so a lost update would show as a missing number.
- The same through HTTP: edits sent at once on the same version give one success and 409 pages.
- 50 parallel identical form posts create one record (an application start, a company claim).

Each thread has its own application context, hence its own database session, as a request has.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm.exc import StaleDataError

from incubator.applications.models import Application
from incubator.audit.models import AuditEntry
from incubator.auth.enums import Role
from incubator.companies import services
from incubator.companies.models import Company, CompanyMember
from incubator.db import write_lock
from incubator.errors import Conflict
from incubator.extensions import db as _db
from tests.helpers import login, tax_code

pytestmark = pytest.mark.slow

THREADS, UPDATES = 8, 100


def _run_in_threads(count: int, target, *args) -> list:
    """Run target(i, *args) in ``count`` threads released together; return their results (or exceptions)."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(i):
        try:
            barrier.wait(timeout=30)
            results[i] = target(i, *args)
        except BaseException as exc:  # reported by the test, not lost in the thread
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not any(t.is_alive() for t in threads), "a thread did not finish"
    errors = [r for r in results if isinstance(r, BaseException)]
    if errors:
        raise errors[0]
    return results


def _add_employee_as_the_edit_form_does(app, company_id: int, updates: int) -> int:
    """The edit page is read in one transaction (it carries the version); the POST writes in another,
    under the write lock a writing request takes. A stale version is refused (409) and the person reloads
    and tries again. Returns how many times a write was refused."""
    refused = 0
    with app.app_context():
        try:
            for _ in range(updates):
                while True:
                    company = _db.session.get(Company, company_id)
                    version, employees = company.version_id, company.employees
                    _db.session.rollback()
                    try:
                        with write_lock():
                            company = _db.session.get(Company, company_id)
                            services.update_company(company, version=version, employees=employees + 1)
                            _db.session.commit()
                        break
                    except (Conflict, StaleDataError):
                        _db.session.rollback()
                        refused += 1
        finally:
            _db.session.remove()
    return refused


def _add_employee_in_one_transaction(app, company_id: int, updates: int) -> int:
    """Read and write in one writing transaction, with no version from a form: on SQLite BEGIN IMMEDIATE
    queues the writers; on PostgreSQL the version column refuses a write based on a stale read."""
    refused = 0
    with app.app_context():
        try:
            for _ in range(updates):
                while True:
                    try:
                        with write_lock():
                            company = _db.session.get(Company, company_id, populate_existing=True)
                            services.update_company(company, employees=company.employees + 1)
                            _db.session.commit()
                        break
                    except StaleDataError:
                        _db.session.rollback()
                        refused += 1
        finally:
            _db.session.remove()
    return refused


@pytest.mark.parametrize("writer", [_add_employee_as_the_edit_form_does, _add_employee_in_one_transaction],
                         ids=["version-from-the-form", "one-transaction"])
def test_eight_threads_times_a_hundred_updates_of_one_company_lose_none(app, make, db, writer):
    company = make.company(employees=0)
    version_before = company.version_id
    company_id = company.id
    refused = _run_in_threads(THREADS, lambda _i: writer(app, company_id, UPDATES))

    db.session.rollback()  # end the test's own transaction: read what the threads committed
    company = db.session.get(Company, company.id)
    assert company.employees == THREADS * UPDATES, f"lost updates; refused and retried: {sum(refused)}"
    assert company.version_id == version_before + THREADS * UPDATES
    entries = db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.action == "company.update", AuditEntry.object_id == str(company.id))).all()
    # One entry per update, each from n to n + 1: no two writers saw the same number.
    assert sorted(e.details["changed"]["employees"][1] for e in entries) == list(range(1, THREADS * UPDATES + 1))


# ---- Through HTTP -----------------------------------------------------------------------------------------

def _hidden(html: str, name: str) -> str:
    return re.search(rf'name="{re.escape(name)}" type="hidden" value="([^"]*)"', html).group(1)


def _same_session_clients(client, client_factory, count: int) -> list:
    """``count`` clients carrying the session cookie of ``client`` (one person, many tabs or retries)."""
    cookie = client.get_cookie("incubator_session").value
    clients = []
    for _ in range(count):
        other = client_factory()
        other.set_cookie("incubator_session", cookie)
        clients.append(other)
    return clients


def test_parallel_edits_on_the_same_version_give_one_save_and_409_pages(login_as, make, db, client_factory):
    """Eight people open the same company's form and save at once: one save wins, the others get the
    409 page asking to reload, and nothing is overwritten silently."""
    staff, _ = login_as(Role.STAFF)
    company = make.company(employees=0)
    url = f"/register/{company.id}/edit"
    page = staff.get(url).get_data(as_text=True)
    token, version = _hidden(page, "csrf_token"), _hidden(page, "version")
    clients = _same_session_clients(staff, client_factory, THREADS)
    fields = {"csrf_token": token, "version": version, "tax_code": company.tax_code, "name": company.name,
              "is_it": "y"}

    def save(i):
        response = clients[i].post(url, data={**fields, "employees": str(i + 1)})
        return response.status_code, response.get_data(as_text=True)

    results = _run_in_threads(THREADS, save)
    statuses = Counter(status for status, _ in results)
    assert statuses == {302: 1, 409: THREADS - 1}, statuses
    assert all("Bản ghi này đã được người khác thay đổi" in html for status, html in results if status == 409)
    db.session.rollback()  # end the test's own transaction: read what the threads committed
    company = db.session.get(Company, company.id)
    winner = next(i for i, (status, _) in enumerate(results) if status == 302)
    assert company.employees == winner + 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "company.update")) == 1


def test_edits_through_http_that_reload_on_409_lose_none(login_as, make, db, client_factory):
    """Eight people each add employees through the form, reloading whenever they get the 409 page: every
    addition lands once."""
    staff, _ = login_as(Role.STAFF)
    company = make.company(employees=0)
    url = f"/register/{company.id}/edit"
    clients = _same_session_clients(staff, client_factory, THREADS)
    fields = {"tax_code": company.tax_code, "name": company.name, "is_it": "y"}
    per_thread = 10

    def add(i):
        refused = 0
        for _ in range(per_thread):
            while True:
                page = clients[i].get(url).get_data(as_text=True)
                employees = int(re.search(r'name="employees"[^>]* value="(\d+)"', page).group(1))
                response = clients[i].post(url, data={
                    **fields, "csrf_token": _hidden(page, "csrf_token"), "version": _hidden(page, "version"),
                    "employees": employees + 1})
                if response.status_code == 302:
                    break
                assert response.status_code == 409, response.status_code
                refused += 1
        return refused

    _run_in_threads(THREADS, add)
    db.session.rollback()  # end the test's own transaction: read what the threads committed
    assert db.session.get(Company, company.id).employees == THREADS * per_thread


# ---- Fifty identical posts create one record --------------------------------------------------------------

PARALLEL_POSTS = 50


@pytest.fixture
def founder_with_company(make, client_factory):
    founder = make.user(Role.FOUNDER)
    company = make.company(founded_on=date.today() - timedelta(days=400))
    make.member(company=company, user=founder)
    client = client_factory()
    login(client, founder)
    return client, founder, company


def test_fifty_parallel_identical_application_starts_create_one_application(founder_with_company, make, db,
                                                                             client_factory):
    client, _founder, company = founder_with_company
    now = datetime.now(UTC)
    intake_round = make.intake_round(opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=10))
    url = f"/applications/start/{intake_round.id}"
    token = _hidden(client.get(url).get_data(as_text=True), "csrf_token")
    clients = _same_session_clients(client, client_factory, PARALLEL_POSTS)
    form = {"csrf_token": token, "company_id": str(company.id)}

    def start(i):
        response = clients[i].post(url, data=form)
        return response.status_code, response.headers.get("Location")

    results = _run_in_threads(PARALLEL_POSTS, start)
    db.session.rollback()
    assert Counter(status for status, _ in results) == {302: PARALLEL_POSTS}, results
    applications = db.session.scalars(sa.select(Application).where(Application.round_id == intake_round.id)).all()
    assert len(applications) == 1
    assert {location for _, location in results} == {f"/applications/{applications[0].id}/edit"}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "application.create")) == 1


def test_fifty_parallel_identical_company_claims_create_one_company(make, db, client_factory):
    """A founder's double (or fiftyfold) click on "add my company": one company, one membership, one audit
    entry, and no error page: the first post is saved, the others are told it already is."""
    founder = make.user(Role.FOUNDER)
    client = client_factory()
    login(client, founder)
    url = "/my/companies/new"
    token = _hidden(client.get(url).get_data(as_text=True), "csrf_token")
    clients = _same_session_clients(client, client_factory, PARALLEL_POSTS)
    code = tax_code(4242)
    form = {"csrf_token": token, "tax_code": code, "name": "Công ty TNHH Bấm Hai Lần", "is_it": "y",
            "founded_on": "2024-03-01", "employees": "4"}

    def claim(i):
        return clients[i].post(url, data=form).status_code

    statuses = Counter(_run_in_threads(PARALLEL_POSTS, claim))
    assert statuses[302] == 1 and statuses[400] == PARALLEL_POSTS - 1, statuses
    companies = db.session.scalars(sa.select(Company).where(Company.tax_code == code)).all()
    assert len(companies) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CompanyMember)) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "company.create")) == 1


def test_parallel_claims_of_one_company_by_different_founders_create_one_company(make, db, client_factory):
    """Founders of one business enter its new tax code at once, each with its registration certificate: one
    company; the first holds it, the others wait for staff approval; nobody gets an error page."""
    import io

    from tests.helpers import blank_pdf

    certificate = blank_pdf()
    count = 12  # each logs in (a password hash to check): fewer than fifty keeps the test quick
    founders = [make.user(Role.FOUNDER) for _ in range(count)]
    clients, tokens = [], []
    for founder in founders:
        client = client_factory()
        login(client, founder)
        clients.append(client)
        tokens.append(_hidden(client.get("/my/companies/new").get_data(as_text=True), "csrf_token"))
    code = tax_code(4343)

    def claim(i):
        return clients[i].post("/my/companies/new", data={
            "csrf_token": tokens[i], "tax_code": code, "name": "Công ty TNHH Cùng Lúc", "is_it": "y",
            "certificate": (io.BytesIO(certificate), "gcn.pdf")}, content_type="multipart/form-data").status_code

    statuses = Counter(_run_in_threads(count, claim))
    assert statuses == {302: count}, statuses
    company = db.session.scalars(sa.select(Company).where(Company.tax_code == code)).one()
    statuses = Counter(m.status.value for m in db.session.scalars(
        sa.select(CompanyMember).where(CompanyMember.company_id == company.id)))
    assert statuses == {"approved": 1, "pending": count - 1}


# ---- A burst of failed logins at the limit ----------------------------------------------------------------

LOGIN_BURST = 12


def _burst_of_wrong_passwords(client_factory, emails: list[str]) -> Counter:
    """One fresh client (its own session and CSRF token) per e-mail, all posting a wrong password at once."""
    clients, tokens = [], []
    for _ in emails:
        client = client_factory()
        clients.append(client)
        tokens.append(_hidden(client.get("/login").get_data(as_text=True), "csrf_token"))

    def attempt(i):
        return clients[i].post("/login", data={"csrf_token": tokens[i], "email": emails[i],
                                               "password": "khong-dung-dau"}).status_code

    return Counter(_run_in_threads(len(emails), attempt))


def _failed_attempts(db) -> int:
    from incubator.auth.models import LoginAttempt

    db.session.rollback()  # end the test's own transaction: read what the threads committed
    return db.session.scalar(sa.select(sa.func.count()).select_from(LoginAttempt)
                             .where(LoginAttempt.succeeded.is_(False)))


@pytest.mark.usefixtures("real_password_hashing")  # the burst overlaps as long as argon2 really takes
def test_a_burst_of_wrong_passwords_on_one_account_evaluates_at_most_the_limit(app, make, db, client_factory):
    """The count of recent failures and the record of this one are one step: attempts sent at once cannot
    all pass the count before any is recorded (PostgreSQL: an advisory lock on the account; SQLite: the
    writing transaction's lock)."""
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    user = make.user(Role.STAFF)
    statuses = _burst_of_wrong_passwords(client_factory, [user.email] * LOGIN_BURST)
    assert statuses == {401: limit, 429: LOGIN_BURST - limit}, statuses
    assert _failed_attempts(db) == limit


@pytest.mark.usefixtures("real_password_hashing")  # the burst overlaps as long as argon2 really takes
def test_a_burst_of_wrong_passwords_from_one_address_evaluates_at_most_the_limit(app, make, db, client_factory,
                                                                                  monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_MAX_FAILURES_PER_ADDRESS", 4)
    emails = [make.user(Role.STAFF).email for _ in range(LOGIN_BURST)]  # a different account each time
    statuses = _burst_of_wrong_passwords(client_factory, emails)
    assert statuses == {401: 4, 429: LOGIN_BURST - 4}, statuses
    assert _failed_attempts(db) == 4


# ---- Two partners with one tax code, created at the same instant --------------------------------------------

def test_parallel_partners_with_one_tax_code_give_one_partner_and_the_form_error(make, db, client_factory):
    """The check for a taken tax code (or name) and the insert are two steps: the request that loses the race
    meets the unique constraint, and gets the form with the message a later duplicate gets, not a 500."""
    from incubator.partners.models import Partner

    count = 8
    staff = [make.user(Role.STAFF) for _ in range(count)]
    clients, tokens = [], []
    for person in staff:
        client = client_factory()
        login(client, person)
        clients.append(client)
        tokens.append(_hidden(client.get("/partners/new").get_data(as_text=True), "csrf_token"))
    code = tax_code(5151)

    def create(i):
        response = clients[i].post("/partners/new", data={
            "csrf_token": tokens[i], "kind": "software_company", "name": f"Công ty Đối tác Cùng Lúc {i}",
            "tax_code": code})
        return response.status_code, response.get_data(as_text=True)

    results = _run_in_threads(count, create)
    assert Counter(status for status, _ in results) == {302: 1, 400: count - 1}
    assert all("Đã có doanh nghiệp đăng ký với mã số thuế này." in html for status, html in results if status == 400)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Partner).where(Partner.tax_code == code)) == 1


def test_parallel_partners_with_one_name_give_one_partner_and_the_form_error(make, db, client_factory):
    from incubator.partners.models import Partner

    count = 8
    clients, tokens = [], []
    for person in [make.user(Role.STAFF) for _ in range(count)]:
        client = client_factory()
        login(client, person)
        clients.append(client)
        tokens.append(_hidden(client.get("/partners/new").get_data(as_text=True), "csrf_token"))

    def create(i):
        return clients[i].post("/partners/new", data={"csrf_token": tokens[i], "kind": "software_company",
                                                      "name": "Công ty Đối tác Trùng Tên"}).status_code

    assert Counter(_run_in_threads(count, create)) == {302: 1, 400: count - 1}
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Partner)) == 1
