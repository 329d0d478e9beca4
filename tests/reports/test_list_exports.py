"""Every list exports to XLSX and CSV with the filters of its page, the rows and the columns its user may see."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook

from incubator.auth.enums import Role
from incubator.cohorts.enums import MemberStatus, ReportStatus
from incubator.mentoring.enums import SessionStatus
from incubator.outcomes.enums import Decision


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "text/csv"
    assert response.data.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads UTF-8
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))


def _xlsx(response):
    assert response.status_code == 200, response.status_code
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    return load_workbook(io.BytesIO(response.data)).active


def _rows(response) -> list[tuple]:
    return list(_xlsx(response).iter_rows(values_only=True))


@pytest.fixture
def staff(login_as):
    return login_as(Role.STAFF)[0]


@pytest.fixture
def world(make):
    """A little of everything, so every list has rows to export."""
    cohort = make.cohort(name="Khóa ươm tạo 2025")
    member = make.cohort_member(cohort=cohort, company=make.company(name="Công ty Cổ phần Bản Đồ Số Hồ Tây"))
    make.residency(company=member.company, starts_on=date(2025, 1, 1))
    make.residency(company=make.company(name="Công ty TNHH Phần mềm Đã Rời Đi"), starts_on=date(2023, 1, 1),
                   ends_on=date(2024, 6, 30))
    make.outcome(company=member.company, product="Ứng dụng bản đồ số cho phường", decided_on=date(2025, 6, 30))
    session = make.mentoring_session(assignment=make.mentor_assignment(member=member),
                                     status=SessionStatus.CONFIRMED, topics=["product"])
    entry = make.stage_entry()
    make.review(assignment=make.assignment(entry=entry), values=[4, 5])
    make.audit_entry(action="company.create", object_type="company", object_label="Công ty Thử Nhật Ký")
    return {"cohort": cohort, "member": member, "session": session, "stage": entry.stage, "round": entry.stage.round}


def _urls(app, world) -> list[str]:
    """Every export route of the application, its path filled from the world."""
    values = {"cohort_id": world["cohort"].id, "stage_id": world["stage"].id, "round_id": world["round"].id}
    urls = []
    for rule in app.url_map.iter_rules():
        if "fmt" in rule.arguments and "xlsx" in rule.rule:
            urls.append((rule.endpoint, {a: values[a] for a in rule.arguments if a != "fmt"}))
    return urls


def test_every_export_gives_the_same_table_in_xlsx_and_in_csv(app, login_as, world):
    from flask import url_for

    staff = login_as(Role.STAFF)[0]
    mentor = login_as(Role.MENTOR)[0]
    admin = login_as(Role.ADMIN)[0]
    exports = _urls(app, world)
    # The lists of the issue: companies, residencies, applications, rankings, cohorts, progress reports,
    # sessions, services, outcomes, audit log.
    assert {e for e, _ in exports} >= {
        "companies.export", "companies.export_residencies", "round_applications.export", "reviews.export_ranking",
        "cohorts.export", "cohorts.export_members", "cohorts.export_reports", "cohorts.export_late",
        "mentoring.export_sessions", "mentoring.export_my_sessions", "services.export", "companies.export_outcomes",
        "audit.export", "admin.export_users", "partners.export", "funding.export_pipeline"}
    for endpoint, values in exports:
        client = {"mentoring.export_my_sessions": mentor, "admin.export_users": admin}.get(endpoint, staff)
        with app.test_request_context():
            xlsx_url, csv_url = (url_for(endpoint, fmt=f, **values) for f in ("xlsx", "csv"))
        sheet = _rows(client.get(xlsx_url))
        table = _csv(client.get(csv_url))
        assert len(sheet) == len(table) and len(sheet[0]) == len(table[0]), endpoint
        assert [str(h) for h in sheet[0]] == table[0], endpoint  # the same header, in Vietnamese
        assert all(h for h in table[0]), endpoint


def test_exports_apply_the_filters_of_their_page(staff, world, make):
    residencies = _rows(staff.get("/register/residencies/export.xlsx?state=active"))
    assert [r[0] for r in residencies[1:]] == ["Công ty Cổ phần Bản Đồ Số Hồ Tây"]
    assert len(_rows(staff.get("/register/residencies/export.xlsx"))) == 1 + 2
    page = staff.get("/register/residencies?state=ended").get_data(as_text=True)
    assert "Đã Rời Đi" in page and "Hồ Tây" not in page

    make.outcome(company=make.company(name="Công ty Rút Lui"), decision=Decision.WITHDRAWN,
                 decided_on=date(2024, 3, 1))
    graduated = _rows(staff.get("/register/outcomes/export.xlsx?decision=graduated"))
    assert [r[0] for r in graduated[1:]] == ["Công ty Cổ phần Bản Đồ Số Hồ Tây"]
    assert graduated[1][5] == "Ứng dụng bản đồ số cho phường"
    assert len(_rows(staff.get("/register/outcomes/export.xlsx?year=2024"))) == 2

    audit = _rows(staff.get("/audit/export.xlsx?action=company.create"))
    assert len(audit) == 2 and audit[1][2] == "Đăng ký doanh nghiệp" and audit[1][4] == "Công ty Thử Nhật Ký"

    assert len(_rows(staff.get("/mentoring/sessions.xlsx?status=confirmed"))) == 2
    assert len(_rows(staff.get("/mentoring/sessions.xlsx?status=disputed"))) == 1
    assert len(_rows(staff.get("/mentoring/sessions.xlsx?date_from=2025-03-11"))) == 1
    assert len(_rows(staff.get("/mentoring/sessions.xlsx?date_from=2025-03-10&date_to=2025-03-10"))) == 2

    stage = world["stage"]
    assert len(_rows(staff.get(f"/reviews/stages/{stage.id}/ranking.xlsx"))) == 2
    make.stage_entry(stage=stage)
    ranking = _rows(staff.get(f"/reviews/stages/{stage.id}/ranking.xlsx?undecided=1"))
    assert len(ranking) == 3 and [r[0] for r in ranking[1:]] == [1, 2]
    # Scores 4 and 5 on two 1–5 criteria of equal weight: (75 + 100) / 2.
    assert sorted((r[7] for r in ranking[1:]), key=lambda v: v is None) == [87.5, None]


def test_the_cohort_exports_hold_members_and_every_report_period(staff, world, make):
    from decimal import Decimal

    from incubator.cohorts.models import ProgressReport
    from incubator.extensions import db

    member = world["member"]
    db.session.add(ProgressReport(member_id=member.id, period_start=date(2025, 1, 1), period_end=date(2025, 1, 31),
                                  due_on=date(2025, 2, 10), status=ReportStatus.SUBMITTED, revenue=Decimal(150_000_000),
                                  paying_customers=3, employees=7, submitted_at=datetime(2025, 2, 5, tzinfo=UTC)))
    db.session.commit()
    cohort = world["cohort"]
    members = _rows(staff.get(f"/cohorts/{cohort.id}/members.xlsx"))
    assert members[1][0] == "Công ty Cổ phần Bản Đồ Số Hồ Tây" and members[1][4] == str(MemberStatus.ACTIVE.label)
    sheet = _xlsx(staff.get(f"/cohorts/{cohort.id}/reports.xlsx"))
    lines = list(sheet.iter_rows(values_only=True))
    # A monthly cohort of 2025, now past: twelve periods, the first reported, the others late.
    assert len(lines) == 1 + 12
    assert lines[1][2] == datetime(2025, 1, 1) and lines[1][4] == "Đã nộp"  # a month: a date cell shown 01/2025
    assert sheet["C2"].number_format == "MM/YYYY" and lines[1][7] == 150_000_000
    assert all(line[4] == "Trễ hạn" for line in lines[2:]), {line[4] for line in lines[2:]}
    # Real dates and numbers in the workbook, shown the Vietnamese way.
    due = sheet.cell(row=2, column=4)
    assert due.value == datetime(2025, 2, 10) and due.number_format == "DD/MM/YYYY"
    assert sheet.cell(row=2, column=8).number_format == "#,##0"
    late = _rows(staff.get("/cohorts/late.xlsx"))
    assert len(late) == 1 + 11 and late[1][2] == "Khóa ươm tạo 2025"


def test_a_mentor_exports_only_their_own_sessions(login_as, world, make):
    mentor_client, mentor = login_as(Role.MENTOR)
    own = make.mentoring_session(assignment=make.mentor_assignment(member=world["member"], mentor=mentor),
                                 notes="Ghi chú của tôi")
    rows = _rows(mentor_client.get("/mentoring/my-sessions.xlsx"))
    assert len(rows) == 2 and rows[1][2] == mentor.full_name and rows[1][9] == own.notes
    assert "Ghi chú riêng của cố vấn" not in mentor_client.get("/mentoring/my-sessions.csv").get_data(as_text=True)
    assert mentor_client.get("/mentoring/sessions.xlsx").status_code == 403


def test_text_that_looks_like_a_formula_stays_text(staff, make):
    make.residency(company=make.company(name='=HYPERLINK("http://x.example","bấm")'))
    table = _csv(staff.get("/register/export.csv"))
    assert table[1][0] == "'=HYPERLINK(\"http://x.example\",\"bấm\")"
    sheet = _xlsx(staff.get("/register/export.xlsx"))
    assert sheet.cell(row=2, column=1).data_type == "s"
    assert sheet.cell(row=2, column=1).value.startswith("=HYPERLINK")


def test_the_register_tabs_and_the_pages_count_what_the_exports_hold(staff, world):
    page = staff.get("/register/outcomes").get_data(as_text=True)
    assert "Ứng dụng bản đồ số cho phường" in page and "1 kết quả" in page
    assert 'href="/register/outcomes/export.xlsx"' in page
    sessions = staff.get("/mentoring/sessions?status=confirmed").get_data(as_text=True)
    assert "Bản Đồ Số Hồ Tây" in sessions and "status=confirmed" in sessions
