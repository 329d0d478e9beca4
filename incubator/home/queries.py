"""What each role must do next: the data behind the home pages (a fixed number of queries each)."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from incubator.audit.enums import ROUTINE_ACTIONS
from incubator.audit.models import AuditEntry
from incubator.auth.enums import Role, TokenPurpose
from incubator.auth.models import AccountToken, User, UserRole
from incubator.companies.enums import MembershipStatus
from incubator.companies.models import Company, CompanyMember, Residency
from incubator.db import utcnow
from incubator.extensions import db
from incubator.mail.models import OutboxMessage, OutboxStatus


def admin_home() -> dict:
    now = utcnow()
    pending = list(db.session.scalars(
        sa.select(AccountToken).where(AccountToken.purpose == TokenPurpose.INVITATION,
                                      AccountToken.used_at.is_(None), AccountToken.revoked_at.is_(None),
                                      AccountToken.expires_at > now)
        .order_by(AccountToken.expires_at).limit(20)))
    role_counts = dict(db.session.execute(
        sa.select(UserRole.role, sa.func.count()).join(User).where(User.active.is_(True))
        .group_by(UserRole.role)).all())
    never_logged_in = db.session.scalar(
        sa.select(sa.func.count()).select_from(User).where(User.active.is_(True), User.last_login_at.is_(None)))
    return {"pending_invitations": pending, "role_counts": role_counts, "never_logged_in": never_logged_in,
            "roles": list(Role)}


def staff_home(today: date) -> dict:
    pending_members = list(db.session.scalars(
        sa.select(CompanyMember).where(CompanyMember.status == MembershipStatus.PENDING)
        .options(selectinload(CompanyMember.company), selectinload(CompanyMember.user))
        .order_by(CompanyMember.created_at).limit(20)))
    failed_mail = db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)
                                    .where(OutboxMessage.status == OutboxStatus.FAILED))
    ending_soon = list(db.session.scalars(
        sa.select(Residency).where(Residency.ends_on >= today, Residency.ends_on <= today + timedelta(days=30))
        .options(selectinload(Residency.company)).order_by(Residency.ends_on).limit(20)))
    in_incubator = db.session.scalar(
        sa.select(sa.func.count(sa.distinct(Residency.company_id))).where(Residency.active_on_clause(today)))
    companies = db.session.scalar(sa.select(sa.func.count()).select_from(Company))
    recent = list(db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action.not_in(ROUTINE_ACTIONS))
                                     .order_by(AuditEntry.id.desc()).limit(8)))
    unverified = db.session.scalar(sa.select(sa.func.count()).select_from(Company)
                                   .where(Company.verified_at.is_(None)))
    return {"pending_members": pending_members, "failed_mail": failed_mail, "ending_soon": ending_soon,
            "in_incubator": in_incubator, "companies": companies, "recent": recent, "unverified": unverified}


def official_home(today: date) -> dict:
    from incubator.targets import queries as targets

    return {"figures": [targets.figure(t, today) for t in targets.all_targets()]}


def founder_home(user: User) -> dict:
    memberships = list(db.session.scalars(
        sa.select(CompanyMember).where(CompanyMember.user_id == user.id)
        .options(selectinload(CompanyMember.company).selectinload(Company.residencies))
        .order_by(CompanyMember.created_at)))
    from incubator.applications.models import Application

    company_ids = [m.company_id for m in memberships if m.status is MembershipStatus.APPROVED]
    applications = list(db.session.scalars(
        sa.select(Application).where(Application.company_id.in_(company_ids))
        .options(selectinload(Application.round), selectinload(Application.company))
        .order_by(Application.created_at.desc()))) if company_ids else []
    from incubator.cohorts import queries as cohorts
    from incubator.cohorts.enums import IN_INCUBATION
    from incubator.cohorts.models import CohortMember
    from incubator.cohorts.periods import member_periods
    from incubator.i18n import local_tz

    today = utcnow().astimezone(local_tz()).date()
    members = list(db.session.scalars(
        sa.select(CohortMember).where(CohortMember.company_id.in_(company_ids),
                                      CohortMember.status.in_(IN_INCUBATION))
        .options(selectinload(CohortMember.company), selectinload(CohortMember.cohort)))) if company_ids else []
    reports = cohorts.current_reports([m.id for m in members])
    rows = [cohorts.MemberRow(m, member_periods(m), reports.get(m.id, {}), 0, today) for m in members]
    services = cohorts.services_for(company_ids)
    from incubator.mentoring.enums import SessionStatus
    from incubator.mentoring.models import MentoringSession
    from incubator.mentoring.permissions import sessions_visible_to

    # Those whose page the founder may open (the rule of every list of sessions), of their companies.
    theirs = sa.and_(sessions_visible_to(user), MentoringSession.company_id.in_(company_ids))
    sessions = list(db.session.scalars(
        sa.select(MentoringSession).where(theirs, sa.or_(
            sa.and_(MentoringSession.status == SessionStatus.SCHEDULED, MentoringSession.starts_at >= utcnow()),
            MentoringSession.status == SessionStatus.HELD))
        .options(selectinload(MentoringSession.mentor)).order_by(MentoringSession.starts_at))) if company_ids else []
    return {"memberships": memberships, "applications": applications, "cohort_rows": rows, "services": services,
            "sessions": sessions}
