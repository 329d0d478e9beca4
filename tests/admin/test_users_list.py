"""The users list: searched by name without diacritics; exported like every other list (issue 17): CSV (UTF-8
with BOM) and XLSX, with the page's filters, for administrators only."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from incubator.auth.enums import Role


def _rows(response):
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))


def test_the_users_list_exports_with_its_filters(make, login_as):
    partner = make.partner(name="Công ty Cổ phần MISA")
    make.user(Role.MENTOR, full_name="Nguyễn Thị Cố Vấn", partner=partner)
    make.user(Role.REVIEWER, full_name="Đặng Văn Chuyên Gia", active=False)
    client, _admin = login_as(Role.ADMIN, full_name="Quản Trị Viên")
    page = client.get("/admin/users").get_data(as_text=True)
    assert 'href="/admin/users.csv"' in page and 'href="/admin/users.xlsx"' in page

    everyone = client.get("/admin/users.csv")
    assert everyone.status_code == 200 and everyone.data.startswith(b"\xef\xbb\xbf")
    rows = _rows(everyone)
    assert len(rows) == 1 + 3
    names = {r[0]: r for r in rows[1:]}
    mentor = names["Nguyễn Thị Cố Vấn"]
    assert mentor[3] == "Công ty Cổ phần MISA" and mentor[2]  # roles, in words
    assert names["Đặng Văn Chuyên Gia"][4] != mentor[4]  # deactivated / active

    # the page's filters: "Nguyen" finds "Nguyễn"; the status filter
    assert [r[0] for r in _rows(client.get("/admin/users.csv?q=Nguyen"))[1:]] == ["Nguyễn Thị Cố Vấn"]
    assert [r[0] for r in _rows(client.get("/admin/users.csv?status=inactive"))[1:]] == ["Đặng Văn Chuyên Gia"]
    assert 'href="/admin/users.csv?q=Nguyen"' in client.get("/admin/users?q=Nguyen").get_data(as_text=True)

    workbook = load_workbook(io.BytesIO(client.get("/admin/users.xlsx?role=mentor").data))
    values = [[c.value for c in row] for row in workbook.active.iter_rows()]
    assert [v[0] for v in values[1:]] == ["Nguyễn Thị Cố Vấn"]


def test_only_administrators_export_the_users(login_as):
    staff, _ = login_as(Role.STAFF)
    assert staff.get("/admin/users.csv").status_code == 403


def test_user_search_ignores_diacritics(login_as, make):
    admin_client, _ = login_as(Role.ADMIN)
    make.user(Role.STAFF, full_name="Nguyễn Thị Hằng")
    make.user(Role.STAFF, full_name="Trần Văn Bình")
    html = admin_client.get("/admin/users?q=nguyen+thi+hang").get_data(as_text=True)
    assert "Nguyễn Thị Hằng" in html and "Trần Văn Bình" not in html
