"""Dates dd/mm/yyyy, money in VND with dot separators, times in Asia/Ho_Chi_Minh, in both languages."""

import decimal
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from flask_babel import force_locale
from hypothesis import given, settings
from hypothesis import strategies as st

from incubator.i18n import fmt_date, fmt_datetime, fmt_money, parse_date
from incubator.text import fold


@pytest.mark.parametrize("locale", ["vi", "en"])
def test_formats_are_the_same_in_both_languages(app, locale):
    with app.test_request_context(), force_locale(locale):
        assert fmt_date(date(2025, 2, 5)) == "05/02/2025"
        assert fmt_money(1_250_000_000) == "1.250.000.000\xa0₫"
        assert fmt_money(Decimal("0")) == "0\xa0₫"
        # 17:30 UTC is 00:30 the next day in Hà Nội (UTC+7).
        assert fmt_datetime(datetime(2025, 2, 5, 17, 30, tzinfo=UTC)) == "00:30 06/02/2025"
        assert fmt_date(datetime(2025, 2, 5, 17, 30, tzinfo=UTC)) == "06/02/2025"


def test_dates_typed_by_people_or_sent_by_date_inputs_are_read():
    assert parse_date("05/02/2025") == date(2025, 2, 5)
    assert parse_date("2025-02-05") == date(2025, 2, 5)
    assert parse_date("31/02/2025") is None
    assert parse_date("hôm qua") is None


def test_folding_removes_vietnamese_diacritics():
    assert fold("Công ty Cổ phần Công nghệ ĐỒNG XANH") == "cong ty co phan cong nghe dong xanh"
    assert fold("Nguyễn  Thị   Hằng") == "nguyen thi hang"


NUMBERS = st.one_of(
    st.integers(min_value=-10**24, max_value=10**24),
    st.floats(allow_nan=False),  # infinities too: babel writes them
    st.decimals(allow_nan=False, places=4, min_value=Decimal("-1e20"), max_value=Decimal("1e20")),
    st.decimals(allow_nan=False),  # any exponent, 28 digits and beyond
    st.sampled_from([0.25, 0.35, -0.05, -0.0, 1e-7, 87.5, 2.5, Decimal("-0.4"), Decimal("1E+30"), 10**40]),
)


@settings(max_examples=400, deadline=None)
@given(value=NUMBERS, places=st.integers(min_value=0, max_value=3), language=st.sampled_from(["vi", "en"]))
def test_fixed_decimals_are_written_as_babel_writes_them(value, places, language):
    """Pages format numbers with Python's own formatting (fast); the result is babel's, in both languages,
    rounding half to even, with the locale's symbols, and money as babel's VND in Vietnamese."""
    from babel import Locale
    from babel.numbers import format_currency, format_decimal, get_group_symbol

    from incubator.i18n import VI_VN, _fixed

    locale = Locale.parse(language)
    pattern = "#,##0." + "0" * places if places else "#,##0"
    try:
        with decimal.localcontext() as exact:  # babel rounds in the current context: at 28 digits it would
            exact.prec = 200                     # round twice (…161.48 → …161.5 → …162)
            expected = format_decimal(value, format=pattern, locale=locale)
            money = None if isinstance(value, float) else format_currency(value, "VND", locale=VI_VN)
    except decimal.InvalidOperation:  # babel stops at 28 digits; the page writes every digit
        number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
        digits = f"{abs(number):f}".split(".")[0]
        written = _fixed(value, places, locale)
        assert written.replace(get_group_symbol(locale), "").lstrip("-").startswith(digits[:20])
        return
    assert _fixed(value, places, locale) == expected
    if money is not None:
        assert fmt_money(value) == money


def test_today_in_ha_noi_is_one_function_read_by_the_bounds_and_the_pages(app, monkeypatch):
    """17:30 UTC on New Year's Eve is already 1 January in Hà Nội: every "today" of the application says so."""
    from datetime import UTC, date, datetime

    from incubator import bounds
    from incubator import db as base
    from incubator.cohorts import views as cohort_views
    from incubator.i18n import local_day, local_today

    monkeypatch.setattr(base, "utcnow", lambda: datetime(2025, 12, 31, 17, 30, tzinfo=UTC))
    assert local_today() == bounds.today() == cohort_views.today() == date(2026, 1, 1)
    assert local_day(datetime(2025, 12, 31, 16, 59, tzinfo=UTC)) == date(2025, 12, 31)
