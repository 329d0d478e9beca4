"""The domain's bounds, written once: the dates a record may plausibly carry, and numbers that cannot be
negative or beyond 100 %.

The services check every value they store with these functions (so the web, the command line and the
spreadsheet import give the same answer), raising :class:`incubator.errors.DomainError` on the field; the forms
use the matching WTForms validators, so a form is shown again with the message in the reader's language
before the service is reached, and date inputs carry ``min``/``max`` so the browser's picker offers only
days that would be accepted. No domain is imported here.

The rules, by kind of date (each service's docstring says which it applies):

- ``FOUNDING``: a business is founded on a day that has come, and not before 1900;
- ``PROGRAMME``: what the incubator runs or plans (residencies, agreements, cohorts, intake rounds, review
  stages, services delivered, reporting periods): not before 1990, not more than ten years ahead;
- ``DECISION``: a decision, a step of a fund's pipeline or a document's date: what happened, or is fixed for
  the weeks ahead (a cohort's outcome decided now for the end of the month): not before 1990, at most 31 days
  ahead;
- ``SESSION``: a mentoring session, logged or scheduled: not before 1990, at most until the end of the year
  after next;
- ``PLAN``: the window of one of the city's targets: plans look further ahead (to 2045, say): not before
  1990, at most 30 years ahead.

"Today" is Hà Nội's today: the dates people type are local days.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from wtforms.validators import StopValidation

from incubator.errors import DomainError
from incubator.i18n import fmt_date, local_today, local_tz

EARLIEST = date(1990, 1, 1)  # nothing the incubator ran or decided is dated before
EARLIEST_FOUNDING = date(1900, 1, 1)
YEARS_AHEAD = 10
DECISION_GRACE = timedelta(days=31)
PLAN_YEARS_AHEAD = 30

MAX_PERCENT = Decimal(100)


def today() -> date:
    """Today in Hà Nội (i18n.local_today, under the name the domains' rules read)."""
    return local_today()


def years_after(day: date, years: int) -> date:
    """The same calendar day ``years`` later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def ten_years_ahead() -> date:
    return years_after(today(), YEARS_AHEAD)


def _local_day(value: date | datetime) -> date:
    """The day of ``value`` as people in Hà Nội write it. An instant at the calendar's ends is not moved to
    Hà Nội time (that would overflow): its own day is out of every bound anyway."""
    if isinstance(value, datetime):
        if value.tzinfo is not None and 1 < value.year < 9999:
            return value.astimezone(local_tz()).date()
        return value.date()
    return value


def _resolve(day: date | Callable[[], date]) -> date:
    return day() if callable(day) else day


def check_date(value: date | datetime | None, field: str | None, *, earliest: date | Callable[[], date] = EARLIEST,
               latest: date | Callable[[], date] | None = None):
    """``value`` unchanged if its day is within [earliest, latest] (both inclusive; ``latest`` by default ten
    years from today); else a DomainError on ``field``. None passes (whether a date is required is the
    service's own rule)."""
    if value is None:
        return value
    day = _local_day(value)
    first = _resolve(earliest)
    last = _resolve(latest) if latest is not None else ten_years_ahead()
    if day < first:
        raise DomainError(_l("The date cannot be before %(date)s.", date=fmt_date(first)), field=field)
    if day > last:
        if last == today():
            raise DomainError(_l("The date cannot be in the future."), field=field)
        raise DomainError(_l("The date cannot be after %(date)s.", date=fmt_date(last)), field=field)
    return value


@dataclass(frozen=True)
class DateRule:
    """A named pair of bounds: ``check`` for services, ``validator`` for forms."""

    earliest: date | Callable[[], date]
    latest: Callable[[], date]

    def first(self) -> date:
        return _resolve(self.earliest)

    def last(self) -> date:
        return _resolve(self.latest)

    def check(self, value, field: str | None):
        return check_date(value, field, earliest=self.earliest, latest=self.latest)

    def validator(self, *, with_time: bool = False) -> DateBounds:
        return DateBounds(self, with_time=with_time)


def session_latest(now: datetime | None = None) -> date:
    """The last day a session may be scheduled on: the end of the year after next (from ``now``, or today)."""
    year = _local_day(now).year if now is not None else today().year
    return date(year + 2, 12, 31)


FOUNDING = DateRule(EARLIEST_FOUNDING, today)
PROGRAMME = DateRule(EARLIEST, ten_years_ahead)
DECISION = DateRule(EARLIEST, lambda: today() + DECISION_GRACE)
SESSION = DateRule(EARLIEST, session_latest)
PLAN = DateRule(EARLIEST, lambda: years_after(today(), PLAN_YEARS_AHEAD))


def _finite(value, field: str | None) -> None:
    if hasattr(value, "is_finite") and not value.is_finite():
        raise DomainError(_l("Enter a number."), field=field)
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        raise DomainError(_l("Enter a number."), field=field)


def check_not_negative(value, field: str | None, message=None):
    """An amount (VND), a count (employees, customers) or a number of hours: zero or more. None passes."""
    if value is None:
        return value
    _finite(value, field)
    if value < 0:
        raise DomainError(message or _l("This number cannot be negative."), field=field)
    return value


def check_percent(value, field: str | None):
    """A percentage: from 0 to 100. None passes."""
    if value is None:
        return value
    _finite(value, field)
    if not 0 <= value <= MAX_PERCENT:
        raise DomainError(_l("A percentage is between 0 and 100."), field=field)
    return value


# ---- The same rules on forms -----------------------------------------------------------------------------

class _Day:
    """An HTML min/max attribute worked out when the input is drawn (today moves on; the form class does not)."""

    def __init__(self, day: Callable[[], date], suffix: str = ""):
        self.day, self.suffix = day, suffix

    def __str__(self) -> str:
        return self.day().isoformat() + self.suffix


class DateBounds:
    """A form's date (or Hà Nội date and time) within a DateRule: the service's message, shown on the field;
    and the input's ``min``/``max``, so the browser's date picker offers only days the rule accepts."""

    def __init__(self, rule: DateRule, *, with_time: bool = False):
        self.rule = rule
        self.field_flags = {"min": _Day(rule.first, "T00:00" if with_time else ""),
                            "max": _Day(rule.last, "T23:59" if with_time else "")}

    def __call__(self, form, field):
        try:
            self.rule.check(field.data, field.name)
        except DomainError as exc:
            raise StopValidation(exc.message) from None


class Percent:
    """The form's side of check_percent (the ``min``/``max`` are left to the form: a field may hold a
    percentage or a count, depending on another field)."""

    def __init__(self, when: Callable[[object], bool] | None = None):
        self.when = when

    def __call__(self, form, field):
        if self.when is not None and not self.when(form):
            return
        try:
            check_percent(field.data, field.name)
        except DomainError as exc:
            raise StopValidation(exc.message) from None


# ---- The day a daily command acts as ---------------------------------------------------------------------

def command_day(today_text: str | None) -> date:
    """The day a daily command (the ``remind`` commands) acts as: ``--today YYYY-MM-DD``, within the
    programme's bounds (acting as 9999-12-31 would call everything late, once and for all), or today in Hà Nội.
    A bad value is the command line's error (exit code 2, the option named)."""
    import click

    try:
        day = date.fromisoformat(today_text) if today_text else local_today()
    except ValueError:
        raise click.BadParameter("use YYYY-MM-DD", param_hint="--today") from None
    first, last = PROGRAMME.first(), PROGRAMME.last()
    if not first <= day <= last:
        raise click.BadParameter(f"a day from {first.isoformat()} to {last.isoformat()}", param_hint="--today")
    return day
