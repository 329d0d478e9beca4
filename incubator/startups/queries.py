"""What a startup's file reads that no single domain offers: the company with its residencies and outcomes,
its founders, its applications, and its timeline in the audit log; a fixed number of queries."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from incubator.applications.models import Application
from incubator.audit.models import AuditEntry
from incubator.companies.models import Company, CompanyMember
from incubator.companies.queries import visible_company
from incubator.extensions import db


def company(company_id: int) -> Company | None:
    """The business, when this request's person may see it (the register's rule: another incubator's business
    is not found by its staff, nor by its mentors)."""
    return db.session.scalar(visible_company(company_id)
                             .options(selectinload(Company.residencies), selectinload(Company.outcomes)))


def founders(company_id: int) -> list[CompanyMember]:
    return list(db.session.scalars(sa.select(CompanyMember).where(CompanyMember.company_id == company_id)
                                   .options(joinedload(CompanyMember.user))))


def applications(company_id: int) -> list[Application]:
    return list(db.session.scalars(sa.select(Application).where(Application.company_id == company_id)
                                   .options(joinedload(Application.round))
                                   .order_by(Application.created_at.desc(), Application.id.desc())))


def timeline(company: Company, member_ids, applications, versions) -> list[AuditEntry]:
    """The last 200 entries of the audit log about the company, its memberships, applications, progress
    reports, residencies and outcomes, newest first."""
    def ids(rows):
        return [str(r.id) for r in rows]

    related = {"companies": [str(company.id)], "cohort_members": [str(i) for i in member_ids],
               "applications": ids(applications), "progress_reports": ids(versions),
               "residencies": ids(company.residencies), "graduation_outcomes": ids(company.outcomes)}
    return list(db.session.scalars(sa.select(AuditEntry).where(sa.or_(*(
        sa.and_(AuditEntry.object_type == kind, AuditEntry.object_id.in_(values))
        for kind, values in related.items() if values)))
        .order_by(AuditEntry.id.desc()).limit(200)))
