"""Each eligibility rule on its boundary (issue 5, acceptance 2)."""

from datetime import date

import pytest
from flask_babel import force_locale

from incubator.applications.eligibility import (
    BILLION,
    Facts,
    RuleStatus,
    SectorKind,
    blocking,
    evaluate,
    years_before,
)

OPENS = date(2025, 3, 1)


def facts(**kw):
    base = {"founded_on": date(2023, 1, 1), "is_it": True, "is_public_company": False,
            "sector_kind": SectorKind.SERVICES_TRADE, "employees": 10, "revenue": 5 * BILLION, "capital": None}
    return Facts(**{**base, **kw})


def result(code, f, overrides=None, opens=OPENS):
    return next(r for r in evaluate(f, opens, overrides) if r.code == code)


@pytest.fixture(autouse=True)
def _request(app):
    with app.test_request_context():
        yield


# ---- At most five years before the round opens ------------------------------------------------------------

def test_registered_exactly_five_years_before_the_round_opens_passes():
    assert result("company_age", facts(founded_on=date(2020, 3, 1))).status is RuleStatus.PASSED


def test_registered_one_day_more_than_five_years_before_fails_with_the_dates():
    r = result("company_age", facts(founded_on=date(2020, 2, 29)))
    assert r.status is RuleStatus.FAILED and r.blocks_submission
    with force_locale("vi"):
        assert "29/02/2020" in str(r.reason) and "01/03/2020" in str(r.reason)
    with force_locale("en"):
        assert "more than 5 years" in str(r.reason)


def test_the_number_of_years_is_a_parameter_of_the_round():
    f = facts(founded_on=date(2018, 3, 1))
    assert result("company_age", f).status is RuleStatus.FAILED
    assert result("company_age", f, {"company_age": {"max_years": 7}}).status is RuleStatus.PASSED


def test_a_29_february_opening_looks_back_to_28_february():
    assert years_before(date(2024, 2, 29), 5) == date(2019, 2, 28)


def test_an_unknown_founding_date_fails_and_says_what_to_enter():
    assert result("company_age", facts(founded_on=None)).status is RuleStatus.FAILED


# ---- Small and medium enterprise --------------------------------------------------------------------------

@pytest.mark.parametrize("sector, employees, revenue, capital, status", [
    # services and trade: up to 100 employees, and revenue up to 300 billion or capital up to 100 billion
    (SectorKind.SERVICES_TRADE, 100, 300 * BILLION, None, RuleStatus.PASSED),
    (SectorKind.SERVICES_TRADE, 101, 1 * BILLION, None, RuleStatus.FAILED),
    (SectorKind.SERVICES_TRADE, 50, 300 * BILLION + 1, None, RuleStatus.FAILED),
    (SectorKind.SERVICES_TRADE, 50, 300 * BILLION + 1, 100 * BILLION, RuleStatus.PASSED),
    (SectorKind.SERVICES_TRADE, 50, None, 100 * BILLION + 1, RuleStatus.FAILED),
    # other sectors: up to 200 employees, and revenue up to 200 billion or capital up to 100 billion
    (SectorKind.OTHER, 200, 200 * BILLION, None, RuleStatus.PASSED),
    (SectorKind.OTHER, 201, 1 * BILLION, None, RuleStatus.FAILED),
    (SectorKind.OTHER, 150, 200 * BILLION + 1, 100 * BILLION + 1, RuleStatus.FAILED),
    (SectorKind.OTHER, 150, 200 * BILLION + 1, 100 * BILLION, RuleStatus.PASSED),
])
def test_the_size_ceilings(sector, employees, revenue, capital, status):
    r = result("sme_size", facts(sector_kind=sector, employees=employees, revenue=revenue, capital=capital))
    assert r.status is status


def test_the_size_ceilings_are_parameters_of_the_round():
    f = facts(employees=120)
    assert result("sme_size", f).status is RuleStatus.FAILED
    assert result("sme_size", f, {"sme_size": {"services_trade": {"employees": 150}}}).status is RuleStatus.PASSED


def test_the_size_reason_names_the_ceiling_in_vnd():
    r = result("sme_size", facts(revenue=400 * BILLION, capital=150 * BILLION))
    with force_locale("vi"):
        assert "300.000.000.000\xa0₫" in str(r.reason)


# ---- The other rules --------------------------------------------------------------------------------------

def test_a_public_company_fails():
    assert result("not_public", facts(is_public_company=True)).status is RuleStatus.FAILED
    assert result("not_public", facts(is_public_company=False)).status is RuleStatus.PASSED


def test_a_business_that_is_not_it_fails():
    assert result("it_business", facts(is_it=False)).status is RuleStatus.FAILED


def test_novelty_is_for_staff_and_never_blocks():
    r = result("novelty", facts())
    assert r.status is RuleStatus.STAFF and not r.blocks_submission


def test_only_failed_hard_rules_block_submission():
    results = evaluate(facts(is_it=False, founded_on=date(2001, 1, 1)), OPENS)
    assert {r.code for r in blocking(results)} == {"it_business", "company_age"}
    assert blocking(evaluate(facts(), OPENS)) == []


def test_a_rule_can_be_switched_off_for_a_round():
    results = evaluate(facts(is_it=False), OPENS, {"it_business": {"enabled": False}})
    assert "it_business" not in {r.code for r in results}
