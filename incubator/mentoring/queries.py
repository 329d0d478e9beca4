"""Read side of mentoring: hours (confirmed sessions only), a partner's page, a mentor's desk, suggestions."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from incubator.cohorts.enums import IN_INCUBATION
from incubator.cohorts.models import CohortMember
from incubator.extensions import db
from incubator.i18n import local_tz
from incubator.mentoring.enums import TOPIC_WORDS, SessionStatus, Topic
from incubator.mentoring.models import Agreement, MentorAssignment, MentoringSession, MentorProfile
from incubator.mentoring.permissions import sessions_visible_to


@dataclass
class Hours:
    """Confirmed mentoring hours, by every dimension at once, from one query."""

    by_mentor: dict[int, float] = field(default_factory=lambda: defaultdict(float))
    by_partner: dict[int | None, float] = field(default_factory=lambda: defaultdict(float))
    by_company: dict[int, float] = field(default_factory=lambda: defaultdict(float))
    by_cohort: dict[int, float] = field(default_factory=lambda: defaultdict(float))
    by_month: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    by_company_cohort: dict[tuple[int, int], float] = field(default_factory=lambda: defaultdict(float))
    # (partner id or None, "2026-03") → [minutes, sessions]: the partner's page's months, for every partner.
    by_partner_month: dict[tuple[int | None, str], list[int]] = field(
        default_factory=lambda: defaultdict(lambda: [0, 0]))
    sessions: int = 0
    total: float = 0.0


def between_days(stmt, start: date | None, end: date | None):
    """Sessions that start between two Hà Nội days, both inclusive (either may be open)."""
    tz = local_tz()
    if start is not None:
        stmt = stmt.where(MentoringSession.starts_at >= datetime.combine(start, time(0), tz).astimezone(UTC))
    if end is not None:
        stmt = stmt.where(MentoringSession.starts_at
                          < datetime.combine(end + timedelta(days=1), time(0), tz).astimezone(UTC))
    return stmt


def hours(*, partner_id: int | None = None, mentor_id: int | None = None, company_id: int | None = None,
          start: date | None = None, end: date | None = None) -> Hours:
    """Only confirmed sessions count. Months are those of Hà Nội. Summed by the database, so the cost
    follows the number of (mentor, partner, startup, cohort, month) groups, not of sessions."""
    month = MentoringSession.local_month
    stmt = (sa.select(MentoringSession.mentor_id, MentoringSession.partner_id, MentoringSession.company_id,
                      MentoringSession.cohort_id, month, sa.func.sum(MentoringSession.minutes),
                      sa.func.count(MentoringSession.id))
            .where(MentoringSession.status == SessionStatus.CONFIRMED)
            .group_by(MentoringSession.mentor_id, MentoringSession.partner_id, MentoringSession.company_id,
                      MentoringSession.cohort_id, month))
    if partner_id is not None:
        stmt = stmt.where(MentoringSession.partner_id == partner_id)
    if mentor_id is not None:
        stmt = stmt.where(MentoringSession.mentor_id == mentor_id)
    if company_id is not None:
        stmt = stmt.where(MentoringSession.company_id == company_id)
    stmt = between_days(stmt, start, end)
    result = Hours()
    for mentor, partner, company, cohort, month_key, minutes, count in db.session.execute(stmt):
        h = (minutes or 0) / 60
        result.by_mentor[mentor] += h
        result.by_partner[partner] += h
        result.by_company[company] += h
        result.by_cohort[cohort] += h
        result.by_month[month_key] += h
        result.by_company_cohort[(company, cohort)] += h
        cell = result.by_partner_month[(partner, month_key)]
        cell[0] += minutes or 0
        cell[1] += count
        result.sessions += count
        result.total += h
    return result


def hours_by_partner(*, start: date | None = None, end: date | None = None) -> Hours:
    """Confirmed hours between two Hà Nội days (both inclusive), in all and by partner only: one row per
    partner from the database (the report to the Department needs no more), where hours() makes a row for
    every (mentor, partner, startup, cohort, month)."""
    stmt = (sa.select(MentoringSession.partner_id, sa.func.sum(MentoringSession.minutes),
                      sa.func.count())  # count(*): the period's covering index answers alone (not count(id))
            .where(MentoringSession.status == SessionStatus.CONFIRMED).group_by(MentoringSession.partner_id))
    stmt = between_days(stmt, start, end)
    result = Hours()
    minutes_in_all = 0
    for partner, minutes, count in db.session.execute(stmt):
        result.by_partner[partner] += (minutes or 0) / 60
        result.sessions += count
        minutes_in_all += minutes or 0
    result.total = minutes_in_all / 60
    return result


def session_list(viewer, *, mentor_id=None, company_id=None, partner_id=None, status: str | None = None,
                 date_from: date | None = None, date_to: date | None = None):
    """The sessions ``viewer`` may open (sessions_visible_to, the list form of can_view_session), latest first,
    with what a list shows; dates are local days, both inclusive. The viewer is required: no list of sessions
    is made for nobody in particular (a calendar feed passes the person it belongs to)."""
    stmt = (sa.select(MentoringSession).where(sessions_visible_to(viewer))
            .options(joinedload(MentoringSession.mentor), joinedload(MentoringSession.company),
                     joinedload(MentoringSession.partner))
            .order_by(MentoringSession.starts_at.desc(), MentoringSession.id.desc()))
    if mentor_id is not None:
        stmt = stmt.where(MentoringSession.mentor_id == mentor_id)
    if company_id is not None:
        stmt = stmt.where(MentoringSession.company_id == company_id)
    if partner_id is not None:
        stmt = stmt.where(MentoringSession.partner_id == partner_id)
    if status in {s.value for s in SessionStatus}:
        stmt = stmt.where(MentoringSession.status == SessionStatus(status))
    return between_days(stmt, date_from, date_to)


def sessions_of(viewer, *, mentor_id=None, company_id=None, partner_id=None, limit: int | None = None):
    stmt = session_list(viewer, mentor_id=mentor_id, company_id=company_id, partner_id=partner_id)
    if limit:
        stmt = stmt.limit(limit)
    return list(db.session.scalars(stmt))


def assignments_of_mentor(mentor_id: int) -> sa.Select:
    """A mentor's startups as their desk lists them: the assignments in force, the oldest first."""
    return (sa.select(MentorAssignment)
            .where(MentorAssignment.mentor_id == mentor_id, MentorAssignment.ended_at.is_(None))
            .options(joinedload(MentorAssignment.member).joinedload(CohortMember.company),
                     joinedload(MentorAssignment.member).joinedload(CohortMember.cohort))
            .order_by(MentorAssignment.created_at, MentorAssignment.id))


def mentor_assignments(mentor_id: int) -> list[MentorAssignment]:
    return list(db.session.scalars(assignments_of_mentor(mentor_id)))


def sessions_to_log(mentor, now: datetime) -> sa.Select:
    """A mentor's sessions past their time and still only scheduled: to mark held (with the action items) so
    the founders can confirm them. In the order of the desk's sessions, the latest first."""
    return (session_list(mentor, mentor_id=mentor.id)
            .where(MentoringSession.status == SessionStatus.SCHEDULED, MentoringSession.starts_at < now))


def sessions_waiting_for_founders(mentor) -> sa.Select:
    """A mentor's sessions logged as held and not yet confirmed: those the founders have still to confirm, and
    those they disputed (staff resolve them). In the order of the desk's sessions, the latest first."""
    return (session_list(mentor, mentor_id=mentor.id)
            .where(MentoringSession.status.in_((SessionStatus.HELD, SessionStatus.DISPUTED))))


def upcoming_sessions(viewer, now: datetime, *, mentor_id: int | None = None) -> sa.Select:
    """The scheduled sessions to come that ``viewer`` may open, the soonest first."""
    return (session_list(viewer, mentor_id=mentor_id)
            .where(MentoringSession.status == SessionStatus.SCHEDULED, MentoringSession.starts_at >= now)
            .order_by(None).order_by(MentoringSession.starts_at, MentoringSession.id))


def allowance_used(members) -> dict[tuple[int, int], float]:
    """The confirmed hours each startup has had in its cohort, from every mentor (the cohort's allowance is
    the startup's, shared by its mentors): {(company_id, cohort_id): hours}, one query for any number."""
    pairs = {(m.company_id, m.cohort_id) for m in members}
    if not pairs:
        return {}
    rows = db.session.execute(
        sa.select(MentoringSession.company_id, MentoringSession.cohort_id, sa.func.sum(MentoringSession.minutes))
        .where(MentoringSession.status == SessionStatus.CONFIRMED,
               MentoringSession.company_id.in_({c for c, _k in pairs}),
               MentoringSession.cohort_id.in_({k for _c, k in pairs}))
        .group_by(MentoringSession.company_id, MentoringSession.cohort_id))
    return {(c, k): (minutes or 0) / 60 for c, k, minutes in rows if (c, k) in pairs}


def cohort_assignments(cohort_id: int) -> dict[int, list[MentorAssignment]]:
    rows = db.session.scalars(
        sa.select(MentorAssignment).join(CohortMember)
        .where(CohortMember.cohort_id == cohort_id, MentorAssignment.ended_at.is_(None))
        .options(joinedload(MentorAssignment.mentor))).all()
    result: dict[int, list[MentorAssignment]] = defaultdict(list)
    for a in rows:
        result[a.member_id].append(a)
    return result


# ---- Suggestions ------------------------------------------------------------------------------------------

@dataclass
class Suggestion:
    mentor: object
    profile: MentorProfile | None
    matched: list[Topic]
    load: int
    capacity: int

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.load)


def needs_of(texts: list[str]) -> set[Topic]:
    """The topics a startup's own words point to (without diacritics, so "gọi vốn" and "goi von" agree)."""
    from incubator.text import fold

    folded = " ".join(fold(t) for t in texts if t)
    return {topic for topic, words in TOPIC_WORDS.items() if any(w in folded for w in words)}


def startup_texts(member) -> list[str]:
    """What the startup asked for: its application's answers and its latest "help needed"."""
    from incubator.applications.models import Application
    from incubator.cohorts.enums import ReportStatus
    from incubator.cohorts.models import ProgressReport

    texts = []
    if member.application_id:
        application = db.session.get(Application, member.application_id)
        texts += [v for v in (application.answers or {}).values() if isinstance(v, str)]
    latest = db.session.scalar(sa.select(ProgressReport.help_needed).where(
        ProgressReport.member_id == member.id, ProgressReport.status == ReportStatus.SUBMITTED,
        ProgressReport.help_needed.is_not(None)).order_by(ProgressReport.period_start.desc(),
                                                          ProgressReport.version.desc()).limit(1))
    if latest:
        texts.append(latest)
    return texts


def suggestions(member, mentors: list) -> list[Suggestion]:
    """Mentors ranked by how many of the startup's needs their expertise covers, then by free capacity."""
    needs = needs_of(startup_texts(member))
    ids = [m.id for m in mentors]
    profiles = {p.user_id: p for p in db.session.scalars(sa.select(MentorProfile)
                                                          .where(MentorProfile.user_id.in_(ids)))} if ids else {}
    loads = dict(db.session.execute(
        sa.select(MentorAssignment.mentor_id, sa.func.count(MentorAssignment.id)).join(CohortMember)
        .where(MentorAssignment.mentor_id.in_(ids), MentorAssignment.ended_at.is_(None),
               CohortMember.status.in_(IN_INCUBATION)).group_by(MentorAssignment.mentor_id)).all()) if ids else {}
    result = []
    for mentor in mentors:
        profile = profiles.get(mentor.id)
        topics = {Topic(t) for t in (profile.topics if profile else [])}
        matched = sorted(needs & topics, key=lambda t: t.value)
        result.append(Suggestion(mentor, profile, matched, loads.get(mentor.id, 0), profile.capacity if profile else 3))
    return sorted(result, key=lambda s: (-len(s.matched), -s.free, s.mentor.full_name))


# ---- A partner's page -------------------------------------------------------------------------------------

@dataclass
class AgreementProgress:
    agreement: Agreement
    delivered: float

    @property
    def percent(self) -> float | None:
        hours = self.agreement.mentoring_hours
        return 100 * self.delivered / hours if hours else None


PARTNER_LIST_SIZE = 10


def _partner_hours(partner):
    """A partner's confirmed minutes and sessions by Hà Nội month, by startup (with its name) and by mentor, in
    one statement (three sums from their covering indexes, one round trip): rows of (kind, key, name, minutes,
    sessions)."""
    from incubator.companies.models import Company

    confirmed = sa.and_(MentoringSession.partner_id == partner.id, MentoringSession.status == SessionStatus.CONFIRMED)
    # count(*), not count(id): the indexes hold no id, and each sum is read from its index alone.
    minutes, sessions = sa.func.sum(MentoringSession.minutes), sa.func.count()
    no_name = sa.null().label("name")
    by_month = sa.select(sa.literal("month").label("kind"), MentoringSession.local_month.label("key"), no_name,
                         minutes, sessions).where(confirmed).group_by(MentoringSession.local_month)
    # Summed first, then named: one look-up of a name per startup, not per session.
    per_company = (sa.select(MentoringSession.company_id, minutes.label("minutes"), sessions.label("sessions"))
                   .where(confirmed).group_by(MentoringSession.company_id).subquery("per_company"))
    by_company = (sa.select(sa.literal("company"), sa.cast(per_company.c.company_id, sa.String), Company.name,
                            per_company.c.minutes, per_company.c.sessions)
                  .join(Company, Company.id == per_company.c.company_id))
    by_mentor = sa.select(sa.literal("mentor"), sa.cast(MentoringSession.mentor_id, sa.String), no_name, minutes,
                          sessions).where(confirmed).group_by(MentoringSession.mentor_id)
    return sa.union_all(by_month, by_company, by_mentor)


class Supported(NamedTuple):
    """A startup on a partner's page: what the list shows of it."""

    id: int
    name: str


def partner_page(partner, today: date, pages: dict | None = None):
    """Everything on a partner's page, in a fixed number of queries, and its lists (people, startups
    supported, services) ten to a page, each its own ``pages`` number: the page costs the same whatever the
    years of sessions or the partner's size. Hours count confirmed sessions only, summed by the database."""
    from incubator.auth.models import User, UserRole
    from incubator.cohorts.models import ServiceDelivery, ServiceRecipient
    from incubator.organisation.scoping import current_scope
    from incubator.web import ListPagination, page_with_total

    pages = pages or {}

    def paginate(stmt, name):
        return page_with_total(stmt, pages.get(name, 1), PARTNER_LIST_SIZE)

    people = sa.select(User).where(User.partner_id == partner.id)
    scope = current_scope()
    if scope is not None:  # a reader limited to their incubators: the partner's people who work in them
        people = people.where(sa.exists().where(UserRole.user_id == User.id, UserRole.incubator_id.in_(scope)))
    people = paginate(people.options(selectinload(User.role_rows)).order_by(User.full_name, User.id), "people")
    totals = Hours()
    by_company = []
    shown_people = {u.id for u in people}
    for kind, key, name, minutes, count in db.session.execute(_partner_hours(partner)):
        hours = (minutes or 0) / 60
        if kind == "month":
            totals.by_month[key] += hours
            totals.sessions += count
            totals.total += hours
        elif key is None:
            continue
        elif kind == "company":
            by_company.append((Supported(int(key), name), minutes or 0))
        elif int(key) in shown_people:
            totals.by_mentor[int(key)] += hours
    # The startups by hours, most first, paged here.
    by_company.sort(key=lambda pair: (-pair[1], pair[0].id))
    startups = ListPagination(items=by_company, page=pages.get("startups", 1), per_page=PARTNER_LIST_SIZE,
                              error_out=False)
    totals.by_company.update((company.id, minutes / 60) for company, minutes in startups.items)
    startups.items = [company for company, _minutes in startups.items]
    agreements = list(db.session.scalars(sa.select(Agreement).where(Agreement.partner_id == partner.id)
                                         .order_by(Agreement.starts_on.desc(), Agreement.id.desc())))
    progress = [AgreementProgress(a, sum(h for month, h in totals.by_month.items()
                                         if a.starts_on.strftime("%Y-%m") <= month
                                         and (a.ends_on is None or month <= a.ends_on.strftime("%Y-%m"))))
                for a in agreements]
    # Each service with the number of startups that received it: (service, number) rows.
    received = (sa.select(sa.func.count(ServiceRecipient.id)).where(ServiceRecipient.service_id == ServiceDelivery.id)
                .correlate(ServiceDelivery).scalar_subquery())
    services = paginate(sa.select(ServiceDelivery, received).where(ServiceDelivery.provider_id == partner.id)
                        .order_by(ServiceDelivery.delivered_on.desc(), ServiceDelivery.id.desc()), "services")
    months = sorted(totals.by_month.items())[-24:]
    return {"people": people, "hours": totals, "progress": progress, "startups": startups, "services": services,
            "months": months}


def upcoming(sessions, now: datetime):
    return sorted((s for s in sessions if s.starts_at >= now and s.status is SessionStatus.SCHEDULED),
                  key=lambda s: s.starts_at)


def session_history(session) -> list:
    """What happened to a session, oldest first, as its page shows it to those who may open it: who changed
    it or its state, when, and why (the audit log's entries; what changed in the notes is not told)."""
    from incubator.audit.models import AuditEntry

    return list(db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.object_type == MentoringSession.__tablename__, AuditEntry.object_id == str(session.id))
        .options(joinedload(AuditEntry.actor)).order_by(AuditEntry.id)))
