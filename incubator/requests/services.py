"""Businesses' requests to the city: one function per change, each checking the change is allowed (the
transitions of ``enums.TRANSITIONS``), writing the request's timeline, auditing and flushing; the request or
command commits (issue 21).

The e-mails link to the request's page at ``REQUEST_PAGE`` (the views' endpoint, taking ``request_id``); until
the views exist they link to the site's front page."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

import sqlalchemy as sa
from blinker import Namespace
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from incubator.audit import services as audit
from incubator.db import utcnow
from incubator.errors import DomainError, NotAllowed, expect_version
from incubator.extensions import db
from incubator.i18n import local_today
from incubator.requests import calendar, permissions
from incubator.requests.enums import (
    TRANSITIONS,
    AnswerSource,
    BodyKind,
    CalendarDayKind,
    EventKind,
    PublicationConsent,
    RequestKind,
    RequestOrigin,
    RequestStatus,
)
from incubator.requests.models import (
    DEFAULT_TIME_LIMIT_DAYS,
    AnsweringBody,
    BusinessRequest,
    CalendarDay,
    RequestAnswer,
    RequestAttachment,
    RequestCategory,
    RequestEvent,
    RequestNumberCounter,
)
from incubator.text import clean_text, fold

REQUEST_PAGE = "requests.show"

signals = Namespace()
# Sent (sender: the request) when what anyone may read of a request changes: the business's consent to
# publication, or the version staff prepared to publish. What keeps a copy of it for the public (the minutes
# of a dialogue conference, drawn once as a PDF) draws it again.
publication_changed = signals.signal("request-publication-changed")

UPLOAD_KIND = "requests"
ANSWER_UPLOAD_KIND = "request-answers"
MAX_ATTACHMENTS = 10
TITLE_MAX, TEXT_MAX, NOTE_MAX = 300, 20000, 5000

# The eight categories of issue 21 (the migration seeds the same list).
DEFAULT_CATEGORIES = [
    ("administrative_procedures", "Thủ tục hành chính", "Administrative procedures"),
    ("tax_finance", "Thuế và tài chính", "Tax and finance"),
    ("premises_land", "Mặt bằng, trụ sở và đất đai", "Office space and land"),
    ("market_procurement", "Tiếp cận thị trường, mua sắm công và đặt hàng nền tảng số trong nước",
     "Market access and public procurement, including the city ordering domestic digital platforms"),
    ("human_resources", "Nguồn nhân lực và đào tạo", "Human resources and training"),
    ("intellectual_property", "Sở hữu trí tuệ", "Intellectual property"),
    ("digital_infrastructure", "Hạ tầng số", "Digital infrastructure"),
    ("other", "Khác", "Other"),
]


# ---- The lists staff keep ----------------------------------------------------------------------------------

def ensure_default_categories() -> int:
    """Create the seeded categories that do not exist yet (by code), for a database made without the
    migrations; never overwrite staff's edits. Returns how many were created."""
    existing = set(db.session.scalars(sa.select(RequestCategory.code)))
    created = 0
    for position, (code, name_vi, name_en) in enumerate(DEFAULT_CATEGORIES, start=1):
        if code in existing:
            continue
        category = RequestCategory(code=code, name_vi=name_vi, name_en=name_en, position=position,
                                   time_limit_days=DEFAULT_TIME_LIMIT_DAYS, active=True)
        db.session.add(category)
        db.session.flush()
        audit.record("request_category.create", category, label=name_vi, reason="default category")
        created += 1
    return created


def _required_text(value, field: str, max_length: int, message) -> str:
    text = clean_text(value, max_length)
    if not text:
        raise DomainError(message, field=field)
    return text


def save_category(category: RequestCategory | None, *, actor, name_vi: str, name_en: str,
                  time_limit_days: int, code: str | None = None, position: int | None = None, active: bool = True,
                  version=None) -> RequestCategory:
    """Add a category (``category`` None) or change one: its names, time limit (1 to 365 working days; a
    request keeps the limit it was filed with), place in the list, and whether founders may choose it."""
    name_vi = _required_text(name_vi, "name_vi", 200, _l("Enter the name in Vietnamese."))
    name_en = _required_text(name_en, "name_en", 200, _l("Enter the name in English."))
    if time_limit_days is None or not 1 <= int(time_limit_days) <= 365:
        raise DomainError(_l("The time limit is from 1 to 365 working days."), field="time_limit_days")
    fields = {"name_vi": name_vi, "name_en": name_en, "time_limit_days": int(time_limit_days),
              "active": bool(active)}
    if position is not None:
        fields["position"] = int(position)
    if category is None:
        code = clean_text(code, 40) or _code_from(name_en)
        if db.session.scalar(sa.select(RequestCategory.id).where(RequestCategory.code == code)) is not None:
            raise DomainError(_l("A category with this code exists already."), field="code")
        if "position" not in fields:
            fields["position"] = (db.session.scalar(sa.select(sa.func.max(RequestCategory.position))) or 0) + 1
        category = RequestCategory(code=code, **fields)
        db.session.add(category)
        db.session.flush()
        audit.record("request_category.create", category, label=name_vi, actor=actor)
        return category
    expect_version(category, version)
    changed = audit.apply_changes(category, fields)
    if changed:
        db.session.flush()
        audit.record("request_category.update", category, label=category.name_vi, actor=actor,
                     details={"changed": changed})
    return category


def _code_from(name: str) -> str:
    from incubator.text import fold

    folded = "".join(ch if ch.isalnum() else "_" for ch in fold(name)).strip("_")
    return (folded or "category")[:40]


def save_body(body: AnsweringBody | None, *, actor, name_vi: str, name_en: str | None = None, kind=BodyKind.OTHER,
              contact_email: str | None = None, active: bool = True, version=None) -> AnsweringBody:
    """Add a body requests are routed to (``body`` None), or change one."""
    from email_validator import EmailNotValidError, validate_email

    name_vi = _required_text(name_vi, "name_vi", 300, _l("Enter the name in Vietnamese."))
    email = clean_text(contact_email, 254)
    if email:
        try:
            email = validate_email(email, check_deliverability=False).normalized
        except EmailNotValidError:
            raise DomainError(_l("Enter a valid e-mail address."), field="contact_email") from None
    fields = {"name_vi": name_vi, "name_en": clean_text(name_en, 300), "kind": BodyKind(kind),
              "contact_email": email or None, "active": bool(active)}
    if body is None:
        body = AnsweringBody(**fields)
        db.session.add(body)
        db.session.flush()
        audit.record("answering_body.create", body, label=name_vi, actor=actor)
        return body
    expect_version(body, version)
    changed = audit.apply_changes(body, fields)
    if changed:
        db.session.flush()
        audit.record("answering_body.update", body, label=body.name_vi, actor=actor, details={"changed": changed})
    return body


def add_calendar_day(day: date, kind, *, actor, note: str | None = None) -> CalendarDay:
    """Record a day the government announced: a day off, or a make-up working day. Requests already due keep
    their dates (the calendar counts for the requests acknowledged, or resumed, after it is recorded)."""
    if day is None:
        raise DomainError(_l("Enter the date."), field="day")
    from incubator import bounds

    bounds.PROGRAMME.check(day, "day")
    kind = CalendarDayKind(kind)
    if db.session.scalar(sa.select(CalendarDay.id).where(CalendarDay.day == day)) is not None:
        raise DomainError(_l("This day is in the calendar already."), field="day")
    entry = CalendarDay(day=day, kind=kind, note=clean_text(note, 300))
    db.session.add(entry)
    db.session.flush()
    # The day as the log keeps dates (ISO): the log reads it in words (audit_labels), never a bare date.
    audit.record("calendar_day.create", entry, label=day.isoformat(), to_state=kind, actor=actor)
    return entry


def remove_calendar_day(entry: CalendarDay, *, actor) -> None:
    audit.record("calendar_day.delete", entry, label=entry.day.isoformat(), from_state=entry.kind,
                 actor=actor)
    db.session.delete(entry)
    db.session.flush()


# ---- Numbers -----------------------------------------------------------------------------------------------

def next_number(year: int) -> str:
    """The next number of the year, city-wide: KN-2026-0001 … The year's counter row is updated in the
    caller's transaction: a second filing at the same time waits for the first to commit (the row's lock on
    PostgreSQL, the write lock on SQLite), so no number is given twice and none is skipped."""
    counters = RequestNumberCounter.__table__
    bump = sa.update(counters).where(counters.c.year == year).values(last=counters.c.last + 1)
    if db.session.execute(bump).rowcount == 0:
        try:
            with db.session.begin_nested():
                db.session.execute(sa.insert(counters).values(year=year, last=0))
        except IntegrityError:
            pass  # another filing made the year's row meanwhile
        db.session.execute(bump)
    last = db.session.scalar(sa.select(counters.c.last).where(counters.c.year == year))
    return f"KN-{year}-{last:04d}"


# ---- Filing ------------------------------------------------------------------------------------------------

def _event(request: BusinessRequest, kind: EventKind, *, actor, note: str | None = None,
           visible: bool = True) -> RequestEvent:
    event = RequestEvent(kind=kind, actor_id=getattr(actor, "id", None), note=note or None,
                         visible_to_business=visible)
    request.events.append(event)
    return event


def _allow(request: BusinessRequest, to: RequestStatus) -> None:
    """Refuse, before anything is changed, a change of status the transitions table does not allow."""
    if to not in TRANSITIONS.get(request.status, frozenset()):
        raise DomainError(_l("This request cannot be changed in this way now."))


def _move(request: BusinessRequest, to: RequestStatus, action: str, *, actor, reason: str | None = None,
          details: dict | None = None) -> None:
    """The one door of a request's status: refuse a change the transitions table does not allow, record it."""
    before = request.status
    _allow(request, to)
    request.status = to
    db.session.flush()
    audit.record(action, request, label=request.number, from_state=before, to_state=to, actor=actor,
                 reason=reason, details=details)


def _link(request: BusinessRequest) -> str:
    from werkzeug.routing import BuildError

    from incubator.urls import external_url, public_url

    try:
        return external_url(REQUEST_PAGE, request_id=request.id)
    except BuildError:
        return public_url()


def incubator_choices(company) -> list:
    """The one rule of where a business files its requests: in the incubators it is in (the register's notion,
    ``companies.queries.incubators_of_business``: a residency, an outcome, an application submitted there …);
    a business in none yet may file in any incubator. With a single incubator, it."""
    from incubator.companies.queries import incubators_of_business
    from incubator.organisation.models import Incubator

    ids = incubators_of_business(company.id)
    query = sa.select(Incubator).order_by(Incubator.code)
    if ids:
        query = query.where(Incubator.id.in_(ids))
    return list(db.session.scalars(query))


def may_file_in(company, incubator_id: int | None) -> bool:
    """Whether the business may file a request in this incubator (``incubator_choices``' rule)."""
    return incubator_id is not None and any(i.id == incubator_id for i in incubator_choices(company))


def _check_attachments(existing: int, attachments) -> None:
    if existing + len(attachments) > MAX_ATTACHMENTS:
        raise DomainError(_l("A request has at most %(count)s attachments.", count=MAX_ATTACHMENTS),
                          field="attachments")


def _add_attachments(request: BusinessRequest, attachments: Iterable, actor) -> list[RequestAttachment]:
    """``attachments``: :class:`incubator.uploads.CheckedPdf` objects (checked by the view); each is written
    to disk once its row is accepted."""
    attachments = list(attachments or ())
    _check_attachments(len(request.attachments), attachments)
    added = []
    for pdf in attachments:
        row = RequestAttachment(stored_name=pdf.stored_name, original_name=pdf.original_name, size=len(pdf.data),
                                uploaded_by_id=actor.id)
        request.attachments.append(row)
        added.append(row)
    db.session.flush()
    for pdf in attachments:
        pdf.save(UPLOAD_KIND)
    return added


def file(company, *, actor, kind, category: RequestCategory, title: str, text: str, consent,
         attachments: Iterable = (), incubator_id: int | None = None, today: date | None = None) -> BusinessRequest:
    """A founder of a verified business files a request or complaint on its behalf. It gets its number,
    is acknowledged today (in Hà Nội), is due ``category``'s time limit in working days later, and the
    founder gets the acknowledgement by e-mail. It belongs to ``incubator_id``, else to the incubator this
    request works in: one the business may file in (``incubator_choices``)."""
    if not permissions.is_founder_of(actor, company):
        raise NotAllowed(_l("Only a founder of the business can file its requests."))
    if not company.is_verified:
        raise DomainError(_l("The incubator's staff have not verified this business yet: it can file requests "
                             "once they have."), field="company")
    try:
        kind = RequestKind(kind)
    except ValueError:
        raise DomainError(_l("Choose whether it is a request or a complaint."), field="kind") from None
    try:
        consent = PublicationConsent(consent)
    except ValueError:
        raise DomainError(_l("Choose whether the answer may be published."), field="consent") from None
    if category is None or not category.active:
        raise DomainError(_l("Choose what the request is about."), field="category")
    title = _required_text(title, "title", TITLE_MAX, _l("Enter a title."))
    text = _required_text(text, "text", TEXT_MAX, _l("Write the request."))
    attachments = list(attachments or ())
    _check_attachments(0, attachments)
    from incubator.organisation.current import current_incubator_id

    if incubator_id is None:
        incubator_id = current_incubator_id()  # several incubators and none chosen: "Choose the incubator"
    if not may_file_in(company, incubator_id):
        raise DomainError(_l("Choose an incubator the business works with."), field="incubator")
    today = today or local_today()
    request = BusinessRequest(number=next_number(today.year), kind=kind, company_id=company.id,
                              filed_by_id=actor.id, category_id=category.id, title=title, text=text,
                              consent=consent, status=RequestStatus.SUBMITTED, acknowledged_on=today,
                              time_limit_days=category.time_limit_days,
                              due_on=calendar.due_date(today, category.time_limit_days), pauses=[],
                              paused_working_days=0)
    request.search_folded = fold(" ".join([request.number, title, text, company.name, company.tax_code or ""]))
    request.incubator_id = incubator_id
    db.session.add(request)
    _event(request, EventKind.FILED, actor=actor)
    db.session.flush()
    _add_attachments(request, attachments, actor)
    audit.record("request.file", request, label=request.number, to_state=RequestStatus.SUBMITTED, actor=actor,
                 details={"company": company.id, "kind": kind.value, "category": category.code,
                          "due_on": request.due_on.isoformat()})
    from incubator.mail.services import send_to

    send_to(actor, "request_acknowledged",
            lambda: _("Your request %(number)s has been received", number=request.number),
            request=request, company=company, link=_link(request), event=f"request-acknowledged:{request.id}")
    return request


def _business_people(request: BusinessRequest) -> list:
    """Who the business's mail goes to: the founder who filed it, or, for a request staff filed on the
    business's behalf (a question from the floor), the founders who hold the business's file now."""
    if permissions.filed_by_business(request):
        return [request.filed_by]
    from incubator.companies.queries import founders_of

    return founders_of(request.company_id)


def file_on_behalf(company, *, actor, category: RequestCategory, title: str, text: str, raised_at: str,
                   incubator_id: int, body: AnsweringBody | None = None, today: date | None = None,
                   origin: RequestOrigin = RequestOrigin.DIALOGUE) -> BusinessRequest:
    """Staff file a request on behalf of a verified business whose question was raised at a dialogue
    conference (``raised_at``: the conference, as the business's timeline names it) or, with ``origin``
    SURVEY, proposed in its answers to the yearly survey (``raised_at``: the survey's title). It gets its
    number and due date, its founders the acknowledgement by e-mail; it is not published unless a founder consents
    (``set_consent``). With ``body`` it is routed to that body at once, the clock running."""
    if not permissions.is_staff_of(actor, incubator_id):
        raise NotAllowed(_l("Only the staff of the conference's incubator can do this."))
    if company is None:
        raise DomainError(_l("Choose the business the question is raised for."), field="company")
    if not company.is_verified:
        raise DomainError(_l("The incubator's staff have not verified this business yet: it can file requests "
                             "once they have."), field="company")
    if not may_file_in(company, incubator_id):
        raise DomainError(_l("Choose a business that works with the conference's incubator."), field="company")
    if category is None or not category.active:
        raise DomainError(_l("Choose what the request is about."), field="category")
    if body is not None and not body.active:
        raise DomainError(_l("Choose the body that must answer."), field="body")
    title = _required_text(title, "title", TITLE_MAX, _l("Enter a title."))
    text = _required_text(text, "text", TEXT_MAX, _l("Write the request."))
    raised_at = _required_text(raised_at, "raised_at", NOTE_MAX, _l("Name where the question was raised."))
    today = today or local_today()
    request = BusinessRequest(number=next_number(today.year), kind=RequestKind.REQUEST, company_id=company.id,
                              company=company, filed_by_id=actor.id, filed_by=actor, category_id=category.id,
                              category=category, title=title, text=text, consent=PublicationConsent.NOT_PUBLISHED,
                              status=RequestStatus.SUBMITTED, acknowledged_on=today,
                              time_limit_days=category.time_limit_days,
                              due_on=calendar.due_date(today, category.time_limit_days), pauses=[],
                              paused_working_days=0, origin=origin)
    request.search_folded = fold(" ".join([request.number, title, text, company.name, company.tax_code or ""]))
    request.incubator_id = incubator_id
    db.session.add(request)
    _event(request, EventKind.FILED, actor=actor, note=raised_at)
    db.session.flush()
    audit.record("request.file_on_behalf", request, label=request.number, to_state=RequestStatus.SUBMITTED,
                 actor=actor, details={"company": company.id, "category": category.code, "raised_at": raised_at,
                                       "origin": origin.value, "due_on": request.due_on.isoformat()})
    from incubator.mail.services import send_to

    for person in _business_people(request):
        send_to(person, "request_acknowledged",
                lambda: _("Your request %(number)s has been received", number=request.number),
                request=request, company=company, link=_link(request), raised_at=raised_at,
                event=f"request-acknowledged:{request.id}")
    if body is not None:
        route(request, body, actor=actor)
    return request


def set_consent(request: BusinessRequest, *, actor, consent, version=None) -> BusinessRequest:
    """A founder of the business chooses whether its answer may be published (named, anonymised, or not):
    for a request staff filed on its behalf, which is not published until a founder consents; never once
    the answer is published (unpublish it first)."""
    if not permissions.can_follow_request(actor, request):
        raise NotAllowed(_l("Only a founder of the business can choose whether its answer is published."))
    expect_version(request, version)
    if request.is_published:
        raise DomainError(_l("The answer is published: the incubator must withdraw it before the consent "
                             "changes."))
    try:
        consent = PublicationConsent(consent)
    except ValueError:
        raise DomainError(_l("Choose whether the answer may be published."), field="consent") from None
    before = request.consent
    if consent is before:
        return request
    request.consent = consent
    db.session.flush()
    audit.record("request.consent", request, label=request.number, from_state=before, to_state=consent,
                 actor=actor)
    publication_changed.send(request, actor=actor)
    return request


def withdraw(request: BusinessRequest, *, actor, reason: str | None = None, version=None) -> BusinessRequest:
    """The business withdraws its request, until it is answered."""
    if not permissions.can_follow_request(actor, request):
        raise NotAllowed(_l("Only a founder of the business can withdraw its request."))
    expect_version(request, version)
    if not request.status.allows(RequestStatus.WITHDRAWN):
        raise DomainError(_l("An answered or closed request cannot be withdrawn."))
    reason = clean_text(reason, NOTE_MAX)
    _close_pause(request, local_today())
    request.withdrawn_at = utcnow()
    _event(request, EventKind.WITHDRAWN, actor=actor, note=reason)
    _move(request, RequestStatus.WITHDRAWN, "request.withdraw", actor=actor, reason=reason)
    return request


def _require_staff(request: BusinessRequest, actor) -> None:
    if not permissions.can_handle_request(actor, request):
        raise NotAllowed(_l("Only the staff of the request's incubator can do this."))


def route(request: BusinessRequest, body: AnsweringBody, *, actor, reason: str | None = None,
          version=None) -> BusinessRequest:
    """Accept the request and send it to the body that must answer; sending it to another body later needs a
    reason (which the business reads on its timeline)."""
    _require_staff(request, actor)
    expect_version(request, version)
    if body is None or not body.active:
        raise DomainError(_l("Choose the body that must answer."), field="body")
    reason = clean_text(reason, NOTE_MAX)
    rerouting = request.body_id is not None
    if rerouting:
        if body.id == request.body_id:
            raise DomainError(_l("The request is with this body already."), field="body")
        if not reason:
            raise DomainError(_l("Give the reason for sending it to another body."), field="reason")
    if request.status is RequestStatus.AWAITING_INFORMATION:
        raise DomainError(_l("The business has been asked for information: route the request once it has "
                             "answered."))
    _allow(request, RequestStatus.ROUTED)
    before = request.body
    request.body_id, request.body = body.id, body
    request.routed_on = local_today()
    _event(request, EventKind.REROUTED if rerouting else EventKind.ROUTED, actor=actor,
           note=reason if rerouting else None)
    _move(request, RequestStatus.ROUTED, "request.reroute" if rerouting else "request.route", actor=actor,
          reason=reason, details={"body": body.name_vi, **({"from_body": before.name_vi} if before else {})})
    return request


def ask_information(request: BusinessRequest, *, actor, question: str, version=None,
                    today: date | None = None) -> BusinessRequest:
    """Ask the business for more information: the clock stops (the day asked counts) until it answers."""
    _require_staff(request, actor)
    expect_version(request, version)
    question = _required_text(question, "question", NOTE_MAX, _l("Write what the business should add."))
    today = today or local_today()
    _allow(request, RequestStatus.AWAITING_INFORMATION)
    request.paused_since = today
    request.pauses = [*request.pauses, [today.isoformat(), None]]
    _event(request, EventKind.INFORMATION_REQUESTED, actor=actor, note=question)
    _move(request, RequestStatus.AWAITING_INFORMATION, "request.ask_information", actor=actor, reason=question)
    from incubator.mail.services import send_to

    for person in _business_people(request):
        send_to(person, "request_information_asked",
                lambda: _("Request %(number)s: more information is needed", number=request.number),
                request=request, question=question, link=_link(request))
    return request


def _close_pause(request: BusinessRequest, today: date) -> None:
    """End the open pause today, and count the due date again with every pause."""
    if request.paused_since is None:
        return
    request.pauses = [[asked, answered if answered is not None else today.isoformat()]
                      for asked, answered in request.pauses]
    request.paused_since = None
    request.due_on = calendar.due_date(request.acknowledged_on, request.time_limit_days, request.pauses)
    request.paused_working_days = calendar.paused_working_days(request.pauses)


def add_information(request: BusinessRequest, *, actor, text: str, attachments: Iterable = (), version=None,
                    today: date | None = None) -> BusinessRequest:
    """The business adds the information asked for: the clock resumes on the next working day, and the due
    date moves by the working days it stood still."""
    if not permissions.can_follow_request(actor, request):
        raise NotAllowed(_l("Only a founder of the business can add information to its request."))
    expect_version(request, version)
    if request.status is not RequestStatus.AWAITING_INFORMATION:
        raise DomainError(_l("No information has been asked for."))
    text = _required_text(text, "text", TEXT_MAX, _l("Write the information asked for."))
    attachments = list(attachments or ())
    _check_attachments(len(request.attachments), attachments)
    today = today or local_today()
    if request.paused_since is not None and today < request.paused_since:
        raise DomainError(_l("The day cannot be before the day the information was asked for."), field="today")
    _close_pause(request, today)
    _event(request, EventKind.INFORMATION_ADDED, actor=actor, note=text)
    _add_attachments(request, attachments, actor)
    back = RequestStatus.ROUTED if request.body_id is not None else RequestStatus.SUBMITTED
    _move(request, back, "request.add_information", actor=actor,
          details={"due_on": request.due_on.isoformat()})
    return request


def merge(request: BusinessRequest, into: BusinessRequest, *, actor, reason: str | None = None,
          version=None) -> BusinessRequest:
    """A duplicate is merged into another request of the same incubator, which carries on; the business of the
    duplicate reads which one on its timeline."""
    _require_staff(request, actor)
    expect_version(request, version)
    if into is None or into.id == request.id:
        raise DomainError(_l("Choose another request to merge it into."), field="into")
    if into.incubator_id != request.incubator_id:
        raise DomainError(_l("A request is merged only into a request of the same incubator."), field="into")
    if into.status in {RequestStatus.MERGED, RequestStatus.WITHDRAWN, RequestStatus.DECLINED}:
        raise DomainError(_l("That request is closed: choose one that is open or answered."), field="into")
    _allow(request, RequestStatus.MERGED)
    reason = clean_text(reason, NOTE_MAX)
    _close_pause(request, local_today())
    request.merged_into_id, request.merged_into = into.id, into
    _event(request, EventKind.MERGED, actor=actor, note=_("Merged into request %(number)s.", number=into.number)
           + (f" {reason}" if reason else ""))
    _move(request, RequestStatus.MERGED, "request.merge", actor=actor, reason=reason,
          details={"into": into.number})
    return request


def decline(request: BusinessRequest, *, actor, reason: str, version=None) -> BusinessRequest:
    """Decline the request, with the reason the business reads."""
    _require_staff(request, actor)
    expect_version(request, version)
    reason = _required_text(reason, "reason", NOTE_MAX, _l("Give the reason for declining."))
    _allow(request, RequestStatus.DECLINED)
    _close_pause(request, local_today())
    request.decline_reason = reason
    _event(request, EventKind.DECLINED, actor=actor, note=reason)
    _move(request, RequestStatus.DECLINED, "request.decline", actor=actor, reason=reason)
    from incubator.mail.services import send_to

    for person in _business_people(request):
        send_to(person, "request_declined",
                lambda: _("Request %(number)s has been declined", number=request.number),
                request=request, reason=reason, link=_link(request))
    return request


# ---- Answers -----------------------------------------------------------------------------------------------

def draft_answer(request: BusinessRequest, *, actor, text: str, source=AnswerSource.STAFF, document=None,
                 body: AnsweringBody | None = None, version=None) -> RequestAnswer:
    """Write (or rewrite, until approved) the answer: by staff, as received from the body (with its document,
    a :class:`incubator.uploads.CheckedPdf`), or as given at a dialogue conference. ``version`` is the
    answer's, when rewriting."""
    _require_staff(request, actor)
    if not request.status.allows(RequestStatus.ANSWERED):
        raise DomainError(_l("This request cannot be answered now."))
    text = _required_text(text, "text", TEXT_MAX, _l("Write the answer."))
    try:
        source = AnswerSource(source)
    except ValueError:
        raise DomainError(_l("Choose where the answer comes from."), field="source") from None
    answer = request.answer
    if answer is not None and answer.is_approved:
        raise DomainError(_l("The answer has been approved already."))
    body = body or request.body
    if source is AnswerSource.BODY:
        if body is None:
            raise DomainError(_l("Choose the body that answered."), field="body")
        if document is None and not (answer is not None and answer.has_document):
            raise DomainError(_l("Attach the body's answer (PDF)."), field="document")
    new = answer is None
    if new:
        answer = RequestAnswer(text=text, source=source, body_id=getattr(body, "id", None), drafted_by_id=actor.id)
        request.answer = answer
    else:
        expect_version(answer, version)
        answer.text, answer.source, answer.body_id = text, source, getattr(body, "id", None)
        answer.drafted_by_id, answer.drafted_at = actor.id, utcnow()
    if document is not None:
        answer.stored_name, answer.original_name = document.stored_name, document.original_name
    _event(request, EventKind.ANSWER_DRAFTED, actor=actor, visible=False)
    db.session.flush()
    if document is not None:
        document.save(ANSWER_UPLOAD_KIND)
    audit.record("request.draft_answer", request, label=request.number, actor=actor,
                 details={"source": source.value, "new": new})
    return answer


def approve_answer(request: BusinessRequest, *, actor, version=None, today: date | None = None) -> BusinessRequest:
    """A second member of staff approves the answer: it is sent to the business by e-mail, and the request is
    answered today."""
    _require_staff(request, actor)
    answer = request.answer
    if answer is None:
        raise DomainError(_l("There is no answer to approve yet."))
    expect_version(answer, version)
    if answer.is_approved:
        raise DomainError(_l("The answer has been approved already."))
    if answer.drafted_by_id == actor.id:
        raise DomainError(_l("Another member of staff must approve the answer you wrote."))
    _allow(request, RequestStatus.ANSWERED)
    today = today or local_today()
    now = utcnow()
    answer.approved_by_id, answer.approved_at, answer.sent_at = actor.id, now, now
    request.answered_on = today
    _event(request, EventKind.ANSWERED, actor=actor)
    _move(request, RequestStatus.ANSWERED, "request.answer", actor=actor,
          details={"answered_on": today.isoformat(), "due_on": request.due_on.isoformat()})
    from incubator.mail.services import send_to

    for person in _business_people(request):
        send_to(person, "request_answered",
                lambda: _("Request %(number)s has been answered", number=request.number),
                request=request, answer=answer, link=_link(request), event=f"request-answered:{request.id}")
    return request


def rate(request: BusinessRequest, *, actor, satisfied: bool, comment: str | None = None) -> BusinessRequest:
    """The business says, once, whether the answer satisfies it, with a comment if it likes."""
    if not permissions.can_follow_request(actor, request):
        raise NotAllowed(_l("Only a founder of the business can rate the answer."))
    if not request.is_answered:
        raise DomainError(_l("The request has not been answered yet."))
    if request.is_rated:
        raise DomainError(_l("The answer has been rated already."))
    if satisfied is None:
        raise DomainError(_l("Say whether the answer satisfies you."), field="satisfied")
    request.rating_satisfied = bool(satisfied)
    request.rating_comment = clean_text(comment, NOTE_MAX)
    request.rated_at = utcnow()
    _event(request, EventKind.RATED, actor=actor)
    db.session.flush()
    audit.record("request.rate", request, label=request.number, actor=actor,
                 to_state="satisfied" if satisfied else "not_satisfied")
    return request


# ---- Publication -------------------------------------------------------------------------------------------

def prepare_publication(request: BusinessRequest, *, actor, title: str, text: str,
                        version=None) -> BusinessRequest:
    """Staff write the version of the question that is published (for an anonymised request, without the
    business's and people's names); the original stays private."""
    _require_staff(request, actor)
    expect_version(request, version)
    if not request.may_be_published:
        raise DomainError(_l("The business did not consent to publication."))
    title = _required_text(title, "public_title", TITLE_MAX, _l("Enter the title to publish."))
    text = _required_text(text, "public_text", TEXT_MAX, _l("Write the question as it will be published."))
    if request.consent is PublicationConsent.ANONYMISED:
        _refuse_names(request, title, "public_title")
        _refuse_names(request, text, "public_text")
    changed = audit.apply_changes(request, {"public_title": title, "public_text": text})
    if request.is_published:
        request.public_folded = public_search_text(request)
    if changed:
        db.session.flush()
        audit.record("request.prepare_publication", request, label=request.number, actor=actor)
        publication_changed.send(request, actor=actor)
    return request


def _identifying_words(request: BusinessRequest) -> list[str]:
    """What names the business or its people, folded: the business's name and tax code, the filer's and its
    founders' (members') full names."""
    from incubator.companies.models import CompanyMember

    company = request.company
    words = [company.name, company.tax_code, request.filed_by.full_name if request.filed_by else None]
    members = db.session.scalars(sa.select(CompanyMember).where(CompanyMember.company_id == company.id)
                                 .options(sa.orm.selectinload(CompanyMember.user)))
    words += [member.user.full_name for member in members]
    return [folded for folded in (fold(word) for word in words if word) if folded]


def names_the_business(request: BusinessRequest, value: str | None) -> bool:
    """Whether ``value`` names the business or its people: its name, its tax code, the filer's or a founder's
    full name (compared without diacritics and case, as whole words)."""
    folded = fold(value or "")
    return bool(folded) and any(re.search(r"(?<!\w)" + re.escape(word) + r"(?!\w)", folded)
                                for word in _identifying_words(request))


def _refuse_names(request: BusinessRequest, value: str, field: str) -> None:
    """An anonymised request is published without the business's name, its tax code or its people's names."""
    if names_the_business(request, value):
        raise DomainError(_l("The business asked to be published without names: remove the business's name, "
                             "its tax code and its people's names."), field=field)


def public_search_text(request: BusinessRequest) -> str:
    """What the public search reads, folded: only what is published (the business's name only when named)."""
    answer = request.answer
    parts = [request.number, request.public_title, request.public_text, answer.text if answer else None,
             request.body.name_vi if request.body else None, request.body.name_en if request.body else None,
             request.category.name_vi, request.category.name_en]
    if request.consent is PublicationConsent.NAMED:
        parts.append(request.company.name)
    return fold(" ".join(part for part in parts if part))


def publish(request: BusinessRequest, *, actor, version=None) -> BusinessRequest:
    """Publish the answer, as consented: never one the business did not consent to publish; an anonymised
    request only with the version staff prepared; a named one with the original when none was prepared."""
    _require_staff(request, actor)
    expect_version(request, version)
    if request.consent is PublicationConsent.NOT_PUBLISHED:
        raise DomainError(_l("The business did not consent to publication."))
    if not request.is_answered:
        raise DomainError(_l("Only an answered request is published."))
    if request.is_published:
        raise DomainError(_l("The answer is published already."))
    if request.consent is PublicationConsent.ANONYMISED and not (request.public_title and request.public_text):
        raise DomainError(_l("Prepare the version without names before publishing."), field="public_text")
    if request.consent is PublicationConsent.ANONYMISED:
        _refuse_names(request, request.public_title, "public_title")
        _refuse_names(request, request.public_text, "public_text")
        # The answer is published as it was sent (it cannot be changed once approved): one that names the
        # business or its people is not published without names.
        if request.answer is not None and names_the_business(request, request.answer.text):
            raise DomainError(_l("The answer names the business or its people, which asked to be published "
                                 "without names: it cannot be published."))
    if not request.public_title:
        request.public_title = request.title
    if not request.public_text:
        request.public_text = request.text
    request.published_at = utcnow()
    request.public_folded = public_search_text(request)
    _event(request, EventKind.PUBLISHED, actor=actor)
    db.session.flush()
    audit.record("request.publish", request, label=request.number, actor=actor, to_state="published")
    return request


def unpublish(request: BusinessRequest, *, actor, reason: str | None = None, version=None) -> BusinessRequest:
    _require_staff(request, actor)
    expect_version(request, version)
    if not request.is_published:
        raise DomainError(_l("The answer is not published."))
    reason = clean_text(reason, NOTE_MAX)
    request.published_at = None
    request.public_folded = None
    _event(request, EventKind.UNPUBLISHED, actor=actor, note=reason)
    db.session.flush()
    audit.record("request.unpublish", request, label=request.number, actor=actor, from_state="published",
                 reason=reason)
    return request


# ---- Reminders ---------------------------------------------------------------------------------------------

REMIND_WORKING_DAYS = 3


def send_reminders(today: date) -> int:
    """E-mail the staff of each open request's incubator three working days before it is due (or fewer, when
    the command did not run on that day), and once when it is overdue; each reminder once per request, person
    and due date, however often the command runs. A request whose clock is paused is not reminded of.
    Returns how many e-mails were queued."""
    from incubator.auth.enums import Role
    from incubator.auth.models import User, UserRole
    from incubator.mail.services import send_to

    open_requests = list(db.session.scalars(
        sa.select(BusinessRequest)
        .where(BusinessRequest.status.in_([RequestStatus.SUBMITTED, RequestStatus.ROUTED]))
        .order_by(BusinessRequest.due_on, BusinessRequest.id)))
    if not open_requests:
        return 0
    working = calendar.WorkingCalendar(today, max(r.due_on for r in open_requests))
    staff_of: dict[int, list] = {}
    queued = 0
    for request in open_requests:
        overdue = today > request.due_on
        if not overdue and working.working_days_between(today, request.due_on) > REMIND_WORKING_DAYS:
            continue
        if request.incubator_id not in staff_of:
            staff_of[request.incubator_id] = list(db.session.scalars(
                sa.select(User).join(UserRole, UserRole.user_id == User.id)
                .where(UserRole.role == Role.STAFF, UserRole.incubator_id == request.incubator_id,
                       User.active.is_(True), User.email_verified_at.is_not(None))
                .order_by(User.id).distinct()))
        key = ("request-overdue" if overdue else "request-due-soon") + f":{request.id}:{request.due_on.isoformat()}"
        for person in staff_of[request.incubator_id]:
            subject = ((lambda r=request: _("Request %(number)s is overdue", number=r.number)) if overdue else
                       (lambda r=request: _("Request %(number)s is due on %(due)s", number=r.number,
                                            due=r.due_on.strftime("%d/%m/%Y"))))
            if send_to(person, "request_reminder", subject, request=request, overdue=overdue,
                       link=_link(request), event=key) is not None:
                queued += 1
    return queued
