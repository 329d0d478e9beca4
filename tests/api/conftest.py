"""Fixtures of the API's tests: a token of an official (or of whoever a test names), and a client calling with
it. ``PATH_PARAMETERS`` gives the contract harness (test_contract.py) the values of each documented path's
parameters on the data ``api_world`` makes: a helper adding a resource adds its paths' values here."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from incubator.api import services
from incubator.auth.enums import Role


@pytest.fixture
def new_token(make, db):
    """new_token(owner=None, **options) -> secret: a token made through the service (its owner an administrator,
    who reads every resource in the interface, unless given), committed."""

    def _new(owner=None, name: str | None = None, **options) -> str:
        owner = owner or make.user(Role.ADMIN)
        made = services.create_token(owner, name or f"token {make._next()}", **options)
        db.session.commit()
        return made.secret

    return _new


class ApiClient:
    def __init__(self, client, secret: str | None):
        self.client = client
        self.secret = secret

    def get(self, url: str, headers: dict | None = None, **kw):
        headers = dict(headers or {})
        if self.secret is not None:
            headers.setdefault("Authorization", f"Bearer {self.secret}")
        return self.client.get(url, headers=headers, **kw)


@pytest.fixture
def api(client, new_token) -> Callable[..., ApiClient]:
    """api(secret=None) -> a client sending that token (a new administrator's when none is given)."""

    def _api(secret: str | None = None) -> ApiClient:
        return ApiClient(client, secret if secret is not None else new_token())

    return _api


# --- The contract harness's world and the values of the documented paths' parameters -----------------------

@pytest.fixture
def api_world(runner, db):
    """The demonstration's data (two incubators, their registers, rounds, cohorts, reports …), loaded by the
    `flask demo` command, as the world every documented operation is called in."""
    result = runner.invoke(args=["demo", "--no-upgrade"])
    assert result.exit_code == 0, result.output
    db.session.commit()
    return db



@pytest.fixture(autouse=True)
def _the_harness_is_not_rate_limited(request, app):
    """The contract harness calls every operation with one token, more calls than a minute allows (the limit
    is tested in test_framework.py): lifted for it alone."""
    if request.module.__name__.rsplit(".", 1)[-1] != "test_contract":
        yield
        return
    before = app.config["API_CALLS_PER_MINUTE"]
    app.config["API_CALLS_PER_MINUTE"] = 10_000
    yield
    app.config["API_CALLS_PER_MINUTE"] = before

def _codes(db) -> list[str]:
    import sqlalchemy as sa

    from incubator.organisation.models import Incubator

    return list(db.session.scalars(sa.select(Incubator.code).order_by(Incubator.id)))


def _ids(db, model, n: int = 3, *where) -> list[int]:
    """The first ``n`` ids of ``model`` in the demonstration's data (every incubator's)."""
    import sqlalchemy as sa

    return list(db.session.scalars(sa.select(model.id).where(*where).order_by(model.id).limit(n)
                                   .execution_options(all_incubators=True)))


def _final_report(db) -> list[int]:
    """The ids of finalised reports; the demonstration has none, so one is written here (its metadata: the
    figures and PDFs a finalised report keeps are the reports package's business, tested there)."""
    from datetime import date

    import sqlalchemy as sa

    from incubator.db import utcnow
    from incubator.organisation.models import Incubator
    from incubator.reports.enums import ReportStatus
    from incubator.reports.models import PeriodicReport

    ids = _ids(db, PeriodicReport, 2, PeriodicReport.status == ReportStatus.FINAL)
    if not ids:
        report = PeriodicReport(incubator_id=db.session.scalar(sa.select(sa.func.min(Incubator.id))),
                                number="99/BC-API", period_label="2025-Q2", period_start=date(2025, 4, 1),
                                period_end=date(2025, 6, 30), issued_on=date(2025, 7, 5),
                                status=ReportStatus.FINAL, snapshot={}, finalised_at=utcnow(),
                                pdf_vi=b"%PDF-1.7 vi\n%%EOF\n", pdf_en=b"%PDF-1.7 en\n%%EOF\n")
        db.session.add(report)
        db.session.commit()
        ids = [report.id]
    return ids


def _resource_calls() -> dict[str, Callable]:
    """The register, rounds, cohorts, mentoring, reports, answers and catalogue: one call of each operation (a list with
    a filter and pages where it has any), on a business with residencies and certificates."""
    from incubator.applications.models import IntakeRound
    from incubator.catalogue.models import ProductEntry
    from incubator.catalogue.queries import listed_products
    from incubator.certificates.models import Certificate
    from incubator.cohorts.models import Cohort
    from incubator.companies.models import Company, Residency
    from incubator.outcomes.models import GraduationOutcome
    from incubator.requests.models import BusinessRequest
    from incubator.requests.queries import published_answers

    def business(db):
        import sqlalchemy as sa

        return _ids(db, Company, 1, Company.id.in_(sa.select(Certificate.company_id)),
                    Company.id.in_(sa.select(Residency.company_id))) or _ids(db, Company, 1)

    def answers(db):
        return [({"number": number}, {}) for number in db.session.scalars(
            published_answers().with_only_columns(BusinessRequest.number).limit(1))]

    return {
        "/api/v1/businesses": lambda db: [({}, {"is_it": "false", "limit": 2})],
        "/api/v1/businesses/{business_id}": lambda db: [({"business_id": i}, {}) for i in business(db)],
        "/api/v1/businesses/{business_id}/residencies": lambda db: [({"business_id": i}, {})
                                                                    for i in business(db)],
        "/api/v1/businesses/{business_id}/certificates": lambda db: [({"business_id": i}, {})
                                                                     for i in business(db)],
        "/api/v1/outcomes": lambda db: [({}, {"decision": "graduated"})],
        "/api/v1/outcomes/{outcome_id}": lambda db: [({"outcome_id": i}, {})
                                                     for i in _ids(db, GraduationOutcome, 1)],
        "/api/v1/certificates": lambda db: [({}, {})],
        "/api/v1/certificates/{certificate_id}": lambda db: [({"certificate_id": i}, {})
                                                             for i in _ids(db, Certificate, 1)],
        "/api/v1/rounds": lambda db: [({}, {})],
        "/api/v1/rounds/{round_id}": lambda db: [({"round_id": i}, {}) for i in _ids(db, IntakeRound, 1)],
        "/api/v1/cohorts": lambda db: [({}, {})],
        "/api/v1/cohorts/{cohort_id}": lambda db: [({"cohort_id": i}, {}) for i in _ids(db, Cohort, 1)],
        "/api/v1/mentoring/hours": lambda db: [({}, {"from": "2025-01-01", "to": "2026-12-31"})],
        "/api/v1/reports": lambda db: [({}, {}) for _ in _final_report(db)[:1]],
        "/api/v1/reports/{report_id}": lambda db: [({"report_id": i}, {}) for i in _final_report(db)],
        "/api/v1/reports/{report_id}/pdf/{lang}": lambda db: [({"report_id": i, "lang": lang}, {})
                                                              for i in _final_report(db)[:1] for lang in ("vi", "en")],
        "/api/v1/answers": lambda db: [({}, {})],
        "/api/v1/answers/{number}": answers,
        "/api/v1/products": lambda db: [({}, {"limit": 2})],
        "/api/v1/products/{product_id}": lambda db: [({"product_id": i}, {}) for i in db.session.scalars(
            listed_products().order_by(None).with_only_columns(ProductEntry.id).limit(1))],
    }

# Documented path → calls(db) → the (path parameters, query parameters) to call it with, on api_world. A path
# with no parameters and no required query is called once as it is; any other must be listed here (the
# harness fails on a documented path it cannot call). Add your resource's paths.
CALLS: dict[str, Callable] = {
    "/api/v1/incubators": lambda db: [({}, {}), ({}, {"limit": 1})],
    "/api/v1/incubators/{code}": lambda db: [({"code": code}, {}) for code in _codes(db)],
    "/api/v1/targets": lambda db: [({}, {}), ({}, {"as_of": "2025-06-30"}),
                                   *[({}, {"incubator": code}) for code in _codes(db)]],
    "/api/v1/targets/series": lambda db: [({}, {}), ({}, {"incubator": _codes(db)[0], "quarters": 4})],
    "/api/v1/targets/{code}/businesses": lambda db: [
        ({"code": code}, {"list": name, "limit": 5, **where})
        for code, names in (("IT70", ("numerator", "denominator", "excluded")), ("GRAD10", ("count", "excluded")),
                            ("CERT5", ("numerator", "denominator", "excluded")))
        for name in names for where in ({}, {"incubator": _codes(db)[0]})],
    **_resource_calls(),  # the API's resources: register … catalogue
}
