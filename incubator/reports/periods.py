"""Report periods: "2025", "2025-H1", "2025-Q2", or any two dates."""

from __future__ import annotations

import re
from datetime import date, timedelta

PATTERN = re.compile(r"^(\d{4})(?:-(H[12]|Q[1-4]))?$")


def _month_end(year: int, month: int) -> date:
    return date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)


def parse_period(text: str) -> tuple[date, date, str]:
    """(first day, last day, kind) of a named period; ValueError when the text is not one."""
    match = PATTERN.match((text or "").strip().upper())
    if not match:
        raise ValueError(text)
    year, part = int(match[1]), match[2]
    if not 2000 <= year <= 2100:
        raise ValueError(text)
    if part is None:
        return date(year, 1, 1), date(year, 12, 31), "year"
    if part[0] == "H":
        first = 1 if part == "H1" else 7
        return date(year, first, 1), _month_end(year, first + 5), "half"
    quarter = int(part[1])
    return date(year, 3 * quarter - 2, 1), _month_end(year, 3 * quarter), "quarter"


def roman(n: int) -> str:
    return {1: "I", 2: "II", 3: "III", 4: "IV"}[n]
