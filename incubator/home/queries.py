"""What each role must do next: the data behind the home pages (a fixed number of queries each)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

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
from incubator.i18n import local_today
from incubator.mail.models import OutboxMessage, OutboxStatus

# A home shows the first items of each desk, in the desk's order, and links to the whole desk.
HOME_LIST_SIZE = 10


@dataclass
class Preview:
    """The first items of a desk's list, and how many the desk holds in all."""

    total: int
    items: list

    @property
    def more(self) -> bool:
        return self.total > len(self.items)


def count(stmt) -> int:
    """How many rows a desk's statement gives: one query."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery()))


def preview(stmt, size: int = HOME_LIST_SIZE) -> Preview:
    """A desk's statement, counted and cut to its first ``size`` items in its own order: two queries at most,
    whatever the desk's size."""
    total = count(stmt)
    return Preview(total, list(db.session.scalars(stmt.limit(size))) if total else [])


def preview_of_list(items: list, size: int = HOME_LIST_SIZE) -> Preview:
    """The same, of a desk whose list is made in Python (already in its order)."""
    return Preview(len(items), items[:size])


def admin_home() -> dict:
    now = utcnow()
    pending = list(db.session.scalars(
        sa.select(AccountToken).where(AccountToken.purpose == TokenPurpose.INVITATION,
                                      AccountToken.used_at.is_(None), AccountToken.revoked_at.is_(None),
                                      AccountToken.expires_at > now)
        .order_by(AccountToken.expires_at).limit(20)))
    role_counts = dict(db.session.execute(
        # People, not rows: a reviewer in two incubators counts once.
        sa.select(UserRole.role, sa.func.count(sa.distinct(UserRole.user_id))).join(User).where(User.active.is_(True))
        .group_by(UserRole.role)).all())
    never_logged_in = db.session.scalar(
        sa.select(sa.func.count()).select_from(User).where(User.active.is_(True), User.last_login_at.is_(None)))
    return {"pending_invitations": pending, "role_counts": role_counts, "never_logged_in": never_logged_in,
            "roles": list(Role)}


def staff_home(user: User, today: date, now: datetime) -> dict:
    """Staff's work waiting: founders' claims, disputed sessions, late reports, businesses' open requests (each
    the first items of its desk, in its order), businesses not yet verified, failed e-mails; and the incubator's
    figures of the day."""
    from incubator.cohorts import queries as cohorts
    from incubator.companies import queries as companies
    from incubator.mentoring import queries as mentoring

    failed_mail = db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)
                                    .where(OutboxMessage.status == OutboxStatus.FAILED))
    ending_soon = list(db.session.scalars(
        sa.select(Residency).where(Residency.ends_on >= today, Residency.ends_on <= today + timedelta(days=30))
        .options(selectinload(Residency.company)).order_by(Residency.ends_on).limit(20)))
    in_incubator = db.session.scalar(
        sa.select(sa.func.count(sa.distinct(Residency.company_id))).where(Residency.active_on_clause(today)))
    companies_count = companies.company_count()
    recent = list(db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action.not_in(ROUTINE_ACTIONS))
                                     .order_by(AuditEntry.id.desc()).limit(8)))
    from incubator.catalogue import queries as catalogue
    from incubator.catalogue.permissions import staff_scope
    from incubator.certificates import queries as certificates
    from incubator.requests import queries as requests

    return {"claims": preview(companies.pending_claims()),
            "catalogue_waiting": catalogue.waiting_count(staff_scope()),
            "certificates_waiting": count(certificates.submissions()),
            "certificates_expiring": count(certificates.expiring(today)),
            # Businesses' requests still open, the soonest due first (the overdue ones lead).
            "business_requests": preview(requests.staff_list(open_only=True, today=today, sort="due")),
            "disputes": preview(mentoring.session_list(user, status="disputed")),
            "late": preview_of_list(cohorts.late_reports(today)),
            "unverified": companies.unverified_count(), "failed_mail": failed_mail, "ending_soon": ending_soon,
            "in_incubator": in_incubator, "companies": companies_count, "recent": recent,
            **reviewer_home(user, now)}


def reviewer_home(user: User, now: datetime) -> dict:
    """The review desk's first assignments, in its order (the stage closing first first, and in a stage those
    still to review first), with each stage's deadline and progress, and how many still wait for a review."""
    from incubator.reviews import queries as reviews

    groups = reviews.desk(user)
    assignments = [a for g in groups for a in g.assignments]
    return {"reviews": preview_of_list(assignments), "review_stages": groups, "title_of": reviews.title_of,
            "to_review": reviews.to_review_count(user, now)}


def mentor_home(user: User, now: datetime) -> dict:
    """The mentoring desk's sessions to log, sessions waiting for the founders (held or disputed) and startups
    (each in the desk's order) with the allowance each startup has left in its cohort, and the next sessions."""
    from incubator.mentoring import queries as mentoring

    startups = preview(mentoring.assignments_of_mentor(user.id))
    used = mentoring.allowance_used([a.member for a in startups.items])
    return {"to_log": preview(mentoring.sessions_to_log(user, now)), "startups": startups, "allowance_used": used,
            "waiting_founders": preview(mentoring.sessions_waiting_for_founders(user)),
            "upcoming": list(db.session.scalars(mentoring.upcoming_sessions(user, now, mentor_id=user.id)
                                                .limit(5)))}


def fund_manager_home(user: User) -> dict:
    """The pipeline's first entries in its order (the latest moved first), the count at each stage, and the
    startups open to the fund."""
    from incubator.funding import queries as funding
    from incubator.funding.enums import PipelineStage
    from incubator.funding.permissions import can_use_pipeline

    if not can_use_pipeline(user):  # a fund manager not (or no longer) attached to a fund sees no pipeline
        return {"pipeline": None}
    return {"pipeline": preview(funding.pipeline_entries(user)), "stage_counts": funding.stage_counts(user),
            "stages": list(PipelineStage), "open_startups": preview(funding.open_startups(user))}


def waiting_counts(user: User, now: datetime) -> dict:
    """What waits for the person in each of their roles (shown on the tabs of a person with several roles, so
    no role's work hides behind another's tab): reviews to submit, sessions to log, claims and disputes."""
    from incubator.companies import queries as companies
    from incubator.mentoring import queries as mentoring
    from incubator.reviews import queries as reviews

    roles = user.roles
    counts = {}
    if Role.REVIEWER in roles:
        counts[Role.REVIEWER] = reviews.to_review_count(user, now)
    if Role.MENTOR in roles:
        counts[Role.MENTOR] = count(mentoring.sessions_to_log(user, now))
    if Role.STAFF in roles:
        counts[Role.STAFF] = (count(companies.pending_claims())
                              + count(mentoring.session_list(user, status="disputed")))
    return counts


def official_home(today: date) -> dict:
    """The latest finalised report to the Department, and the targets as they stand today; with several
    incubators, the targets the city set for the network (and the way to the city's report)."""
    from incubator.organisation.current import several_incubators
    from incubator.reports import queries as reports
    from incubator.targets import queries as targets

    return {"figures": [targets.figure(t, today) for t in targets.all_targets(targets.incubator_in_view())],
            "latest_report": reports.latest_final(), "several_incubators": several_incubators()}


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
        .order_by(Application.created_at.desc(), Application.id.desc()))) if company_ids else []
    from incubator.cohorts import queries as cohorts
    from incubator.cohorts.enums import IN_INCUBATION
    from incubator.cohorts.models import CohortMember
    from incubator.cohorts.periods import member_periods

    today = local_today()
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
        .options(selectinload(MentoringSession.mentor))
        .order_by(MentoringSession.starts_at, MentoringSession.id))) if company_ids else []
    from incubator.applications.queries import public_rounds

    # The rounds open now, always (a founder who has applied once may apply to the next round, or with another
    # business): each with the founder's applications to it, and whether a business of theirs may still apply.
    open_rounds, _soon = public_rounds(utcnow())
    applied = {}
    for a in applications:
        applied.setdefault(a.round_id, []).append(a)
    rounds = [RoundToApply(r, applied.get(r.id, []), len(applied.get(r.id, [])) < max(len(company_ids), 1))
              for r in open_rounds]
    from incubator.surveys.queries import for_founder

    # The yearly surveys open now that their businesses are invited to (answered or not).
    surveys = [r for r in for_founder(user) if r.survey.is_open]
    return {"memberships": memberships, "applications": applications, "cohort_rows": rows, "services": services,
            "surveys": surveys, "sessions": sessions, "open_rounds": rounds}


@dataclass
class RoundToApply:
    """A round open now, as a founder sees it: their applications to it, and whether they may apply (again)."""

    round: object
    applications: list
    may_apply: bool
