"""Dialogue conferences (issue 21): one function per change, each checking the change is allowed, auditing and
flushing; the request or command commits. The answers and the questions go through the requests' own doors:
a question raised beforehand is filed as the business's request (``requests.services.file``), an answer given
at the conference becomes the request's answer with the conference as its source
(``requests.services.draft_answer``, approved by a second member of staff as every answer is)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from incubator.audit import services as audit
from incubator.db import utcnow
from incubator.dialogue import permissions
from incubator.dialogue.enums import TRANSITIONS, ConferenceStatus, QuestionKind, QuestionOutcome
from incubator.dialogue.models import AgendaItem, DialogueConference, DialogueQuestion, Registration
from incubator.errors import Conflict, DomainError, NotAllowed, expect_version
from incubator.extensions import db
from incubator.requests import services as requests
from incubator.requests.enums import AnswerSource, RequestKind
from incubator.text import clean_text

TITLE_MAX, TEXT_MAX = 300, 20000
CONFERENCE_PAGE = "dialogue.show"
INVITATION_PAGE = "dialogue.register"


def _required(value, field: str, max_length: int, message) -> str:
    text = clean_text(value, max_length)
    if not text:
        raise DomainError(message, field=field)
    return text


@contextmanager
def _once() -> Iterator[None]:
    """Rows added in the block that two posts at once (a double click) could both add (a request twice on an
    agenda, an address invited or registered twice): the unique constraints let one through; the other is
    answered 409, the savepoint keeping its transaction usable for the page that says so."""
    try:
        with db.session.begin_nested():
            yield
            db.session.flush()
    except IntegrityError:
        raise Conflict() from None


def _require_staff(conference: DialogueConference, actor) -> None:
    if not permissions.can_handle_conference(actor, conference):
        raise NotAllowed(_l("Only the staff of the conference's incubator can do this."))


def _move(conference: DialogueConference, to: ConferenceStatus, action: str, *, actor,
          reason: str | None = None) -> None:
    before = conference.status
    if to not in TRANSITIONS.get(before, frozenset()):
        raise DomainError(_l("This conference cannot be changed in this way now."))
    conference.status = to
    db.session.flush()
    audit.record(action, conference, label=conference.title, from_state=before, to_state=to, actor=actor,
                 reason=reason)


def _fields(*, title, starts_at, minutes_long, place, link, chair, bodies) -> dict:
    title = _required(title, "title", TITLE_MAX, _l("Enter the conference's title."))
    chair = _required(chair, "chair", 200, _l("Enter who chairs the conference."))
    if not isinstance(starts_at, datetime) or starts_at.tzinfo is None:
        raise DomainError(_l("Enter the date and time."), field="starts_at")
    try:
        minutes_long = int(minutes_long)
    except (TypeError, ValueError):
        minutes_long = 0
    if not 15 <= minutes_long <= 1440:
        raise DomainError(_l("The conference lasts from 15 minutes to 24 hours."), field="minutes_long")
    place, link = clean_text(place, 300), clean_text(link, 500)
    if not place and not link:
        raise DomainError(_l("Enter the place or the link of the meeting."), field="place")
    if link and not link.startswith(("https://", "http://")):
        raise DomainError(_l("The link starts with https://."), field="link")
    return {"title": title, "starts_at": starts_at, "minutes_long": minutes_long, "place": place, "link": link,
            "chair": chair, "bodies": list(bodies or ())}


def plan(*, actor, title: str, starts_at: datetime, chair: str, minutes_long: int = 180, place: str | None = None,
         link: str | None = None, bodies: Iterable = (), incubator_id: int | None = None) -> DialogueConference:
    """Staff plan a conference: its title, date and time, place or link, chair, and the bodies attending."""
    from incubator.organisation.current import current_incubator_id
    from incubator.requests.permissions import is_staff_of

    fields = _fields(title=title, starts_at=starts_at, minutes_long=minutes_long, place=place, link=link,
                     chair=chair, bodies=bodies)
    incubator_id = incubator_id or current_incubator_id()
    if not is_staff_of(actor, incubator_id):
        raise NotAllowed(_l("Only the staff of the conference's incubator can do this."))
    conference = DialogueConference(status=ConferenceStatus.PLANNED, created_by_id=actor.id,
                                    incubator_id=incubator_id, **fields)
    db.session.add(conference)
    db.session.flush()
    audit.record("dialogue.plan", conference, label=conference.title, to_state=ConferenceStatus.PLANNED,
                 actor=actor, details={"starts_at": conference.starts_at.isoformat()})
    return conference


def edit(conference: DialogueConference, *, actor, version=None, **values) -> DialogueConference:
    """Change a planned conference; a new date, time or place is sent again to everyone invited (the
    calendars replace the event)."""
    _require_staff(conference, actor)
    expect_version(conference, version)
    if not conference.is_planned:
        raise DomainError(_l("Only a planned conference is changed."))
    fields = _fields(**values)
    bodies = fields.pop("bodies")
    moved = (fields["starts_at"] != conference.starts_at or fields["minutes_long"] != conference.minutes_long
             or fields["place"] != conference.place or fields["link"] != conference.link)
    changed = audit.apply_changes(conference, fields)
    if {b.id for b in bodies} != {b.id for b in conference.bodies}:
        conference.bodies = bodies
        changed = {**(changed or {}), "bodies": [b.name_vi for b in bodies]}
    if moved:
        conference.sequence += 1
    if changed:
        db.session.flush()
        audit.record("dialogue.edit", conference, label=conference.title, actor=actor,
                     details={"changed": sorted(changed)})
    if moved:
        _send_invitations(conference, [r for r in conference.registrations if r.invited_at is not None])
    return conference


# ---- The agenda --------------------------------------------------------------------------------------------

def add_item(conference: DialogueConference, request, *, actor) -> AgendaItem:
    """Put an open request of the conference's incubator on its agenda, at the end."""
    _require_staff(conference, actor)
    if conference.is_cancelled:
        raise DomainError(_l("The conference has been cancelled."))
    if conference.is_published:
        raise DomainError(_l("The minutes are published: withdraw them before changing the agenda."))
    if request is None or request.incubator_id != conference.incubator_id:
        raise DomainError(_l("No request of this incubator has this number."), field="request")
    if not request.is_open:
        raise DomainError(_l("Only a request still waiting for its answer is put on the agenda."), field="request")
    if any(item.request_id == request.id for item in conference.items):
        raise DomainError(_l("This request is on the agenda already."), field="request")
    item = AgendaItem(request=request, request_id=request.id,
                      position=max((i.position for i in conference.items), default=0) + 1)
    with _once():
        conference.items.append(item)
    audit.record("dialogue.add_item", conference, label=conference.title, actor=actor,
                 details={"request": request.number})
    return item


def remove_item(item: AgendaItem, *, actor) -> None:
    conference = item.conference
    _require_staff(conference, actor)
    if item.is_answered:
        raise DomainError(_l("An answer was recorded for this request: it stays on the agenda."))
    if conference.is_published:
        raise DomainError(_l("The minutes are published: withdraw them before changing the agenda."))
    number = item.request.number
    conference.items.remove(item)
    db.session.flush()
    audit.record("dialogue.remove_item", conference, label=conference.title, actor=actor,
                 details={"request": number})


# ---- Invitations and registrations -------------------------------------------------------------------------

def _conference_title(conference: DialogueConference) -> str:
    return _("Dialogue conference: %(title)s", title=conference.title)


def _send_invitations(conference: DialogueConference, registrations: list[Registration]) -> int:
    """Each person, in their language, with the event attached; once per version of the conference."""
    from flask import current_app
    from flask_babel import force_locale

    from incubator.dialogue.ical import invitation
    from incubator.mail import services as mail
    from incubator.urls import external_url, public_host

    host = public_host()
    sender = (current_app.config.get("MAIL_SENDER") or "").rpartition("<")[2].rstrip(">") or None
    sent = 0
    for registration in registrations:
        locale = registration.user.locale if registration.user is not None else None
        with force_locale(locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
            title = _conference_title(conference)
            subject = _("Cancelled: %(title)s", title=title) if conference.is_cancelled else title
            ics = invitation(conference, title=title, host=host, attendee=registration, organizer_email=sender)
        link = (external_url(INVITATION_PAGE, conference_id=conference.id) if registration.user_id is not None
                or registration.company_id is not None else None)
        message = mail.send(registration.email, locale, "dialogue_invitation", subject, conference=conference,
                            registration=registration, link=link,
                            attachment=("hoi-nghi-doi-thoai.ics", "text/calendar; charset=utf-8", ics),
                            to_name=registration.name,
                            event=f"dialogue.invitation:{conference.id}:{conference.sequence}:"
                                  f"{conference.status.value}")
        if message is not None:
            sent += 1
    return sent


def _registration_for(conference: DialogueConference, email: str) -> Registration | None:
    return next((r for r in conference.registrations if r.email.lower() == email.lower()), None)


def invite(conference: DialogueConference, *, actor, concerned: bool = True, emails: Iterable[str] = (),
           names: dict | None = None) -> int:
    """Invite the businesses concerned (the founders of the businesses whose requests are on the agenda) and
    others by e-mail address; each gets the e-mail with the event (.ics), once. Returns how many were invited
    now."""
    from email_validator import EmailNotValidError, validate_email

    from incubator.auth.models import User
    from incubator.companies.queries import founders_of

    _require_staff(conference, actor)
    if not conference.is_planned:
        raise DomainError(_l("Only a planned conference is invited to."))
    addresses = []
    for raw in emails or ():
        raw = (raw or "").strip()
        if not raw:
            continue
        try:
            addresses.append(validate_email(raw, check_deliverability=False).normalized)
        except EmailNotValidError:
            raise DomainError(_l("%(address)s is not a valid e-mail address.", address=raw[:100]),
                              field="emails") from None
    if not concerned and not addresses:
        raise DomainError(_l("Choose whom to invite."), field="emails")
    with _once():
        new: list[Registration] = []
        if concerned:
            for item in conference.items:
                for person in founders_of(item.request.company_id):
                    if _registration_for(conference, person.email) is None:
                        registration = Registration(user_id=person.id, user=person, company_id=item.request.company_id,
                                                    name=person.full_name, email=person.email)
                        conference.registrations.append(registration)
                        new.append(registration)
        for address in addresses:
            if _registration_for(conference, address) is not None:
                continue
            user = db.session.scalar(sa.select(User).where(sa.func.lower(User.email) == address.lower()))
            name = (names or {}).get(address) or (user.full_name if user is not None else address.split("@")[0])
            registration = Registration(user_id=getattr(user, "id", None), user=user, name=name[:200], email=address)
            conference.registrations.append(registration)
            new.append(registration)
        now = utcnow()
        for registration in new:
            registration.invited_at = now
    _send_invitations(conference, new)
    if new:
        audit.record("dialogue.invite", conference, label=conference.title, actor=actor,
                     details={"invited": len(new)})
    return len(new)


def register(conference: DialogueConference, *, actor, company=None, question_title: str | None = None,
             question_text: str | None = None, category=None, consent=None) -> Registration:
    """A founder invited registers (for their business); a question raised beforehand is filed as the
    business's request (with its number, time limit and acknowledgement) and put on the agenda."""
    from incubator.companies.permissions import holds_company

    if not permissions.can_register(actor, conference):
        raise NotAllowed(_l("Only a founder invited to this conference can register."))
    registration = next((r for r in conference.registrations if r.user_id == actor.id), None)
    if company is None and registration is not None and registration.company_id is not None:
        company = registration.company
    if company is not None and not holds_company(actor, company.id):
        raise DomainError(_l("Choose one of your businesses."), field="company")
    question_text = clean_text(question_text, TEXT_MAX)
    if question_text and company is None:
        raise DomainError(_l("Choose the business the question is raised for."), field="company")
    filed = None
    if question_text:  # filed first: a question refused (no area, no consent) registers nobody
        title = clean_text(question_title, TITLE_MAX) or question_text[:120]
        filed = requests.file(company, actor=actor, kind=RequestKind.REQUEST, category=category, title=title,
                              text=question_text, consent=consent, incubator_id=conference.incubator_id)
    with _once():
        if registration is None:
            registration = _registration_for(conference, actor.email)
        if registration is None:
            registration = Registration(user_id=actor.id, user=actor, name=actor.full_name, email=actor.email)
            conference.registrations.append(registration)
        registration.user_id, registration.user = actor.id, actor
        if company is not None:
            registration.company_id, registration.company = company.id, company
        first = registration.registered_at is None
        if first:
            registration.registered_at = utcnow()
    if filed is not None:
        conference.questions.append(DialogueQuestion(
            kind=QuestionKind.BEFOREHAND, outcome=QuestionOutcome.FILED, text=question_text,
            asked_by=company.name, registration_id=registration.id, request_id=filed.id, request=filed,
            recorded_by_id=actor.id))
        conference.items.append(AgendaItem(request=filed, request_id=filed.id,
                                           position=max((i.position for i in conference.items), default=0) + 1))
        db.session.flush()
        audit.record("dialogue.raise_question", conference, label=conference.title, actor=actor,
                     details={"request": filed.number})
    if first:
        audit.record("dialogue.register", conference, label=conference.title, actor=actor,
                     details={"company": getattr(company, "id", None)})
    return registration


# ---- At and after the conference ---------------------------------------------------------------------------

def _started(conference: DialogueConference) -> None:
    if conference.is_cancelled:
        raise DomainError(_l("The conference has been cancelled."))
    if conference.starts_at > utcnow():
        raise DomainError(_l("The conference has not begun yet."))
    if conference.is_published:
        raise DomainError(_l("The minutes are published: withdraw them before changing what they record."))


def record_answer(item: AgendaItem, *, actor, text: str, body=None) -> AgendaItem:
    """The answer given at the conference to a request on its agenda: it becomes the request's answer, with the
    conference as its source (drafted; a second member of staff approves it and it is sent to the business)."""
    conference = item.conference
    _require_staff(conference, actor)
    _started(conference)
    text = _required(text, "text", TEXT_MAX, _l("Write the answer given."))
    body = body or item.request.body
    requests.draft_answer(item.request, actor=actor, text=text, source=AnswerSource.CONFERENCE, body=body)
    item.answer_text = text
    item.answered_by_body_id, item.answered_by_body = getattr(body, "id", None), body
    item.recorded_by_id, item.recorded_at = actor.id, utcnow()
    db.session.flush()
    audit.record("dialogue.record_answer", conference, label=conference.title, actor=actor,
                 details={"request": item.request.number})
    return item


def raised_at(conference: DialogueConference) -> str:
    """The conference as a request's timeline names it: its title and its day in Hà Nội (dd/mm/yyyy)."""
    from incubator.i18n import fmt_date, local_day

    return f"{conference.title} ({fmt_date(local_day(conference.starts_at))})"


FLOOR_OUTCOMES = (QuestionOutcome.FILED, QuestionOutcome.ROUTED, QuestionOutcome.ANSWERED, QuestionOutcome.ATTACHED)


def record_floor_question(conference: DialogueConference, *, actor, text: str, outcome, asked_by: str | None = None,
                          answer_text: str | None = None, body=None, request=None, company=None, category=None,
                          title: str | None = None) -> DialogueQuestion:
    """A question raised from the floor: filed by staff as a new request of the business that raised it
    (``company``, with its ``category``: it gets its number, due date and acknowledgement, and is not published
    unless a founder consents), filed so and sent at once to a body for a written answer (routed: the clock
    runs, nothing routed is left without a number), answered there (with the answer), or attached to a request
    already filed (of this incubator)."""
    _require_staff(conference, actor)
    _started(conference)
    text = _required(text, "text", TEXT_MAX, _l("Write the question."))
    try:
        outcome = QuestionOutcome(outcome)
    except ValueError:
        outcome = None
    if outcome not in FLOOR_OUTCOMES:
        raise DomainError(_l("Choose what became of the question."), field="outcome")
    answer_text = clean_text(answer_text, TEXT_MAX)
    if outcome is QuestionOutcome.ANSWERED and not answer_text:
        raise DomainError(_l("Write the answer given."), field="answer_text")
    if outcome is QuestionOutcome.ROUTED and body is None:
        raise DomainError(_l("Choose the body that must answer."), field="body")
    if outcome is QuestionOutcome.ATTACHED and (request is None or request.incubator_id != conference.incubator_id):
        raise DomainError(_l("No request of this incubator has this number."), field="request")
    filed = None
    if outcome in (QuestionOutcome.FILED, QuestionOutcome.ROUTED):
        if company is None:
            raise DomainError(_l("Choose the business the question is raised for."), field="company")
        if not requests.may_file_in(company, conference.incubator_id):
            raise DomainError(_l("Choose a business that works with the conference's incubator."), field="company")
        filed = requests.file_on_behalf(
            company, actor=actor, category=category, title=clean_text(title, TITLE_MAX) or text[:120], text=text,
            raised_at=raised_at(conference), incubator_id=conference.incubator_id,
            body=body if outcome is QuestionOutcome.ROUTED else None)
    elif outcome is QuestionOutcome.ATTACHED:
        filed = request
    question = DialogueQuestion(kind=QuestionKind.FLOOR, outcome=outcome, text=text,
                                asked_by=clean_text(asked_by, 300) or getattr(company, "name", None),
                                answer_text=answer_text if outcome is QuestionOutcome.ANSWERED else None,
                                body_id=getattr(body, "id", None) if outcome is QuestionOutcome.ROUTED else None,
                                body=body if outcome is QuestionOutcome.ROUTED else None,
                                request_id=getattr(filed, "id", None), request=filed, recorded_by_id=actor.id)
    conference.questions.append(question)
    db.session.flush()
    audit.record("dialogue.floor_question", conference, label=conference.title, actor=actor,
                 to_state=outcome.value, details={"request": filed.number} if filed is not None else None)
    return question


def hold(conference: DialogueConference, *, actor, version=None) -> DialogueConference:
    """The conference took place."""
    _require_staff(conference, actor)
    expect_version(conference, version)
    if conference.is_planned and conference.starts_at > utcnow():
        raise DomainError(_l("The conference has not begun yet."))
    _move(conference, ConferenceStatus.HELD, "dialogue.hold", actor=actor)
    return conference


def cancel(conference: DialogueConference, *, actor, reason: str, version=None) -> DialogueConference:
    """Cancel a planned conference: everyone invited gets the cancellation, which removes it from calendars."""
    _require_staff(conference, actor)
    expect_version(conference, version)
    reason = _required(reason, "reason", 2000, _l("Give the reason for cancelling."))
    _move(conference, ConferenceStatus.CANCELLED, "dialogue.cancel", actor=actor, reason=reason)
    conference.cancel_reason = reason
    conference.sequence += 1
    db.session.flush()
    _send_invitations(conference, [r for r in conference.registrations if r.invited_at is not None])
    return conference


def make_minutes(conference: DialogueConference, *, actor, number: str | None = None,
                 attendance: str | None = None, conclusions: str | None = None, version=None,
                 today=None) -> DialogueConference:
    """Write the minutes (biên bản) of a conference held: who attended, what was concluded; the PDF in the
    administrative format is made from them, the agenda's answers and the questions from the floor."""
    from incubator.dialogue.minutes import render_pdf
    from incubator.i18n import local_today

    _require_staff(conference, actor)
    expect_version(conference, version)
    if not conference.is_held:
        raise DomainError(_l("The minutes are made once the conference has been held."))
    if conference.is_published:
        raise DomainError(_l("The minutes are published: withdraw them before changing them."))
    conclusions = _required(conclusions, "conclusions", TEXT_MAX, _l("Write the conclusions of the conference."))
    audit.apply_changes(conference, {"minutes_number": clean_text(number, 40),
                                     "attendance": clean_text(attendance, TEXT_MAX), "conclusions": conclusions})
    conference.minutes_pdf = render_pdf(conference, today or local_today())
    conference.minutes_made_at = utcnow()
    db.session.flush()
    audit.record("dialogue.minutes", conference, label=conference.title, actor=actor)
    return conference


def _minutes_day(conference: DialogueConference):
    from incubator.i18n import local_day

    return local_day(conference.minutes_made_at)


def _request_publication_changed(request, actor=None, **_extra) -> None:
    """What anyone may read of a request changed (its business's consent, the version staff prepared): the
    minutes made of each conference with it on its agenda are drawn again, dated as they were, so that the PDF
    (published, or to be published) never shows what is no longer consented; the pages read it live."""
    from incubator.dialogue.minutes import render_pdf

    conferences = db.session.scalars(
        sa.select(DialogueConference).join(AgendaItem, AgendaItem.conference_id == DialogueConference.id)
        .where(AgendaItem.request_id == request.id, DialogueConference.minutes_made_at.is_not(None))
        .execution_options(all_incubators=True)).unique()
    for conference in conferences:
        conference.minutes_pdf = render_pdf(conference, _minutes_day(conference))
    db.session.flush()


def connect_to_requests() -> None:
    """Called by the factory (connecting twice connects once)."""
    requests.publication_changed.connect(_request_publication_changed)  # module-level: the weak reference holds


def publish(conference: DialogueConference, *, actor, version=None) -> DialogueConference:
    """Publish the minutes with the answers: the conference's public page, linked from the published answers."""
    _require_staff(conference, actor)
    expect_version(conference, version)
    if not (conference.is_held and conference.has_minutes):
        raise DomainError(_l("Make the minutes before publishing them."))
    if conference.is_published:
        raise DomainError(_l("The minutes are published already."))
    conference.published_at = utcnow()
    db.session.flush()
    audit.record("dialogue.publish", conference, label=conference.title, actor=actor, to_state="published")
    return conference


def unpublish(conference: DialogueConference, *, actor, version=None) -> DialogueConference:
    _require_staff(conference, actor)
    expect_version(conference, version)
    if not conference.is_published:
        raise DomainError(_l("The minutes are not published."))
    conference.published_at = None
    db.session.flush()
    audit.record("dialogue.unpublish", conference, label=conference.title, actor=actor, from_state="published")
    return conference
