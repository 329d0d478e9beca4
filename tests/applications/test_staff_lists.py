"""Staff's list of a round's applications: filters, search, counts, exports, constant queries."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

from incubator.applications.enums import ApplicationStatus
from incubator.applications.models import Application
from incubator.auth.enums import Role
from incubator.companies.models import Company
from incubator.extensions import db as _db
from tests.helpers import count_queries, post_form, tax_code


@pytest.fixture
def staff(login_as):
    client, _ = login_as(Role.STAFF)
    return client


def seed(intake_round, author, n, offset=0):
    statuses = [ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW]
    rows = []
    for i in range(offset, offset + n):
        company = Company(tax_code=tax_code(40000 + i), name=f"Công ty Ứng Tuyển {i}", is_it=i % 4 != 0)
        status = statuses[i % 3]
        rows.append(Application(round=intake_round, company=company, created_by_id=author.id, status=status,
                                reference=None if status is ApplicationStatus.DRAFT else f"VU-2026-{i + 1:04d}",
                                submitted_at=None if status is ApplicationStatus.DRAFT
                                else datetime(2026, 3, 1, tzinfo=UTC) + timedelta(minutes=i),
                                eligibility_summary=["passed", "staff", "failed"][i % 3], answers={}))
    _db.session.add_all(rows)
    _db.session.commit()


def _names(html):
    import re

    return re.findall(r"<td>(Công ty [^<]+?) <span", html)


def test_filters_search_and_counts(staff, make):
    intake_round = make.intake_round()
    seed(intake_round, make.user(), 12)
    base = f"/rounds/{intake_round.id}/applications"
    html = staff.get(base).get_data(as_text=True)
    assert "Đã nộp: 4" in html and "Bản nháp: 4" in html
    assert len(_names(staff.get(f"{base}?status=submitted").get_data(as_text=True))) == 4
    assert len(_names(staff.get(f"{base}?eligibility=failed").get_data(as_text=True))) == 4
    assert len(_names(staff.get(f"{base}?is_it=no").get_data(as_text=True))) == 3
    assert _names(staff.get(f"{base}?q=ung+tuyen+11").get_data(as_text=True)) == ["Công ty Ứng Tuyển 11"]
    names = _names(staff.get(f"{base}?sort=company").get_data(as_text=True))
    assert names == sorted(names, key=lambda n: __import__("incubator.text").text.vietnamese_sort_key(n))


def test_csv_export_is_utf8_with_bom_and_respects_the_filters(staff, make):
    intake_round = make.intake_round()
    seed(intake_round, make.user(), 9)
    response = staff.get(f"/rounds/{intake_round.id}/applications.csv?status=submitted")
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][0] == "Mã hồ sơ" and len(rows) == 1 + 3
    assert all(row[4] == "Đã nộp" for row in rows[1:])


def test_xlsx_export_holds_the_same_rows(staff, make):
    from openpyxl import load_workbook

    intake_round = make.intake_round()
    seed(intake_round, make.user(), 9)
    response = staff.get(f"/rounds/{intake_round.id}/applications.xlsx?status=submitted")
    sheet = load_workbook(io.BytesIO(response.data)).active
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == 1 + 3 and values[1][1].startswith("Công ty Ứng Tuyển")


def test_the_list_costs_the_same_queries_with_2000_applications_as_with_20(staff, make):
    intake_round = make.intake_round()
    author = make.user()
    url = f"/rounds/{intake_round.id}/applications"

    def measure():
        with count_queries() as counter:
            assert staff.get(url).status_code == 200
        return counter.count

    seed(intake_round, author, 20)
    small = measure()
    seed(intake_round, author, 1980, offset=20)
    assert measure() == small


def test_staff_let_one_application_through_a_failed_rule_with_a_reason(staff, make, db):
    from incubator.audit.models import AuditEntry

    company = make.company(is_it=False)
    application = make.application(company=company)
    url = f"/applications/{application.id}/file"
    assert post_form(staff, url, {"reason": ""}, token_from=url).status_code == 400
    assert post_form(staff, url, {"reason": "Sản phẩm phần mềm, đăng ký ngành nghề chưa cập nhật"},
                     token_from=url).status_code == 302
    db.session.refresh(application)
    assert application.eligibility_override.startswith("Sản phẩm phần mềm")
    assert db.session.query(AuditEntry).filter_by(action="application.eligibility_override").count() == 1
