"""The eligibility summary stored on applications follows what its rules read: a business's record changed
in the register (through the register's company_changed signal), or a round's parameters changed."""

from __future__ import annotations

from datetime import date

from incubator.applications import services
from incubator.auth.enums import Role
from incubator.companies import services as register


def _old_company_application(make):
    company = make.company(founded_on=date(2010, 3, 1))  # far older than the five years allowed
    application = make.application(company=company, is_public_company=False, sector_kind="other", employees=12,
                                   revenue=1_000_000_000, capital=1_000_000_000)
    services.save_draft(application, answers={}, facts={}, actor=application.created_by)
    return company, application


def test_a_corrected_founding_date_in_the_register_changes_the_summary(make, db):
    company, application = _old_company_application(make)
    assert application.eligibility_summary == "failed"
    untouched = make.application(company=make.company(founded_on=date(2010, 3, 1)))
    register.update_company(company, actor=make.user(Role.STAFF), founded_on=date(2023, 5, 1))
    assert application.eligibility_summary != "failed"
    assert untouched.eligibility_summary is None  # another business's application is not read
    # A change the rules do not read leaves it alone (and costs nothing).
    application.eligibility_summary = "stale"
    register.update_company(company, actor=None, website="https://vi-du.example")
    assert application.eligibility_summary == "stale"
    register.update_company(company, actor=None, is_it=False)
    assert application.eligibility_summary == "failed"  # no longer an IT business


def test_a_rounds_new_parameters_change_the_summaries_of_its_applications(make, db):
    _company, application = _old_company_application(make)
    assert application.eligibility_summary == "failed"
    staff = make.user(Role.STAFF)
    services.update_round(application.round, actor=staff,
                          eligibility={"company_age": {"enabled": True, "max_years": 20}})
    assert application.eligibility_summary != "failed"
    services.update_round(application.round, actor=staff,
                          eligibility={"company_age": {"enabled": True, "max_years": 3}})
    assert application.eligibility_summary == "failed"


def test_the_summary_follows_a_business_edited_on_the_register_page(make, login_as, db):
    company, application = _old_company_application(make)
    db.session.commit()
    client, _ = login_as(Role.STAFF)
    from tests.helpers import post_form

    url = f"/register/{company.id}/edit"
    page = client.get(url)
    assert page.status_code == 200
    data = {"tax_code": company.tax_code, "name": company.name, "is_it": "y", "founded_on": "2023-05-01",
            "version": str(company.version_id)}
    assert post_form(client, url, data, token_from=url).status_code == 302
    db.session.expire_all()
    assert application.eligibility_summary != "failed"
