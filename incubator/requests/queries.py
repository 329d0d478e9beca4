"""Reading businesses' requests: a request with all its page shows, the founders' and the staff's lists, what
is due soon and overdue, the published answers anyone may read, and the figures per quarter (issue 21).

Lists load what they show with explicit eager loading. Inside a request or command working in one incubator,
``organisation.scoping`` keeps the incubator's rows only; the published answers and the figures for the city
read across incubators (``incubator_ids`` narrows them)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from incubator.extensions import db
from incubator.requests import calendar
from incubator.requests.enums import OPEN_STATUSES, PublicationConsent, RequestStatus
from incubator.requests.models import (
    AnsweringBody,
    BusinessRequest,
    CalendarDay,
    RequestAnswer,
    RequestCategory,
    RequestEvent,
)
from incubator.text import fold, vietnamese_sort_key

RUNNING = (RequestStatus.SUBMITTED, RequestStatus.ROUTED)  # the clock runs


# ---- The lists staff keep ----------------------------------------------------------------------------------

def categories(*, active_only: bool = False) -> list[RequestCategory]:
    query = sa.select(RequestCategory).order_by(RequestCategory.position, RequestCategory.id)
    if active_only:
        query = query.where(RequestCategory.active.is_(True))
    return list(db.session.scalars(query))


def bodies(*, active_only: bool = False) -> list[AnsweringBody]:
    query = sa.select(AnsweringBody).order_by(AnsweringBody.name_vi, AnsweringBody.id)
    if active_only:
        query = query.where(AnsweringBody.active.is_(True))
    return list(db.session.scalars(query))


def calendar_days(year: int | None = None) -> list[CalendarDay]:
    query = sa.select(CalendarDay).order_by(CalendarDay.day)
    if year is not None:
        query = query.where(CalendarDay.day >= date(year, 1, 1), CalendarDay.day <= date(year, 12, 31))
    return list(db.session.scalars(query))


# ---- One request -------------------------------------------------------------------------------------------

def request_page(request_id: int) -> BusinessRequest | None:
    """The request with everything its page shows, in a fixed number of queries."""
    return db.session.scalar(
        sa.select(BusinessRequest).where(BusinessRequest.id == request_id).options(
            joinedload(BusinessRequest.company), joinedload(BusinessRequest.category),
            joinedload(BusinessRequest.body), joinedload(BusinessRequest.filed_by),
            joinedload(BusinessRequest.merged_into),
            selectinload(BusinessRequest.attachments),
            selectinload(BusinessRequest.events).joinedload(RequestEvent.actor),
            selectinload(BusinessRequest.answer).options(joinedload(RequestAnswer.body),
                                                         joinedload(RequestAnswer.drafted_by),
                                                         joinedload(RequestAnswer.approved_by))))


def by_number(number: str) -> BusinessRequest | None:
    return db.session.scalar(sa.select(BusinessRequest).where(BusinessRequest.number == (number or "").strip()))


def timeline(request: BusinessRequest, *, for_business: bool) -> list[RequestEvent]:
    """The steps the business follows (``for_business``), or every step for staff."""
    return [event for event in request.events if event.visible_to_business or not for_business]


# ---- Lists -------------------------------------------------------------------------------------------------

def _list_options():
    return (joinedload(BusinessRequest.company), joinedload(BusinessRequest.category),
            joinedload(BusinessRequest.body), selectinload(BusinessRequest.answer))


def for_founder(user) -> list[BusinessRequest]:
    """The requests of every business the person holds, newest first (across incubators)."""
    from incubator.companies.enums import MembershipStatus
    from incubator.companies.models import CompanyMember

    held = sa.select(CompanyMember.company_id).where(CompanyMember.user_id == user.id,
                                                     CompanyMember.status == MembershipStatus.APPROVED)
    return list(db.session.scalars(
        sa.select(BusinessRequest).where(BusinessRequest.company_id.in_(held)).options(*_list_options())
        .order_by(BusinessRequest.filed_at.desc(), BusinessRequest.id.desc())
        .execution_options(all_incubators=True)).unique())


def for_company(company_id: int) -> list[BusinessRequest]:
    return list(db.session.scalars(
        sa.select(BusinessRequest).where(BusinessRequest.company_id == company_id).options(*_list_options())
        .order_by(BusinessRequest.filed_at.desc(), BusinessRequest.id.desc())).unique())


SORTS = {
    "due": (BusinessRequest.due_on, BusinessRequest.id),
    "-due": (BusinessRequest.due_on.desc(), BusinessRequest.id.desc()),
    "newest": (BusinessRequest.filed_at.desc(), BusinessRequest.id.desc()),
    "oldest": (BusinessRequest.filed_at, BusinessRequest.id),
}


def staff_list(*, status=None, category_id: int | None = None, body_id: int | None = None,
               overdue: bool = False, open_only: bool = False, search: str | None = None,
               today: date | None = None, sort: str = "due") -> sa.Select:
    """The staff's list as a statement the view paginates (``db.paginate``): filtered by status, category,
    body, open or overdue (past its due date, its clock running), a search without diacritics over the number,
    title, text and business; sorted by due date (default), or newest or oldest first."""
    from incubator.i18n import local_today

    query = sa.select(BusinessRequest).options(*_list_options())
    if status:
        query = query.where(BusinessRequest.status == RequestStatus(status))
    if open_only:
        query = query.where(BusinessRequest.status.in_(OPEN_STATUSES))
    if category_id:
        query = query.where(BusinessRequest.category_id == category_id)
    if body_id:
        query = query.where(BusinessRequest.body_id == body_id)
    if overdue:
        query = query.where(BusinessRequest.status.in_(RUNNING),
                            BusinessRequest.due_on < (today or local_today()))
    folded = fold(search)
    if folded:
        query = query.where(BusinessRequest.search_folded.contains(folded, autoescape=True))
    return query.order_by(*SORTS.get(sort, SORTS["due"]))


def overdue(today: date) -> list[BusinessRequest]:
    """Open requests past their due date whose clock runs (not waiting for the business)."""
    return list(db.session.scalars(
        sa.select(BusinessRequest).where(BusinessRequest.status.in_(RUNNING), BusinessRequest.due_on < today)
        .options(*_list_options()).order_by(BusinessRequest.due_on, BusinessRequest.id)).unique())


def due_soon(today: date, within: int = 3) -> list[BusinessRequest]:
    """Open requests due today or within ``within`` working days, their clock running."""
    rows = list(db.session.scalars(
        sa.select(BusinessRequest).where(BusinessRequest.status.in_(RUNNING), BusinessRequest.due_on >= today,
                                         BusinessRequest.due_on <= today + timedelta(days=within * 2 + 14))
        .options(*_list_options()).order_by(BusinessRequest.due_on, BusinessRequest.id)).unique())
    if not rows:
        return []
    working = calendar.WorkingCalendar(today, max(r.due_on for r in rows))
    return [r for r in rows if working.working_days_between(today, r.due_on) <= within]


def working_days_left(request: BusinessRequest, today: date) -> int | None:
    """Working days from today to the due date (negative: that many overdue); None when not running."""
    if request.status not in RUNNING:
        return None
    if today <= request.due_on:
        return calendar.WorkingCalendar(today, request.due_on).working_days_between(today, request.due_on)
    return -calendar.WorkingCalendar(request.due_on, today).working_days_between(request.due_on, today)


# ---- Published answers -------------------------------------------------------------------------------------

def _published():
    """Answered, published, and consented to: the one condition of everything anyone may read."""
    return sa.and_(BusinessRequest.published_at.is_not(None),
                   BusinessRequest.status == RequestStatus.ANSWERED,
                   BusinessRequest.consent != PublicationConsent.NOT_PUBLISHED)


def published_answers(*, search: str | None = None, category_id: int | None = None, body_id: int | None = None,
                      year: int | None = None, incubator_id: int | None = None) -> sa.Select:
    """The published answers, newest first, as a statement to paginate: searched without diacritics over
    what is published only; filtered by category, body, the year answered and the incubator."""
    query = (sa.select(BusinessRequest).where(_published())
             .options(joinedload(BusinessRequest.company), joinedload(BusinessRequest.category),
                      joinedload(BusinessRequest.body), joinedload(BusinessRequest.incubator),
                      selectinload(BusinessRequest.answer).joinedload(RequestAnswer.body))
             .order_by(BusinessRequest.published_at.desc(), BusinessRequest.id.desc())
             .execution_options(all_incubators=True))
    folded = fold(search)
    if folded:
        query = query.where(BusinessRequest.public_folded.contains(folded, autoescape=True))
    if category_id:
        query = query.where(BusinessRequest.category_id == category_id)
    if body_id:
        query = query.where(BusinessRequest.body_id == body_id)
    if year:
        query = query.where(BusinessRequest.answered_on >= date(year, 1, 1),
                            BusinessRequest.answered_on <= date(year, 12, 31))
    if incubator_id:
        query = query.where(BusinessRequest.incubator_id == incubator_id)
    return query


def published_answer(request_id: int) -> BusinessRequest | None:
    """One published answer, or None (not published, not consented, or no such request)."""
    return db.session.scalar(published_answers().where(BusinessRequest.id == request_id))


def published_years() -> list[int]:
    days = db.session.scalars(sa.select(BusinessRequest.answered_on).where(_published())
                              .execution_options(all_incubators=True))
    return sorted({day.year for day in days if day}, reverse=True)


@dataclass(frozen=True)
class PublicAnswer:
    """What a published answer shows, and nothing more: the question as published, the business's name only
    when named, the body, the dates and the working days it took."""

    number: str
    title: str
    question: str
    business: str | None
    category: str
    body: str | None
    answer: str
    acknowledged_on: date
    answered_on: date
    published_at: object
    working_days: int
    kind: object


def public_view(request: BusinessRequest) -> PublicAnswer:
    """The published version of a request (never its original text, nor the name of an anonymised business)."""
    from incubator.requests.permissions import can_read_published

    if not can_read_published(request):
        raise ValueError("not published")
    answer = request.answer
    body = (answer.body if answer is not None and answer.body is not None else request.body)
    taken = calendar.WorkingCalendar(request.acknowledged_on, request.answered_on).working_days_between(
        request.acknowledged_on, request.answered_on) - (request.paused_working_days or 0)
    return PublicAnswer(
        number=request.number, title=request.public_title or "", question=request.public_text or "",
        business=request.company.name if request.consent is PublicationConsent.NAMED else None,
        category=request.category.name, body=body.name if body is not None else None,
        answer=answer.text if answer is not None else "", acknowledged_on=request.acknowledged_on,
        answered_on=request.answered_on, published_at=request.published_at, working_days=max(taken, 0),
        kind=request.kind)


# ---- Figures -----------------------------------------------------------------------------------------------

@dataclass
class Figures:
    """Requests received (acknowledged in the period), answered (answer approved and sent in the period),
    answered on time (by their due date: the due day itself is on time), overdue (due in the period, that day
    passed, and not answered by it), the median of calendar days from acknowledgement to answer, and
    satisfaction (of the answers rated, the share the business was satisfied with).

    Declined, merged and withdrawn requests are received but never answered nor overdue: they were closed
    without an answer. A request waiting for information from the business is not overdue while its clock
    stands still (its due date moves when the business answers), unless it was overdue already when asked."""

    received: int = 0
    answered: int = 0
    on_time: int = 0
    overdue: int = 0
    rated: int = 0
    satisfied: int = 0
    days: list[int] = field(default_factory=list, repr=False)

    @property
    def median_days(self) -> float | None:
        return statistics.median(self.days) if self.days else None

    @property
    def on_time_share(self) -> float | None:
        return self.on_time / self.answered if self.answered else None

    @property
    def satisfaction(self) -> float | None:
        return self.satisfied / self.rated if self.rated else None

    def as_data(self) -> dict:
        """Plain data (a finalised report keeps it in its snapshot)."""
        return {"received": self.received, "answered": self.answered, "on_time": self.on_time,
                "overdue": self.overdue, "rated": self.rated, "satisfied": self.satisfied,
                "median_days": self.median_days}


@dataclass
class PeriodFigures:
    start: date
    end: date
    total: Figures
    by_category: list[tuple[str, Figures]]
    by_body: list[tuple[str, Figures]]


_CLOSED_UNANSWERED = (RequestStatus.DECLINED, RequestStatus.MERGED, RequestStatus.WITHDRAWN)


def _tally(start: date, end: date, incubator_ids, today: date | None):
    """The figures of the period in total, per category id and per body id (None: no body yet)."""
    from incubator.i18n import local_today

    today = today or local_today()
    columns = (BusinessRequest.acknowledged_on, BusinessRequest.answered_on, BusinessRequest.due_on,
               BusinessRequest.status, BusinessRequest.paused_since, BusinessRequest.rating_satisfied,
               BusinessRequest.category_id, BusinessRequest.body_id)
    query = sa.select(*columns).where(
        BusinessRequest.acknowledged_on <= end,
        sa.or_(BusinessRequest.acknowledged_on >= start, BusinessRequest.answered_on >= start,
               BusinessRequest.due_on >= start, BusinessRequest.answered_on.is_(None)))
    if incubator_ids is not None:
        query = query.where(BusinessRequest.incubator_id.in_(list(incubator_ids))).execution_options(
            all_incubators=True)
    total = Figures()
    per_category: dict[int, Figures] = {}
    per_body: dict[int | None, Figures] = {}
    for ack, answered, due, status, paused_since, satisfied, category_id, body_id in db.session.execute(query):
        groups = (total, per_category.setdefault(category_id, Figures()), per_body.setdefault(body_id, Figures()))
        if answered is not None:
            late = answered > due
        else:  # not answered (yet): late once its due day has passed, unless its clock stands still
            late = (due < today and status not in _CLOSED_UNANSWERED
                    and not (paused_since is not None and paused_since <= due))
        for figures_ in groups:
            if start <= ack <= end:
                figures_.received += 1
            if answered is not None and start <= answered <= end:
                figures_.answered += 1
                figures_.on_time += answered <= due
                figures_.days.append((answered - ack).days)
                if satisfied is not None:
                    figures_.rated += 1
                    figures_.satisfied += bool(satisfied)
            if start <= due <= end and late:
                figures_.overdue += 1
    return total, per_category, per_body


def figures(start: date, end: date, *, incubator_ids=None, today: date | None = None) -> PeriodFigures:
    """The figures of the period (both days included), in total, by category and by body (the body answered
    or routed to; "—" none yet). ``incubator_ids``: those incubators' requests (None: those in scope);
    ``today``: the day overdue is counted on (Hà Nội's today by default)."""
    total, per_category, per_body = _tally(start, end, incubator_ids, today)
    category_names = {c.id: c.name for c in categories()}
    body_names = {b.id: b.name for b in bodies()}
    by_category = [(category_names.get(cid, "—"), f) for cid, f in per_category.items() if _has_any(f)]
    by_body = [(body_names.get(bid, "—") if bid is not None else "—", f) for bid, f in per_body.items()
               if _has_any(f)]
    by_category.sort(key=lambda pair: (pair[0] == "—", vietnamese_sort_key(pair[0])))
    by_body.sort(key=lambda pair: (pair[0] == "—", vietnamese_sort_key(pair[0])))  # "none yet" last
    return PeriodFigures(start, end, total, by_category, by_body)


def figures_data(start: date, end: date, *, incubator_ids=None, today: date | None = None) -> dict:
    """The figures of the period as plain data in both languages (what a periodic report keeps): {"total":
    {...}, "by_category": [{"name_vi", "name_en", ...}], "by_body": [...]}, rows sorted by their Vietnamese
    name; a request not routed yet counts under a body with no name (None)."""
    total, per_category, per_body = _tally(start, end, incubator_ids, today)
    named_categories = {c.id: (c.name_vi, c.name_en) for c in categories()}
    named_bodies = {b.id: (b.name_vi, b.name_en or b.name_vi) for b in bodies()}

    def rows(per: dict, names: dict) -> list[dict]:
        result = [{"name_vi": names.get(key, (None, None))[0], "name_en": names.get(key, (None, None))[1],
                   **f.as_data()} for key, f in per.items() if _has_any(f)]
        return sorted(result, key=lambda row: (row["name_vi"] is None, vietnamese_sort_key(row["name_vi"] or "")))

    return {"total": total.as_data(), "by_category": rows(per_category, named_categories),
            "by_body": rows(per_body, named_bodies)}


def _has_any(figures_: Figures | None) -> bool:
    return figures_ is not None and bool(figures_.received or figures_.answered or figures_.overdue)


def quarters(year: int) -> list[tuple[int, date, date]]:
    """(quarter, first day, last day) of each quarter of the year."""
    result = []
    for quarter in range(1, 5):
        first = date(year, 3 * quarter - 2, 1)
        last = (date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)) - timedelta(days=1)
        result.append((quarter, first, last))
    return result


def figures_by_quarter(year: int, *, incubator_ids=None, today: date | None = None
                       ) -> list[tuple[int, PeriodFigures]]:
    return [(quarter, figures(first, last, incubator_ids=incubator_ids, today=today))
            for quarter, first, last in quarters(year)]
