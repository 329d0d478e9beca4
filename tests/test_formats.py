"""Dates dd/mm/yyyy, money in VND with dot separators, times in Asia/Ho_Chi_Minh, in both languages."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from flask_babel import force_locale

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
