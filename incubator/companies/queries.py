from __future__ import annotations

import re
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from incubator.companies.enums import ResidencyKind
from incubator.companies.models import Company, CompanyMember, Residency
from incubator.outcomes.enums import Decision
from incubator.outcomes.models import GraduationOutcome
from incubator.text import fold


def register_list(today: date, q: str | None = None, is_it: str | None = None, kind: str | None = None,
                  outcome: str | None = None):
    """Companies in Vietnamese alphabetical order, with what the list shows loaded up front."""
    stmt = (sa.select(Company).order_by(Company.name_sort, Company.id)
            .options(selectinload(Company.residencies), selectinload(Company.outcomes)))
    if q:
        digits = re.sub(r"[\s.]", "", q)
        conditions = [Company.name_folded.contains(fold(q), autoescape=True)]
        if digits[:1].isdigit():
            conditions.append(Company.tax_code.startswith(digits, autoescape=True))
        stmt = stmt.where(sa.or_(*conditions))
    if is_it in ("yes", "no"):
        stmt = stmt.where(Company.is_it.is_(is_it == "yes"))
    active = sa.select(Residency.company_id).where(Residency.active_on_clause(today))
    if kind == "none":
        stmt = stmt.where(Company.id.not_in(active))
    elif kind in {k.value for k in ResidencyKind}:
        stmt = stmt.where(Company.id.in_(active.where(Residency.kind == ResidencyKind(kind))))
    if outcome in {d.value for d in Decision}:
        stmt = stmt.where(Company.id.in_(sa.select(GraduationOutcome.company_id)
                                         .where(GraduationOutcome.decision == Decision(outcome))))
    elif outcome == "none":
        stmt = stmt.where(Company.id.not_in(sa.select(GraduationOutcome.company_id)))
    return stmt


def company_page(company_id: int):
    return (sa.select(Company).where(Company.id == company_id)
            .options(selectinload(Company.residencies), selectinload(Company.outcomes),
                     selectinload(Company.members).selectinload(CompanyMember.user)))
