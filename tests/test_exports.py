"""The headers of every list export: one charset on CSV, none on XLSX, always a download."""

from __future__ import annotations

from flask import url_for

from incubator.auth.enums import Role
from incubator.exports import XLSX_MIMETYPE


def test_every_csv_export_says_charset_utf_8_once_and_xlsx_has_none(app, login_as, make):
    staff = login_as(Role.STAFF)[0]
    mentor = login_as(Role.MENTOR)[0]
    admin = login_as(Role.ADMIN)[0]
    entry = make.stage_entry()
    values = {"cohort_id": make.cohort().id, "stage_id": entry.stage.id, "round_id": entry.stage.round.id}
    exports = [(rule.endpoint, {a: values[a] for a in rule.arguments if a != "fmt"})
               for rule in app.url_map.iter_rules() if "fmt" in rule.arguments]
    assert len(exports) >= 10
    for endpoint, arguments in exports:
        client = {"mentoring.export_my_sessions": mentor, "admin.export_users": admin}.get(endpoint, staff)
        with app.test_request_context():
            csv_url, xlsx_url = (url_for(endpoint, fmt=f, **arguments) for f in ("csv", "xlsx"))
        csv = client.get(csv_url)
        assert csv.status_code == 200, csv_url
        assert csv.headers["Content-Type"] == "text/csv; charset=utf-8", csv_url
        assert csv.headers["Content-Disposition"].startswith("attachment;"), csv_url
        xlsx = client.get(xlsx_url)
        assert xlsx.status_code == 200, xlsx_url
        assert xlsx.headers["Content-Type"] == XLSX_MIMETYPE, xlsx_url
        assert xlsx.headers["Content-Disposition"].startswith("attachment;"), xlsx_url


def test_dates_and_months_are_real_dates_in_xlsx_and_dd_mm_yyyy_in_csv(app):
    """Every date column holds dates: a spreadsheet sorts and filters them; CSV writes them as people read them."""
    import csv
    import io
    from datetime import UTC, date, datetime

    from openpyxl import load_workbook

    from incubator.exports import Month, to_csv, to_xlsx

    header = ["Từ ngày", "Kỳ", "Nộp lúc", "Doanh thu (VND)"]
    line = [date(2027, 1, 1), Month.of(date(2025, 6, 17)), datetime(2026, 12, 2, 3, 0, tzinfo=UTC), 500_000_000]
    with app.test_request_context():
        sheet = load_workbook(io.BytesIO(to_xlsx(header, [line]))).active
        text = to_csv(header, [line]).decode("utf-8-sig")
    day, month, moment, amount = next(iter(sheet.iter_rows(min_row=2)))
    assert (day.value, day.number_format) == (datetime(2027, 1, 1), "DD/MM/YYYY")
    assert (month.value, month.number_format) == (datetime(2025, 6, 1), "MM/YYYY")
    assert (moment.value, moment.number_format) == (datetime(2026, 12, 2, 10, 0), "DD/MM/YYYY HH:MM")  # Hà Nội
    assert (amount.value, amount.number_format) == (500_000_000, "#,##0")
    assert list(csv.reader(io.StringIO(text)))[1][:3] == ["01/01/2027", "06/2025", "10:00 02/12/2026"]


def test_the_registers_since_column_is_a_date(login_as, make):
    import io
    from datetime import datetime

    from openpyxl import load_workbook

    staff = login_as(Role.STAFF)[0]
    make.residency(company=make.company(name="Công ty Từ Ngày"))
    sheet = load_workbook(io.BytesIO(staff.get("/register/export.xlsx").data)).active
    header, row = list(sheet.iter_rows(max_row=2))
    since = row[[c.value for c in header].index("Từ ngày")]
    assert isinstance(since.value, datetime) and since.number_format == "DD/MM/YYYY"
