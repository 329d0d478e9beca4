"""Issue 17's daily loops in a real browser: a mentor logs a past session, its founder disputes it, staff find the
dispute on their home and resolve it; a founder is asked before withdrawing; staff judge an application's
novelty at the checklist."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from incubator.applications.eligibility import SectorKind
from incubator.applications.enums import ApplicationStatus
from incubator.auth.enums import Role
from tests.browser.helpers import log_in

pytestmark = pytest.mark.browser


def _outbox(db, purpose):
    from incubator.mail.models import OutboxMessage

    db.session.rollback()  # a fresh snapshot: the live server committed in another connection
    return list(db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.purpose == purpose)))


def test_a_session_logged_disputed_and_resolved_closes_its_loop_through_homes_and_mail(browser, live_server, make,
                                                                                          db):
    mentor = make.user(Role.MENTOR, full_name="Phạm Cố Vấn")
    founder = make.user(Role.FOUNDER, full_name="Đỗ Nhà Sáng Lập")
    staff = make.user(Role.STAFF, full_name="Cán Bộ Vườn Ươm")
    member = make.cohort_member(make.cohort(starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31)),
                                company=make.company(name="Công ty TNHH Nông Sản Số"))
    make.member(company=member.company, user=founder)
    assignment = make.mentor_assignment(member, mentor)
    db.session.commit()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()

    # The mentor logs a session that took place: it waits for the founders, who are asked by e-mail.
    log_in(page, live_server, mentor)
    page.goto(f"{live_server}/mentoring/assignments/{assignment.id}/sessions/new")
    page.fill("#starts_on", "02/11/2026")
    page.fill("#starts_time", "14:30")
    page.fill("#minutes", "90")
    page.select_option("#mode", "in_person")
    page.fill("#place", "Phòng họp tầng 3")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(lambda url: "/sessions/new" not in url)
    assert [m.to_address for m in _outbox(db, "session_to_confirm")] == [founder.email]
    page.goto(f"{live_server}/home/mentor")
    assert "Công ty TNHH Nông Sản Số" in page.locator("main").inner_text()  # waiting for the founders
    page.context.clear_cookies()

    # The founder disputes it from the session's page.
    from incubator.mentoring.models import MentoringSession

    session = db.session.scalar(sa.select(MentoringSession))
    log_in(page, live_server, founder)
    page.goto(f"{live_server}/mentoring/sessions/{session.id}")
    page.fill("input[name=reason]", "Buổi này chỉ kéo dài 45 phút")
    page.get_by_role("button", name="Không đồng ý").click()
    page.wait_for_load_state()
    assert "Buổi này chỉ kéo dài 45 phút" in page.locator("#status").inner_text()
    assert [m.to_address for m in _outbox(db, "session_disputed")] == [staff.email]
    page.context.clear_cookies()

    # Staff find it on their home, open it and resolve it.
    log_in(page, live_server, staff)
    page.goto(f"{live_server}/home/staff")
    disputes = page.locator("#dispute-items")
    assert "Công ty TNHH Nông Sản Số" in disputes.inner_text()
    disputes.locator("a").first.click()
    page.wait_for_url(f"{live_server}/mentoring/sessions/{session.id}")
    page.get_by_role("button", name="Giải quyết: xác nhận buổi").click()
    page.wait_for_load_state()
    page.goto(f"{live_server}/home/staff")
    assert "Công ty TNHH Nông Sản Số" not in page.locator("#home-disputes").inner_text()
    context.close()


def test_a_founder_is_asked_before_withdrawing_and_can_keep_the_application(page, live_server, make, db):
    founder = make.user(Role.FOUNDER)
    company = make.company(name="Công ty Cổ phần Dữ Liệu Sông Hồng")
    make.member(company=company, user=founder)
    application = make.application(company=company, created_by=founder, status=ApplicationStatus.SUBMITTED,
                                   reference="VU-2026-0042")
    db.session.commit()
    log_in(page, live_server, founder)
    page.goto(f"{live_server}/applications/{application.id}")
    page.locator("#withdraw").click()
    page.wait_for_url(f"{live_server}/applications/{application.id}/withdraw")
    assert page.get_by_role("heading", name="Rút hồ sơ?").is_visible()
    page.get_by_role("link", name="Không, giữ lại hồ sơ").click()  # changed their mind: nothing happens
    page.wait_for_url(f"{live_server}/applications/{application.id}")
    db.session.rollback()
    assert db.session.get(type(application), application.id).status is ApplicationStatus.SUBMITTED
    page.locator("#withdraw").click()
    page.fill("#reason", "Doanh nghiệp đã nhận được vốn đầu tư")
    page.locator("#confirm-withdraw").click()
    page.wait_for_url(f"{live_server}/applications/{application.id}")
    db.session.rollback()
    assert db.session.get(type(application), application.id).status is ApplicationStatus.WITHDRAWN


def test_staff_judge_the_novelty_at_the_checklist_a_reason_asked_when_not_new(page, live_server, make, db):
    staff = make.user(Role.STAFF, full_name="Nguyễn Thị Thu Hà")
    application = make.application(status=ApplicationStatus.SUBMITTED, reference="VU-2026-0101",
                                   is_public_company=False, sector_kind=SectorKind.SERVICES_TRADE, employees=5,
                                   revenue=10**9, eligibility_summary="staff")
    db.session.commit()
    log_in(page, live_server, staff)
    page.goto(f"{live_server}/applications/{application.id}/file")
    novelty = page.locator("#novelty")
    novelty.get_by_label("Không, không có tính mới").check()
    novelty.get_by_role("button").click()
    page.wait_for_load_state()
    note = page.locator("#novelty textarea")
    assert note.get_attribute("aria-invalid") == "true"  # not new: the reason is asked at its field
    note.fill("Sản phẩm tương tự đã có trên thị trường từ 2019")
    page.locator("#novelty").get_by_label("Không, không có tính mới").check()
    page.locator("#novelty").get_by_role("button").click()
    page.wait_for_load_state()
    judged = page.locator("#novelty-judged").inner_text()
    assert "Nguyễn Thị Thu Hà" in judged and "Sản phẩm tương tự đã có trên thị trường từ 2019" in judged


def test_a_refused_bulk_decision_comes_back_with_its_ticks_and_the_language_still_switches(page, live_server, make,
                                                                                         db):
    from tests.reviews.test_decisions import _entries

    staff = make.user(Role.STAFF)
    stage = make.review_stage()
    entries = _entries(make, stage, 3)
    db.session.commit()
    log_in(page, live_server, staff)
    page.goto(f"{live_server}/reviews/stages/{stage.id}/ranking")
    for entry in (entries[0], entries[2]):
        page.locator(f"#entry-{entry.id}").check()
    page.select_option("#decision", "reject")  # a rejection with no reason: refused by the server
    page.once("dialog", lambda dialog: dialog.accept())  # "Record this decision for every ticked application…?"
    page.locator("#bulk-decide").click()
    page.wait_for_url(f"{live_server}/reviews/stages/{stage.id}/decisions")
    assert page.locator(f"#entry-{entries[0].id}").is_checked() and page.locator(f"#entry-{entries[2].id}").is_checked()
    assert not page.locator(f"#entry-{entries[1].id}").is_checked()
    assert page.input_value("#decision") == "reject"
    assert page.locator("#reason").get_attribute("aria-invalid") == "true"  # the field at fault, said there
    db.session.rollback()
    assert all(db.session.get(type(e), e.id).decision is None for e in entries)
    # The address is the decisions' (POST only): switching language goes back to the ranking, not to a 405.
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/reviews/stages/{stage.id}/ranking")
    assert page.locator("html").get_attribute("lang") == "en"
