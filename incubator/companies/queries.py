from __future__ import annotations

import re
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, selectinload

from incubator.companies.enums import MembershipStatus, ResidencyKind
from incubator.companies.models import Company, CompanyMember, Residency
from incubator.outcomes.enums import Decision
from incubator.outcomes.models import GraduationOutcome
from incubator.text import fold


def register_list(today: date, q: str | None = None, is_it: str | None = None, kind: str | None = None,
                  outcome: str | None = None, verified: str | None = None):
    """Companies in Vietnamese alphabetical order, with what the list shows loaded up front. ``verified``:
    "no" for the businesses founders registered that staff have not verified yet, "yes" for the others."""
    stmt = (sa.select(Company).order_by(Company.name_sort, Company.id)
            .options(selectinload(Company.residencies), selectinload(Company.outcomes)))
    stmt = _company_search(stmt, q)
    if verified == "no":
        stmt = stmt.where(Company.verified_at.is_(None))
    elif verified == "yes":
        stmt = stmt.where(Company.verified_at.is_not(None))
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


def pending_claims(limit: int | None = None):
    """Founders' claims of businesses on the register that wait for staff, oldest first, with what staff need to
    decide (the founder, the business and its other founders) loaded up front."""
    stmt = (sa.select(CompanyMember).where(CompanyMember.status == MembershipStatus.PENDING)
            .options(selectinload(CompanyMember.user),
                     selectinload(CompanyMember.company).selectinload(Company.members)
                     .selectinload(CompanyMember.user),
                     selectinload(CompanyMember.company).selectinload(Company.residencies))
            .order_by(CompanyMember.created_at, CompanyMember.id))
    return stmt.limit(limit) if limit else stmt


def unverified_count() -> int:
    from incubator.extensions import db

    return db.session.scalar(sa.select(sa.func.count()).select_from(Company).where(Company.verified_at.is_(None)))


def company_page(company_id: int):
    return (sa.select(Company).where(Company.id == company_id)
            .options(selectinload(Company.residencies), selectinload(Company.outcomes),
                     selectinload(Company.members).selectinload(CompanyMember.user)))


def _company_search(stmt, q: str | None):
    if q:
        digits = re.sub(r"[\s.]", "", q)
        conditions = [Company.name_folded.contains(fold(q), autoescape=True)]
        if digits[:1].isdigit():
            conditions.append(Company.tax_code.startswith(digits, autoescape=True))
        stmt = stmt.where(sa.or_(*conditions))
    return stmt


RESIDENCY_STATES = ("active", "ended", "upcoming")


def residency_list(today: date, q: str | None = None, kind: str | None = None, state: str | None = None,
                   is_it: str | None = None):
    """Every residency of every business, newest first, with its business; ``state`` is taken at ``today``."""
    stmt = (sa.select(Residency).join(Residency.company).options(contains_eager(Residency.company))
            .order_by(Residency.starts_on.desc(), Company.name_sort, Residency.id))
    stmt = _company_search(stmt, q)
    if kind in {k.value for k in ResidencyKind}:
        stmt = stmt.where(Residency.kind == ResidencyKind(kind))
    if is_it in ("yes", "no"):
        stmt = stmt.where(Company.is_it.is_(is_it == "yes"))
    if state == "active":
        stmt = stmt.where(Residency.active_on_clause(today))
    elif state == "ended":
        stmt = stmt.where(Residency.ends_on < today)
    elif state == "upcoming":
        stmt = stmt.where(Residency.starts_on > today)
    return stmt


def outcome_list(q: str | None = None, decision: str | None = None, year: int | None = None):
    """Every graduation outcome, latest decision first, with its business."""
    stmt = (sa.select(GraduationOutcome).join(GraduationOutcome.company)
            .options(contains_eager(GraduationOutcome.company))
            .order_by(GraduationOutcome.decided_on.desc(), Company.name_sort, GraduationOutcome.id))
    stmt = _company_search(stmt, q)
    if decision in {d.value for d in Decision}:
        stmt = stmt.where(GraduationOutcome.decision == Decision(decision))
    if year and 1990 <= year <= 2200:
        stmt = stmt.where(GraduationOutcome.decided_on.between(date(year, 1, 1), date(year, 12, 31)))
    return stmt


def founders_of(company_id: int) -> list:
    """The people who hold the company's file now, as the rules let them open it: approved members who are
    founders, with an active account and a confirmed address. Mail about the company's applications, reports
    and sessions goes to them at the time it is sent, not to whoever once started a file or held it before."""
    from incubator.auth.enums import Role
    from incubator.auth.models import User, UserRole
    from incubator.extensions import db

    founder = sa.select(UserRole.user_id).where(UserRole.user_id == User.id, UserRole.role == Role.FOUNDER)
    return list(db.session.scalars(
        sa.select(User).join(CompanyMember, CompanyMember.user_id == User.id)
        .where(CompanyMember.company_id == company_id, CompanyMember.status == MembershipStatus.APPROVED,
               User.active.is_(True), User.email_verified_at.is_not(None), founder.exists())
        .order_by(User.id)))
