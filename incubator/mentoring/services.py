"""Mentoring: agreements, profiles, assignments, sessions through their one door, calendar tokens.
Functions flush and audit; the request commits."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from incubator import bounds
from incubator.audit import services as audit
from incubator.auth.enums import Role
from incubator.cohorts.enums import IN_INCUBATION
from incubator.db import utcnow
from incubator.errors import DomainError, expect_version
from incubator.extensions import db
from incubator.mentoring.enums import SESSION_TRANSITIONS, SessionMode, SessionStatus, Topic
from incubator.mentoring.models import Agreement, CalendarToken, MentorAssignment, MentoringSession, MentorProfile

# ---- Agreements and profiles ------------------------------------------------------------------------------


def save_agreement(agreement: Agreement | None, partner, *, actor, programme: str, starts_on, ends_on=None,
                   scope: str | None = None, mentoring_hours: int | None = None, version=None) -> Agreement:
    """An agreement runs on the programme's days (bounds.PROGRAMME: not before 1990, at most ten years
    ahead); the hours it commits are not negative. A change is made on the version it was read at, and its
    audit entry says what changed."""
    if agreement is not None:
        expect_version(agreement, version)
        if agreement.partner_id != partner.id:
            raise DomainError(_l("This agreement is another partner's."))
    programme = (programme or "").strip()
    if not programme:
        raise DomainError(_l("Name the programme of the agreement."), field="programme")
    if starts_on is None:
        raise DomainError(_l("Enter the first day."), field="starts_on")
    bounds.PROGRAMME.check(starts_on, "starts_on")
    bounds.PROGRAMME.check(ends_on, "ends_on")
    if ends_on is not None and ends_on < starts_on:
        raise DomainError(_l("The last day cannot be before the first day."), field="ends_on")
    bounds.check_not_negative(mentoring_hours, "mentoring_hours", _l("Hours cannot be negative."))
    created = agreement is None
    if created:
        agreement = Agreement(partner_id=partner.id)
        db.session.add(agreement)
    values = {"programme": programme, "starts_on": starts_on, "ends_on": ends_on,
              "scope": (scope or "").strip() or None, "mentoring_hours": mentoring_hours}
    changed = {key: [audit.plain(getattr(agreement, key)), audit.plain(value)] for key, value in values.items()
               if not created and getattr(agreement, key) != value}
    if not created and not changed:
        return agreement
    for key, value in values.items():
        setattr(agreement, key, value)
    db.session.flush()
    details = {"partner": partner.id, "mentoring_hours": mentoring_hours}
    if changed:
        details["changed"] = {k: v for k, v in changed.items() if k != "scope"} | (
            {"scope_changed": True} if "scope" in changed else {})
    audit.record("agreement.create" if created else "agreement.update", agreement, label=programme, actor=actor,
                 details=details)
    return agreement


def save_profile(user, *, actor, topics, languages, bio: str | None, capacity: int) -> MentorProfile:
    if not user.has_role(Role.MENTOR):
        raise DomainError(_l("Only a mentor has a mentor's profile."))
    if capacity is None or capacity < 0 or capacity > 50:
        raise DomainError(_l("Capacity: from 0 to 50 startups at once."), field="capacity")
    profile = db.session.scalar(sa.select(MentorProfile).where(MentorProfile.user_id == user.id))
    if profile is None:
        profile = MentorProfile(user_id=user.id)
        db.session.add(profile)
    profile.topics = [Topic(t).value for t in topics or []]
    profile.languages = [lang for lang in (languages or []) if lang in ("vi", "en")]
    profile.bio = (bio or "").strip() or None
    profile.capacity = capacity
    db.session.flush()
    audit.record("mentor.profile", profile, label=user.full_name, actor=actor,
                 details={"topics": profile.topics, "capacity": capacity})
    return profile


# ---- Assignments ------------------------------------------------------------------------------------------

def assign_mentor(member, mentor, *, actor) -> MentorAssignment:
    if not (mentor.active and mentor.has_role(Role.MENTOR)):
        raise DomainError(_l("%(name)s is not an active mentor.", name=mentor.full_name), field="mentor_id")
    if member.status not in IN_INCUBATION:
        raise DomainError(_l("This startup is no longer in incubation."))
    existing = db.session.scalar(sa.select(MentorAssignment).where(MentorAssignment.mentor_id == mentor.id,
                                                                   MentorAssignment.member_id == member.id))
    if existing is not None:
        if existing.ended_at is not None:
            existing.ended_at = None
            db.session.flush()
            audit.record("mentor.assign", existing, label=member.company.name, actor=actor,
                         details={"mentor": mentor.email, "again": True})
        return existing
    assignment = MentorAssignment(mentor_id=mentor.id, member_id=member.id, assigned_by_id=actor.id)
    db.session.add(assignment)
    db.session.flush()
    audit.record("mentor.assign", assignment, label=member.company.name, actor=actor,
                 details={"mentor": mentor.email, "cohort": member.cohort_id})
    return assignment


def end_assignment(assignment: MentorAssignment, *, actor) -> MentorAssignment:
    if assignment.ended_at is None:
        assignment.ended_at = utcnow()
        db.session.flush()
        audit.record("mentor.unassign", assignment, label=assignment.member.company.name, actor=actor)
    return assignment


def _member_left(member, *, actor) -> None:
    """A startup that leaves its cohort leaves its mentors too: each assignment still running ends, by the
    person who recorded the leaving (cohorts' member_left signal, in the same change)."""
    for assignment in db.session.scalars(sa.select(MentorAssignment).where(
            MentorAssignment.member_id == member.id, MentorAssignment.ended_at.is_(None))):
        end_assignment(assignment, actor=actor)


def connect_to_cohorts() -> None:
    """Called by the factory: mentoring hears cohorts' member_left (connecting twice connects once)."""
    from incubator.cohorts.services import member_left

    member_left.connect(_member_left)  # a module-level function: blinker's weak reference holds


# ---- Sessions ---------------------------------------------------------------------------------------------

SESSION_FIELDS = ("starts_at", "minutes", "mode", "place", "link", "topics", "notes", "action_items")


def _check_session(fields: dict, now: datetime | None = None) -> None:
    """A session is logged or scheduled on a day within bounds.SESSION: not before 1990, at most until the end
    of the year after next (of ``now``'s year when given; checked on its day, before any arithmetic: year 1 or
    9999 would overflow it)."""
    starts_at = fields.get("starts_at")
    if starts_at is None:
        raise DomainError(_l("Enter the date and the start time."), field="starts_on")
    if now is None:
        bounds.SESSION.check(starts_at, "starts_on")
    else:
        bounds.check_date(starts_at, "starts_on", earliest=bounds.SESSION.earliest,
                          latest=bounds.session_latest(now))
    minutes = fields.get("minutes")
    if minutes is None or not 5 <= minutes <= 720:
        raise DomainError(_l("A session lasts from 5 minutes to 12 hours."), field="minutes")
    link = fields.get("link")
    if link and not link.lower().startswith(("https://", "http://")):
        raise DomainError(_l("A link starts with http:// or https://."), field="link")
    if fields.get("mode") is SessionMode.ONLINE and not link:
        raise DomainError(_l("Give the link of an online session."), field="link")


def _clean(fields: dict) -> dict:
    cleaned = {k: v for k, v in fields.items() if k in SESSION_FIELDS}
    for key in ("place", "link", "notes", "action_items"):
        if key in cleaned:
            cleaned[key] = (cleaned[key] or "").strip() or None
    if "mode" in cleaned:
        cleaned["mode"] = SessionMode(cleaned["mode"])
    if "topics" in cleaned:
        cleaned["topics"] = [Topic(t).value for t in cleaned["topics"] or []]
    return cleaned


def log_session(assignment: MentorAssignment, *, actor, now: datetime, **fields) -> MentoringSession:
    """A mentor schedules a session (a future time: the mentor and the founders get an invitation) or logs
    one that took place (waits for the founders' confirmation). Only through a current assignment."""
    if assignment.ended_at is not None or assignment.member.status not in IN_INCUBATION:
        raise DomainError(_l("This mentoring assignment has ended."))
    fields = _clean(fields)
    _check_session(fields, now)
    mentor = assignment.mentor
    # Two identical posts (a double click) queue on the assignment's row; the second finds the first's session.
    db.session.execute(sa.select(MentorAssignment.id).where(MentorAssignment.id == assignment.id).with_for_update())
    twin = db.session.scalar(sa.select(MentoringSession).where(
        MentoringSession.assignment_id == assignment.id, MentoringSession.starts_at == fields["starts_at"],
        MentoringSession.minutes == fields["minutes"], MentoringSession.status != SessionStatus.CANCELLED))
    if twin is not None:
        return twin
    session = MentoringSession(
        assignment_id=assignment.id, mentor_id=mentor.id, partner_id=mentor.partner_id,
        company_id=assignment.member.company_id, cohort_id=assignment.member.cohort_id,
        status=SessionStatus.SCHEDULED if fields["starts_at"] > now else SessionStatus.HELD, **fields)
    db.session.add(session)
    db.session.flush()
    audit.record("session.create", session, label=assignment.member.company.name, to_state=session.status,
                 actor=actor, details={"mentor": mentor.email, "minutes": session.minutes})
    if session.status is SessionStatus.SCHEDULED:
        _send_invitations(session)
    else:
        _ask_founders_to_confirm(session)
    return session


def update_session(session: MentoringSession, *, actor, now: datetime, version=None, reason: str | None = None,
                   **fields) -> MentoringSession:
    """The mentor edits until the session is confirmed; after that only staff, who say why (the reason is
    kept in the audit entry, with the changes, and shown in the session's history)."""
    from incubator.auth.permissions import is_staff

    expect_version(session, version)
    if session.status in (SessionStatus.CONFIRMED, SessionStatus.CANCELLED) and not is_staff(actor):
        raise DomainError(_l("A confirmed session is changed only by the incubator's staff."))
    reason = (reason or "").strip()[:1000] or None
    if not is_staff(actor) and session.assignment.ended_at is not None:
        raise DomainError(_l("This mentoring assignment has ended."))
    fields = _clean(fields)
    merged = {k: fields.get(k, getattr(session, k)) for k in SESSION_FIELDS}
    _check_session(merged, now)
    if session.status is not SessionStatus.SCHEDULED and merged["starts_at"] > now:
        raise DomainError(_l("A session that took place cannot be moved to the future."), field="starts_on")
    changed = {key: [audit.plain(getattr(session, key)), audit.plain(value)] for key, value in fields.items()
               if getattr(session, key) != value}
    if not changed:
        return session
    if session.status is SessionStatus.CONFIRMED and not reason:
        # Its hours already count: a change after the founders confirmed it says why.
        raise DomainError(_l("Say why a confirmed session is changed."), field="reason")
    for key in changed:
        setattr(session, key, fields[key])
    became_held = session.status is SessionStatus.SCHEDULED and session.starts_at <= now
    if became_held:
        session.status = SessionStatus.HELD
    session.sequence += 1
    db.session.flush()
    audit.record("session.update", session, label=session.company.name, actor=actor, reason=reason,
                 details={"changed": {k: v for k, v in changed.items() if k != "notes"}, "notes_changed":
                          "notes" in changed})
    if session.status is SessionStatus.SCHEDULED and ("starts_at" in changed or "minutes" in changed
                                                      or "place" in changed or "link" in changed):
        _send_invitations(session)
    elif became_held:
        _ask_founders_to_confirm(session)  # moved into the past: it now waits for the founders, as a logged one
    return session


def change_status(session: MentoringSession, to: SessionStatus, *, actor, reason: str | None = None,
                  version=None) -> MentoringSession:
    """The one door for a session's state: mark held, confirm, dispute, resolve, cancel."""
    expect_version(session, version)
    to = SessionStatus(to)
    if to not in SESSION_TRANSITIONS[session.status]:
        raise DomainError(_l("A session that is %(from)s cannot become %(to)s.",
                             **{"from": session.status.label, "to": to.label}))
    reason = (reason or "").strip()[:1000] or None
    if to is SessionStatus.DISPUTED and not reason:
        raise DomainError(_l("Say what is wrong with the session as logged."), field="reason")
    before = session.status
    session.status = to
    if to is SessionStatus.DISPUTED:
        session.dispute_reason = reason
    if to in (SessionStatus.CONFIRMED, SessionStatus.CANCELLED, SessionStatus.DISPUTED):
        session.decided_by_id, session.decided_at = actor.id, utcnow()
    if to is SessionStatus.CANCELLED:
        session.sequence += 1
    db.session.flush()
    audit.record("session.status", session, label=session.company.name, from_state=before, to_state=to,
                 reason=reason, actor=actor)
    if to is SessionStatus.CANCELLED and before is SessionStatus.SCHEDULED:
        _send_invitations(session)  # the cancellation reaches the calendars too
    elif to is SessionStatus.HELD:
        _ask_founders_to_confirm(session)
    elif to is SessionStatus.DISPUTED:
        _tell_staff_of_dispute(session, disputed_by=actor)
    return session


def session_title(session) -> str:
    from flask_babel import gettext as _

    return _("Mentoring: %(mentor)s – %(company)s", mentor=session.mentor.full_name, company=session.company.name)


def _send_invitations(session: MentoringSession) -> None:
    from flask_babel import force_locale
    from flask_babel import gettext as _

    from incubator.mail import services as mail
    from incubator.mentoring.ical import invitation
    from incubator.urls import external_url, public_host

    host = public_host()
    from incubator.companies.queries import founders_of

    founders = founders_of(session.company_id)
    people = [session.mentor, *founders]
    for person in people:
        with force_locale(person.locale or "vi"):
            title = session_title(session)
            ics = invitation(session, title=title, host=host, attendees=founders)
            subject = (_("Cancelled: %(title)s", title=title) if session.status is SessionStatus.CANCELLED
                       else title)
        # The event is this version of the session (an edit or a cancellation raises its sequence).
        mail.send(person.email, person.locale, "session_invitation", subject, user=person, session=session,
                  attachment=("moi-hop.ics", "text/calendar; charset=utf-8", ics), to_name=person.full_name,
                  event=f"session.invitation:{session.id}:{session.sequence}:{session.status.value}",
                  link=external_url("mentoring.session", session_id=session.id))


def _ask_founders_to_confirm(session: MentoringSession) -> None:
    """A session that took place waits for the founders: each is asked, once, in their language, to confirm it
    or say what is wrong, with the link to its page."""
    from flask_babel import gettext as _

    from incubator.companies.queries import founders_of
    from incubator.mail import services as mail
    from incubator.urls import external_url

    link = external_url("mentoring.session", session_id=session.id)
    for founder in founders_of(session.company_id):
        mail.send_to(founder, "session_to_confirm",
                     lambda: _("Please confirm the mentoring session with %(mentor)s",
                               mentor=session.mentor.full_name),
                     event=f"session.held:{session.id}", session=session, link=link)


def _tell_staff_of_dispute(session: MentoringSession, *, disputed_by) -> None:
    """A founder disputed a session: the incubator's staff, who resolve disputes, are told once, with the
    founder's reason and the link to the session."""
    from flask_babel import gettext as _

    from incubator.auth.enums import Role
    from incubator.auth.queries import active_with_role
    from incubator.mail import services as mail
    from incubator.urls import external_url

    link = external_url("mentoring.session", session_id=session.id)
    for person in active_with_role(Role.STAFF, incubator_id=session.incubator_id):  # the session's incubator's
        mail.send_to(person, "session_disputed",
                     lambda: _("Disputed mentoring session: %(company)s", company=session.company.name),
                     event=f"session.disputed:{session.id}", session=session,
                     disputed_by=disputed_by, link=link)


# ---- Calendar feeds -----------------------------------------------------------------------------------------

def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_calendar_token(*, actor, mentor=None, company=None) -> str:
    """A new private feed address; any earlier one of the same owner stops working."""
    owner = (CalendarToken.mentor_id == mentor.id) if mentor is not None else (CalendarToken.company_id == company.id)
    for old in db.session.scalars(sa.select(CalendarToken).where(owner, CalendarToken.revoked_at.is_(None))):
        old.revoked_at = utcnow()
    token = secrets.token_urlsafe(24)
    db.session.add(CalendarToken(token_hash=_hash(token), mentor_id=getattr(mentor, "id", None),
                                 company_id=getattr(company, "id", None), created_by_id=actor.id))
    db.session.flush()
    audit.record("calendar.token", object_type="calendar_tokens", object_id=None, actor=actor,
                 label=(mentor.full_name if mentor is not None else company.name))
    return token


def revoke_calendar_tokens(*, actor, mentor=None, company=None) -> int:
    owner = (CalendarToken.mentor_id == mentor.id) if mentor is not None else (CalendarToken.company_id == company.id)
    count = 0
    for old in db.session.scalars(sa.select(CalendarToken).where(owner, CalendarToken.revoked_at.is_(None))):
        old.revoked_at = utcnow()
        count += 1
    db.session.flush()
    return count


def token_owner(token: str) -> CalendarToken | None:
    """The feed's owner, while the address is current and its people still have their access: an active
    mentor, or an active founder of the company who made the address."""
    from incubator.auth.models import User
    from incubator.companies.permissions import holds_company

    if not token or len(token) > 100:
        return None
    owner = db.session.scalar(sa.select(CalendarToken).where(CalendarToken.token_hash == _hash(token),
                                                             CalendarToken.revoked_at.is_(None)))
    if owner is None:
        return None
    if owner.mentor_id is not None:
        mentor = db.session.get(User, owner.mentor_id)
        # A mentor in any incubator: the feed is read by no one's request, and lists the mentor's own sessions.
        return owner if mentor is not None and mentor.active and Role.MENTOR in mentor.roles_everywhere else None
    maker = db.session.get(User, owner.created_by_id) if owner.created_by_id else None
    if maker is None or not maker.active or not holds_company(maker, owner.company_id):
        return None
    return owner
