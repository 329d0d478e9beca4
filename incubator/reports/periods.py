"""Report periods: "2025", "2025-H1", "2025-Q2", or any two dates."""

from __future__ import annotations

import re
from datetime import date, timedelta

PATTERN = re.compile(r"^(\d{4})(?:-(H[12]|Q[1-4]))?$")
# The years a report may cover: the figures' day boundaries are computed in local time, which the far ends of
# the calendar (0001-01-01, 9999-12-31) overflow.
FIRST_YEAR, LAST_YEAR = 2000, 2100


def _month_end(year: int, month: int) -> date:
    return date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)


def parse_period(text: str) -> tuple[date, date, str]:
    """(first day, last day, kind) of a named period; ValueError when the text is not one."""
    match = PATTERN.match((text or "").strip().upper())
    if not match:
        raise ValueError(text)
    year, part = int(match[1]), match[2]
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(text)
    if part is None:
        return date(year, 1, 1), date(year, 12, 31), "year"
    if part[0] == "H":
        first = 1 if part == "H1" else 7
        return date(year, first, 1), _month_end(year, first + 5), "half"
    quarter = int(part[1])
    return date(year, 3 * quarter - 2, 1), _month_end(year, 3 * quarter), "quarter"


def check_dates(start: date, end: date) -> None:
    """ValueError unless the two days make a period in order, within the years a report may cover."""
    if end < start or start.year < FIRST_YEAR or end.year > LAST_YEAR:
        raise ValueError(f"{start} – {end}")


def roman(n: int) -> str:
    return {1: "I", 2: "II", 3: "III", 4: "IV"}[n]
