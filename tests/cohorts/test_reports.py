"""Progress reports through HTTP: founders write, submit and correct; staff see who is late; reminders go
out once; nobody reads another startup's reports or file."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from incubator.auth.enums import Role
from incubator.cohorts.enums import ReportStatus
from incubator.cohorts.models import ProgressReport
from incubator.cohorts.services import send_report_reminders
from incubator.mail.models import OutboxMessage
from tests.helpers import login, nothing_written, post_form


@pytest.fixture
def startup(make, client_factory):
    founder = make.user(full_name="Bùi Văn Khánh", locale="vi")
    company = make.company(name="Công ty TNHH Ứng dụng Y tế Bách Niên")
    make.member(company=company, user=founder)
    cohort = make.cohort(name="Khóa ươm tạo 2025", starts_on=date(2025, 1, 1), ends_on=date(2025, 6, 30))
    member = make.cohort_member(cohort, company)
    client = client_factory()
    login(client, founder)
    return {"founder": founder, "company": company, "member": member, "client": client}


def _url(member, period="2025-01-01"):
    return f"/cohorts/members/{member.id}/reports/{period}"


def test_a_founder_saves_a_draft_submits_then_corrects_with_a_new_version(startup, db):
    client, member = startup["client"], startup["member"]
    assert client.get(_url(member)).status_code == 200
    response = post_form(client, _url(member), {"revenue": "150.000.000", "paying_customers": "3", "employees": "6",
                                                "product_status": "pilot", "action": "draft"})
    assert response.status_code == 302
    draft = db.session.scalar(sa.select(ProgressReport))
    assert draft.status is ReportStatus.DRAFT and draft.revenue == 150_000_000
    response = post_form(client, _url(member), {"revenue": "150.000.000", "paying_customers": "4", "employees": "6",
                                                "help_needed": "Kết nối với bệnh viện quận", "action": "submit",
                                                "version": str(draft.version_id)})
    assert response.status_code == 302
    # A correction: a second version; the first stays as it was.
    response = post_form(client, _url(member), {"revenue": "180000000", "paying_customers": "4", "employees": "7",
                                                "action": "submit"})
    assert response.status_code == 302
    versions = db.session.scalars(sa.select(ProgressReport).order_by(ProgressReport.version)).all()
    assert [(v.version, v.status, int(v.revenue)) for v in versions] == [
        (1, ReportStatus.SUBMITTED, 150_000_000), (2, ReportStatus.SUBMITTED, 180_000_000)]
    page = client.get(f"/startups/{startup['company'].id}").get_data(as_text=True)
    assert "<svg" in page and "01/2025" in page


def test_bad_figures_are_refused(startup, db):
    response = post_form(startup["client"], _url(startup["member"]), {"revenue": "-5", "employees": "nhiều",
                                                                      "action": "submit"})
    assert response.status_code == 400
    for customers in ("3.5", "1,5"):  # counts are whole numbers: not silently multiplied by ten
        response = post_form(startup["client"], _url(startup["member"]), {"paying_customers": customers,
                                                                          "action": "submit"})
        assert response.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ProgressReport)) == 0


def test_the_revenue_box_is_text_so_a_browser_sends_back_what_it_shows(startup, db):
    client, member = startup["client"], startup["member"]
    post_form(client, _url(member), {"revenue": "150.000.000", "action": "submit"})
    page = client.get(_url(member)).get_data(as_text=True)
    assert 'type="text"' in page and 'value="150.000.000"' in page and 'inputmode="numeric"' in page
    # Sending the page back unchanged (a double click) makes no new version.
    post_form(client, _url(member), {"revenue": "150.000.000", "action": "submit"})
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ProgressReport)) == 1


def test_a_future_period_cannot_be_reported_yet(startup, make, db):
    member = make.cohort_member(make.cohort(starts_on=date(2030, 1, 1), ends_on=date(2030, 12, 31)),
                                startup["company"])
    with nothing_written():
        assert post_form(startup["client"], _url(member, "2030-01-01"), {"revenue": "1", "action": "submit"}
                         ).status_code == 403


def test_another_founder_cannot_read_the_reports_or_the_file(startup, login_as, make):
    other, _ = login_as(Role.FOUNDER)
    assert other.get(_url(startup["member"])).status_code == 404
    assert other.get(f"/startups/{startup['company'].id}").status_code == 404
    with nothing_written():
        assert post_form(other, _url(startup["member"]), {"revenue": "1", "action": "submit"}).status_code == 404
    mentor, _ = login_as(Role.MENTOR)  # no mentoring assignment yet: nothing
    assert mentor.get(f"/startups/{startup['company'].id}").status_code == 404
    assert startup["client"].get(_url(startup["member"], "2031-01-01")).status_code == 404
    assert startup["client"].get(_url(startup["member"], "not-a-date")).status_code == 404


def test_a_late_report_is_listed_and_reminded_once(startup, login_as, db):
    staff, _ = login_as(Role.STAFF)
    # January's report is due on 10/02/2025; on 20/02 it is late (February's is not due yet).
    late_page = staff.get("/cohorts/late").get_data(as_text=True)
    assert startup["company"].name in late_page  # today (2026) every period of the 2025 cohort is late
    assert send_report_reminders(date(2025, 2, 20)) == 1
    assert send_report_reminders(date(2025, 2, 20)) == 0  # a second run, as a page view would: nothing
    assert send_report_reminders(date(2025, 2, 21)) == 0
    db.session.commit()
    mails = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.purpose == "report_reminder")).all()
    assert len(mails) == 1 and mails[0].to_address == startup["founder"].email
    assert "10/02/2025" in mails[0].body_text
    # Three days before February's due date (10/03), a reminder "before"; then one "after" when late.
    assert send_report_reminders(date(2025, 3, 7)) == 1
    assert send_report_reminders(date(2025, 3, 11)) == 1
    assert send_report_reminders(date(2025, 3, 12)) == 0


def test_the_staff_list_no_longer_shows_a_report_once_submitted(startup, login_as):
    staff, _ = login_as(Role.STAFF)
    client, member = startup["client"], startup["member"]
    for month in range(1, 7):
        post_form(client, _url(member, f"2025-{month:02d}-01"), {"revenue": "1000000", "action": "submit"})
    assert startup["company"].name not in staff.get("/cohorts/late").get_data(as_text=True)


def test_the_remind_command(runner, startup):
    result = runner.invoke(args=["cohorts", "remind", "--today", "2025-02-20"])
    assert result.exit_code == 0 and "1 reminder queued" in result.output
    assert runner.invoke(args=["cohorts", "remind", "--today", "20/02/2025"]).exit_code == 2


def test_a_long_late_startup_gets_one_reminder_per_run_not_one_per_period(startup, db):
    assert send_report_reminders(date(2025, 8, 1)) == 1  # six months late: one e-mail that counts them
    db.session.commit()
    mail = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.purpose == "report_reminder"))
    assert "báo cáo" in mail.body_text.lower() and "06/2025" in mail.body_text
    assert send_report_reminders(date(2025, 8, 2)) == 0
