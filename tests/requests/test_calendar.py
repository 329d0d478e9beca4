"""The working calendar a request's time limit is counted in: weekends, Việt Nam's public holidays (Tết), the
days off and make-up working days the government announces, and the clock paused while the business is asked
for information (issue 21)."""

from __future__ import annotations

from datetime import date

import pytest

from incubator.extensions import db as _db
from incubator.requests.calendar import WorkingCalendar, due_date, paused_working_days
from incubator.requests.enums import CalendarDayKind
from incubator.requests.models import CalendarDay
from tests.helpers import count_queries


def _announce(day: date, kind: CalendarDayKind) -> None:
    _db.session.add(CalendarDay(day=day, kind=kind, note="Thông báo của Chính phủ"))
    _db.session.flush()


def test_the_day_of_acknowledgement_does_not_count_and_weekends_are_skipped():
    # Acknowledged on Friday 06/03/2026: the clock starts on Monday 09/03.
    assert due_date(date(2026, 3, 6), 1) == date(2026, 3, 9)
    # Fifteen working days from Monday 02/03/2026: 03/03 … 23/03.
    assert due_date(date(2026, 3, 2), 15) == date(2026, 3, 23)
    # Acknowledged on a Saturday: Monday is the first day.
    assert due_date(date(2026, 3, 7), 1) == date(2026, 3, 9)


def test_tet_does_not_count():
    # Tết 2027: the public holidays run from Thursday 04/02 to Wednesday 10/02 (the holidays package's calendar).
    assert due_date(date(2027, 2, 3), 1) == date(2027, 2, 11)
    assert due_date(date(2027, 2, 3), 3) == date(2027, 2, 15)
    # Without Tết, three working days from Wednesday 03/02 would end on Monday 08/02.
    assert due_date(date(2027, 2, 3), 3) != date(2027, 2, 8)


def test_a_day_off_the_government_announced_does_not_count(db):
    assert due_date(date(2026, 3, 6), 1) == date(2026, 3, 9)
    _announce(date(2026, 3, 9), CalendarDayKind.DAY_OFF)
    assert due_date(date(2026, 3, 6), 1) == date(2026, 3, 10)


def test_a_make_up_saturday_counts_as_a_working_day(db):
    _announce(date(2026, 3, 7), CalendarDayKind.WORKING_DAY)
    assert due_date(date(2026, 3, 6), 1) == date(2026, 3, 7)
    assert due_date(date(2026, 3, 6), 2) == date(2026, 3, 9)


def test_asking_for_information_pauses_the_clock_until_the_working_day_after_the_answer():
    # Fifteen days from Monday 02/03/2026 end on 23/03. Asked on Wednesday 04/03 (two days counted: 03 and 04),
    # answered on Tuesday 10/03: 05, 06, 09 and 10/03 do not count, the clock resumes on Wednesday 11/03.
    pauses = [(date(2026, 3, 4), date(2026, 3, 10))]
    assert due_date(date(2026, 3, 2), 15, pauses) == date(2026, 3, 27)
    assert paused_working_days(pauses) == 4
    # The same as ISO text (as a request keeps its pauses).
    assert due_date(date(2026, 3, 2), 15, [["2026-03-04", "2026-03-10"]]) == date(2026, 3, 27)
    # Answered the day it was asked: no working day lost.
    assert due_date(date(2026, 3, 2), 15, [(date(2026, 3, 4), date(2026, 3, 4))]) == date(2026, 3, 23)


def test_while_the_business_has_not_answered_the_clock_stands_still():
    assert due_date(date(2026, 3, 2), 15, [(date(2026, 3, 4), None)]) is None


def test_the_announced_days_a_count_needs_are_read_in_one_query(db):
    _announce(date(2026, 3, 9), CalendarDayKind.DAY_OFF)
    with count_queries(db.engine) as counter:
        assert due_date(date(2026, 3, 2), 15) == date(2026, 3, 24)
    assert counter.count == 1


def test_a_calendar_counts_the_working_days_between_two_days():
    calendar = WorkingCalendar(date(2026, 3, 2))
    assert calendar.working_days_between(date(2026, 3, 6), date(2026, 3, 9)) == 1
    assert calendar.working_days_between(date(2026, 3, 9), date(2026, 3, 9)) == 0
    with pytest.raises(ValueError):
        due_date(date(2026, 3, 2), 0)


def test_one_time_limit_across_a_weekend_tet_an_announced_day_off_and_a_make_up_saturday(db):
    # Acknowledged on Tuesday 02/02/2027: Wednesday 03/02 is the first day; Tết runs from Thursday 04/02 to
    # Wednesday 10/02 (its weekend inside it); the government gives Thursday 11/02 off and makes Saturday 20/02 a
    # working day; the weekend of 13-14/02 does not count.
    assert due_date(date(2027, 2, 2), 5) == date(2027, 2, 16)  # 03, 11, 12, 15, 16
    _announce(date(2027, 2, 11), CalendarDayKind.DAY_OFF)
    assert due_date(date(2027, 2, 2), 5) == date(2027, 2, 17)  # 03, 12, 15, 16, 17
    assert due_date(date(2027, 2, 2), 8) == date(2027, 2, 22)  # … 18, 19, (Saturday 20 not yet announced) 22
    _announce(date(2027, 2, 20), CalendarDayKind.WORKING_DAY)
    assert due_date(date(2027, 2, 2), 8) == date(2027, 2, 20)  # … 18, 19, 20
