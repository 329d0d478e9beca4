"""Language, time zone and the formats users expect: dd/mm/yyyy, VND with dot separators, UTC+7."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.numbers import format_currency, format_decimal, parse_pattern
from flask import current_app, request, session
from flask_babel import format_datetime, get_locale
from flask_login import current_user

DATE_PATTERN = "dd/MM/yyyy"
DATETIME_PATTERN = "HH:mm dd/MM/yyyy"


def local_tz() -> ZoneInfo:
    try:
        return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    except RuntimeError:  # outside an application context
        return ZoneInfo("Asia/Ho_Chi_Minh")


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
        value = value.astimezone(local_tz()).date() if value.tzinfo else value.date()
    return value.strftime("%d/%m/%Y")


def fmt_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    return format_datetime(value, DATETIME_PATTERN)


VI_VN = Locale.parse("vi_VN")  # parsed once: a list page formats an amount on every row


def fmt_money(value: int | Decimal | None) -> str:
    """Always Vietnamese grouping for đồng, whatever the interface language: 1.250.000.000 ₫."""
    if value is None:
        return ""
    return format_currency(value, "VND", locale=VI_VN)


@lru_cache(maxsize=8)
def _locale(code: str) -> Locale:
    return Locale.parse(code)


@lru_cache(maxsize=16)
def _pattern(pattern: str):
    return parse_pattern(pattern)


def _current_locale() -> Locale:
    """The interface's locale, as babel's object (parsed once per language, not once per number)."""
    return _locale(str(get_locale() or "vi"))


def fmt_number(value: int | float | Decimal | None) -> str:
    if value is None:
        return ""
    return format_decimal(value, locale=_current_locale())


def fmt_percent(value: Decimal | float | None) -> str:
    """One decimal, in the locale's way: "68,4 %" in Vietnamese, "68.4 %" in English."""
    if value is None:
        return "—"
    return format_decimal(value, format=_pattern("#,##0.0"), locale=_current_locale()) + "\xa0%"


def fmt_decimal(value: float | Decimal | None, places: int = 1) -> str:
    """A measured value with fixed decimals in the locale's way ("1,25" / "1.25"); "—" when missing."""
    if value is None:
        return "—"
    pattern = "#,##0." + "0" * places if places else "#,##0"
    return format_decimal(value, format=_pattern(pattern), locale=_current_locale())


def parse_date(text: str | None) -> date | None:
    """Parse dd/mm/yyyy (what people type) or ISO yyyy-mm-dd (what date inputs send)."""
    if not text:
        return None
    text = text.strip()
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def register(app) -> None:
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
