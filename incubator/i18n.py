"""Language, time zone and the formats users expect: dd/mm/yyyy, VND with dot separators, UTC+7."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from decimal import ROUND_HALF_EVEN, Context, Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.numbers import (
    format_decimal,
    get_decimal_symbol,
    get_group_symbol,
    get_minus_sign_symbol,
    parse_pattern,
)
from flask import current_app, g, request, session
from flask_babel import format_datetime, get_locale
from flask_babel import get_translations as _babel_translations
from flask_login import current_user
from jinja2 import pass_eval_context
from markupsafe import Markup

DATE_PATTERN = "dd/MM/yyyy"
DATETIME_PATTERN = "HH:mm dd/MM/yyyy"


def local_tz() -> ZoneInfo:
    try:
        return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    except RuntimeError:  # outside an application context
        return ZoneInfo("Asia/Ho_Chi_Minh")


def local_day(moment: datetime) -> date:
    """The day an instant falls on in Hà Nội."""
    return moment.astimezone(local_tz()).date()


def local_today() -> date:
    """Today in Hà Nội: the one definition (lists, bounds, reminders and reports all ask it)."""
    from incubator.db import utcnow

    return local_day(utcnow())


def to_utc(local_naive: datetime | None) -> datetime | None:
    """A time typed in Hà Nội (a LocalDateTimeField's naive value) as a UTC instant."""
    return local_naive.replace(tzinfo=local_tz()).astimezone(UTC) if local_naive else None


def to_local_naive(instant: datetime | None) -> datetime | None:
    """A UTC instant as the naive time in Hà Nội a LocalDateTimeField shows."""
    return instant.astimezone(local_tz()).replace(tzinfo=None) if instant else None


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    chosen = session.get("locale") if request else None
    if chosen in languages:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def fmt_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = local_day(value) if value.tzinfo else value.date()
    return value.strftime("%d/%m/%Y")


def fmt_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    return format_datetime(value, DATETIME_PATTERN)


VI_VN = Locale.parse("vi_VN")  # parsed once: a list page formats an amount on every row


@lru_cache(maxsize=8)
def _locale(code: str) -> Locale:
    return Locale.parse(code)


@lru_cache(maxsize=16)
def _pattern(pattern: str):
    return parse_pattern(pattern)


def _current_locale() -> Locale:
    """The interface's locale, as babel's object (parsed once per language, not once per number)."""
    return get_locale() or _locale("vi")


@lru_cache(maxsize=8)
def _symbols(locale: Locale) -> dict[int, str]:
    return str.maketrans({",": get_group_symbol(locale), ".": get_decimal_symbol(locale),
                          "-": get_minus_sign_symbol(locale)})


# Precision enough to quantize any everyday figure exactly; a larger one gets a context of its own.
_WIDE = Context(prec=60)


@lru_cache(maxsize=8)
def _exponent(places: int) -> Decimal:
    return Decimal(1).scaleb(-places)


def _fixed(value: int | float | Decimal, places: int, locale: Locale) -> str:
    """``value`` grouped by thousands with ``places`` decimals, in the locale's symbols: what babel's
    format_decimal gives for the pattern #,##0.0… (rounding half to even, a float read as its shortest
    decimal form), but by Python's own formatting, several times faster on a page formatting a few numbers per
    row, and with the precision a number needs (babel stops at 28 digits). Babel writes the infinities."""
    number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite():
        return format_decimal(value, locale=locale)
    digits = number.adjusted() + places + 2
    context = _WIDE if digits <= _WIDE.prec else Context(prec=digits)
    rounded = number.quantize(_exponent(places), rounding=ROUND_HALF_EVEN, context=context)
    return f"{rounded:,f}".translate(_symbols(locale))


def fmt_money(value: int | Decimal | None) -> str:
    """Always Vietnamese grouping for đồng, whatever the interface language: 1.250.000.000 ₫."""
    if value is None:
        return ""
    return _fixed(value, 0, VI_VN) + "\xa0₫"


def fmt_number(value: int | float | Decimal | None) -> str:
    if value is None:
        return ""
    return format_decimal(value, locale=_current_locale())


def fmt_percent(value: Decimal | float | None) -> str:
    """One decimal, in the locale's way: "68,4 %" in Vietnamese, "68.4 %" in English."""
    if value is None:
        return "—"
    return _fixed(value, 1, _current_locale()) + "\xa0%"


def fmt_decimal(value: float | Decimal | None, places: int = 1) -> str:
    """A measured value with fixed decimals in the locale's way ("1,25" / "1.25"); "—" when missing."""
    if value is None:
        return "—"
    return _fixed(value, places, _current_locale())


class UnreadableDate(ValueError):
    """A date typed that could not be read: ``reason`` says why ("format", "short_year", "no_such_day" or
    "no_time"), ``text`` is the day as dd/mm/yyyy when the reason is "no_such_day"."""

    def __init__(self, reason: str, text: str = ""):
        super().__init__(reason, text)
        self.reason, self.text = reason, text


_SEP = r"[/.\- ]"
_DAY_FIRST = re.compile(rf"(\d{{1,2}}){_SEP}(\d{{1,2}}){_SEP}(\d{{4}})")  # 31/12/2025, 1/2/2026, 31.12.2025
_DAY_COMPACT = re.compile(r"(\d{2})(\d{2})(\d{4})")  # 31122025: a phone's numeric keypad has no slash
_ISO_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")  # 2025-12-31
_SHORT_YEAR = re.compile(rf"\d{{1,2}}{_SEP}\d{{1,2}}{_SEP}\d{{2,3}}|\d{{6}}")  # 31/12/25: which century?
_TIME = re.compile(r"(\d{1,2})(?:[:hH.](\d{2})?(?::\d{2})?)|(\d{1,2})(\d{2})")  # 9:30, 09:30, 9h30, 9h, 0930


def read_date(text: str | None) -> date | None:
    """The day typed as people write it here: dd/mm/yyyy (also d/m/yyyy, with dots, dashes or spaces, or the
    eight digits alone), or ISO yyyy-mm-dd. None when blank; UnreadableDate when it is not a day, saying why
    (a year of two digits is refused: 01/02/25 could be 1925 or 2025)."""
    text = (text or "").strip()
    if not text:
        return None
    if match := _DAY_FIRST.fullmatch(text) or _DAY_COMPACT.fullmatch(text):
        day, month, year = (int(x) for x in match.groups())
    elif match := _ISO_DAY.fullmatch(text):
        year, month, day = (int(x) for x in match.groups())
    elif _SHORT_YEAR.fullmatch(text):
        raise UnreadableDate("short_year")
    else:
        raise UnreadableDate("format")
    try:
        return date(year, month, day)
    except ValueError:
        raise UnreadableDate("no_such_day", f"{day:02d}/{month:02d}/{year:04d}") from None


def read_time(text: str | None) -> time | None:
    """A time of day on the 24-hour clock: 09:30, 9:30, 9h30, 9h, 0930. None when blank; UnreadableDate
    ("time") when it is not one."""
    text = (text or "").strip()
    if not text:
        return None
    match = _TIME.fullmatch(text)
    if not match:
        raise UnreadableDate("time")
    hour, minute = (int(match[1]), int(match[2] or 0)) if match[1] else (int(match[3]), int(match[4]))
    if hour > 23 or minute > 59:
        raise UnreadableDate("time")
    return time(hour, minute)


def read_datetime(text: str | None) -> datetime | None:
    """A day and a time (naive, as typed in Hà Nội): "HH:mm dd/mm/yyyy" as the pages print it, or
    "dd/mm/yyyy HH:mm", or ISO "yyyy-mm-ddTHH:MM" (what a datetime-local input sent). None when blank;
    UnreadableDate otherwise, "no_time" when only a day was given."""
    text = (text or "").strip()
    if not text:
        return None
    parts = text.replace("T", " ", 1).split() if _ISO_DAY.match(text) else text.replace(",", " ").split()
    if len(parts) == 1:
        read_date(parts[0])  # an unreadable day says so; a readable one lacks its time
        raise UnreadableDate("no_time")
    if len(parts) != 2:
        raise UnreadableDate("format")
    first, second = parts
    if ":" in first or "h" in first.lower():
        first, second = second, first  # the time written first, as the pages print it
    day = read_date(first)
    try:
        moment = read_time(second)
    except UnreadableDate:
        raise UnreadableDate("format") from None
    return datetime.combine(day, moment)


def parse_date(text: str | None) -> date | None:
    """A day typed in a query string (a list's filter, the dashboard's date), as read_date reads it; None when
    none or none that can be read."""
    try:
        return read_date(text)
    except UnreadableDate:
        return None


def input_date(value: date | None) -> str:
    """A day as the date fields write it (dd/mm/yyyy), whatever the language."""
    return value.strftime("%d/%m/%Y") if value else ""


def translations():
    """The catalogue of the current language, looked up once per request rather than once per string (Flask-Babel
    finds its domain, locale and cache again for every string; a list page translates a few strings per row).
    Kept where Flask-Babel's own context keeps it (``babel_translations``), which ``force_locale`` (e-mails in
    the recipient's language) and ``refresh`` clear; without that context, asked of Flask-Babel every time."""
    context = g.get("_flask_babel")
    found = getattr(context, "babel_translations", None)
    if found is None:
        found = _babel_translations()
        context = g.get("_flask_babel")
        if context is not None:
            context.babel_translations = found
    return found


@pass_eval_context
def _template_gettext(eval_ctx, string: str, **variables) -> str:
    """Jinja's newstyle gettext (escaped in HTML, always %-formatted), reached in one call from the template
    where Jinja's own goes through three (``_`` → ``gettext`` → Flask-Babel's callable), each looking at the
    callable's signature: a list page translates a few strings on every row."""
    text = translations().ugettext(string)
    if eval_ctx.autoescape:
        text = Markup(text)  # noqa: S704 (our catalogue, trusted as Jinja trusts it; the % escapes the variables)
    return text % variables


@pass_eval_context
def _template_ngettext(eval_ctx, singular: str, plural: str, num: int, **variables) -> str:
    variables.setdefault("num", num)
    text = translations().ungettext(singular, plural, num)
    if eval_ctx.autoescape:
        text = Markup(text)  # noqa: S704 (our catalogue, trusted as Jinja trusts it; the % escapes the variables)
    return text % variables


def register(app) -> None:
    app.jinja_env.globals.update(_=_template_gettext, gettext=_template_gettext, ngettext=_template_ngettext)
    app.add_template_filter(fmt_date, "date")
    app.add_template_filter(fmt_datetime, "datetime")
    app.add_template_filter(fmt_money, "money")
    app.add_template_filter(fmt_number, "number")
    app.add_template_filter(fmt_percent, "percent")
    app.add_template_filter(fmt_decimal, "decimal")
    app.add_template_filter(lambda text: fmt_date(date.fromisoformat(text)) if text else "…", "isodate")


def localised(vi: str | None, en: str | None) -> str:
    """The English text when the page is in English and it exists, else the Vietnamese (and vice versa)."""
    locale = get_locale()
    return (en or vi or "") if locale is not None and locale.language == "en" else (vi or en or "")
