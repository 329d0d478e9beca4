"""Who may do what in mentoring and with partners' and fund managers' data."""

from __future__ import annotations

import sqlalchemy as sa

from incubator.auth.enums import Role
from incubator.auth.permissions import has_role, is_staff
from incubator.companies.permissions import holds_company
from incubator.extensions import db
from incubator.mentoring.enums import SessionStatus


def is_mentor(user) -> bool:
    return has_role(user, Role.MENTOR)


def can_manage_mentoring(user) -> bool:
    return is_staff(user)


def can_log_for(user, assignment) -> bool:
    """A mentor logs sessions only with the startups assigned to them, while the assignment lasts."""
    return is_mentor(user) and assignment.mentor_id == user.id and assignment.ended_at is None


def can_view_session(user, session) -> bool:
    """A session's details (its page, place and meeting link, action items, its answer and edit forms, and its
    place in any list, export or calendar feed) are for its own mentor, the startup's founders (approved
    members of the company) and staff. Not for the partner's other people: its other mentors, even one assigned
    to the same startup, its fund managers and reviewers see the partner's totals (reads_partner), never its
    sessions. Lists use the same rule as a WHERE clause, sessions_visible_to(user)."""
    if user is None or not user.is_authenticated:
        return False
    return is_staff(user) or (is_mentor(user) and session.mentor_id == user.id) or \
        (has_role(user, Role.FOUNDER) and holds_company(user, session.company_id))


def sessions_visible_to(user) -> sa.ColumnElement[bool]:
    """can_view_session as a WHERE clause on mentoring_sessions: every list, export and feed of sessions is
    filtered by it, so a list never shows a session whose page would answer 404."""
    from incubator.companies.enums import MembershipStatus
    from incubator.companies.models import CompanyMember
    from incubator.mentoring.models import MentoringSession

    if user is None or not user.is_authenticated:
        return sa.false()
    if is_staff(user):
        return sa.true()
    clauses = []
    if is_mentor(user):
        clauses.append(MentoringSession.mentor_id == user.id)
    if has_role(user, Role.FOUNDER):
        clauses.append(MentoringSession.company_id.in_(sa.select(CompanyMember.company_id).where(
            CompanyMember.user_id == user.id, CompanyMember.status == MembershipStatus.APPROVED)))
    return sa.or_(*clauses) if clauses else sa.false()


def can_read_notes(user, session) -> bool:
    """A session's notes are the mentor's and the staff's only."""
    return is_staff(user) or (is_mentor(user) and session.mentor_id == user.id)


def can_answer_for(user, session) -> bool:
    """The founders confirm or dispute a session logged with their company."""
    return has_role(user, Role.FOUNDER) and holds_company(user, session.company_id)


# Who may change a session's status, and when: the view refuses the rest, and the session's page offers a
# change only to whom these allow and where the state machine (session.status.allows) leads.
def can_mark_held(user, session, now) -> bool:
    """Its mentor, while assigned to the startup, or staff mark a session held once its time has come."""
    return (is_staff(user) or can_log_for(user, session.assignment)) and session.starts_at <= now


def can_cancel_session(user, session) -> bool:
    """Staff cancel a session not yet confirmed; its mentor, while assigned, one scheduled or held (a disputed
    session is the staff's to resolve: its mentor cannot make the dispute go away)."""
    return (is_staff(user) and session.status is not SessionStatus.CONFIRMED) or (
        can_log_for(user, session.assignment) and session.status in (SessionStatus.SCHEDULED, SessionStatus.HELD))


def can_answer_session(user, session) -> bool:
    """The founders confirm or dispute a session once it is logged as held."""
    return can_answer_for(user, session) and session.status is SessionStatus.HELD


def can_resolve_dispute(user, session) -> bool:
    """Staff resolve a disputed session by confirming it."""
    return is_staff(user) and session.status is SessionStatus.DISPUTED


def reads_partner(user, partner) -> bool:
    """Whether this person reads the partner's page, for a partner read through
    ``partners.queries.visible_partner`` (which holds the other half of the rule: staff see every partner they see
    at all; with several incubators, those working with theirs or with none yet). Staff read it; a partner's own
    people (its mentors, fund managers, reviewers) read theirs, and only theirs: its agreements and its confirmed
    hours in totals (by month, startup, person), no session."""
    return is_staff(user) or (user is not None and user.is_authenticated and user.partner_id == partner.id)


def mentor_assigned_to(user, company_id: int) -> bool:
    from incubator.cohorts.models import CohortMember
    from incubator.mentoring.models import MentorAssignment

    if not is_mentor(user):
        return False
    return db.session.scalar(sa.select(MentorAssignment.id).join(CohortMember).where(
        MentorAssignment.mentor_id == user.id, MentorAssignment.ended_at.is_(None),
        CohortMember.company_id == company_id).limit(1)) is not None


def _agreements():
    """(partner_id, incubator_id) of every agreement: where each partner works, for partners.queries."""
    from incubator.mentoring.models import Agreement

    table = Agreement.__table__
    return sa.select(table.c.partner_id, table.c.incubator_id)


def register(app) -> None:
    from incubator.cohorts.permissions import add_startup_reader
    from incubator.partners.queries import register_presence

    add_startup_reader(mentor_assigned_to)  # a mentor reads the file and reports of the startups assigned
    register_presence(_agreements)  # a partner with an agreement in an incubator works with it (partners' rule)
    app.jinja_env.globals.update(is_mentor=is_mentor, can_manage_mentoring=can_manage_mentoring,
                                 can_read_notes=can_read_notes, can_answer_for=can_answer_for,
                                 can_mark_held=can_mark_held, can_cancel_session=can_cancel_session,
                                 can_answer_session=can_answer_session, can_resolve_dispute=can_resolve_dispute)
