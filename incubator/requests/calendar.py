"""The working calendar a request's time limit is counted in (issue 21).

A working day is a Monday to Friday that is neither one of Việt Nam's public holidays (the ``holidays``
package's Vietnamese calendar, Tết included) nor a day off the government announced (``CalendarDay``, kept by
staff each year); a make-up working day the government announced (a Saturday, say) is a working day too.

A time limit of *n* working days is counted from acknowledgement: the day of acknowledgement does not count,
the clock starts on the next working day, and the *n*-th working day is the last day to answer. Asking the
business for information pauses the clock: the day it was asked counts, the working days after it up to the
day the business answered do not, and the count resumes on the working day after the answer.

The announced days a count needs are read in one query (``WorkingCalendar`` loads a range at once and reads
further only when a count runs past it)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

import sqlalchemy as sa

from incubator.extensions import db
from incubator.requests.enums import CalendarDayKind
from incubator.requests.models import CalendarDay

Pause = tuple[date, date | None]

# Calendar days read past the last day a count may need, per working day of the limit and beyond it: a working
# week has five days of seven, and Tết with its bridges takes at most some ten days more.
_SPAN_PER_DAY = 2
_SPAN_MARGIN = 31


@lru_cache(maxsize=64)
def public_holidays(year: int) -> frozenset[date]:
    """Việt Nam's public holidays of the year, as the ``holidays`` package knows them."""
    import holidays

    return frozenset(holidays.country_holidays("VN", years=year).keys())


class WorkingCalendar:
    """Which days are working days, from ``start`` on: the announced days of a range read in one query."""

    def __init__(self, start: date, end: date | None = None):
        self.start = start
        self.end = start - timedelta(days=1)
        self.announced: dict[date, CalendarDayKind] = {}
        self._load_until(end or start + timedelta(days=_SPAN_MARGIN))

    def _load_until(self, end: date) -> None:
        if end <= self.end:
            return
        first = self.end + timedelta(days=1)
        for day, kind in db.session.execute(sa.select(CalendarDay.day, CalendarDay.kind).where(
                CalendarDay.day >= first, CalendarDay.day <= end)):
            self.announced[day] = kind
        self.end = end

    def is_working_day(self, day: date) -> bool:
        if day < self.start:
            raise ValueError("the calendar was read from a later day")
        if day > self.end:
            self._load_until(day + timedelta(days=_SPAN_MARGIN * 3))
        kind = self.announced.get(day)
        if kind is CalendarDayKind.WORKING_DAY:
            return True
        if kind is CalendarDayKind.DAY_OFF:
            return False
        return day.weekday() < 5 and day not in public_holidays(day.year)

    def next_working_day(self, after: date) -> date:
        day = after + timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def add_working_days(self, start: date, days: int) -> date:
        """The ``days``-th working day after ``start`` (``start`` itself does not count)."""
        day = start
        for _ in range(days):
            day = self.next_working_day(day)
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """The working days after ``start`` up to and including ``end`` (0 when ``end`` is not later)."""
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            count += self.is_working_day(day)
        return count


def _normalised(pauses: Iterable) -> list[Pause]:
    result = []
    for asked, answered in pauses or ():
        asked = date.fromisoformat(asked) if isinstance(asked, str) else asked
        answered = date.fromisoformat(answered) if isinstance(answered, str) else answered
        result.append((asked, answered))
    return sorted(result, key=lambda pause: pause[0])


def due_date(acknowledged_on: date, days: int, pauses: Iterable = (), *,
             calendar: WorkingCalendar | None = None) -> date | None:
    """The last day to answer a request acknowledged on ``acknowledged_on`` with a limit of ``days`` working
    days, the clock paused for each (asked on, answered on) of ``pauses`` (dates or ISO text). None while a
    pause is open and the limit was not reached before it: the clock is stopped."""
    if days < 1:
        raise ValueError("a time limit is at least one working day")
    pauses = _normalised(pauses)
    last_end = max([acknowledged_on, *(answered or asked for asked, answered in pauses)])
    if calendar is None:
        calendar = WorkingCalendar(acknowledged_on, last_end + timedelta(days=days * _SPAN_PER_DAY + _SPAN_MARGIN))

    def paused(day: date) -> bool:
        return any(asked < day and (answered is None or day <= answered) for asked, answered in pauses)

    counted, day = 0, acknowledged_on
    while counted < days:
        day = calendar.next_working_day(day)
        if paused(day):
            if any(asked < day and answered is None for asked, answered in pauses):
                return None
            continue
        counted += 1
    return day


def paused_working_days(pauses: Iterable, *, calendar: WorkingCalendar | None = None) -> int:
    """The working days the clock stood still, over the closed pauses."""
    closed = [(asked, answered) for asked, answered in _normalised(pauses) if answered is not None]
    if not closed:
        return 0
    if calendar is None:
        calendar = WorkingCalendar(closed[0][0], max(answered for _, answered in closed))
    return sum(calendar.working_days_between(asked, answered) for asked, answered in closed)
