"""Eligibility of an application, rule by rule, after Decree 80/2021/ND-CP on innovative startups.

Each rule answers passed, failed (with the reason, translatable, so the founder reads it in their language)
or "for staff to judge". Parameters are per intake round; these are the defaults. A failed hard rule blocks
submission until staff override it for one application, with a written reason.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l

from incubator.enums import LabelledEnum
from incubator.i18n import fmt_date, fmt_money


class RuleStatus(LabelledEnum):
    PASSED = "passed"
    FAILED = "failed"
    STAFF = "staff"

    @classmethod
    def labels(cls):
        return {cls.PASSED: _l("Passed"), cls.FAILED: _l("Not met"), cls.STAFF: _l("For staff to judge")}


class SectorKind(LabelledEnum):
    SERVICES_TRADE = "services_trade"
    OTHER = "other"

    @classmethod
    def labels(cls):
        return {cls.SERVICES_TRADE: _l("Services or trade"),
                cls.OTHER: _l("Other sectors (industry, construction, agriculture…)")}


BILLION = 1_000_000_000

DEFAULT_PARAMETERS = {
    "company_age": {"enabled": True, "max_years": 5},
    "not_public": {"enabled": True},
    "sme_size": {
        "enabled": True,
        SectorKind.SERVICES_TRADE.value: {"employees": 100, "revenue": 300 * BILLION, "capital": 100 * BILLION},
        SectorKind.OTHER.value: {"employees": 200, "revenue": 200 * BILLION, "capital": 100 * BILLION},
    },
    "it_business": {"enabled": True},
    "novelty": {"enabled": True},
}

RULE_LABELS = {
    "company_age": _l("Company first registered recently enough"),
    "not_public": _l("Not a public company"),
    "sme_size": _l("Within the size of a small or medium enterprise"),
    "it_business": _l("An IT (digital-technology) business"),
    "novelty": _l("A new product or technology"),
}
HARD_RULES = ("company_age", "not_public", "sme_size", "it_business")


@dataclass(frozen=True)
class Facts:
    """What the rules look at: the company's record and what the founder declares in the application."""

    founded_on: date | None
    is_it: bool
    is_public_company: bool | None
    sector_kind: SectorKind | None
    employees: int | None
    revenue: Decimal | int | None  # VND, last financial year
    capital: Decimal | int | None  # VND, total capital
    novelty: bool | None = None  # staff's judgement: None while nobody has judged it


@dataclass(frozen=True)
class RuleResult:
    code: str
    status: RuleStatus
    reason: object = None  # a lazy string

    @property
    def label(self):
        return RULE_LABELS[self.code]

    @property
    def blocks_submission(self) -> bool:
        return self.code in HARD_RULES and self.status is RuleStatus.FAILED


def parameters(overrides: dict | None = None) -> dict:
    """The defaults with a round's overrides laid over them (one level deep per rule)."""
    merged = copy.deepcopy(DEFAULT_PARAMETERS)
    for code, values in (overrides or {}).items():
        if code in merged and isinstance(values, dict):
            for key, value in values.items():
                if isinstance(value, dict) and isinstance(merged[code].get(key), dict):
                    merged[code][key].update(value)
                else:
                    merged[code][key] = value
    return merged


def years_before(day: date, years: int) -> date:
    """The same calendar day ``years`` earlier (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def company_age(facts: Facts, opens_on: date, params: dict) -> RuleResult:
    max_years = int(params["max_years"])
    if facts.founded_on is None:
        return RuleResult("company_age", RuleStatus.FAILED, _l("Enter the date the company was first registered."))
    earliest = years_before(opens_on, max_years)
    if facts.founded_on >= earliest:
        return RuleResult("company_age", RuleStatus.PASSED)
    return RuleResult("company_age", RuleStatus.FAILED, _l(
        "The company was first registered on %(date)s, more than %(years)d years before the round opens "
        "(%(opens)s): it must have been registered on or after %(earliest)s.",
        date=fmt_date(facts.founded_on), years=max_years, opens=fmt_date(opens_on), earliest=fmt_date(earliest)))


def not_public(facts: Facts, _opens_on: date, _params: dict) -> RuleResult:
    if facts.is_public_company is None:
        return RuleResult("not_public", RuleStatus.FAILED, _l("Say whether the company is a public company."))
    if facts.is_public_company:
        return RuleResult("not_public", RuleStatus.FAILED,
                          _l("Public companies are not innovative startups under Decree 80/2021."))
    return RuleResult("not_public", RuleStatus.PASSED)


def sme_size(facts: Facts, _opens_on: date, params: dict) -> RuleResult:
    if facts.sector_kind is None or facts.employees is None or (facts.revenue is None and facts.capital is None):
        return RuleResult("sme_size", RuleStatus.FAILED, _l(
            "Enter the sector, the number of employees, and the revenue or the capital."))
    limits = params[SectorKind(facts.sector_kind).value]
    if facts.employees > limits["employees"]:
        return RuleResult("sme_size", RuleStatus.FAILED, _l(
            "%(employees)d employees: a small or medium enterprise in this sector has at most %(limit)d.",
            employees=facts.employees, limit=limits["employees"]))
    revenue_ok = facts.revenue is not None and Decimal(facts.revenue) <= limits["revenue"]
    capital_ok = facts.capital is not None and Decimal(facts.capital) <= limits["capital"]
    if revenue_ok or capital_ok:
        return RuleResult("sme_size", RuleStatus.PASSED)
    return RuleResult("sme_size", RuleStatus.FAILED, _l(
        "Revenue above %(revenue)s and capital above %(capital)s: too large for a small or medium enterprise "
        "in this sector.", revenue=fmt_money(limits["revenue"]), capital=fmt_money(limits["capital"])))


def it_business(facts: Facts, _opens_on: date, _params: dict) -> RuleResult:
    if facts.is_it:
        return RuleResult("it_business", RuleStatus.PASSED)
    return RuleResult("it_business", RuleStatus.FAILED,
                      _l("The incubator takes IT (digital-technology) businesses only."))


def novelty(facts: Facts, _opens_on: date, _params: dict) -> RuleResult:
    if facts.novelty is None:
        return RuleResult("novelty", RuleStatus.STAFF,
                          _l("The incubator's staff judge whether the product or technology is new."))
    if facts.novelty:
        return RuleResult("novelty", RuleStatus.PASSED)
    return RuleResult("novelty", RuleStatus.FAILED,
                      _l("The incubator's staff judged that the product or technology is not new."))


RULES = {"company_age": company_age, "not_public": not_public, "sme_size": sme_size, "it_business": it_business,
         "novelty": novelty}


def evaluate(facts: Facts, opens_on: date, overrides: dict | None = None) -> list[RuleResult]:
    """Every enabled rule, in a fixed order."""
    params = parameters(overrides)
    return [rule(facts, opens_on, params[code]) for code, rule in RULES.items() if params[code].get("enabled", True)]


def blocking(results: list[RuleResult]) -> list[RuleResult]:
    return [r for r in results if r.blocks_submission]
