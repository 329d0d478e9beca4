"""Reporting periods of a cohort: whole months or quarters from the cohort's start to its end. A report is
due on the 10th day after its period ends (a month) or on the 15th (a quarter)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from incubator.cohorts.enums import Rhythm

DUE_AFTER = {Rhythm.MONTHLY: 10, Rhythm.QUARTERLY: 15}
REMIND_BEFORE_DAYS = 3


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    due_on: date

    @property
    def key(self) -> str:
        return self.start.isoformat()


def _next_month(day: date) -> date:
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def periods(starts_on: date, ends_on: date, rhythm: Rhythm) -> list[Period]:
    """Calendar months (or quarters) that overlap the cohort, clipped to its dates."""
    return list(_periods(starts_on, ends_on, Rhythm(rhythm)))


@lru_cache(maxsize=256)
def _periods(starts_on: date, ends_on: date, rhythm: Rhythm) -> tuple[Period, ...]:
    """Worked out once per cohort's dates and rhythm (every member's row on a page asks for them)."""
    step = 1 if Rhythm(rhythm) is Rhythm.MONTHLY else 3
    first_month = 1 if step == 1 else 3 * ((starts_on.month - 1) // 3) + 1
    start = date(starts_on.year, starts_on.month if step == 1 else first_month, 1)
    result = []
    while start <= ends_on:
        following = start
        for _ in range(step):
            following = _next_month(following)
        end = following - timedelta(days=1)
        clipped = Period(max(start, starts_on), min(end, ends_on),
                         min(end, ends_on) + timedelta(days=DUE_AFTER[Rhythm(rhythm)]))
        result.append(clipped)
        start = following
    return tuple(result)


def period_for(cohort_periods: list[Period], start: date) -> Period | None:
    return next((p for p in cohort_periods if p.start == start), None)


def member_last_day(member) -> date:
    """The member's last day in incubation as planned: the cohort's, or the later one of an extension."""
    cohort = member.cohort
    return max(cohort.ends_on, member.extended_to) if member.extended_to else cohort.ends_on


def member_periods(member) -> list[Period]:
    """The periods a member reports on: the cohort's (with an extension's, in the same rhythm, up to its new
    last day), up to the day the member left."""
    cohort = member.cohort
    last = member_last_day(member)
    end = member.left_on or last
    return [p for p in periods(cohort.starts_on, last, cohort.rhythm) if p.start <= end]
