"""A day of the working calendar in the audit log (issue 21): recorded by its ISO date like every date the log
keeps, it reads with its day of the week on the log's page and in its exports, never as a bare date written as
text (a spreadsheet holds dates as date cells: tests/test_readable_text.py)."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import sqlalchemy as sa
from openpyxl import load_workbook

from incubator.audit.models import AuditEntry
from incubator.auth.enums import Role
from incubator.requests import services
from incubator.requests.enums import CalendarDayKind
from tests.helpers import login

DATE_TEXT = re.compile(r"\d{2}/\d{2}/\d{4}")


def _entries(db, action):
    return list(db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def test_a_calendar_day_is_logged_by_its_iso_date_and_reads_with_its_weekday(make, client_factory, db):
    staff = make.user(Role.STAFF)
    admin = make.user(Role.ADMIN, locale="vi")
    entry = services.add_calendar_day(date(2027, 1, 2), CalendarDayKind.DAY_OFF, actor=staff, note="Nghỉ bù")
    services.add_calendar_day(date(2027, 1, 9), CalendarDayKind.WORKING_DAY, actor=staff)
    services.remove_calendar_day(entry, actor=staff)
    db.session.commit()
    assert [e.object_label for e in _entries(db, "calendar_day.create")] == ["2027-01-02", "2027-01-09"]
    assert [e.object_label for e in _entries(db, "calendar_day.delete")] == ["2027-01-02"]

    client = client_factory()
    login(client, admin)
    page = client.get("/audit/?object_type=calendar_days").get_data(as_text=True)
    assert "Thứ Bảy, 02/01/2027" in page and "Thứ Bảy, 09/01/2027" in page
    assert "2027-01-02" not in page

    sheet = load_workbook(io.BytesIO(client.get("/audit/export.xlsx?object_type=calendar_days").data)).active
    cells = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert cells.count("Thứ Bảy, 02/01/2027") == 2 and "Thứ Bảy, 09/01/2027" in cells
    assert not [c for c in cells if isinstance(c, str) and DATE_TEXT.fullmatch(c)]
    rows = list(csv.reader(io.StringIO(client.get("/audit/export.csv?object_type=calendar_days").data
                                       .decode("utf-8-sig"))))
    assert any("Thứ Bảy, 09/01/2027" in row for row in rows)


def test_in_english_the_weekday_is_english_and_an_entry_written_as_text_before_reads_the_same(make, client_factory,
                                                                                            db):
    admin = make.user(Role.ADMIN, locale="en")
    make.audit_entry(action="calendar_day.create", object_type="calendar_days", object_id="3",
                     object_label="03/01/2027", to_state="day_off")  # as the service wrote it until 03/12/2026
    db.session.commit()
    client = client_factory()
    login(client, admin)
    page = client.get("/audit/?object_type=calendar_days").get_data(as_text=True)
    assert "Sunday, 03/01/2027" in page
    sheet = load_workbook(io.BytesIO(client.get("/audit/export.xlsx?object_type=calendar_days").data)).active
    assert "Sunday, 03/01/2027" in [cell for row in sheet.iter_rows(values_only=True) for cell in row]


def test_the_staffs_home_reads_the_latest_calendar_day_in_words(make, client_factory, db):
    staff = make.user(Role.STAFF, locale="vi")
    services.add_calendar_day(date(2027, 1, 2), CalendarDayKind.DAY_OFF, actor=staff)
    db.session.commit()
    client = client_factory()
    login(client, staff)
    page = client.get("/home/staff").get_data(as_text=True)
    assert "Thứ Bảy, 02/01/2027" in page and "2027-01-02" not in page
